/**
 * The `yaml` AST of one document, read leniently (errors do not stop it), and lookups by
 * offset and by path. Used where the text is mostly well formed: hovers and quick fixes.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { PathSegment } from './types';

let last: { text: string; doc: Document.Parsed | undefined } | undefined;

/**
 * The document's AST (never mutated by the engine). The last result is kept: an editor asks
 * for the quick fixes of several findings, and hovers, on the same text in a row.
 */
export function parseYaml(text: string): Document.Parsed | undefined {
  if (last && last.text === text) return last.doc;
  let doc: Document.Parsed | undefined;
  try {
    doc = parseDocument(text, { uniqueKeys: false, strict: false, prettyErrors: false, logLevel: 'silent', keepSourceTokens: false });
  } catch {
    doc = undefined;
  }
  last = { text, doc };
  return doc;
}

/** The document's value, or undefined when it cannot be built. */
export function documentValue(doc: Document.Parsed | undefined): unknown {
  if (!doc) return undefined;
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch {
    return undefined;
  }
}

export function keyString(pair: Pair): string | undefined {
  const k = pair.key;
  if (!isScalar(k)) return undefined;
  const v = k.value;
  if (v === null || v === undefined) return '';
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : undefined;
}

export interface Hit {
  path: PathSegment[];
  target: 'key' | 'value';
  start: number;
  end: number;
  /** The scalar under the cursor. */
  node: Scalar;
}

/** The key or scalar value at an offset (ends inclusive, so a cursor right after a word hits it). */
export function nodeAt(node: unknown, offset: number, path: PathSegment[] = []): Hit | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = keyString(pair);
      if (key === undefined) continue;
      const k = pair.key as Scalar;
      if (k.range && k.range[0] <= offset && offset <= k.range[1]) return { path: [...path, key], target: 'key', start: k.range[0], end: k.range[1], node: k };
      const v = pair.value as Node | null;
      if (v?.range && v.range[0] <= offset && offset <= v.range[1]) {
        if (isScalar(v)) return v.range[1] > v.range[0] ? { path: [...path, key], target: 'value', start: v.range[0], end: v.range[1], node: v } : undefined;
        const hit = nodeAt(v, offset, [...path, key]);
        if (hit) return hit;
      }
    }
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const item = node.items[i] as Node | null;
      if (!item?.range || item.range[0] > offset || offset > item.range[1]) continue;
      if (isScalar(item)) return { path: [...path, i], target: 'value', start: item.range[0], end: item.range[1], node: item };
      const hit = nodeAt(item, offset, [...path, i]);
      if (hit) return hit;
    }
  }
  return undefined;
}

export interface Located {
  /** The node at the path (null for an empty value). */
  node: Node | null | undefined;
  /** The pair holding it, when its parent is a mapping. */
  pair?: Pair;
  parent?: YAMLMap | YAMLSeq;
}

function matches(pair: Pair, seg: PathSegment): boolean {
  const k = keyString(pair);
  return k !== undefined && k === String(seg);
}

/** The node at a value path. */
export function locatePath(doc: Document.Parsed, path: readonly PathSegment[]): Located | undefined {
  let node: unknown = doc.contents;
  let located: Located = { node: node as Node | null };
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => matches(p, seg));
      if (!pair) return undefined;
      located = { node: pair.value as Node | null, pair, parent: node };
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | null | undefined;
      if (item === undefined) return undefined;
      located = { node: item, parent: node };
      node = item;
    } else return undefined;
  }
  return located;
}

export { isMap, isPair, isScalar, isSeq };
