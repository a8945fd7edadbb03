/**
 * Git sources named by a repository's configuration (`policies.sources[].git`,
 * later templates): the URL and ref come from whoever wrote the repository, so
 * they are checked before git sees them, and git runs so that neither can
 * become a command or a local path:
 *  - URLs: only the forms git treats as remote https or ssh (`https://host/…`,
 *    `ssh://[user@]host/…`, `[user@]host:path`); never a local path (git reads
 *    `git@/x:y` as one, because a `/` comes before the `:`), `file://`, a
 *    transport helper (`ext::`, `fd::`) or anything starting with `-`;
 *  - refs: what `git check-ref-format --allow-onelevel` accepts, or a commit id,
 *    and never a leading `-` (git would read `--upload-pack=…` as an option);
 *  - git: positional arguments after `--`, `GIT_ALLOW_PROTOCOL=https:ssh` (git
 *    refuses every other transport, local paths included), no submodules, no
 *    prompt, none of the variables that point git at another repository (a
 *    pre-commit hook inherits `GIT_INDEX_FILE` and `GIT_DIR`);
 *  - a fetch that times out is killed with its whole process group (ssh too).
 * The cache is filled atomically: each fetch works in a private folder that is
 * renamed into place, and a small metadata file (written by rename) names the
 * current copy, so runs sharing a cold cache never see each other's half-done work.
 */
import { writeAtomically } from '../files/atomic';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

/** Transports git may use for a source (GIT_ALLOW_PROTOCOL). */
export const GIT_ALLOWED_PROTOCOLS = 'https:ssh';

/** Variables that make git work on another repository than the one in its working directory (`git rev-parse --local-env-vars`). */
const REPOSITORY_VARIABLES = [
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_CONFIG',
  'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG_COUNT',
  'GIT_OBJECT_DIRECTORY',
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_IMPLICIT_WORK_TREE',
  'GIT_GRAFT_FILE',
  'GIT_INDEX_FILE',
  'GIT_NO_REPLACE_OBJECTS',
  'GIT_REPLACE_REF_BASE',
  'GIT_PREFIX',
  'GIT_INTERNAL_SUPER_PREFIX',
  'GIT_SHALLOW_FILE',
  'GIT_COMMON_DIR',
];

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0020\u007f-\u009f]/;
const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[[0-9A-Fa-f:.]+\]$/;
const USER = /^[A-Za-z0-9._~+-]+$/;

/** Why `url` is not accepted as a git source (undefined: it is a remote https or ssh URL). */
export function gitUrlProblem(url: string): string | undefined {
  if (url === '') return 'the URL is empty';
  if (url.length > 2048) return 'the URL is longer than 2048 characters';
  if (CONTROL.test(url)) return 'the URL holds spaces or control characters';
  if (url.startsWith('-')) return 'the URL starts with "-"';
  if (url.includes('::')) return 'git transport helpers (such as ext:: or fd::) are not allowed';
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (scheme !== 'https' && scheme !== 'ssh') return `only https:// and ssh:// URLs are allowed, not ${scheme}://`;
    const rest = url.slice(scheme.length + 3);
    const authority = rest.split('/', 1)[0] ?? '';
    const path = rest.slice(authority.length);
    const at = authority.lastIndexOf('@');
    const user = at >= 0 ? authority.slice(0, at) : undefined;
    const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
    const host = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(hostPort)?.[1];
    if (scheme === 'ssh' && user !== undefined && !USER.test(user)) return 'the user name of the URL is not a plain name';
    if (scheme === 'https' && user !== undefined && /[\s@]/.test(user)) return 'the URL names a user in an unexpected form';
    if (host === undefined || !HOST.test(host)) return 'the URL has no valid host name';
    if (path === '' || path === '/') return 'the URL names no repository';
    return undefined;
  }
  // scp-like: [user@]host:path, where the host holds no "/" (else git reads a local path)
  const colon = url.indexOf(':');
  const slash = url.indexOf('/');
  if (colon < 0 || (slash >= 0 && slash < colon)) return 'it is a local path, not a remote URL (use https://, ssh:// or user@host:path)';
  const authority = url.slice(0, colon);
  const path = url.slice(colon + 1);
  const at = authority.lastIndexOf('@');
  const user = at >= 0 ? authority.slice(0, at) : undefined;
  const host = at >= 0 ? authority.slice(at + 1) : authority;
  if (user !== undefined && !USER.test(user)) return 'the user name of the URL is not a plain name';
  if (!HOST.test(host) || host.startsWith('[')) return 'the URL has no valid host name';
  if (host.length === 1) return 'a one-letter host reads as a drive letter (a local path)';
  if (path === '' || path.startsWith('-')) return 'the URL names no repository';
  return undefined;
}

/** Why `ref` is not accepted as a ref or commit to fetch (git check-ref-format rules, plus no leading "-"). */
export function gitRefProblem(ref: string): string | undefined {
  if (ref === '') return 'the ref is empty';
  if (ref.length > 255) return 'the ref is longer than 255 characters';
  if (ref.startsWith('-')) return 'a ref cannot start with "-"';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(ref)) return 'a ref cannot hold spaces, control characters or any of ~ ^ : ? * [ \\';
  if (ref === '@' || ref.includes('@{')) return 'a ref cannot be "@" or hold "@{"';
  if (ref.includes('..')) return 'a ref cannot hold ".."';
  if (ref.startsWith('/') || ref.endsWith('/') || ref.includes('//')) return 'a ref cannot start or end with "/" or hold "//"';
  if (ref.endsWith('.')) return 'a ref cannot end with "."';
  if (ref.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'))) return 'no part of a ref can start with "." or end with ".lock"';
  return undefined;
}

/** The environment git runs with for a source. */
export function sourceGitEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) if (value !== undefined && !REPOSITORY_VARIABLES.includes(key)) env[key] = value;
  return {
    ...env,
    GIT_ALLOW_PROTOCOL: GIT_ALLOWED_PROTOCOLS,
    GIT_PROTOCOL_FROM_USER: '0',
    // never wait for a password prompt: fail and say so
    GIT_TERMINAL_PROMPT: '0',
    GIT_SSH_COMMAND: base.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes',
    GCM_INTERACTIVE: 'never',
    GIT_OPTIONAL_LOCKS: '0',
  };
}

/** Hardening for every git command on a source: no local or helper transports, no submodules, no hooks of the cache copy. */
const HARDENING = ['-c', 'protocol.allow=never', '-c', 'protocol.https.allow=always', '-c', 'protocol.ssh.allow=always', '-c', 'submodule.recurse=false', '-c', 'core.hooksPath=/dev/null'];

const running = new Set<number>();
let exitHook = false;

function killGroup(pid: number): void {
  try {
    if (process.platform === 'win32') spawn('taskkill', ['/pid', String(pid), '/t', '/f'], { stdio: 'ignore', windowsHide: true });
    else process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Runs `git HARDENING… args…` in `cwd` in its own process group; on timeout the
 * whole group is killed (git, its ssh and whatever ssh started). Resolves with stdout.
 */
export function runSourceGit(args: readonly string[], cwd: string, timeoutMs: number, env: NodeJS.ProcessEnv = sourceGitEnv()): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn('git', [...HARDENING, ...args], { cwd, env, detached: process.platform !== 'win32', windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid;
    if (pid !== undefined) {
      running.add(pid);
      if (!exitHook) {
        exitHook = true;
        // a group of its own does not die with us: take what still runs along on exit
        process.once('exit', () => {
          for (const p of running) killGroup(p);
        });
      }
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (pid !== undefined) killGroup(pid);
    }, timeoutMs);
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 4 * 1024 * 1024) into.push(chunk);
    };
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    child.on('error', (e) => {
      clearTimeout(timer);
      if (pid !== undefined) running.delete(pid);
      fail(new Error(`cannot run git: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (pid !== undefined) {
        running.delete(pid);
        if (!timedOut) killGroup(pid); // nothing of a finished fetch may outlive it
      }
      if (timedOut) return fail(new Error(`timed out after ${Math.round(timeoutMs / 1000)} s`));
      if (code !== 0) {
        const lines = Buffer.concat(err).toString('utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('hint:'));
        return fail(new Error((lines.pop() ?? `git exited with code ${code ?? '?'}`).replace(/^(fatal|error): /, '')));
      }
      done(Buffer.concat(out).toString('utf8'));
    });
  });
}

export interface GitSourceOptions {
  /** Where copies are kept. */
  cacheDir: string;
  offline?: boolean;
  refresh?: boolean;
  maxAgeMs?: number;
  /** Time limit of the fetch (default 60 s). */
  timeoutMs?: number;
  now?: () => number;
}

interface GitMeta {
  source: string;
  fetchedAt: number;
  commit: string;
  /** The folder (under the entry) that holds the current copy. */
  version: string;
}

const META = '.paved-road-source.json';
/** How long a replaced copy stays for runs that are still reading it. */
const KEEP_REPLACED_MS = 10 * 60_000;

function readMeta(dir: string): GitMeta | undefined {
  try {
    const meta = JSON.parse(readFileSync(join(dir, META), 'utf8')) as Partial<GitMeta>;
    if (typeof meta.fetchedAt !== 'number' || typeof meta.version !== 'string' || !/^v-[\w-]+$/.test(meta.version)) return undefined;
    return meta as GitMeta;
  } catch {
    return undefined;
  }
}


function ago(ms: number): string {
  const min = Math.round(ms / 60_000);
  return min < 60 ? `${min} min ago` : min < 48 * 60 ? `${Math.round(min / 60)} h ago` : `${Math.round(min / 1440)} days ago`;
}

/** Old copies nobody should still be reading, and folders of fetches that died. */
function prune(dir: string, keep: string, now: number): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    // `checkout` is the single copy of caches written before copies were versioned
    if (name === keep || !/^(v|tmp)-|^checkout$/.test(name)) continue;
    try {
      if (now - statSync(join(dir, name)).mtimeMs > KEEP_REPLACED_MS) rmSync(join(dir, name), { recursive: true, force: true });
    } catch {
      // another run removed it first
    }
  }
}

/**
 * A shallow copy of `url` at `ref` (default: the remote's HEAD) in the cache,
 * reused while fresh; `dir` is the work tree. Throws (with a plain reason) when
 * the URL or ref is refused, or when nothing is cached and the fetch fails.
 */
export async function fetchGitSource(url: string, ref: string | undefined, key: string, options: GitSourceOptions): Promise<{ dir: string; note?: string }> {
  const urlProblem = gitUrlProblem(url);
  if (urlProblem) throw new Error(`refused: ${urlProblem}`);
  const refProblem = ref === undefined ? undefined : gitRefProblem(ref);
  if (refProblem) throw new Error(`refused: ${refProblem}`);
  const dir = join(options.cacheDir, 'git', key);
  const now = options.now?.() ?? Date.now();
  const meta = readMeta(dir);
  const cached = meta && statOk(join(dir, meta.version)) ? join(dir, meta.version) : undefined;
  const fresh = meta && now - meta.fetchedAt < (options.maxAgeMs ?? 3_600_000);
  if (cached && (options.offline || (fresh && !options.refresh))) return { dir: cached };
  if (options.offline) throw new Error('not in the cache, and --offline was given');
  let work: string | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    work = mkdtempSync(join(dir, 'tmp-'));
    await runSourceGit(['init', '-q'], work, 10_000);
    await runSourceGit(['fetch', '-q', '--depth', '1', '--no-tags', '--no-recurse-submodules', '--', url, ref ?? 'HEAD'], work, options.timeoutMs ?? 60_000);
    await runSourceGit(['checkout', '-q', '--force', '--detach', 'FETCH_HEAD'], work, 10_000);
    const commit = (await runSourceGit(['rev-parse', 'HEAD'], work, 10_000)).trim();
    const version = `v-${commit.slice(0, 12)}-${randomBytes(4).toString('hex')}`;
    renameSync(work, join(dir, version));
    work = undefined;
    writeAtomically(join(dir, META), JSON.stringify({ source: `${url}#${ref ?? ''}`, fetchedAt: now, commit, version } satisfies GitMeta));
    // the copy just replaced may still be read by another run: it stays KEEP_REPLACED_MS from now
    if (cached) touch(cached);
    prune(dir, version, Date.now());
    return { dir: join(dir, version) };
  } catch (err) {
    if (work) rmSync(work, { recursive: true, force: true });
    const why = err instanceof Error ? err.message : String(err);
    if (meta && cached) return { dir: cached, note: `could not update (${why}); using the copy fetched ${ago(now - meta.fetchedAt)}` };
    throw new Error(why);
  }
}

function touch(path: string): void {
  try {
    const t = new Date();
    utimesSync(path, t, t);
  } catch {
    // pruned already
  }
}

function statOk(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
