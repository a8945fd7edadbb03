/**
 * `.gitignore` semantics for the directory walk, with the `ignore` package:
 * rules from `.gitignore` files at every level (a deeper file overrides a
 * shallower one, `!negations` included) and the repository's `.git/info/exclude`.
 */
import { dirname, join, relative } from 'node:path';
import ignore from 'ignore';
import type { Ignore } from 'ignore';
import { toPosix } from './paths';
import { pathExists } from './paths';
import { MAX_IGNORE_FILE_BYTES, readTextFile } from './regular';

/** The rules of one ignore file, relative to the directory it applies to. */
export interface IgnoreRules {
  /** Absolute directory the patterns are relative to. */
  base: string;
  matcher: Ignore;
}

/** Shallowest first; a deeper file's rules take precedence. */
export type IgnoreStack = readonly IgnoreRules[];

/** git matches case-insensitively where the file system usually is (macOS, Windows). */
const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

export function parseIgnoreFile(base: string, content: string): IgnoreRules {
  return { base, matcher: ignore({ ignorecase: IGNORE_CASE }).add(content) };
}

/**
 * Reads `<dir>/<name>` as ignore rules for `dir`; `undefined` when the file is missing,
 * unreadable, not a regular file (a FIFO, a link to a device) or over 1 MB.
 */
export async function readIgnoreFile(dir: string, file: string): Promise<IgnoreRules | undefined> {
  try {
    return parseIgnoreFile(dir, await readTextFile(file, MAX_IGNORE_FILE_BYTES));
  } catch {
    return undefined;
  }
}

/**
 * Whether `absolutePath` is ignored by the stack. The deepest file with a rule
 * that matches decides (an ignore or a `!negation`), as in git.
 */
export function isIgnored(stack: IgnoreStack, absolutePath: string, isDirectory: boolean): boolean {
  for (let i = stack.length - 1; i >= 0; i--) {
    const rules = stack[i] as IgnoreRules;
    const rel = toPosix(relative(rules.base, absolutePath));
    if (rel === '' || rel.startsWith('../') || rel === '..') continue;
    const result = rules.matcher.test(isDirectory ? `${rel}/` : rel);
    if (result.ignored) return true;
    if (result.unignored) return false;
  }
  return false;
}


/** The nearest directory at or above `dir` holding `.git` (a directory, or a file in worktrees and submodules). */
export async function findGitRoot(dir: string): Promise<string | undefined> {
  let current = dir;
  for (;;) {
    if (await pathExists(join(current, '.git'))) return current;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * The rules that apply to a walk starting at `root` from outside it: the
 * repository's `.git/info/exclude` and the `.gitignore` files between the
 * repository root and `root` (the one in `root` itself is read by the walk).
 * When those rules ignore `root` itself, the user named an ignored directory on
 * purpose: it is walked with its own `.gitignore` files only.
 */
export async function ancestorIgnores(root: string): Promise<IgnoreRules[]> {
  const gitRoot = await findGitRoot(root);
  if (gitRoot === undefined) return [];
  const stack: IgnoreRules[] = [];
  const exclude = await readIgnoreFile(gitRoot, join(gitRoot, '.git', 'info', 'exclude'));
  if (exclude) stack.push(exclude);
  const dirs: string[] = [];
  for (let d = root; d !== gitRoot; d = dirname(d)) {
    const parent = dirname(d);
    if (parent === d) break;
    dirs.unshift(parent);
  }
  for (const d of dirs) {
    const rules = await readIgnoreFile(d, join(d, '.gitignore'));
    if (rules) stack.push(rules);
  }
  return isIgnored(stack, root, true) ? [] : stack;
}
