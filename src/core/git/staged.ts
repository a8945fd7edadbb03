/**
 * What is about to be committed: the files staged in the index and their staged
 * content (the index blobs, not the working tree, which may hold something else).
 * Read only: neither the working tree nor the index is ever written.
 *
 * Inside a pre-commit hook git names the index to check in `GIT_INDEX_FILE`
 * (`git commit <path>` and `git commit -a` use a temporary one), so the
 * environment is passed through to git.
 */
import { spawn } from 'node:child_process';
import type { Finding } from '../findings';
import { BINARY_SNIFF_BYTES, decodeUtf8, nonTextFinding } from '../files/read';
import type { FileContent } from '../files/read';
import { DEFAULT_LIMITS, tooLargeFinding } from '../manifest';
import type { GitOptions } from './run';
import { GitError, failure, git, gitEnv, spawnGit, startError } from './run';

/** One path staged for commit, as `git diff --cached --raw` lists it. */
export interface StagedEntry {
  /** Relative to the top of the work tree, `/`-separated. */
  path: string;
  /** Git file mode: `100644`, `100755` (files), `120000` (symbolic link), `160000` (submodule). */
  mode: string;
  /** The staged blob's object id. */
  oid: string;
  /** `A` added (renamed and copied files are listed as added at their new path), `M` modified, `T` type changed. */
  status: 'A' | 'M' | 'T';
}

/**
 * A staged file's content: its text, a finding when it is not text Paved Road can
 * read (UTF-16, invalid UTF-8, too large: the same findings as for a file on disk),
 * or `skipped` with a note (a binary blob, a symbolic link, a submodule, not in the index).
 */
export type StagedContent = FileContent | { ok: false; skipped: string };

export interface ReadStagedOptions extends GitOptions {
  /** Largest blob read whole, in bytes (a larger one gets a `file/too-large` finding). Default: `DEFAULT_LIMITS.maxBytes`. */
  maxBytes?: number;
}

export const SKIPPED_BINARY = 'binary (it contains NUL bytes); not checked';
export const SKIPPED_SYMLINK = 'a symbolic link; not checked';
export const SKIPPED_SUBMODULE = 'a submodule; not checked';
export const SKIPPED_NOT_STAGED = 'not in the index; not checked';
export const SKIPPED_UNMERGED = 'unmerged (resolve the conflict and stage the file); not checked';

/**
 * The files staged for commit: added, copied, modified, renamed (at the new path) or
 * changed type, not deleted, in git's order. Compared with `HEAD`, or with nothing
 * before the first commit. `repoRoot` is a directory of the work tree (paths are
 * relative to its top level whatever the directory).
 */
export async function stagedEntries(repoRoot: string, options: GitOptions = {}): Promise<StagedEntry[]> {
  const env = gitEnv(options.env);
  const tree = await headTree(repoRoot, env);
  // `git diff --cached --name-only -z --diff-filter=ACMR` as plumbing: `diff-index` reads no diff
  // configuration (diff.relative, diff.external, colours…) and never falls back to --no-index.
  // --no-renames: a renamed or copied file is its new path, as added (whatever diff.renames says), so
  // --diff-filter=ACMRT means "everything but deletions"; --no-abbrev: full object ids; -z: paths verbatim.
  const out = await git(['diff-index', '--cached', '-z', '--no-abbrev', '--no-renames', '--diff-filter=ACMRT', tree, '--'], repoRoot, env);
  return parseRawDiff(out);
}

/** `HEAD`'s commit id, or before the first commit the empty tree's id. */
async function headTree(cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const args = ['rev-parse', '-q', '--verify', 'HEAD^{commit}'];
  const head = await spawnGit(args, cwd, env);
  if (head.code === 0) return head.stdout.toString('utf8').trim();
  if (head.code !== 1) throw failure(args, cwd, head.code, head.stderr);
  // an unborn branch: compare with the empty tree (its id depends on the repository's hash function)
  const empty = await git(['hash-object', '-t', 'tree', '--stdin'], cwd, env, '');
  return empty.toString('utf8').trim();
}

/** The paths staged for commit (see `stagedEntries`), relative to the top of the work tree. */
export async function stagedFiles(repoRoot: string, options: GitOptions = {}): Promise<string[]> {
  return (await stagedEntries(repoRoot, options)).map((e) => e.path);
}

/** Parses `git diff-index -z --no-renames` (raw) output: `:<mode> <mode> <oid> <oid> <status>\0<path>\0`… */
export function parseRawDiff(out: Buffer): StagedEntry[] {
  const fields = out.toString('utf8').split('\0');
  const entries: StagedEntry[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const meta = fields[i] as string;
    const path = fields[i + 1] as string;
    const match = /^:\d+ (\d+) [0-9a-f]+ ([0-9a-f]+) ([A-Z])\d*$/.exec(meta);
    if (!match) throw new GitError(`unexpected 'git diff --raw' output: ${JSON.stringify(meta)}`);
    const [, mode, oid, status] = match as unknown as [string, string, string, string];
    if (status !== 'A' && status !== 'M' && status !== 'T') continue;
    entries.push({ path, mode, oid, status });
  }
  return entries;
}

/** The staged content of one file (`path` relative to the top of the work tree). */
export async function readStaged(repoRoot: string, path: string, options: ReadStagedOptions = {}): Promise<StagedContent> {
  const contents = await readStagedFiles(repoRoot, [path], options);
  return contents.get(path) ?? { ok: false, skipped: SKIPPED_NOT_STAGED };
}

/**
 * The staged content of many files with one `git cat-file --batch` (plus, for paths
 * given as strings, `git ls-files --stage` to find their blobs). Keyed by path, in the
 * order given. Entries from `stagedEntries` need no lookup: pass them when you have them.
 */
export async function readStagedFiles(
  repoRoot: string,
  files: readonly (string | StagedEntry)[],
  options: ReadStagedOptions = {},
): Promise<Map<string, StagedContent>> {
  const maxBytes = options.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  const env = gitEnv(options.env);
  const paths = files.filter((f): f is string => typeof f === 'string');
  const looked = paths.length > 0 ? await indexEntries(repoRoot, paths, env) : new Map<string, IndexEntry>();

  const result = new Map<string, StagedContent>();
  const wanted: { path: string; oid: string }[] = [];
  for (const file of files) {
    const entry: IndexEntry | undefined = typeof file === 'string' ? looked.get(file) : file;
    const path = typeof file === 'string' ? file : file.path;
    if (result.has(path)) continue;
    if (entry === undefined) result.set(path, { ok: false, skipped: SKIPPED_NOT_STAGED });
    else if (entry.stage !== undefined && entry.stage !== 0) result.set(path, { ok: false, skipped: SKIPPED_UNMERGED });
    else if (entry.mode === '120000') result.set(path, { ok: false, skipped: SKIPPED_SYMLINK });
    else if (entry.mode === '160000') result.set(path, { ok: false, skipped: SKIPPED_SUBMODULE });
    else {
      result.set(path, { ok: false, skipped: SKIPPED_NOT_STAGED }); // placeholder, keeps the order
      wanted.push({ path, oid: entry.oid });
    }
  }
  const blobs = await catFileBatch(repoRoot, env, wanted.map((w) => w.oid), maxBytes);
  wanted.forEach((w, i) => {
    const blob = blobs[i];
    result.set(w.path, blob === undefined ? { ok: false, skipped: SKIPPED_NOT_STAGED } : blobContent(blob, maxBytes));
  });
  return result;
}

interface IndexEntry {
  mode: string;
  oid: string;
  /** 0 normally; 1–3 for the sides of a conflict. */
  stage?: number;
}

/** Stays well under the command-line length limits (32 KB on Windows). */
const MAX_PATHSPEC_CHARS = 16 * 1024;

/** Index entries for `paths` (`git ls-files --stage`, literal pathspecs, in chunks). */
async function indexEntries(cwd: string, paths: readonly string[], env: NodeJS.ProcessEnv): Promise<Map<string, IndexEntry>> {
  // literal pathspecs: a path is a path, not a glob (and no other global pathspec mode may be set with it)
  const literal = { ...env, GIT_LITERAL_PATHSPECS: '1', GIT_GLOB_PATHSPECS: undefined, GIT_NOGLOB_PATHSPECS: undefined, GIT_ICASE_PATHSPECS: undefined };
  const wanted = new Set(paths);
  const found = new Map<string, IndexEntry>();
  for (const chunk of chunks(paths.filter((p) => p !== ''), MAX_PATHSPEC_CHARS)) {
    const out = await git(['ls-files', '--stage', '-z', '--', ...chunk], cwd, literal);
    for (const record of out.toString('utf8').split('\0')) {
      const match = /^(\d+) ([0-9a-f]+) (\d)\t([\s\S]*)$/.exec(record);
      if (!match) continue;
      const [, mode, oid, stage, path] = match as unknown as [string, string, string, string, string];
      if (!wanted.has(path)) continue; // a directory pathspec also lists what is under it
      const prev = found.get(path);
      if (prev === undefined || Number(stage) === 0) found.set(path, { mode, oid, stage: Number(stage) });
    }
  }
  return found;
}

function* chunks(items: readonly string[], maxChars: number): Generator<string[]> {
  let chunk: string[] = [];
  let size = 0;
  for (const item of items) {
    if (chunk.length > 0 && size + item.length + 1 > maxChars) {
      yield chunk;
      chunk = [];
      size = 0;
    }
    chunk.push(item);
    size += item.length + 1;
  }
  if (chunk.length > 0) yield chunk;
}

/** A blob as read: whole when at most `maxBytes`, otherwise only its first bytes (to tell binary from text). */
interface Blob {
  size: number;
  bytes: Buffer;
}

function blobContent(blob: Blob, maxBytes: number): StagedContent {
  const head = blob.bytes.subarray(0, BINARY_SNIFF_BYTES);
  const notText: Finding | undefined = nonTextFinding(head);
  if (notText?.ruleId === 'file/binary') return { ok: false, skipped: SKIPPED_BINARY };
  if (notText) return { ok: false, finding: notText };
  if (blob.size > maxBytes) return { ok: false, finding: tooLargeFinding(blob.size, maxBytes) };
  return decodeUtf8(blob.bytes);
}

/**
 * `git cat-file --batch`: one process for all blobs. The output is parsed as it
 * streams, so a blob over `maxBytes` is never held whole. Resolves to one entry per
 * oid (undefined for a missing object).
 */
function catFileBatch(cwd: string, env: NodeJS.ProcessEnv, oids: readonly string[], maxBytes: number): Promise<(Blob | undefined)[]> {
  if (oids.length === 0) return Promise.resolve([]);
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd, env, windowsHide: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const results: (Blob | undefined)[] = [];
    const stderr: Buffer[] = [];
    let pending: Buffer = Buffer.alloc(0);
    // the object being read: its size, the bytes kept, how many of its bytes have gone by
    let current: { size: number; kept: Buffer[]; keptBytes: number; seen: number; keep: number } | undefined;
    let broken: GitError | undefined;

    const parse = (): void => {
      for (;;) {
        if (current === undefined) {
          const eol = pending.indexOf(0x0a);
          if (eol < 0) return;
          const header = pending.subarray(0, eol).toString('utf8');
          pending = pending.subarray(eol + 1);
          const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
          if (match) {
            const size = Number(match[2]);
            current = { size, kept: [], keptBytes: 0, seen: 0, keep: size <= maxBytes ? size : Math.min(size, BINARY_SNIFF_BYTES) };
          } else if (/ missing$| ambiguous$/.test(header)) {
            results.push(undefined);
          } else {
            broken ??= new GitError(`unexpected 'git cat-file --batch' output: ${JSON.stringify(header)}`);
            return;
          }
          continue;
        }
        const body = current;
        // body bytes, then one LF
        const want = body.size - body.seen;
        const take = Math.min(want, pending.length);
        if (take > 0) {
          const keepNow = Math.max(0, Math.min(take, body.keep - body.keptBytes));
          if (keepNow > 0) {
            body.kept.push(pending.subarray(0, keepNow));
            body.keptBytes += keepNow;
          }
          body.seen += take;
          pending = pending.subarray(take);
        }
        if (body.seen < body.size || pending.length === 0) return;
        pending = pending.subarray(1); // the LF after the content
        results.push({ size: body.size, bytes: Buffer.concat(body.kept) });
        current = undefined;
      }
    };

    child.stdout.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      parse();
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => reject(startError(error, cwd)));
    child.on('close', (code) => {
      if (code !== 0) return reject(failure(['cat-file'], cwd, code ?? 1, Buffer.concat(stderr).toString('utf8')));
      if (broken) return reject(broken);
      if (results.length !== oids.length) return reject(new GitError(`'git cat-file --batch' returned ${results.length} objects for ${oids.length}`));
      resolvePromise(results);
    });
    child.stdin.on('error', () => undefined); // git exited early: its exit code says why
    child.stdin.end(oids.map((oid) => `${oid}\n`).join(''));
  });
}
