/**
 * Where a team's policies come from (`policies.sources` in `.paved-road.yaml`):
 * local files and folders, git repositories (shallow-fetched into a cache) and
 * https URLs (fetched with a timeout and cached). Sources are read only in
 * trusted workspaces (an untrusted one runs the built-in rules); a cached copy is used when the network is not there,
 * and said so. Every problem is a finding on the config file, at its source.
 */
import { writeAtomically } from '../../files/atomic';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Finding, PathSegment, Severity } from '../../findings';
import type { Source } from '../../config';
import type { ConfigLocation } from '../../validate/context';
import { describeFsError } from '../../files/paths';
import { FileTooLargeError, readTextFileSync } from '../../files/regular';
import { policyDocuments } from '../engine';
import type { PolicyFile } from './index';
import { POLICY_PROBLEM } from './types';
import { fetchGitSource, gitRefProblem, gitUrlProblem } from '../../sources/git';
import { containedPath, repositoryRoot } from '../../files/contain';
import { displayText } from '../../util/text';
import { fetchCapped } from '../../sources/http';

export interface SourceOptions {
  /** Remote sources (git, https) are fetched only in a trusted workspace. */
  trusted: boolean;
  /** Where clones and downloads are kept. */
  cacheDir: string;
  /** Use only what is in the cache. */
  offline?: boolean;
  /** Fetch again even when the cached copy is fresh. */
  refresh?: boolean;
  /** How long a fetched copy is used without asking the network again (default one hour). */
  maxAgeMs?: number;
  /** Time limit of one fetch (default 60 s for git, 15 s for https). */
  timeoutMs?: number;
  /**
   * Whether git and https sources may be fetched (default: `trusted`). The CLI, the hook and
   * the Action fetch the remote sources a repository names only when the user allowed it
   * outside the repository (--allow-remote-sources, PAVED_ROAD_ALLOW_REMOTE_SOURCES=1, or the
   * user config); `remoteDenied` then says how, on each source skipped.
   */
  allowRemote?: boolean;
  remoteDenied?: string;
  /**
   * The folder a config belongs to when it is in no git repository (the workspace folder, the
   * CLI's working directory): local sources must stay inside the repository, or else inside it.
   */
  rootOf?: (configPath: string) => string | undefined;
  /** For tests: the https fetcher. */
  fetchText?: (url: string, timeoutMs: number) => Promise<string>;
  now?: () => number;
  /** Texts of local files that differ from disk (open editor buffers). */
  textOf?: (path: string) => string | undefined;
}

export interface ResolvedSources {
  files: PolicyFile[];
  /** Problems with the sources, on the config file. */
  problems: Finding[];
  /** For files of remote sources: the cached path → where it came from (URL, and the path in the repository) and the range of its source entry in the config. */
  origins: Map<string, { label: string; range: Finding['range'] }>;
}

/** Default cache folder of the CLI (the extension uses its global storage). */
export function defaultPolicyCacheDir(): string {
  return process.env.PAVED_ROAD_POLICY_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'paved-road', 'policies');
}

const YAML_FILE = /\.ya?ml$/i;
const SKIP_DIRS = new Set(['.git', 'node_modules']);
const MAX_FILES = 500;
const MAX_BYTES = 2 * 1024 * 1024;

/** The YAML files of a file or folder (recursively, sorted), at most MAX_FILES (`capped` says when there were more). */
function yamlFilesUnder(path: string): { paths: string[]; capped: boolean } {
  const st = statSync(path);
  if (st.isFile()) return { paths: [path], capped: false };
  const out: string[] = [];
  let capped = false;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, entry.name);
      if (entry.isDirectory() && !SKIP_DIRS.has(entry.name)) walk(p);
      else if (entry.isFile() && YAML_FILE.test(entry.name)) {
        if (out.length >= MAX_FILES) capped = true;
        else out.push(p);
      }
      if (capped) return;
    }
  };
  walk(path);
  return { paths: out, capped };
}

/** The policy files of a source, and what was left unread (said on the source: a policy not read must not pass in silence). */
function readPolicyFiles(path: string, textOf?: (path: string) => string | undefined): { files: PolicyFile[]; unread: string[] } {
  const { paths, capped } = yamlFilesUnder(path);
  const files: PolicyFile[] = [];
  const unread: string[] = capped ? [`more than ${MAX_FILES} YAML files: only the first ${MAX_FILES} (in path order) were read`] : [];
  for (const p of paths) {
    const open = textOf?.(p);
    if (open !== undefined) files.push({ path: p, text: open });
    else {
      try {
        files.push({ path: p, text: readTextFileSync(p, MAX_BYTES) });
      } catch (err) {
        const why = err instanceof FileTooLargeError ? 'is larger than 2 MB' : `cannot be read (${describeFsError(err)})`;
        unread.push(`'${relative(path, p) || p}' ${why} and was not read`);
      }
    }
  }
  return { files, unread };
}

interface CacheMeta {
  source: string;
  fetchedAt: number;
  commit?: string;
}

function readMeta(dir: string): CacheMeta | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, '.paved-road-source.json'), 'utf8')) as CacheMeta;
  } catch {
    return undefined;
  }
}


function keyOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function ago(ms: number): string {
  const min = Math.round(ms / 60_000);
  return min < 60 ? `${min} min ago` : min < 48 * 60 ? `${Math.round(min / 60)} h ago` : `${Math.round(min / 1440)} days ago`;
}

/** A shallow clone of `url` at `ref` in the cache; reused while fresh. Returns the work tree (see src/core/sources/git.ts). */
export function fetchGit(url: string, ref: string | undefined, options: SourceOptions): Promise<{ dir: string; note?: string }> {
  return fetchGitSource(url, ref, keyOf(`${url}#${ref ?? ''}`), options);
}

function defaultFetch(url: string, timeoutMs: number): Promise<string> {
  return fetchCapped(url, { timeoutMs, maxBytes: MAX_BYTES });
}

/** An https policy file in the cache; reused while fresh. */
export async function fetchUrl(url: string, options: SourceOptions): Promise<{ path: string; note?: string }> {
  const dir = join(options.cacheDir, 'url', keyOf(url));
  const name = (/[^/?#]+\.ya?ml(?=$|[?#])/i.exec(new URL(url).pathname)?.[0] ?? 'policy.yaml').replace(/[^\w.-]/g, '_');
  const path = join(dir, name);
  const meta = readMeta(dir);
  const now = options.now?.() ?? Date.now();
  const fresh = meta && now - meta.fetchedAt < (options.maxAgeMs ?? 3_600_000);
  if (meta && existsSync(path) && (options.offline || (fresh && !options.refresh))) return { path };
  if (options.offline) throw new Error('not in the cache, and --offline was given');
  try {
    const text = await (options.fetchText ?? defaultFetch)(url, options.timeoutMs ?? 15_000);
    mkdirSync(dir, { recursive: true });
    // by rename: a run reading the cache meanwhile sees the old copy or the new one, never half of one
    writeAtomically(path, text);
    writeAtomically(join(dir, '.paved-road-source.json'), JSON.stringify({ source: url, fetchedAt: now } satisfies CacheMeta));
    return { path };
  } catch (err) {
    const why = err instanceof Error ? (err.name === 'TimeoutError' ? 'timed out' : err.message) : String(err);
    if (meta && existsSync(path)) return { path, note: `could not update (${why}); using the copy fetched ${ago(now - meta.fetchedAt)}` };
    throw new Error(why);
  }
}

/** The local folders and files a config reads policies from (to know which edits change them). */
export function localSourcePaths(config: ConfigLocation): string[] {
  const base = dirname(config.path);
  return (config.config.policies?.sources ?? []).flatMap((s) => ('git' in s || 'url' in s ? [] : [resolve(base, s.path)]));
}

/** The sources of one config, read: policy files, and problems on the config file. */
export async function resolvePolicySources(config: ConfigLocation, configText: string, options: SourceOptions): Promise<ResolvedSources> {
  const sources: readonly Source[] = config.config.policies?.sources ?? [];
  const out: ResolvedSources = { files: [], problems: [], origins: new Map() };
  if (sources.length === 0) return out;
  const base = dirname(config.path);
  const doc = policyDocuments(config.path, configText)[0];
  const at = (i: number, key?: string): Finding['range'] => {
    const path: PathSegment[] = ['policies', 'sources', i, ...(key ? [key] : [])];
    return doc ? doc.locate(path, key ? 'value' : 'key') : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  };
  const say = (i: number, key: string | undefined, severity: Severity, message: string): void => {
    out.problems.push({ ruleId: POLICY_PROBLEM.source, severity, message, range: at(i, key) });
  };
  const repo = repositoryRoot(config.path, options.rootOf?.(config.path));
  const allowRemote = options.allowRemote ?? options.trusted;
  const denied = options.remoteDenied ?? 'remote sources are not allowed here';
  await Promise.all(
    sources.map(async (source, i) => {
      if ('url' in source) {
        const shown = displayText(source.url, 200);
        if (!options.trusted) return say(i, 'url', 'info', 'Not fetched: this workspace is not trusted (policies from URLs are read in trusted workspaces only).');
        if (!allowRemote) return say(i, 'url', 'warning', `Not fetched: ${denied}. The policies of ${shown} do not run.`);
        try {
          const got = await fetchUrl(source.url, options);
          if (got.note) say(i, 'url', 'warning', `${shown}: ${got.note}.`);
          const read = readPolicyFiles(got.path);
          for (const why of read.unread) say(i, 'url', 'warning', `${shown}: ${why}; its policies do not run.`);
          for (const f of read.files) {
            out.files.push(f);
            out.origins.set(f.path, { label: shown, range: at(i) });
          }
        } catch (err) {
          say(i, 'url', 'error', `Policies from ${shown} could not be fetched: ${err instanceof Error ? err.message : String(err)}. Its rules do not run.`);
        }
        return;
      }
      if ('git' in source) {
        const shown = displayText(source.git, 200);
        if (!options.trusted) return say(i, 'git', 'info', 'Not fetched: this workspace is not trusted (policies from git are read in trusted workspaces only).');
        // refused before anything runs, whatever else is allowed: a ref is never an option, a URL never a local path
        const refused = gitUrlProblem(source.git);
        if (refused) return say(i, 'git', 'error', `This git source is refused: ${refused}. Its rules do not run.`);
        const badRef = source.ref === undefined ? undefined : gitRefProblem(source.ref);
        if (badRef) return say(i, 'ref', 'error', `This ref is refused: ${badRef}. The rules of ${shown} do not run.`);
        if (!allowRemote) return say(i, 'git', 'warning', `Not fetched: ${denied}. The policies of ${shown} do not run.`);
        try {
          const got = await fetchGit(source.git, source.ref, options);
          if (got.note) say(i, 'git', 'warning', `${shown}: ${got.note}.`);
          const where = `${shown}${source.ref ? ` at ${displayText(source.ref, 100)}` : ''}`;
          const named = displayText(source.path ?? '.', 200);
          // inside the clone, after resolving links: a committed link to /etc or to a folder outside is refused
          const target = containedPath(got.dir, got.dir, source.path ?? '.', `The path ${named}`);
          if (!target.ok) {
            if (target.why === 'missing') return say(i, 'path', 'error', `The path ${named} is not in ${where}.`);
            return say(i, 'path', 'error', `${target.message.replace('the repository', 'the repository it names')}: policies are read only from inside ${where}.`);
          }
          const read = readPolicyFiles(resolve(got.dir, source.path ?? '.'));
          for (const why of read.unread) say(i, 'path', 'warning', `${shown}: ${why}; its policies do not run.`);
          for (const f of read.files) {
            out.files.push(f);
            out.origins.set(f.path, { label: `${shown}${source.ref ? `@${displayText(source.ref, 100)}` : ''}:${relative(got.dir, f.path).split(sep).join('/')}`, range: at(i) });
          }
        } catch (err) {
          say(i, 'git', 'error', `Policies from ${shown} could not be fetched: ${err instanceof Error ? err.message : String(err)}. Its rules do not run.`);
        }
        return;
      }
      if (!options.trusted) return say(i, 'path', 'info', 'Not read: this workspace is not trusted (team policies run in trusted workspaces only; the built-in rules still run).');
      const named = displayText(source.path, 200);
      const target = containedPath(repo, base, source.path, `The path ${named}`);
      if (!target.ok) {
        if (target.why === 'missing') return say(i, 'path', 'error', `The path ${named} does not exist: its policies do not run.`);
        return say(i, 'path', 'error', `${target.message}: policies are read only from inside the repository.`);
      }
      try {
        // read by the path as written (reports and editor buffers use it); its real path was checked above
        const read = readPolicyFiles(resolve(base, source.path), options.textOf);
        for (const why of read.unread) say(i, 'path', 'warning', `${why}; its policies do not run.`);
        if (read.files.length === 0 && read.unread.length === 0) say(i, 'path', 'warning', `The path ${named} holds no YAML file.`);
        out.files.push(...read.files);
      } catch (err) {
        say(i, 'path', 'error', `The path ${named} could not be read: ${describeFsError(err)}.`);
      }
    }),
  );
  // one order whatever finished first
  out.files.sort((a, b) => a.path.localeCompare(b.path));
  return out;
}
