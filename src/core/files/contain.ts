/**
 * Paths a repository names (a modeline's `$schema=`, `schemas:` and `crds:`
 * entries, local policy sources, a git source's `path:`) are read only when
 * they resolve inside the repository (or the clone) — after following symbolic
 * links, so a committed link to `/etc` or to a folder outside is refused too.
 * Whoever wrote the repository must not make the CLI, the hook or CI read
 * files of the machine that checks it.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, parse, relative, resolve } from 'node:path';

/** What each refusal means, after the name of the path. */
export const CONTAINMENT_REASONS = {
  outside: 'is outside the repository',
  'link-outside': 'is a symbolic link (or lies under one) that leads outside the repository',
  missing: 'does not exist',
} as const;

export type Containment =
  | { ok: true; /** The real path (links resolved). */ path: string }
  | { ok: false; why: 'outside' | 'link-outside' | 'missing'; message: string };

/** Whether `child` is `parent` or inside it (both absolute and normalised). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * `target` (absolute, or relative to `base`) if it lies inside `root`, as
 * written and after resolving symbolic links. `what` names the path in messages
 * ("the schema path ../x.json").
 */
export function containedPath(root: string, base: string, target: string, what: string): Containment {
  const absolute = resolve(base, target);
  if (!isInside(resolve(root), absolute)) return { ok: false, why: 'outside', message: `${what} ${CONTAINMENT_REASONS.outside}` };
  let real: string;
  try {
    real = realpathSync.native(absolute);
  } catch {
    return { ok: false, why: 'missing', message: `${what} ${CONTAINMENT_REASONS.missing}` };
  }
  let realRoot: string;
  try {
    realRoot = realpathSync.native(root);
  } catch {
    realRoot = resolve(root);
  }
  if (!isInside(realRoot, real)) return { ok: false, why: 'link-outside', message: `${what} ${CONTAINMENT_REASONS['link-outside']}` };
  return { ok: true, path: real };
}

const rootCache = new Map<string, string | null>();

/** The nearest folder at or above `dir` that holds `.git` (memoised), or undefined. */
function gitTop(dir: string): string | undefined {
  const seen: string[] = [];
  let current = dir;
  let found: string | null | undefined;
  for (;;) {
    found = rootCache.get(current);
    if (found !== undefined) break;
    seen.push(current);
    if (existsSync(join(current, '.git'))) {
      found = current;
      break;
    }
    if (current === parse(current).root) {
      found = null;
      break;
    }
    current = dirname(current);
  }
  if (rootCache.size > 10_000) rootCache.clear();
  for (const d of seen) rootCache.set(d, found);
  return found ?? undefined;
}

/**
 * The repository a file belongs to, as far as containment goes: the nearest
 * folder above it with `.git`; else `fallback` (the workspace folder, the
 * CLI's working directory) when it holds the file; else the file's own folder.
 */
export function repositoryRoot(file: string, fallback?: string): string {
  const dir = dirname(resolve(file));
  const top = gitTop(dir);
  if (top !== undefined) return top;
  if (fallback !== undefined && isInside(resolve(fallback), dir)) return resolve(fallback);
  return dir;
}
