/**
 * Installing and removing Paved Road's pre-commit hook, in the hooks folder git
 * really uses (`git rev-parse --git-path hooks`: `core.hooksPath`, linked worktrees).
 *
 * A pre-commit hook that is not Paved Road's is never overwritten: it is moved
 * aside to `pre-commit.paved-road-chained` (a rename: same bytes, same mode) and
 * Paved Road's hook runs it first. Uninstalling renames it back, so what was there
 * before comes back exactly; a hook someone put in place of Paved Road's is left alone.
 */
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { chmod, lstat, mkdir, readFile, realpath, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { GitOptions } from './run';
import { git, gitEnv, spawnGit } from './run';
import { CHAINED_HOOK_NAME, hookScript, isPavedRoadHook, parseHookScript } from './script';
import { pathExists } from '../files/paths';

export const HOOK_NAME = 'pre-commit';

/** Installing or removing the hook cannot be done safely; nothing was changed. */
export class HookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HookError';
  }
}

export interface HookPaths {
  /** The folder git runs hooks from (absolute). */
  hooksDir: string;
  /** `<hooksDir>/pre-commit`. */
  hookPath: string;
  /** `<hooksDir>/pre-commit.paved-road-chained`: the hook Paved Road's replaced, when there was one. */
  chainedPath: string;
  /**
   * The hooks folder is neither in the repository's git directory nor in its work tree:
   * a `core.hooksPath` (often set globally) that other repositories use too.
   */
  shared: boolean;
}

/** The hooks folder git uses for the repository containing `repoRoot` (which need not exist yet). */
export async function hookPaths(repoRoot: string, options: GitOptions = {}): Promise<HookPaths> {
  const env = gitEnv(options.env);
  const out = await git(['rev-parse', '--git-common-dir', '--git-path', 'hooks'], repoRoot, env);
  const [commonDir = '', dir = ''] = out.toString('utf8').replace(/\r?\n$/, '').split(/\r?\n/);
  // relative to the directory git ran in (core.hooksPath=.husky/_ comes back as is, from the top level)
  const hooksDir = resolve(repoRoot, dir);
  const top = await spawnGit(['rev-parse', '--show-toplevel'], repoRoot, env); // fails in a bare repository
  const homes = [resolve(repoRoot, commonDir), ...(top.code === 0 ? [resolve(top.stdout.toString('utf8').replace(/\r?\n$/, ''))] : [])];
  const real = await realPath(hooksDir);
  const homesReal = await Promise.all(homes.map(realPath));
  const shared = !homesReal.some((home) => isWithin(home, real));
  return { hooksDir, hookPath: join(hooksDir, HOOK_NAME), chainedPath: join(hooksDir, CHAINED_HOOK_NAME), shared };
}

export type HookState =
  /** No pre-commit hook. */
  | 'absent'
  /** Paved Road's hook. */
  | 'installed'
  /** A pre-commit hook that is not Paved Road's (none installed, or it was replaced). */
  | 'other';

export interface HookStatus extends HookPaths {
  state: HookState;
  /** `installed`: the CLI path the hook runs. */
  command?: string;
  /** `installed`: the node executable written in the hook, if one was. */
  node?: string;
  /** Whether `chainedPath` exists (the hook Paved Road's runs first, or one left behind). */
  chained: boolean;
}

export async function hookStatus(repoRoot: string, options: GitOptions = {}): Promise<HookStatus> {
  const paths = await hookPaths(repoRoot, options);
  const hook = await inspect(paths.hookPath);
  const chained = (await lstatOrUndefined(paths.chainedPath)) !== undefined;
  if (hook.kind === 'absent') return { ...paths, state: 'absent', chained };
  if (hook.kind === 'ours') return { ...paths, state: 'installed', chained, ...parseHookScript(hook.text) };
  return { ...paths, state: 'other', chained };
}

export interface InstallHookOptions extends GitOptions {
  /** Absolute path of the Paved Road CLI script the hook runs with node (the extension's `dist/cli.js`). */
  command: string;
  /** Absolute path of a node executable (not VS Code's); default: `node` on PATH when the hook runs. */
  node?: string;
  /**
   * Install even when the hooks folder is shared with other repositories (`shared`: a
   * `core.hooksPath` outside this repository, often global). Default: refuse, since every
   * repository using that folder would then run the check.
   */
  allowShared?: boolean;
}

export interface InstallResult extends HookPaths {
  /** `installed` (there was no Paved Road hook), `updated` (new command), `unchanged`. */
  action: 'installed' | 'updated' | 'unchanged';
  /** Set when a pre-commit hook that is not Paved Road's was there: it now runs first, from `chainedPath`. */
  chainedHook?: string;
  /** Things the user should know (the CLI is missing, the hooks folder is part of the work tree…). */
  notes: string[];
}

/**
 * Installs (or updates) Paved Road's pre-commit hook. Idempotent. A pre-commit hook
 * that is not Paved Road's is moved to `pre-commit.paved-road-chained` and run first.
 * Rejects with a `HookError` (nothing changed) when that cannot be done safely.
 */
export async function installHook(repoRoot: string, options: InstallHookOptions): Promise<InstallResult> {
  checkPath('command', options.command);
  if (options.node !== undefined) checkPath('node', options.node);
  const paths = await hookPaths(repoRoot, options);
  const { hooksDir, hookPath, chainedPath } = paths;
  if (paths.shared && options.allowShared !== true) {
    throw new HookError(
      `git runs this repository's hooks from ${hooksDir} (core.hooksPath), outside the repository: other repositories ` +
        `use it too, and a hook installed there would check their commits as well; nothing was changed. ` +
        `Set core.hooksPath for this repository only (git config core.hooksPath <folder in the repository>), or install anyway.`,
    );
  }
  const script = hookScript({ command: options.command, ...(options.node !== undefined ? { node: options.node } : {}) });
  const notes: string[] = [];

  await mkdir(hooksDir, { recursive: true });
  const hook = await inspect(hookPath);
  const chained = await lstatOrUndefined(chainedPath);
  let action: InstallResult['action'];
  let chainedHook: string | undefined;

  if (hook.kind === 'ours') {
    if (hook.text === script && (hook.stats.mode & 0o777) === 0o755) action = 'unchanged';
    else {
      await replaceWith(hookPath, script);
      action = 'updated';
    }
    if (chained) chainedHook = chainedPath;
  } else if (hook.kind === 'absent') {
    if (chained) {
      // Paved Road's hook was deleted, the one it replaced is still aside: chain it again
      chainedHook = chainedPath;
      notes.push(`${chainedPath} (the pre-commit hook that was there before Paved Road's) runs first again.`);
    }
    await replaceWith(hookPath, script);
    action = 'installed';
  } else {
    if (hook.kind === 'other' && hook.stats.isDirectory()) throw new HookError(`${hookPath} is a directory, not a hook; nothing was changed.`);
    if (chained) {
      // Something replaced Paved Road's hook (husky rewrites its hooks on every install): harmless
      // when what is aside is the same file, otherwise two hooks would compete for one place.
      if (!(await sameFile(hookPath, hook.stats, chainedPath, chained))) {
        throw new HookError(
          `${hookPath} is not Paved Road's hook, and ${chainedPath} (left by an earlier install) holds a different one; ` +
            `nothing was changed. Keep the hook you want as ${hookPath}, delete ${chainedPath}, and install again.`,
        );
      }
      await rm(chainedPath, { force: true });
    }
    await replaceWith(hookPath, script, chainedPath);
    chainedHook = chainedPath;
    action = 'installed';
  }

  if (!(await pathExists(options.command))) notes.push(`${options.command} does not exist: until it does, the hook lets every commit through.`);
  const tracked = await inWorkTree(repoRoot, [hookPath, chainedPath], options);
  if (tracked.length > 0) {
    notes.push(`The hooks folder ${hooksDir} is part of the work tree: ${tracked.join(', ')} show in 'git status' (do not commit the change).`);
  }
  return { ...paths, action, ...(chainedHook ? { chainedHook } : {}), notes };
}

export interface UninstallResult extends HookPaths {
  /** `restored`: the hook that was there before is back; `removed`: there was none; `not-installed`: nothing to do. */
  action: 'restored' | 'removed' | 'not-installed';
}

/**
 * Removes Paved Road's hook and puts back the one it replaced (a rename: the same
 * bytes and mode), if any. Rejects with a `HookError` (nothing changed) when the
 * pre-commit hook is not Paved Road's.
 */
export async function uninstallHook(repoRoot: string, options: GitOptions = {}): Promise<UninstallResult> {
  const paths = await hookPaths(repoRoot, options);
  const { hookPath, chainedPath } = paths;
  const hook = await inspect(hookPath);
  const chained = await lstatOrUndefined(chainedPath);

  if (hook.kind === 'other') {
    if (chained && (await sameFile(hookPath, hook.stats, chainedPath, chained))) {
      // Paved Road's hook was overwritten by the very hook it had replaced (husky reinstalling itself)
      await rm(chainedPath, { force: true });
      return { ...paths, action: 'restored' };
    }
    throw new HookError(
      chained
        ? `${hookPath} is not Paved Road's hook (it was replaced after Paved Road installed its hook); nothing was changed. ` +
            `The hook that was there before Paved Road's is ${chainedPath}.`
        : `${hookPath} is not Paved Road's hook; nothing was changed.`,
    );
  }
  if (chained) {
    await rename(chainedPath, hookPath); // replaces Paved Road's hook in one step
    return { ...paths, action: 'restored' };
  }
  if (hook.kind === 'ours') {
    await unlink(hookPath);
    return { ...paths, action: 'removed' };
  }
  return { ...paths, action: 'not-installed' };
}

type Inspected = { kind: 'absent' } | { kind: 'ours'; text: string; stats: Stats } | { kind: 'other'; stats: Stats };

/** Largest hook file read to look for the marker: Paved Road's is a few KB. */
const MAX_HOOK_BYTES = 1024 * 1024;

async function inspect(path: string): Promise<Inspected> {
  const stats = await lstatOrUndefined(path);
  if (!stats) return { kind: 'absent' };
  // a symbolic link is someone's (a shared hook): moved aside and put back as a link
  if (!stats.isFile() || stats.size > MAX_HOOK_BYTES) return { kind: 'other', stats };
  const text = await readFile(path, 'utf8');
  return isPavedRoadHook(text) ? { kind: 'ours', text, stats } : { kind: 'other', stats };
}

/**
 * Writes `script` to `hookPath` (mode 755) through a temporary file and a rename,
 * so that git never runs half a hook. With `moveAsideTo`, the file at `hookPath`
 * is first renamed there (and renamed back if the last step fails).
 */
async function replaceWith(hookPath: string, script: string, moveAsideTo?: string): Promise<void> {
  const temporary = `${hookPath}.paved-road-${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, script, { mode: 0o755, flag: 'wx' });
    await chmod(temporary, 0o755); // whatever the umask
    if (moveAsideTo !== undefined) {
      if (await lstatOrUndefined(moveAsideTo)) throw new HookError(`${moveAsideTo} appeared during the install; nothing was changed.`);
      await rename(hookPath, moveAsideTo);
      try {
        await rename(temporary, hookPath);
      } catch (err) {
        await rename(moveAsideTo, hookPath).catch(() => undefined);
        throw err;
      }
    } else {
      await rename(temporary, hookPath);
    }
  } finally {
    await rm(temporary, { force: true }).catch(() => undefined);
  }
}

async function sameFile(a: string, aStats: Stats, b: string, bStats: Stats): Promise<boolean> {
  if (aStats.isSymbolicLink() || bStats.isSymbolicLink()) return false;
  if (!aStats.isFile() || !bStats.isFile() || aStats.size !== bStats.size || (aStats.mode & 0o7777) !== (bStats.mode & 0o7777)) return false;
  const [x, y] = await Promise.all([readFile(a), readFile(b)]);
  return x.equals(y);
}

/** Those of `paths` inside the work tree that git tracks or would list as untracked (not ignored), relative. */
async function inWorkTree(repoRoot: string, paths: readonly string[], options: GitOptions): Promise<string[]> {
  const root = resolve(repoRoot);
  const inside = paths.filter((p) => isWithin(root, p) && p !== root).map((p) => relative(root, p));
  if (inside.length === 0) return [];
  const env = gitEnv(options.env, { GIT_LITERAL_PATHSPECS: '1', GIT_GLOB_PATHSPECS: undefined, GIT_NOGLOB_PATHSPECS: undefined, GIT_ICASE_PATHSPECS: undefined });
  try {
    const out = await git(['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...inside.map((p) => p.split(sep).join('/'))], root, env);
    return [...new Set(out.toString('utf8').split('\0').filter((p) => p !== ''))];
  } catch {
    return []; // a hooks folder inside .git, or outside this work tree: nothing to say
  }
}

function checkPath(name: string, value: string): void {
  if (!isAbsolute(value)) throw new HookError(`the hook's ${name} must be an absolute path, not '${value}'`);
  // eslint-disable-next-line no-control-regex
  if (/[\0-\x1f\x7f]/.test(value)) throw new HookError(`the hook's ${name} path contains a control character: ${JSON.stringify(value)}`);
}

/** `path` with symbolic links resolved, as far as it exists (the rest appended as is). */
async function realPath(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(await realPath(parent), basename(path));
  }
}

function isWithin(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
}

