/**
 * The input of `paved-road check --staged`: the staged manifests, in the shapes the
 * file checks take (`ResolvedFile`s and their contents by absolute path), so that
 * what is checked is exactly what is being committed, never the working tree.
 */
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CONFIG_FILE_NAMES } from '../config/files';
import type { FileContent } from '../files/read';
import type { ResolvedFile } from '../files/resolve';
import { displayPath, toPosix } from '../files/paths';
import type { ReportFile } from '../report/types';
import { manifestKind } from '../validate';
import { findRepoRoot } from './run';
import type { ReadStagedOptions } from './staged';
import { SKIPPED_NOT_STAGED, readStagedFiles, stagedEntries } from './staged';
import type { ConfigReader } from '../validate/discover';

export interface StagedManifestsOptions extends ReadStagedOptions {
  /** Only staged files at or under these paths (absolute, or relative to `cwd`); default: all. */
  paths?: readonly string[];
  /** Which staged files are manifests. Default: the files Paved Road validates (`manifestKind`). */
  include?: (absolutePath: string) => boolean;
}

export interface StagedManifests {
  /** The top level of the work tree. */
  root: string;
  /** Staged manifests that have content to check (text, or a finding such as "not UTF-8"), sorted by path. */
  files: ResolvedFile[];
  /** Their staged content, by absolute path: pass as `contents` so nothing is read from the working tree. */
  contents: Map<string, FileContent>;
  /** Staged manifests that are not checked (binary, symbolic link, submodule), as report entries with `skipped`. */
  skipped: ReportFile[];
}

/**
 * The staged manifests of the repository that contains `cwd`; report paths are relative
 * to `cwd`. Two git processes for the list and one for all the contents. Honours
 * `GIT_INDEX_FILE` (pass the process environment: it is the default).
 */
export async function stagedManifests(cwd: string, options: StagedManifestsOptions = {}): Promise<StagedManifests> {
  const root = await findRepoRoot(cwd, options);
  const include = options.include ?? ((p: string) => manifestKind(p) !== undefined);
  const within = options.paths?.map((p) => resolve(cwd, p));
  const inScope = (absolutePath: string): boolean =>
    within === undefined ||
    within.some((dir) => {
      const rel = relative(dir, absolutePath);
      return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
    });

  const entries = (await stagedEntries(root, options)).filter((e) => {
    const absolutePath = join(root, e.path);
    return include(absolutePath) && inScope(absolutePath);
  });
  const read = await readStagedFiles(root, entries, options);

  const files: ResolvedFile[] = [];
  const contents = new Map<string, FileContent>();
  const skipped: ReportFile[] = [];
  for (const [path, content] of read) {
    const absolutePath = join(root, path);
    const shown = displayPath(absolutePath, cwd);
    if ('skipped' in content) skipped.push({ path: shown, findings: [], skipped: content.skipped });
    else {
      files.push({ path: shown, absolutePath, explicit: false });
      contents.set(absolutePath, content);
    }
  }
  const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return { root, files: files.sort(byPath), contents, skipped: skipped.sort(byPath) };
}

/**
 * How the hook reads the platform configs that apply to `files` (every `.paved-road.yaml`
 * from their folders up to `root`): from the index, as the files themselves, never from the
 * working tree. A config staged as a symbolic link, a binary or an unmerged file is not
 * followed: reading it throws with the reason (a finding on the config).
 */
export async function stagedConfigReader(root: string, files: readonly ResolvedFile[], options: ReadStagedOptions = {}): Promise<ConfigReader> {
  const candidates = new Set<string>();
  for (const file of files) {
    for (let dir = dirname(file.absolutePath); ; dir = dirname(dir)) {
      const rel = relative(root, dir);
      if (rel.startsWith('..') || isAbsolute(rel)) break;
      for (const name of CONFIG_FILE_NAMES) candidates.add(toPosix(join(rel, name)));
      if (rel === '') break;
    }
  }
  const read = await readStagedFiles(root, [...candidates], options);
  return (absolutePath) => {
    const content = read.get(toPosix(relative(root, absolutePath)));
    if (content === undefined || ('skipped' in content && content.skipped === SKIPPED_NOT_STAGED)) return undefined;
    if ('skipped' in content) throw new Error(`staged as ${content.skipped.replace(/; not checked$/, '')}`);
    if (!content.ok) throw new Error(content.finding.message.replace(/\.$/, ''));
    return content.text;
  };
}
