/**
 * Recursive directory walk that honours `.gitignore` files (root and nested)
 * and always skips `.git` and `node_modules`. Symbolic links to files are
 * followed; symbolic links to directories are not (as git does: no cycles).
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ancestorIgnores, isIgnored, readIgnoreFile } from './gitignore';
import type { IgnoreRules, IgnoreStack } from './gitignore';
import { describeFsError } from './paths';

/** Directory names never walked into. */
export const ALWAYS_SKIPPED_DIRECTORIES: readonly string[] = ['.git', 'node_modules'];

export interface WalkOptions {
  /** Which files to return, by absolute path (e.g. those with a manifest kind). */
  include: (absolutePath: string) => boolean;
  /** Called for a directory below the root that cannot be read; the walk goes on (as git does). */
  onUnreadableDirectory?: (absolutePath: string, reason: string) => void;
}

/**
 * Absolute paths of the files under `root` (itself a directory, read or the
 * call rejects) that `include` accepts and no ignore rule excludes. Unordered.
 */
export async function walkDirectory(root: string, options: WalkOptions): Promise<string[]> {
  const found: string[] = [];
  const rootEntries = await readdir(root, { withFileTypes: true }); // errors here are the caller's to report
  await walkEntries(root, rootEntries, await ancestorIgnores(root), options, found);
  return found;
}

async function walkEntries(dir: string, entries: Dirent[], parentStack: IgnoreStack, options: WalkOptions, found: string[]): Promise<void> {
  let stack = parentStack;
  if (entries.some((e) => e.name === '.gitignore' && !e.isDirectory())) {
    const rules: IgnoreRules | undefined = await readIgnoreFile(dir, join(dir, '.gitignore'));
    if (rules) stack = [...parentStack, rules];
  }
  const subdirectories: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await stat(path).catch(() => undefined); // a broken link is no file
      isFile = target?.isFile() ?? false;
      isDirectory = false; // links to directories are not followed
    }
    if (isDirectory) {
      if (ALWAYS_SKIPPED_DIRECTORIES.includes(entry.name) || isIgnored(stack, path, true)) continue;
      subdirectories.push(path);
    } else if (isFile && options.include(path) && !isIgnored(stack, path, false)) {
      found.push(path);
    }
  }
  for (const sub of subdirectories) {
    let subEntries: Dirent[];
    try {
      subEntries = await readdir(sub, { withFileTypes: true });
    } catch (err) {
      options.onUnreadableDirectory?.(sub, describeFsError(err));
      continue;
    }
    await walkEntries(sub, subEntries, stack, options, found);
  }
}
