/** Helpers every team-policy format shares: field paths, ranges in expressions, problems, resource matching. */
import type { Finding, PathSegment, Range, Severity } from '../../findings';
import { isObject } from '../kubernetes';
import type { PolicyContext, PolicyDocument } from '../types';
import { docsNamed, selectorMatches } from '../rules/util';
import type { PolicySourceDocument } from './types';

/**
 * A field path as admission policies write it (`spec.replicas`,
 * `.spec.containers[0].image`, `metadata.labels['app.kubernetes.io/name']`),
 * or undefined when it is not one.
 */
export function parseFieldPath(text: string): PathSegment[] | undefined {
  const out: PathSegment[] = [];
  let i = 0;
  const s = text.trim();
  if (s === '' || s === '.') return [];
  while (i < s.length) {
    const c = s[i];
    if (c === '.') {
      i++;
      const m = /^[^.[\]]+/.exec(s.slice(i));
      if (!m) return undefined;
      out.push(m[0]);
      i += m[0].length;
    } else if (c === '[') {
      const rest = s.slice(i);
      const num = /^\[(\d+)\]/.exec(rest);
      const quoted = /^\[(['"])((?:(?!\1)[^\\]|\\.)*)\1\]/.exec(rest);
      if (num) {
        out.push(Number(num[1]));
        i += num[0].length;
      } else if (quoted) {
        out.push((quoted[2] ?? '').replace(/\\(.)/g, '$1'));
        i += quoted[0].length;
      } else return undefined;
    } else if (i === 0) {
      const m = /^[^.[\]]+/.exec(s);
      if (!m) return undefined;
      out.push(m[0]);
      i += m[0].length;
    } else return undefined;
  }
  return out;
}

/** The deepest prefix of `path` that exists in `value` (findings about a missing field sit on its parent). */
export function existingPrefix(value: unknown, path: readonly PathSegment[]): PathSegment[] {
  const out: PathSegment[] = [];
  let v = value;
  for (const seg of path) {
    if (typeof seg === 'number' ? Array.isArray(v) && seg < v.length : isObject(v) && seg in v) {
      v = (v as Record<string | number, unknown>)[seg];
      out.push(seg);
    } else break;
  }
  return out;
}

/**
 * The range of `offset` inside the string at `path` of a policy document: a CEL
 * error points at its column when the expression is a one-line scalar, at the
 * whole value otherwise.
 */
export function rangeInString(doc: PolicySourceDocument, path: readonly PathSegment[], offset: number | undefined, text: string): Range {
  const value = doc.locate(path, 'value');
  if (offset === undefined || value.start.line !== value.end.line) return value;
  const line = text.split('\n', value.start.line + 1)[value.start.line] ?? '';
  const quote = line[value.start.character];
  const shift = quote === '"' || quote === "'" ? 1 : 0;
  const character = Math.min(value.start.character + shift + offset, value.end.character);
  return { start: { line: value.start.line, character }, end: { line: value.start.line, character: Math.min(character + 1, Math.max(value.end.character, character)) } };
}

export function problem(
  doc: PolicySourceDocument,
  ruleId: string,
  severity: Severity,
  message: string,
  at: readonly PathSegment[] | Range,
  target: 'key' | 'value' = 'key',
): Finding {
  const range = Array.isArray(at) ? doc.locate(at as PathSegment[], target) : (at as Range);
  return { ruleId, severity, message, range };
}

/** `apps/v1` → { group: 'apps', version: 'v1' }; `v1` → the core group ''. */
export function splitApiVersion(apiVersion: string | undefined): { group: string; version: string } {
  if (!apiVersion) return { group: '', version: '' };
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

const IRREGULAR: Record<string, string> = { endpoints: 'endpoints' };

/**
 * The resource (plural, lower case) of a kind, as Kubernetes' own
 * `UnsafeGuessKindToResource` does: `Deployment` → `deployments`,
 * `NetworkPolicy` → `networkpolicies`, `Ingress` → `ingresses`.
 */
export function kindToResource(kind: string): string {
  const k = kind.toLowerCase();
  if (IRREGULAR[k]) return IRREGULAR[k];
  if (k.endsWith('s')) return `${k}es`;
  if (k.endsWith('y')) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

/** Whether labels satisfy a Kubernetes label selector; no selector, or an empty one, matches everything. */
export function matchesSelector(selector: unknown, labels: Record<string, unknown> | undefined): boolean {
  if (!isObject(selector)) return true;
  const strings: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels ?? {})) strings[k] = String(v);
  return selectorMatches(selector, strings);
}

/** `metadata.labels` of a document's value. */
export function labelsOf(value: unknown): Record<string, unknown> | undefined {
  return isObject(value) && isObject(value.metadata) && isObject(value.metadata.labels) ? value.metadata.labels : undefined;
}

/** Policy and rule names become rule ids and annotation names: lower-case DNS labels and dots. */
export function validName(name: string): boolean {
  return /^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/.test(name);
}

/** `{{ expr }}` placeholders of a message template. */
export function templateParts(template: string): ({ text: string } | { expression: string; offset: number })[] {
  const out: ({ text: string } | { expression: string; offset: number })[] = [];
  const re = /\{\{([\s\S]*?)\}\}/g;
  let last = 0;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    if (m.index > last) out.push({ text: template.slice(last, m.index) });
    out.push({ expression: (m[1] ?? '').trim(), offset: m.index + 2 });
    last = m.index + m[0].length;
  }
  if (last < template.length) out.push({ text: template.slice(last) });
  return out;
}

/** The Namespace manifest named `name` among the checked documents (an indexed lookup, so rule results stay reusable). */
function namespaceManifest(ctx: PolicyContext, name: string): PolicyDocument | undefined {
  return docsNamed(ctx, 'Namespace', name).find((d) => d.apiVersion === 'v1');
}

/**
 * A namespace as the API server shows it to admission: the Namespace manifest
 * when it is among the checked files (`known`), otherwise what every namespace
 * has — its name and the `kubernetes.io/metadata.name` label.
 */
export function namespaceView(ctx: PolicyContext, name: string): { value: Record<string, unknown>; known: boolean } {
  const manifest = namespaceManifest(ctx, name);
  const base = manifest && isObject(manifest.value) ? manifest.value : { apiVersion: 'v1', kind: 'Namespace' };
  const meta = isObject(base.metadata) ? base.metadata : {};
  const labels = isObject(meta.labels) ? meta.labels : {};
  return { value: { ...base, metadata: { ...meta, name, labels: { ...labels, 'kubernetes.io/metadata.name': name } } }, known: manifest !== undefined };
}
