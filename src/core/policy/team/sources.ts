/**
 * Where a team's policies come from (`policies.sources` in `.paved-road.yaml`):
 * local files and folders, git repositories (shallow-fetched into a cache) and
 * https URLs (fetched with a timeout and cached). Sources are read only in
 * trusted workspaces (an untrusted one runs the built-in rules); a cached copy is used when the network is not there,
 * and said so. Every problem is a finding on the config file, at its source.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve, isAbsolute, sep } from 'node:path';
import type { Finding, PathSegment, Severity } from '../../findings';
import type { Source } from '../../config';
import type { ConfigLocation } from '../../validate/context';
import { describeFsError } from '../../files/paths';
import { FileTooLargeError, readTextFileSync } from '../../files/regular';
import { policyDocuments } from '../engine';
import type { PolicyFile } from './index';
import { POLICY_PROBLEM } from './types';

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
        unread.push(`\`${relative(path, p) || p}\` ${why} and was not read`);
      }
    }
  }
  return { files, unread };
}

/** Whether `child` is `parent` or inside it. */
function inside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function run(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<string> {
  return new Promise((done, fail) => {
    execFile(
      cmd,
      args,
      {
        cwd,
        timeout: timeoutMs,
        maxBuffer: 4 * 1024 * 1024,
        // never wait for a password prompt: fail and say so
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes', GCM_INTERACTIVE: 'never' },
      },
      (err, stdout, stderr) => {
        if (err) {
          const killed = (err as { killed?: boolean }).killed;
          const why = killed ? `timed out after ${Math.round(timeoutMs / 1000)} s` : (stderr.trim().split('\n').pop() ?? err.message);
          fail(new Error(why));
        } else done(stdout);
      },
    );
  });
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

/** A shallow clone of `url` at `ref` in the cache; reused while fresh. Returns the checkout folder. */
export async function fetchGit(url: string, ref: string | undefined, options: SourceOptions): Promise<{ dir: string; note?: string }> {
  const dir = join(options.cacheDir, 'git', keyOf(`${url}#${ref ?? ''}`));
  // the checkout lives one level down, so the metadata file never shows among the policies
  const work = join(dir, 'checkout');
  const meta = readMeta(dir);
  const now = options.now?.() ?? Date.now();
  const fresh = meta && now - meta.fetchedAt < (options.maxAgeMs ?? 3_600_000);
  if (meta && existsSync(work) && (options.offline || (fresh && !options.refresh))) return { dir: work };
  if (options.offline) throw new Error('not in the cache, and --offline was given');
  try {
    mkdirSync(dir, { recursive: true });
    if (!existsSync(join(work, '.git'))) {
      rmSync(work, { recursive: true, force: true });
      mkdirSync(work, { recursive: true });
      await run('git', ['init', '-q'], work, 10_000);
    }
    const timeout = options.timeoutMs ?? 60_000;
    // fetch by ref works for branches, tags and (on hosts that allow it) commits
    await run('git', ['fetch', '-q', '--depth', '1', '--no-tags', url, ref ?? 'HEAD'], work, timeout);
    await run('git', ['checkout', '-q', '--force', '--detach', 'FETCH_HEAD'], work, 10_000);
    await run('git', ['clean', '-q', '-fdx'], work, 10_000);
    const commit = (await run('git', ['rev-parse', 'HEAD'], work, 10_000)).trim();
    writeFileSync(join(dir, '.paved-road-source.json'), JSON.stringify({ source: `${url}#${ref ?? ''}`, fetchedAt: now, commit } satisfies CacheMeta));
    return { dir: work };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    if (meta && existsSync(join(work, '.git'))) return { dir: work, note: `could not update (${why}); using the copy fetched ${ago(now - meta.fetchedAt)}` };
    throw new Error(why);
  }
}

async function defaultFetch(url: string, timeoutMs: number): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const text = await res.text();
  if (Buffer.byteLength(text) > MAX_BYTES) throw new Error('larger than 2 MB');
  return text;
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
    writeFileSync(path, text);
    writeFileSync(join(dir, '.paved-road-source.json'), JSON.stringify({ source: url, fetchedAt: now } satisfies CacheMeta));
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
  await Promise.all(
    sources.map(async (source, i) => {
      if ('url' in source) {
        if (!options.trusted) return say(i, 'url', 'info', 'Not fetched: this workspace is not trusted (policies from URLs are read in trusted workspaces only).');
        try {
          const got = await fetchUrl(source.url, options);
          if (got.note) say(i, 'url', 'warning', `${source.url}: ${got.note}.`);
          const read = readPolicyFiles(got.path);
          for (const why of read.unread) say(i, 'url', 'warning', `${source.url}: ${why}; its policies do not run.`);
          for (const f of read.files) {
            out.files.push(f);
            out.origins.set(f.path, { label: source.url, range: at(i) });
          }
        } catch (err) {
          say(i, 'url', 'error', `Policies from ${source.url} could not be fetched: ${err instanceof Error ? err.message : String(err)}. Its rules do not run.`);
        }
        return;
      }
      if ('git' in source) {
        if (!options.trusted) return say(i, 'git', 'info', 'Not fetched: this workspace is not trusted (policies from git are read in trusted workspaces only).');
        try {
          const got = await fetchGit(source.git, source.ref, options);
          if (got.note) say(i, 'git', 'warning', `${source.git}: ${got.note}.`);
          const target = resolve(got.dir, source.path ?? '.');
          if (!inside(got.dir, target)) return say(i, 'path', 'error', `\`${source.path}\` leaves the repository: policies are read only from inside it.`);
          if (!existsSync(target)) return say(i, 'path', 'error', `\`${source.path}\` is not in ${source.git}${source.ref ? ` at ${source.ref}` : ''}.`);
          const read = readPolicyFiles(target);
          for (const why of read.unread) say(i, 'path', 'warning', `${source.git}: ${why}; its policies do not run.`);
          for (const f of read.files) {
            out.files.push(f);
            out.origins.set(f.path, { label: `${source.git}${source.ref ? `@${source.ref}` : ''}:${relative(got.dir, f.path).split(sep).join('/')}`, range: at(i) });
          }
        } catch (err) {
          say(i, 'git', 'error', `Policies from ${source.git} could not be fetched: ${err instanceof Error ? err.message : String(err)}. Its rules do not run.`);
        }
        return;
      }
      if (!options.trusted) return say(i, 'path', 'info', 'Not read: this workspace is not trusted (team policies run in trusted workspaces only; the built-in rules still run).');
      const target = resolve(base, source.path);
      if (!existsSync(target)) return say(i, 'path', 'error', `\`${source.path}\` does not exist: its policies do not run.`);
      try {
        const read = readPolicyFiles(target, options.textOf);
        for (const why of read.unread) say(i, 'path', 'warning', `${why}; its policies do not run.`);
        if (read.files.length === 0 && read.unread.length === 0) say(i, 'path', 'warning', `\`${source.path}\` holds no YAML file.`);
        out.files.push(...read.files);
      } catch (err) {
        say(i, 'path', 'error', `\`${source.path}\` could not be read: ${err instanceof Error ? err.message : String(err)}.`);
      }
    }),
  );
  // one order whatever finished first
  out.files.sort((a, b) => a.path.localeCompare(b.path));
  return out;
}
