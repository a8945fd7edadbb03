/**
 * Which schema validates a document — a documented precedence chain, the first
 * that answers wins:
 *  1. the modeline `# yaml-language-server: $schema=<path|url|none>` in the document (compatible with Red Hat YAML);
 *  2. `schemas:` entries of the nearest `.paved-road.yaml`, then the `pavedRoad.schemas` setting (globs → path or https URL);
 *  3. file name patterns of the built-in formats (workflows, kustomization.yaml, Chart.yaml, score.yaml, …);
 *  4. content: `apiVersion` + `kind` (Kubernetes, CRDs in the workspace, Backstage), or a format's marker field.
 * A document nothing answers for gets no schema: no guessing errors.
 */
import { dirname, isAbsolute, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { globMatcher } from '../util/glob';
import type { SchemaInfo, SchemaRegistry } from './registry';
import { modelineSchema } from './modeline';
import { containedPath, repositoryRoot } from '../files/contain';
import { displayText, shownPath } from '../util/text';

export type AssociationSource = 'modeline' | 'config' | 'setting' | 'file-name' | 'content';

/** A `schemas:` entry of a config file, or of the `pavedRoad.schemas` setting. */
export interface AssociationRule {
  /** Globs, relative to `baseDir`. */
  files: string[];
  baseDir: string;
  /** An absolute path, or an https URL. */
  schema: string;
  source: 'config' | 'setting';
  /** Where the rule was written (the config file, or "settings"). */
  origin: string;
}

/** Remote schemas: fetched with a timeout, cached on disk, offline afterwards. */
export interface RemoteSchemas {
  get(url: string): { status: 'ok'; schema: object } | { status: 'pending' } | { status: 'failed'; error: string };
}

export interface AssociationContext {
  registry: SchemaRegistry;
  rules?: readonly AssociationRule[];
  /** Absent: remote schemas are not allowed (untrusted workspace, or none configured). */
  remote?: RemoteSchemas;
  /** Why remote schemas are not fetched when `remote` is absent (default: the workspace is not trusted). */
  remoteDenied?: { severity: 'info' | 'warning'; reason: string };
  /** Root for the built-in file-name patterns (workspace folder, or the CLI's working directory). */
  root?: string;
  /**
   * False in an untrusted workspace: schemas are code (ajv compiles them; their
   * patterns run on every value), so only the bundled ones are used there, not
   * schema files, modelines or CRDs from the workspace. Default true.
   */
  workspaceSchemas?: boolean;
}

export type Association =
  | { type: 'schema'; schema: SchemaInfo; source: AssociationSource; detail: string }
  | { type: 'none' } // `$schema=none`: the user turned validation off for this document
  | { type: 'unavailable'; source: AssociationSource; message: string; severity: 'info' | 'warning' }
  | { type: 'unknown-kind'; apiVersion: string; kind: string };


const matchers = new Map<string, (path: string) => boolean>();
/** The matcher of a glob (picomatch semantics, dotfiles included), made once per glob. */
export function matcher(glob: string): (path: string) => boolean {
  let m = matchers.get(glob);
  if (!m) {
    try {
      // linear time: the globs and the paths both come from the repository
      m = globMatcher(glob, { dot: true });
    } catch {
      m = picomatch(glob, { dot: true }); // an extglob RE2 cannot run
    }
    matchers.set(glob, m);
  }
  return m;
}

function toPosix(p: string): string {
  return p.replace(/\\/g, '/');
}

/** `path` relative to `base`, or undefined when it is outside. */
function inside(base: string, path: string): string | undefined {
  // the common case without path.relative: an absolute path under a normalized base
  if (path.length > base.length + 1 && path.startsWith(base) && (path[base.length] === sep || (sep === '\\' && path[base.length] === '/')) && !base.endsWith(sep)) {
    const rest = path.slice(base.length + 1);
    const posix = toPosix(rest);
    if (!posix.includes('..') && !posix.includes('/./') && !posix.includes('//') && !posix.startsWith('./') && !posix.startsWith('/') && !posix.endsWith('/.') && posix !== '.') return posix;
  }
  const rel = relative(base, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return toPosix(rel);
}

/**
 * The schema `ref` names. `boundaryOf` is the file that names it (the document, or
 * the config of a `schemas:` entry): a local path must resolve inside its repository.
 */
function schemaFrom(ref: string, baseDir: string, ctx: AssociationContext, source: AssociationSource, where: string, boundaryOf: string): Association {
  // what messages show: workspace-relative paths, never the absolute path of the user's machine
  const origin = shownPath(where, ctx.root);
  // untrusted: the config entry itself says so (untrustedConfigNotes), not every document it names
  if (ctx.workspaceSchemas === false && source === 'config') return { type: 'none' };
  if (/^https?:\/\//i.test(ref)) {
    if (!/^https:\/\//i.test(ref)) return { type: 'unavailable', source, severity: 'warning', message: `Only https schema URLs are fetched; ${shownRef(ref, ctx.root)} (${origin}) is not.` };
    if (!ctx.remote) {
      const denied = ctx.remoteDenied ?? { severity: 'info', reason: 'remote schemas are only read in a trusted workspace' };
      return { type: 'unavailable', source, severity: denied.severity, message: `The schema ${shownRef(ref, ctx.root)} (${origin}) is not fetched: ${denied.reason}.` };
    }
    const got = ctx.remote.get(ref);
    if (got.status === 'ok') return { type: 'schema', schema: ctx.registry.fromObject(`remote:${ref}`, ref, got.schema), source, detail: origin };
    if (got.status === 'pending') return { type: 'unavailable', source, severity: 'info', message: `Fetching the schema ${shownRef(ref, ctx.root)}; the document is validated when it arrives.` };
    return { type: 'unavailable', source, severity: 'warning', message: `The schema ${shownRef(ref, ctx.root)} (${origin}) could not be fetched: ${got.error}. The document is not validated against it.` };
  }
  if (ctx.workspaceSchemas === false) {
    return { type: 'unavailable', source, severity: 'info', message: `The schema ${shownRef(ref, ctx.root)} (${origin}) is not used: schemas from the workspace are only read in a trusted workspace.` };
  }
  // a path a repository names is read only from inside it (links resolved): never /etc/shadow
  const boundary = source === 'setting' ? baseDir : repositoryRoot(boundaryOf, ctx.root);
  const contained = containedPath(boundary, baseDir, ref, `The schema ${shownRef(ref, ctx.root)} (${origin})`);
  if (!contained.ok) {
    if (contained.why === 'missing') return { type: 'unavailable', source, severity: 'warning', message: `${contained.message}; the document is not validated against it.` };
    return { type: 'unavailable', source, severity: 'warning', message: `${contained.message}: it is not read (schemas are read only from inside the repository that names them).` };
  }
  return { type: 'schema', schema: ctx.registry.fromFile(contained.path), source, detail: origin };
}

/** A schema reference as written, safe to show (control characters escaped, bounded). */
function shownRef(ref: string, root?: string): string {
  return displayText(root ? shownPath(ref, root) : ref, 200);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** What of the chain depends only on the file's path: the config or setting rule that matches it, the built-in format whose file name it has. */
interface PathMatch {
  path: string;
  rules: readonly AssociationRule[] | undefined;
  root: string | undefined;
  rule: AssociationRule | undefined;
  fileName: { name: string; fileMatch: string[] } | undefined;
}

/** The last file's path match, per registry: the documents of a file are associated one after the other. */
const lastMatch = new WeakMap<SchemaRegistry, PathMatch>();

function pathMatch(path: string, ctx: AssociationContext): PathMatch {
  const last = lastMatch.get(ctx.registry);
  if (last && last.path === path && last.rules === ctx.rules && last.root === ctx.root) return last;
  // config entries (nearest config first, as the caller orders them), then settings
  const rule = ctx.rules?.find((r) => {
    const rel = inside(r.baseDir, path);
    return rel !== undefined && r.files.some((g) => matcher(g)(rel));
  });
  // file name patterns of the built-in formats
  let fileName: PathMatch['fileName'];
  if (!rule) {
    const rel = (ctx.root && inside(ctx.root, path)) ?? toPosix(path).replace(/^\/+/, '');
    for (const entry of ctx.registry.projectSchemas()) {
      if (entry.fileMatch?.some((g) => matcher(g)(rel))) {
        fileName = { name: entry.name, fileMatch: entry.fileMatch };
        break;
      }
    }
  }
  const made = { path, rules: ctx.rules, root: ctx.root, rule, fileName };
  lastMatch.set(ctx.registry, made);
  return made;
}

/** The schema for one document of the file at `path` (absolute). */
export function associate(path: string, docText: string, value: unknown, ctx: AssociationContext): Association | undefined {
  // 1. modeline
  const ref = modelineSchema(docText);
  if (ref !== undefined) {
    if (ref === 'none') return { type: 'none' };
    return schemaFrom(ref, dirname(path), ctx, 'modeline', 'the yaml-language-server modeline', path);
  }
  const match = pathMatch(path, ctx);
  // 2. config entries, then settings
  if (match.rule) return schemaFrom(match.rule.schema, match.rule.baseDir, ctx, match.rule.source, match.rule.origin, match.rule.source === 'config' ? match.rule.origin : match.rule.baseDir);
  // 3. file name patterns of the built-in formats
  if (match.fileName) {
    const schema = ctx.registry.project(match.fileName.name);
    if (schema) return { type: 'schema', schema, source: 'file-name', detail: match.fileName.fileMatch.join(', ') };
  }
  const obj = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  if (!obj) return undefined;
  // 4. content
  const apiVersion = str(obj.apiVersion);
  const kind = str(obj.kind);
  if (apiVersion && kind) {
    const schema = ctx.registry.forKind(apiVersion, kind);
    if (schema) return { type: 'schema', schema, source: 'content', detail: `apiVersion ${apiVersion}, kind ${kind}` };
  }
  for (const entry of ctx.registry.projectSchemas()) {
    const hit = entry.content?.some((rule) =>
      Object.entries(rule.match).every(([field, want]) => {
        const got = str(obj[field]);
        return got !== undefined && (Array.isArray(want) ? want.includes(got) : want === got);
      }),
    );
    if (hit) {
      const schema = ctx.registry.project(entry.name);
      if (schema) return { type: 'schema', schema, source: 'content', detail: entry.title ?? entry.name };
    }
  }
  if (apiVersion && kind) return { type: 'unknown-kind', apiVersion, kind };
  return undefined;
}
