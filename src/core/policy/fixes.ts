/**
 * Quick fixes for policy findings, as text edits on the document of the
 * finding: harden a container's security context, add placeholder resources
 * or probe skeletons, and exempt a resource with a reason. Edits keep the
 * user's indentation width, sequence style, comments and key order (new keys
 * go after the existing ones). Only block-style YAML is edited: a fix that
 * would have to change a flow mapping, an anchored node, a merge key or a
 * multi-line flow collection is not offered, and neither is one that would
 * not clear its finding (each is checked by running the rule on the fixed
 * document). No editor API; never throws.
 */
import type { Node, Pair, YAMLMap, YAMLSeq } from 'yaml';
import type { Finding, PathSegment } from '../findings';
import { isMap, isScalar, isSeq, keyString, locatePath, parseYaml } from '../editing/ast';
import { indentUnit, LineIndex, renderKey, renderScalar } from '../editing/text';
import type { QuickFix } from '../editing/types';
import { splitDocuments } from '../manifest';
import type { DocumentSlice } from '../manifest';
import { checkPolicies, exemptionKeys, policyDocuments } from './engine';
import { get, isObject, POD_SPEC_PATHS } from './kubernetes';
import type { Json } from './kubernetes';
import { BUILTIN_RULES } from './rules';
import type { Rule } from './types';

/** What a fix needs to know about the rule behind a finding. */
export type FixRule = Pick<Rule, 'id'> & Partial<Pick<Rule, 'exemptionNames'>>;

/** Placeholder values of the resources fix (requests at or below limits). */
export const PLACEHOLDER_RESOURCES = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '500m', memory: '256Mi' },
} as const;

/** Port of the probe skeletons when the container declares none. */
export const PLACEHOLDER_PORT = 8080;
export const PROBE_PATH = '/healthz';

// ---------------------------------------------------------------- what to write

/** A string written double-quoted whatever its content (an exemption reason). */
class Quoted {
  constructor(readonly text: string) {}
}
/** Items added to a list (the list is created when missing). */
class Append {
  constructor(readonly items: readonly string[]) {}
}
type Leaf = string | number | boolean | Quoted;
/** The keys to set under a mapping: scalars replace existing scalars, trees are merged into existing block mappings. */
interface Tree {
  readonly [key: string]: Leaf | Append | Tree;
}

function isTree(v: Leaf | Append | Tree): v is Tree {
  return typeof v === 'object' && !(v instanceof Quoted) && !(v instanceof Append);
}

function leafText(v: Leaf): string {
  return v instanceof Quoted ? JSON.stringify(v.text) : renderScalar(v);
}

// ---------------------------------------------------------------- the document of the finding

interface Style {
  /** Indentation step of a nested mapping. */
  unit: number;
  /** Column of a block sequence's dashes relative to its key (0: `key:\n- a`, 2: `key:\n  - a`). */
  seqIndent: number;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

interface Doc {
  slice: DocumentSlice;
  text: string;
  lines: LineIndex;
  root: YAMLMap;
  value: Json;
  style: Style;
}

/** The documents of the last file asked about: the editor asks for the fixes of many findings of one text in a row. */
let lastSplit: { text: string; slices: DocumentSlice[] } | undefined;

/** The document of a file that holds a finding (the one its range starts in). */
function sliceAt(text: string, line: number): { slice: DocumentSlice; next?: DocumentSlice } | undefined {
  if (lastSplit?.text !== text) lastSplit = { text, slices: splitDocuments(text) };
  const slices = lastSplit.slices;
  let at: number | undefined;
  slices.forEach((s, i) => {
    if (s.line <= line) at = i;
  });
  if (at === undefined) return undefined;
  const slice = slices[at] as DocumentSlice;
  const next = slices[at + 1];
  return next ? { slice, next } : { slice };
}

function most(counts: Map<number, number>): number | undefined {
  let best: number | undefined;
  let n = 0;
  for (const [k, c] of counts) {
    if (c > n || (c === n && best !== undefined && k > best)) {
      best = k;
      n = c;
    }
  }
  return best;
}

/** The document's indentation step and sequence style, read from its nested block collections. */
function styleOf(root: YAMLMap, lines: LineIndex): Style {
  const units = new Map<number, number>();
  const seqs = new Map<number, number>();
  const col = (offset: number) => lines.positionAt(offset).character;
  const line = (offset: number) => lines.positionAt(offset).line;
  const visit = (node: unknown, depth: number): void => {
    if (depth > 60) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        const value = pair.value as Node | null;
        if (key?.range && value?.range && !node.flow) {
          const kc = col(key.range[0]);
          if (isMap(value) && !value.flow && value.items[0]) {
            const first = value.items[0].key as Node | null;
            if (first?.range && line(first.range[0]) > line(key.range[0])) {
              const step = col(first.range[0]) - kc;
              if (step > 0) units.set(step, (units.get(step) ?? 0) + 1);
            }
          } else if (isSeq(value) && !value.flow && value.items.length && line(value.range[0]) > line(key.range[0])) {
            const step = col(value.range[0]) - kc;
            if (step >= 0) seqs.set(step, (seqs.get(step) ?? 0) + 1);
          }
        }
        visit(value, depth + 1);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) visit(item, depth + 1);
    }
  };
  visit(root, 0);
  const all: string[] = [];
  for (let i = 0; i < lines.lineCount; i++) all.push(lines.line(i));
  const unit = most(units) ?? indentUnit(all);
  return { unit, seqIndent: most(seqs) ?? unit };
}

function docAt(text: string, finding: Pick<Finding, 'range'>): (Doc & { next?: DocumentSlice }) | undefined {
  const at = sliceAt(text, finding.range.start.line);
  if (!at) return undefined;
  const parsed = parseYaml(at.slice.text);
  if (!parsed || parsed.errors.length > 0) return undefined;
  const root = parsed.contents;
  if (!isMap(root) || root.flow) return undefined;
  let value: unknown;
  try {
    value = parsed.toJS({ maxAliasCount: 100 }) as unknown;
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  const lines = new LineIndex(at.slice.text);
  return { slice: at.slice, text: at.slice.text, lines, root, value, style: styleOf(root, lines), ...(at.next ? { next: at.next } : {}) };
}

// ---------------------------------------------------------------- text edits

const pad = (n: number): string => ' '.repeat(n);

function column(doc: Doc, offset: number): number {
  return doc.lines.positionAt(offset).character;
}

/** Lines of new keys at a column. */
function render(tree: Tree, col: number, style: Style): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(tree)) {
    const key = renderKey(k);
    if (v instanceof Append) {
      out.push(`${pad(col)}${key}:`);
      for (const item of v.items) out.push(`${pad(col + style.seqIndent)}- ${renderScalar(item)}`);
    } else if (isTree(v)) {
      out.push(`${pad(col)}${key}:`);
      out.push(...render(v, col + style.unit, style));
    } else {
      out.push(`${pad(col)}${key}: ${leafText(v)}`);
    }
  }
  return out;
}

/** End of a node's own text (trailing whitespace and line breaks not included). */
function nodeEnd(doc: Doc, node: Node): number {
  const range = node.range;
  if (!range) return 0;
  let end = range[1];
  while (end > range[0] && /\s/.test(doc.text[end - 1] as string)) end--;
  return end;
}

/** Whether a node is, or ends with, a block scalar with the keep indicator (`|+`, `>2+`). */
function endsWithKeptBlockScalar(doc: Doc, node: Node): boolean {
  let last: unknown = node;
  for (let depth = 0; depth < 100; depth++) {
    if (isScalar(last)) {
      const s = last;
      return (s.type === 'BLOCK_LITERAL' || s.type === 'BLOCK_FOLDED') && !!s.range && /^[|>](?:[1-9]?\+|\+[1-9]?)/.test(doc.text.slice(s.range[0], s.range[0] + 3));
    }
    if (isMap(last)) last = last.items[last.items.length - 1]?.value;
    else if (isSeq(last)) last = last.items[last.items.length - 1];
    else return false;
  }
  return true;
}

/** Where a new last key of a block mapping goes: the end of the line its last value ends on. */
function appendPoint(doc: Doc, map: YAMLMap): number | undefined {
  const last = map.items[map.items.length - 1];
  if (!last) return undefined;
  const value = last.value as Node | null;
  const key = last.key as Node | null;
  const end = value?.range ? nodeEnd(doc, value) : key?.range ? nodeEnd(doc, key) : undefined;
  if (end === undefined) return undefined;
  // a block scalar that keeps its trailing line breaks (`|+`) would lose them to a key inserted after its text
  if (value && endsWithKeptBlockScalar(doc, value)) return undefined;
  return doc.lines.lineEnd(doc.lines.positionAt(end).line);
}

/** Offset right after the `:` of a pair, when it is on the key's line. */
function afterColon(doc: Doc, pair: Pair): number | undefined {
  const key = pair.key as Node | null;
  if (!key?.range) return undefined;
  const i = doc.text.indexOf(':', key.range[1]);
  if (i < 0 || doc.lines.positionAt(i).line !== doc.lines.positionAt(key.range[0]).line) return undefined;
  return i + 1;
}

/** A value that can be replaced by a block: missing, `~`/`null`, or `{}`/`[]` on the key's line. */
function isEmpty(node: Node | null | undefined): boolean {
  if (node === null || node === undefined) return true;
  if (isScalar(node)) return node.value === null;
  if ((isMap(node) || isSeq(node)) && node.flow) return node.items.length === 0;
  return false;
}

/** Mappings the fixes may change: block style, no anchor (an alias elsewhere would change too), no merge key. */
function editable(map: YAMLMap): boolean {
  return !map.flow && !map.anchor && !map.items.some((p) => keyString(p) === '<<' || !isScalar(p.key));
}

/**
 * Replaces an empty value (`key:`, `key: ~`, `key: {}`) by lines below the key.
 * A comment after it stays on the key's line.
 */
function fillEmpty(doc: Doc, pair: Pair, lines: string[], edits: Edit[]): boolean {
  const start = afterColon(doc, pair);
  if (start === undefined) return false;
  const node = pair.value as Node | null;
  const end = node?.range ? Math.max(start, nodeEnd(doc, node)) : start;
  const line = doc.lines.positionAt(start).line;
  if (doc.lines.positionAt(end).line !== line) return false;
  const lineEnd = doc.lines.lineEnd(line);
  const rest = doc.text.slice(end, lineEnd).trim();
  if (rest !== '' && !rest.startsWith('#')) return false;
  // a comment stays on the key's line, after the spaces that preceded it
  let comment = '';
  if (rest) {
    const hash = doc.text.indexOf('#', end);
    let from = hash;
    while (from > start && /[ \t]/.test(doc.text[from - 1] as string)) from--;
    comment = doc.text.slice(from, lineEnd);
  }
  const eol = doc.lines.eol;
  edits.push({ start, end: lineEnd, text: `${comment}${eol}${lines.join(eol)}` });
  return true;
}

/** Adds items to an existing list (block, or a flow list on one line). */
function appendItems(doc: Doc, pair: Pair, seq: YAMLSeq, items: readonly string[], edits: Edit[]): boolean {
  if (seq.anchor) return false;
  const last = seq.items[seq.items.length - 1] as Node | null | undefined;
  if (!last?.range || !seq.range) return false;
  if (seq.flow) {
    if (doc.lines.positionAt(seq.range[0]).line !== doc.lines.positionAt(seq.range[1]).line) return false;
    const quoted = isScalar(last) && last.type === 'QUOTE_DOUBLE';
    const at = nodeEnd(doc, last);
    edits.push({ start: at, end: at, text: items.map((i) => `, ${quoted ? JSON.stringify(i) : renderScalar(i)}`).join('') });
    return true;
  }
  const dash = seq.range[0];
  if (doc.text[dash] !== '-' || endsWithKeptBlockScalar(doc, last)) return false;
  const col = column(doc, dash);
  const keyStart = (pair.key as Node | null)?.range?.[0];
  if (keyStart === undefined || col < column(doc, keyStart)) return false;
  const at = doc.lines.lineEnd(doc.lines.positionAt(nodeEnd(doc, last)).line);
  const eol = doc.lines.eol;
  edits.push({ start: at, end: at, text: items.map((i) => `${eol}${pad(col)}- ${renderScalar(i)}`).join('') });
  return true;
}

/** Sets one key that exists already. */
function setExisting(doc: Doc, pair: Pair, want: Leaf | Append | Tree, edits: Edit[]): boolean {
  const node = pair.value as Node | null;
  const keyStart = (pair.key as Node | null)?.range?.[0];
  if (keyStart === undefined) return false;
  const keyCol = column(doc, keyStart);
  if (want instanceof Append) {
    if (isSeq(node) && node.items.length > 0) return appendItems(doc, pair, node, want.items, edits);
    if (isEmpty(node)) return fillEmpty(doc, pair, want.items.map((i) => `${pad(keyCol + doc.style.seqIndent)}- ${renderScalar(i)}`), edits);
    return false;
  }
  if (isTree(want)) {
    if (isMap(node) && node.items.length > 0) return merge(doc, node, want, edits);
    if (isEmpty(node)) return fillEmpty(doc, pair, render(want, keyCol + doc.style.unit, doc.style), edits);
    return false;
  }
  if (isScalar(node) && node.range && !node.anchor && node.type !== 'BLOCK_LITERAL' && node.type !== 'BLOCK_FOLDED') {
    const [start, end] = node.range;
    if (end > start) {
      edits.push({ start, end: nodeEnd(doc, node), text: leafText(want) });
      return true;
    }
  }
  if (isEmpty(node)) {
    const at = afterColon(doc, pair);
    if (at === undefined) return false;
    const end = node?.range ? Math.max(at, nodeEnd(doc, node)) : at;
    edits.push({ start: at, end, text: ` ${leafText(want)}` });
    return true;
  }
  return false;
}

/** Merges keys into a block mapping: existing keys are updated in place, missing ones go after its last key. */
function merge(doc: Doc, map: YAMLMap, tree: Tree, edits: Edit[]): boolean {
  if (!editable(map)) return false;
  const missing: Record<string, Leaf | Append | Tree> = {};
  let anyMissing = false;
  for (const [k, v] of Object.entries(tree)) {
    const pair = map.items.find((p) => keyString(p) === k);
    if (!pair) {
      missing[k] = v;
      anyMissing = true;
    } else if (!setExisting(doc, pair, v, edits)) return false;
  }
  if (!anyMissing) return true;
  const first = map.items[0]?.key as Node | null | undefined;
  const at = appendPoint(doc, map);
  if (!first?.range || at === undefined) return false;
  const eol = doc.lines.eol;
  edits.push({ start: at, end: at, text: eol + render(missing, column(doc, first.range[0]), doc.style).join(eol) });
  return true;
}

/** Normalises edits (sorted; inserts where another edit ends are joined to it, in the order they were made); undefined when two overlap. */
function normalise(edits: readonly Edit[]): Edit[] | undefined {
  const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => a.start - b.start || a.i - b.i);
  const out: Edit[] = [];
  for (const e of sorted) {
    const prev = out[out.length - 1];
    if (prev && e.start < prev.end) return undefined;
    if (prev && e.start === prev.end && e.start === e.end) prev.text += e.text;
    else if (prev && e.start === prev.start && prev.start === prev.end) {
      prev.text += e.text;
      prev.end = e.end;
    } else out.push({ start: e.start, end: e.end, text: e.text });
  }
  return out;
}

/** A fix that merges `tree` into the block mapping at `base` (file positions); undefined when it cannot be done safely. */
function fixAt(doc: Doc, base: readonly PathSegment[], tree: Tree, title: string, isPreferred: boolean): QuickFix | undefined {
  const located = base.length === 0 ? { node: doc.root } : locatePath(parsedOf(doc), base);
  const node = located?.node;
  if (!isMap(node) || node.items.length === 0) return undefined;
  const edits: Edit[] = [];
  if (!merge(doc, node, tree, edits)) return undefined;
  const normal = normalise(edits);
  if (!normal?.length) return undefined;
  const shift = doc.slice.line;
  return {
    title,
    isPreferred,
    edits: normal.map((e) => {
      const r = doc.lines.range(e.start, e.end);
      return { range: { start: { line: r.start.line + shift, character: r.start.character }, end: { line: r.end.line + shift, character: r.end.character } }, newText: e.text };
    }),
  };
}

function parsedOf(doc: Doc): NonNullable<ReturnType<typeof parseYaml>> {
  return parseYaml(doc.text) as NonNullable<ReturnType<typeof parseYaml>>;
}

// ---------------------------------------------------------------- containers

interface Container {
  path: PathSegment[];
  list: string;
  value: Json;
  name: string;
}

const md = (s: string | number): string => `'${s}'`;

/** The container a finding's path is in (`…/containers/<i>/…`), if any. */
function containerAt(value: Json, path: readonly PathSegment[]): Container | undefined {
  const kind = typeof value.kind === 'string' ? value.kind : undefined;
  const podPath = kind ? POD_SPEC_PATHS[kind] : undefined;
  if (!podPath || path.length < podPath.length + 2) return undefined;
  if (!podPath.every((seg, i) => path[i] === seg)) return undefined;
  const list = path[podPath.length];
  const index = path[podPath.length + 1];
  if (typeof list !== 'string' || !['containers', 'initContainers', 'ephemeralContainers'].includes(list) || typeof index !== 'number') return undefined;
  const cpath = [...podPath, list, index];
  const c = get(value, cpath);
  if (!isObject(c)) return undefined;
  return { path: cpath, list, value: c, name: typeof c.name === 'string' ? c.name : `#${index}` };
}

/** The pod spec of a workload, when a finding's path is in it (but not in one of its containers). */
function podSpecAt(value: Json, path: readonly PathSegment[]): PathSegment[] | undefined {
  const kind = typeof value.kind === 'string' ? value.kind : undefined;
  const podPath = kind ? POD_SPEC_PATHS[kind] : undefined;
  if (!podPath || path.length < podPath.length || !podPath.every((seg, i) => path[i] === seg)) return undefined;
  if (containerAt(value, path) || !isObject(get(value, podPath))) return undefined;
  return podPath;
}

function who(c: Container): string {
  const noun = c.list === 'initContainers' ? 'init container' : c.list === 'ephemeralContainers' ? 'ephemeral container' : 'container';
  return `${noun} ${md(c.name)}`;
}

// ---------------------------------------------------------------- resources

type ResourceKind = 'requests' | 'limits';
type ResourceName = 'cpu' | 'memory';
const RESOURCE_RULES: Record<string, [ResourceKind, ResourceName]> = {
  'k8s/cpu-requests-missing': ['requests', 'cpu'],
  'k8s/cpu-limits-missing': ['limits', 'cpu'],
  'k8s/memory-requests-missing': ['requests', 'memory'],
  'k8s/memory-limits-missing': ['limits', 'memory'],
};

const UNITS: Record<string, number> = { '': 1, m: 1e-3, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

/** A Kubernetes quantity as a number (`500m` → 0.5, `128Mi` → 134217728); undefined when it is not one. */
export function quantity(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*([+]?(?:\d+(?:\.\d*)?|\.\d+))(?:[eE]([+-]?\d+))?(m|k|K|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?\s*$/.exec(v);
  if (!m) return undefined;
  return Number(m[1]) * 10 ** Number(m[2] ?? 0) * (UNITS[m[3] ?? ''] ?? 1);
}

function isSet(v: unknown): boolean {
  return (typeof v === 'string' && v.trim() !== '') || typeof v === 'number';
}

/** The value a placeholder takes next to an existing request or limit, so that requests never exceed limits. */
function placeholderFor(c: Json, kind: ResourceKind, res: ResourceName): string | number {
  const own: string = PLACEHOLDER_RESOURCES[kind][res];
  const other = get(c, ['resources', kind === 'requests' ? 'limits' : 'requests', res]);
  if (!isSet(other)) return own;
  const a = quantity(own);
  const b = quantity(other);
  const fits = a !== undefined && b !== undefined && (kind === 'requests' ? a <= b : a >= b);
  return fits ? own : (other as string | number);
}

function resourcesFix(doc: Doc, c: Container, wanted: ReadonlySet<string>): QuickFix | undefined {
  const tree: Record<ResourceKind, Record<string, string | number>> = { requests: {}, limits: {} };
  const said: string[] = [];
  for (const kind of ['requests', 'limits'] as const) {
    const parts: string[] = [];
    for (const res of ['cpu', 'memory'] as const) {
      if (!wanted.has(`${kind}.${res}`) || isSet(get(c.value, ['resources', kind, res]))) continue;
      const v = placeholderFor(c.value, kind, res);
      tree[kind][res] = v;
      parts.push(`${res} ${v}`);
    }
    if (parts.length) said.push(`${kind} ${parts.join(', ')}`);
  }
  if (!said.length) return undefined;
  const resources: Record<string, Tree> = {};
  for (const kind of ['requests', 'limits'] as const) if (Object.keys(tree[kind]).length) resources[kind] = tree[kind];
  return fixAt(doc, c.path, { resources }, `Add placeholder resources to ${who(c)} (${said.join('; ')}): adjust to measured usage`, true);
}

// ---------------------------------------------------------------- probes

/** What a probe skeleton targets: the first TCP port the container declares (by name when it has one), else a placeholder. */
function probePort(c: Json): { port: string | number; placeholder: boolean } | undefined {
  const ports = Array.isArray(c.ports) ? c.ports.filter(isObject) : [];
  if (ports.length === 0) return { port: PLACEHOLDER_PORT, placeholder: true };
  const tcp = ports.find((p) => p.protocol === undefined || p.protocol === 'TCP');
  if (!tcp) return undefined;
  if (typeof tcp.name === 'string' && tcp.name !== '') return { port: tcp.name, placeholder: false };
  return typeof tcp.containerPort === 'number' ? { port: tcp.containerPort, placeholder: false } : undefined;
}

function probeFixes(doc: Doc, c: Container, probe: 'livenessProbe' | 'readinessProbe'): QuickFix[] {
  const target = probePort(c.value);
  if (!target) return [];
  const skeleton: Tree = { httpGet: { path: PROBE_PATH, port: target.port } };
  const on = `httpGet ${PROBE_PATH} on ${target.placeholder ? 'placeholder ' : ''}port ${target.port}`;
  const label = probe === 'livenessProbe' ? 'liveness' : 'readiness';
  const fixes: QuickFix[] = [];
  const one = fixAt(doc, c.path, { [probe]: skeleton }, `Add a ${label} probe skeleton to ${who(c)} (${on})`, true);
  if (one) fixes.push(one);
  const other = probe === 'livenessProbe' ? 'readinessProbe' : 'livenessProbe';
  if (!isObject(c.value[other])) {
    const both = fixAt(doc, c.path, { livenessProbe: skeleton, readinessProbe: skeleton }, `Add liveness and readiness probe skeletons to ${who(c)} (${on})`, false);
    if (both) fixes.push(both);
  }
  return fixes;
}

// ---------------------------------------------------------------- the fixes

/** The fixes of a built-in rule's finding that change the resource itself. */
function contentFixes(doc: Doc, finding: Finding, others: readonly Finding[]): QuickFix[] {
  const path = finding.data?.path;
  if (!path) return [];
  const c = containerAt(doc.value, path);
  const last = path[path.length - 1];
  const security = (key: string, value: boolean, title: (w: string) => string, base = c, preferred = true): QuickFix[] => {
    if (!base) return [];
    const fix = fixAt(doc, base.path, { securityContext: { [key]: value } }, title(who(base)), preferred);
    return fix ? [fix] : [];
  };
  switch (finding.ruleId) {
    case 'k8s/run-as-non-root': {
      if (last === 'runAsUser') return [];
      if (last === 'runAsNonRoot' && path[path.length - 2] === 'securityContext' && !c) {
        // `runAsNonRoot: false` in the pod's security context, inherited by the containers
        const fix = fixAt(doc, path.slice(0, -2), { securityContext: { runAsNonRoot: true } }, "Set 'runAsNonRoot: true' in the pod security context", true);
        return fix ? [fix] : [];
      }
      return security('runAsNonRoot', true, (w) => `Set 'runAsNonRoot: true' in the security context of ${w}`);
    }
    case 'k8s/privilege-escalation-allowed':
      return security('allowPrivilegeEscalation', false, (w) => `Set 'allowPrivilegeEscalation: false' in the security context of ${w}`);
    case 'k8s/read-only-root-filesystem':
      return security('readOnlyRootFilesystem', true, (w) => `Set 'readOnlyRootFilesystem: true' in the security context of ${w} (mount an emptyDir where it writes)`, c, false);
    case 'k8s/privileged-container':
      return security('privileged', false, (w) => `Set 'privileged: false' in the security context of ${w}`);
    case 'k8s/capabilities-drop-all':
    case 'k8s/net-raw-capability': {
      if (!c || path.includes('add')) return [];
      const fix = fixAt(doc, c.path, { securityContext: { capabilities: { drop: new Append(['ALL']) } } }, `Drop all Linux capabilities of ${who(c)} ('capabilities.drop: [ALL]')`, true);
      return fix ? [fix] : [];
    }
    case 'k8s/seccomp-profile': {
      // `type: Unconfined` where it is set (pod or container), else RuntimeDefault for the whole pod
      const set = last === 'type' && path[path.length - 2] === 'seccompProfile' && path[path.length - 3] === 'securityContext';
      const base = set ? path.slice(0, -3) : podSpecAt(doc.value, path);
      if (!base) return [];
      const where = c && set ? `the security context of ${who(c)}` : 'the pod security context';
      const fix = fixAt(doc, base, { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }, `Set 'seccompProfile.type: RuntimeDefault' in ${where}`, true);
      return fix ? [fix] : [];
    }
    case 'k8s/automount-service-account-token': {
      const base = podSpecAt(doc.value, last === 'automountServiceAccountToken' ? path.slice(0, -1) : path);
      if (!base) return [];
      const fix = fixAt(doc, base, { automountServiceAccountToken: false }, "Set 'automountServiceAccountToken: false' in the pod spec (if the application does not call the Kubernetes API)", false);
      return fix ? [fix] : [];
    }
    case 'k8s/liveness-probe-missing':
      return c ? probeFixes(doc, c, 'livenessProbe') : [];
    case 'k8s/readiness-probe-missing':
      return c ? probeFixes(doc, c, 'readinessProbe') : [];
    default: {
      const own = RESOURCE_RULES[finding.ruleId];
      if (!own || !c) return [];
      // the resource findings of the same container are fixed together (one edit, no conflicting ones)
      const wanted = new Set([own.join('.')]);
      // a finding that stands for several missing settings (see mergeMissing in ./engine.ts)
      for (const id of finding.data?.rules ?? []) {
        const r = RESOURCE_RULES[id];
        if (r) wanted.add(r.join('.'));
      }
      for (const o of others) {
        const r = RESOURCE_RULES[o.ruleId];
        const p = o.data?.path;
        if (r && p && containerAt(doc.value, p)?.path.join('/') === c.path.join('/')) wanted.add(r.join('.'));
      }
      const fix = resourcesFix(doc, c, wanted);
      return fix ? [fix] : [];
    }
  }
}

/** The document's text with a fix applied (the fix's edits are in file positions). */
function applied(doc: Doc, fix: QuickFix): string {
  const shift = doc.slice.line;
  const edits = fix.edits
    .map((e) => ({
      start: doc.lines.offsetAt({ line: e.range.start.line - shift, character: e.range.start.character }),
      end: doc.lines.offsetAt({ line: e.range.end.line - shift, character: e.range.end.character }),
      text: e.newText,
    }))
    .sort((a, b) => b.start - a.start);
  let text = doc.text;
  for (const e of edits) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  return text;
}

/**
 * Whether a fix clears its finding: the rule, run again on the fixed document,
 * reports fewer findings and not this one. A fix that does not (a setting
 * inherited from somewhere the fix does not look) is not offered.
 */
function clears(doc: Doc, finding: Finding, fix: QuickFix): boolean {
  const rule = BUILTIN_RULES.find((r) => r.id === finding.ruleId);
  if (!rule) return false;
  const run = (text: string) => {
    const docs = policyDocuments('fix.yaml', text);
    // strict: every rule is on there (the fix is judged on the rule, whatever the profile)
    return checkPolicies(docs, [rule], { documents: docs }, { profile: 'strict' });
  };
  const before = run(doc.text);
  const after = run(applied(doc, fix));
  return after.length < before.length && !after.some((f) => f.message === finding.message);
}

/** Whether another finding of the file is in the same document as this one. */
function sameDocument(doc: Doc & { next?: DocumentSlice }, f: Finding): boolean {
  const line = f.range.start.line;
  return line >= doc.slice.line && (doc.next === undefined || line < doc.next.line);
}

/**
 * Quick fixes that change the resource of a policy finding (not the
 * exemption: see `exemptionFix`). `text` is the whole file; `others` are the
 * file's other findings (the resources fix completes every missing request
 * and limit they report on the same container). File positions in and out.
 */
export function policyFixes(text: string, finding: Finding, others: readonly Finding[] = []): QuickFix[] {
  try {
    const doc = docAt(text, finding);
    if (!doc) return [];
    const rest = others.filter((o) => o !== finding && sameDocument(doc, o));
    // a finding that stands for several rules' missing settings offers each rule's fix (the resources fix already completes them all)
    const parts = finding.data?.rules && !RESOURCE_RULES[finding.ruleId] ? [finding, ...finding.data.rules.map((ruleId) => ({ ...finding, ruleId, data: { ...finding.data, rules: [] } }))] : [finding];
    const seen = new Set<string>();
    return parts.flatMap((part) =>
      contentFixes(doc, part, rest).filter((fix) => {
        if (seen.has(fix.title) || !clears(doc, part, fix)) return false;
        seen.add(fix.title);
        return true;
      }),
    );
  } catch {
    return [];
  }
}

/** `k8s/run-as-non-root` → `paved-road.dev/exempt-run-as-non-root` (or the rule's own exemption name). */
export function exemptionKey(rule: FixRule): string {
  return exemptionKeys(rule)[0] ?? `paved-road.dev/exempt-${rule.id}`;
}

function resourceName(value: Json): string {
  const kind = typeof value.kind === 'string' ? value.kind : 'resource';
  const name = get(value, ['metadata', 'name']);
  return typeof name === 'string' ? `${kind} ${md(name)}` : `this ${kind}`;
}

/**
 * The exemption of a finding's resource from its rule, with a reason: an
 * annotation `paved-road.dev/exempt-<name>: "<reason>"` under
 * `metadata.annotations` (created when missing). Undefined when the reason is
 * blank or the metadata cannot be edited safely (flow style, anchors).
 */
export function exemptionFix(text: string, finding: Finding, rule: FixRule, reason: string): QuickFix | undefined {
  try {
    const why = reason.trim();
    if (!why) return undefined;
    const doc = docAt(text, finding);
    if (!doc || !isObject(doc.value.metadata)) return undefined;
    return fixAt(doc, [], { metadata: { annotations: { [exemptionKey(rule)]: new Quoted(why) } } }, `Exempt ${resourceName(doc.value)} from ${rule.id}`, false);
  } catch {
    return undefined;
  }
}

/** The title of the exemption fix ("Exempt Deployment `web` from k8s/run-as-non-root…", it asks for a reason), or undefined when it cannot be offered. */
export function exemptionTitle(text: string, finding: Finding, rule: FixRule): string | undefined {
  const fix = exemptionFix(text, finding, rule, 'reason');
  return fix ? `${fix.title}…` : undefined;
}
