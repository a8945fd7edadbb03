/**
 * From command-line arguments to files. Each argument is:
 * - an existing file: returned as named, whatever its kind (a FIFO or a device
 *   too: reading it gives a `file/unreadable` finding, never a blocked read);
 * - an existing directory: walked (honouring `.gitignore`), returning only files
 *   Paved Road validates;
 * - otherwise, if it has glob syntax (`deploy/**\/*.yaml`), a glob from the working
 *   directory: its matches are returned as if each had been named (as a shell
 *   would expand it), skipping `.git` and `node_modules`;
 * - otherwise an error (`FileAccessError`, e.g. no such file or directory).
 * The result is deduplicated and sorted by path. An argument that gives no file
 * (a glob without a match, a directory without a file Paved Road checks) is
 * listed in `unmatched`: the CLI refuses it, as eslint does.
 */
import { statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { resolve, sep } from 'node:path';
// `require`, not `import`: for `import`, esbuild picks tinyglobby's ESM build, whose fdir calls
// createRequire(import.meta.url) at load time, and import.meta.url is undefined in a CJS bundle.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import tinyglobby = require('tinyglobby');
import { manifestKind } from '../validate';
import { FileAccessError, displayPath, errorCode } from './paths';
import { ALWAYS_SKIPPED_DIRECTORIES, walkDirectory } from './walk';

export interface ResolvedFile {
  /** Relative to the working directory, `/`-separated: what reports show. */
  path: string;
  absolutePath: string;
  /** Named on the command line or matched by a glob (not found by walking a directory). */
  explicit: boolean;
}

export interface ResolveOptions {
  /** Directory relative arguments and globs start from; reported paths are relative to it. */
  cwd: string;
  /** Which files a directory walk returns. Default: files for which `manifestKind` is defined. */
  include?: (absolutePath: string) => boolean;
}

export interface ResolveResult {
  files: ResolvedFile[];
  /** Problems that do not stop the run: an unreadable subdirectory. */
  warnings: string[];
  /** Arguments that gave no file: a glob that matched nothing, a directory with no file to check. */
  unmatched: string[];
}

export function isManifestPath(absolutePath: string): boolean {
  return manifestKind(absolutePath) !== undefined;
}

const GLOB_IGNORE = ALWAYS_SKIPPED_DIRECTORIES.map((d) => `**/${d}/**`);

/** Rejects with a `FileAccessError` for an argument that is neither a file, a directory nor a glob. */
export async function resolveFiles(args: readonly string[], options: ResolveOptions): Promise<ResolveResult> {
  const cwd = resolve(options.cwd);
  const include = options.include ?? isManifestPath;
  const byPath = new Map<string, ResolvedFile>();
  const warnings: string[] = [];
  const unmatched: string[] = [];
  const add = (absolutePath: string, explicit: boolean): void => {
    const existing = byPath.get(absolutePath);
    if (existing) {
      existing.explicit ||= explicit;
      return;
    }
    byPath.set(absolutePath, { path: displayPath(absolutePath, cwd), absolutePath, explicit });
  };

  for (const arg of args) {
    const absolutePath = resolve(cwd, arg);
    let stats: Stats;
    try {
      // synchronously: a CLI or hook run names thousands of files, and a thread-pool round trip per file was most of their wall time
      stats = statSync(absolutePath);
    } catch (err) {
      const code = errorCode(err);
      if ((code === 'ENOENT' || code === 'ENOTDIR') && tinyglobby.isDynamicPattern(toGlobPattern(arg))) {
        const matches = await tinyglobby.glob(toGlobPattern(arg), {
          cwd,
          absolute: true,
          dot: true,
          onlyFiles: true,
          expandDirectories: false,
          ignore: GLOB_IGNORE,
        });
        if (matches.length === 0) unmatched.push(arg);
        for (const match of matches) add(resolve(match), true);
        continue;
      }
      throw FileAccessError.from(arg, err);
    }
    if (stats.isDirectory()) {
      let files: string[];
      try {
        files = await walkDirectory(absolutePath, {
          include,
          onUnreadableDirectory: (dir, reason) => warnings.push(`cannot read directory ${displayPath(dir, cwd)}: ${reason}`),
        });
      } catch (err) {
        throw FileAccessError.from(arg, err);
      }
      if (files.length === 0) unmatched.push(arg);
      for (const file of files) add(file, false);
    } else {
      add(absolutePath, true);
    }
  }

  const files = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, warnings, unmatched };
}

/** Glob syntax wants `/`; on Windows a `\` in an argument is a separator, not an escape. */
function toGlobPattern(arg: string): string {
  return sep === '\\' ? arg.replace(/\\/g, '/') : arg;
}
