/**
 * Running git: `spawn` with an argv array (never a shell), the caller's
 * environment passed through (a hook's `GIT_INDEX_FILE`, `GIT_DIR`, …), and
 * failures as `GitError` with git's own message.
 */
import { spawn } from 'node:child_process';
import { isAbsolute, resolve } from 'node:path';

export type GitEnv = Readonly<Record<string, string | undefined>>;

export interface GitOptions {
  /**
   * Environment for git (default: `process.env`). Pass the process environment through
   * when running inside a hook: `git commit <path>` runs pre-commit with `GIT_INDEX_FILE`
   * naming a temporary index, and only that index holds what is being committed.
   */
  env?: GitEnv;
}

/** git could not be run, or said no (not a repository, unknown object…). */
export class GitError extends Error {
  constructor(
    message: string,
    /** git's exit code; undefined when git could not be started. */
    readonly exitCode?: number,
    readonly stderr = '',
  ) {
    super(message);
    this.name = 'GitError';
  }
}

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Variables holding paths that git reads relative to its working directory. */
const PATH_VARIABLES = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_COMMON_DIR'] as const;

/**
 * The environment git runs with: `env` (default `process.env`) with relative path
 * variables made absolute against this process's directory (git gives hooks
 * `GIT_INDEX_FILE=.git/index`, relative to the hook's directory, and git runs from
 * `cwd`), and `GIT_OPTIONAL_LOCKS=0` so that nothing here ever writes the index.
 */
export function gitEnv(env: GitEnv | undefined, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env ?? process.env)) if (value !== undefined) out[key] = value;
  for (const key of PATH_VARIABLES) {
    const value = out[key];
    if (value !== undefined && value !== '' && !isAbsolute(value)) out[key] = resolve(process.cwd(), value);
  }
  out.GIT_OPTIONAL_LOCKS = '0';
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete out[key];
    else out[key] = value;
  }
  return out;
}

/** Spawns `git args…` in `cwd`; `stdin` is written and closed. Rejects only when git cannot be started. */
export function spawnGit(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, stdin?: string): Promise<GitResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', [...args], { cwd, env, windowsHide: true, stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => reject(startError(error, cwd)));
    child.on('close', (code, signal) => {
      resolvePromise({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') });
    });
    if (stdin !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined); // git exited early: its exit code says why
      child.stdin.end(stdin);
    }
  });
}

/** `spawnGit` that rejects with a `GitError` unless git exits with 0. */
export async function git(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, stdin?: string): Promise<Buffer> {
  const result = await spawnGit(args, cwd, env, stdin);
  if (result.code !== 0) throw failure(args, cwd, result.code, result.stderr);
  return result.stdout;
}

export function startError(error: NodeJS.ErrnoException, cwd: string): GitError {
  if (error.code === 'ENOENT') {
    // spawn reports a missing cwd as ENOENT too
    return new GitError(`cannot run git in ${cwd}: git is not installed (or not on PATH), or the directory does not exist`);
  }
  return new GitError(`cannot run git in ${cwd}: ${error.message}`);
}

export function failure(args: readonly string[], cwd: string, code: number, stderr: string): GitError {
  const message = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('hint:'))
    .join(' ')
    .replace(/^(fatal|error): /, '');
  if (/not a git repository/i.test(message)) return new GitError(`${cwd} is not in a git repository`, code, stderr);
  return new GitError(`'git ${args[0] ?? ''}' failed in ${cwd} (exit code ${code})${message ? `: ${message}` : ''}`, code, stderr);
}

/** The top-level directory of the work tree that contains `cwd` (`git rev-parse --show-toplevel`). */
export async function findRepoRoot(cwd: string, options: GitOptions = {}): Promise<string> {
  const out = await git(['rev-parse', '--show-toplevel'], cwd, gitEnv(options.env));
  const top = out.toString('utf8').replace(/\r?\n$/, '');
  if (top === '') throw new GitError(`${cwd} is not in a git work tree (a bare repository has no staged files or hooks to run)`);
  return resolve(top);
}
