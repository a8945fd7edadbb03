/**
 * Document symbols (Outline, breadcrumbs, Go to Symbol in Editor) of a YAML
 * file: one symbol per document, named `Kind/name` (a Kubernetes object, a
 * Backstage entity), with its keys as children and list items of mappings
 * named by their `name:` (containers, ports, env). A file of one document
 * without a `kind` gets its top-level keys, as yaml-language-server gives them.
 *
 * A line scan of block-style YAML, not a parse: linear in the text, so a file
 * of thousands of documents stays cheap on every keystroke. Block scalars are
 * skipped; flow collections stay one key (their content is not outlined).
 */
import { splitDocuments } from '../manifest/split';
import type { DocumentSlice } from '../manifest/split';
import { parseSlice } from '../manifest';
import { commentStart, matchKey, parseScalar } from './cursor';
import type { Range } from './types';
import { objectName } from '../model/objects';

export type SymbolKind = 'document' | 'object' | 'array' | 'property' | 'item';

export interface YamlSymbol {
  name: string;
  detail: string;
  kind: SymbolKind;
  /** The whole node: from its key (or the document's first line) to its last line of content. */
  range: Range;
  /** What is revealed when the symbol is picked: the key, or the document's name. */
  selectionRange: Range;
  children: YamlSymbol[];
}

interface Node {
  symbol: YamlSymbol;
  /** Column of the key, or of the dash of a list item; -1 for the document. */
  indent: number;
  type: 'key' | 'item' | 'root';
  /** The scalar written after `key:` on the key's line, when any. */
  value?: string;
  items: number;
  keyed: boolean;
  /** The last line with content under the node, and that line's length (set on the symbol when the node closes). */
  endLine: number;
  endChar: number;
}

const MAX_NAME = 80;

function shortName(s: string): string {
  return s.length > MAX_NAME ? `${s.slice(0, MAX_NAME - 1)}…` : s;
}

function point(line: number, character: number): Range['start'] {
  return { line, character };
}

/** One document's symbols: its keys as a tree, and what names it. */
function scanDocument(lines: readonly string[], firstLine: number): Node {
  const rootSymbol: YamlSymbol = { name: '', detail: '', kind: 'document', range: { start: point(firstLine, 0), end: point(firstLine, 0) }, selectionRange: { start: point(firstLine, 0), end: point(firstLine, 0) }, children: [] };
  const root: Node = { symbol: rootSymbol, indent: -1, type: 'root', items: 0, keyed: false, endLine: firstLine, endChar: 0 };
  const stack: Node[] = [root];
  let blockIndent = -1;
  /** Closes the innermost node: its range ends at its last content, which is also its parent's. */
  const pop = () => {
    const n = stack.pop() as Node;
    n.symbol.range.end = point(n.endLine, n.endChar);
    const parent = stack[stack.length - 1];
    if (parent && (n.endLine > parent.endLine || (n.endLine === parent.endLine && n.endChar > parent.endChar))) {
      parent.endLine = n.endLine;
      parent.endChar = n.endChar;
    }
  };
  const extend = (line: number, end: number) => {
    const t = stack[stack.length - 1] as Node;
    t.endLine = line;
    t.endChar = end;
  };
  const top = () => stack[stack.length - 1] as Node;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const at = firstLine + i;
    let col = 0;
    while (col < line.length && line[col] === ' ') col++;
    if (blockIndent >= 0) {
      if (col >= line.length || col > blockIndent) {
        if (col < line.length) extend(at, line.length);
        continue;
      }
      blockIndent = -1;
    }
    const content = line.slice(0, commentStart(line)).trimEnd();
    if (col >= content.length) continue;
    if (col === 0 && /^(---|\.\.\.)(\s|$)/.test(content)) continue;
    if (content[col] === '%' && col === 0) continue;
    // list items: `- `, possibly several on one line (`- - a`)
    while (content[col] === '-' && (col + 1 === content.length || content[col + 1] === ' ' || content[col + 1] === '\t')) {
      while (stack.length > 1 && (top().indent > col || (top().indent === col && (top().type === 'item' || top().keyed)))) pop();
      const parent = top();
      const index = parent.items++;
      if (parent.symbol.kind === 'property' || parent.symbol.kind === 'object') parent.symbol.kind = 'array';
      const symbol: YamlSymbol = { name: String(index), detail: '', kind: 'item', range: { start: point(at, col), end: point(at, content.length) }, selectionRange: { start: point(at, col), end: point(at, col + 1) }, children: [] };
      parent.symbol.children.push(symbol);
      stack.push({ symbol, indent: col, type: 'item', items: 0, keyed: false, endLine: at, endChar: col + 1 });
      col++;
      while (content[col] === ' ' || content[col] === '\t') col++;
    }
    const key = col < content.length ? matchKey(content.slice(col)) : undefined;
    if (!key) {
      // a bare dash, a scalar or a flow item: a list item of scalars is not outlined
      extend(at, content.length);
      continue;
    }
    while (stack.length > 1 && top().indent >= col) pop();
    const parent = top();
    const value = content.slice(col + key.valueStart).trim();
    const start = point(at, col + key.keyStart);
    const keyRange = { start, end: point(at, col + key.keyEnd) };
    const symbol: YamlSymbol = { name: shortName(key.key), detail: '', kind: value ? 'property' : 'object', range: { start, end: point(at, content.length) }, selectionRange: keyRange, children: [] };
    parent.symbol.children.push(symbol);
    if (parent.type === 'item' && !parent.keyed && key.key === 'name' && value) {
      const name = parseScalar(value);
      if (typeof name === 'string' && name) parent.symbol.name = shortName(name);
    }
    parent.keyed = true;
    const node: Node = { symbol, indent: col, type: 'key', items: 0, keyed: false, endLine: at, endChar: content.length };
    if (value) node.value = value;
    stack.push(node);
    extend(at, content.length);
    if (/^[|>]/.test(value)) blockIndent = col;
    else if (value) symbol.detail = shortName(value);
  }
  while (stack.length) pop();
  // a list item of scalars only: not a symbol
  const prune = (s: YamlSymbol) => {
    s.children = s.children.filter((c) => c.kind !== 'item' || c.children.length > 0);
    for (const c of s.children) prune(c);
  };
  prune(rootSymbol);
  return root;
}

/** The scalar value of a key path in a scanned document, when it is written on the key's line. */
function valueAt(root: YamlSymbol, path: readonly string[]): { value: string; symbol: YamlSymbol } | undefined {
  let node: YamlSymbol | undefined = root;
  for (const seg of path) {
    node = node.children.find((c) => c.kind !== 'item' && c.name === seg);
    if (!node) return undefined;
  }
  const v = node.kind === 'property' && node.detail ? parseScalar(node.detail) : undefined;
  return typeof v === 'string' && v !== '' ? { value: v, symbol: node } : undefined;
}

/** One document's symbol with its text's own line numbers (line 0 is the document's first line). */
function documentSymbol(slice: DocumentSlice): YamlSymbol | undefined {
  const s = scanDocument(slice.text.split('\n'), 0).symbol;
  const first = s.children[0];
  if (!first) return undefined;
  s.range.start = { line: first.range.start.line, character: 0 };
  const kind = valueAt(s, ['kind']);
  const name = valueAt(s, ['metadata', 'name']);
  const generateName = valueAt(s, ['metadata', 'generateName']);
  const namespace = valueAt(s, ['metadata', 'namespace']);
  const apiVersion = valueAt(s, ['apiVersion']);
  let shown = objectName({ metadata: { ...(name ? { name: name.value } : {}), ...(generateName ? { generateName: generateName.value } : {}) } });
  // `metadata: { name: x }` in flow style: read the document (rare; the scan does not look into flow collections)
  if (kind && !shown && valueAt(s, ['metadata'])) shown = objectName(parseSlice({ ...slice, line: 0 }).value);
  s.name = kind ? (shown ? `${kind.value}/${shown}` : kind.value) : `document ${slice.index + 1}`;
  s.detail = [apiVersion?.value, namespace && `namespace ${namespace.value}`, !name && generateName && 'generateName'].filter(Boolean).join(' · ');
  const named = name ?? generateName ?? kind;
  s.selectionRange = named ? named.symbol.range : { start: s.range.start, end: s.range.start };
  return s;
}

const shiftRange = (r: Range, lines: number): Range => ({ start: { line: r.start.line + lines, character: r.start.character }, end: { line: r.end.line + lines, character: r.end.character } });

function shifted(s: YamlSymbol, lines: number, deep: boolean): YamlSymbol {
  return { ...s, range: shiftRange(s.range, lines), selectionRange: shiftRange(s.selectionRange, lines), children: deep ? s.children.map((c) => shifted(c, lines, true)) : [] };
}

/** Above this many documents, the Outline lists the documents only (their keys would be tens of thousands of symbols). */
export const MAX_DOCUMENTS_WITH_KEYS = 200;

/** The last file's documents by text: an edit scans only the documents it changed. */
let lastScan = new Map<string, YamlSymbol | null>();

/** Every document's symbol, or a single document's keys when it has no `kind`. */
export function documentSymbols(text: string): YamlSymbol[] {
  const slices = splitDocuments(text);
  const deep = slices.length <= MAX_DOCUMENTS_WITH_KEYS;
  const scanned = new Map<string, YamlSymbol | null>();
  const docs: YamlSymbol[] = [];
  for (const slice of slices) {
    let s = scanned.get(slice.text) ?? lastScan.get(slice.text);
    // `document N` names depend on the index: such a document is scanned where it is
    if (s === undefined || (s && s.name.startsWith('document '))) s = documentSymbol(slice) ?? null;
    scanned.set(slice.text, s);
    if (s) docs.push(shifted(s, slice.line, deep));
  }
  lastScan = scanned;
  const only = docs.length === 1 ? docs[0] : undefined;
  if (only && !valueAt(only, ['kind'])) return only.children;
  return docs;
}
