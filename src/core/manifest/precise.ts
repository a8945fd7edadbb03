/**
 * The precise parser: the `yaml` package with a line counter, used where
 * positions are needed (locating a finding, a syntax error) and as the
 * reference YAML semantics. Works on one document's text at a time.
 */
import { isMap, isScalar, isSeq, LineCounter, Lexer, parseAllDocuments, visit } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import type { Finding, PathSegment, Range } from '../findings';

export interface PreciseDocument {
  value: unknown;
  ok: boolean;
  range: Range;
  findings: Finding[];
  locate(path: readonly PathSegment[], target: 'key' | 'value'): Range;
  /** The `yaml` document, for checks that need node styles (e.g. plain vs quoted scalars). */
  doc: Document.Parsed | undefined;
  positionAt(offset: number): Range['start'];
}

const CONTROL_TOKENS = new Set(['\x02', '\x18', '\x1f']);

/**
 * Deepest nesting of flow collections in the text, counted with the iterative
 * lexer (a deeply nested flow sequence can exhaust the parser's stack or memory,
 * so it must be rejected before parsing). Returns the depth and the offset where
 * the limit was first passed, if it was.
 */
export function flowDepth(text: string, limit = Infinity, maxAnchors = Infinity): { depth: number; offset?: number; anchors?: number } {
  let depth = 0;
  let max = 0;
  let offset = 0;
  let anchors = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return { depth: max, offset };
      }
    } else if (token === ']' || token === '}') {
      if (depth > 0) depth--;
    } else if ((token[0] === '&' || token[0] === '*') && token.length > 1 && ++anchors > maxAnchors) {
      return { depth: max, anchors };
    }
    // the lexer's control tokens (document, flow end, scalar markers) take no room in the source
    if (!CONTROL_TOKENS.has(token)) offset += token.length;
  }
  return { depth: max };
}

export function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '').replace(/ \(\d+:\d+\)$/, '').trim();
}

export function errorText(err: unknown): string {
  return err instanceof Error ? (err.message.split('\n')[0] ?? err.name) : String(err);
}

export function humanizeYamlError(code: string, message: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'Duplicate key: a key may appear only once in a mapping.';
    case 'TAB_AS_INDENT':
      return 'Tabs are not allowed for indentation in YAML; use spaces.';
    case 'BAD_INDENT':
      return `Bad indentation: ${message}`;
    default:
      return message.endsWith('.') ? message : `${message}.`;
  }
}

/**
 * Names the repeated key: "Duplicate key "name": …". (Not where it first
 * appears: findings are cached per document text and moved with it, a line
 * number in the message would go stale.)
 */
function duplicateKeyMessage(doc: Document.Parsed, offset: number): string {
  let key: string | undefined;
  try {
    visit(doc, {
      Pair(_, pair) {
        const k = pair.key as Node | null;
        if (k?.range?.[0] !== offset) return undefined;
        key = isScalar(k) ? String(k.value) : String(k);
        return visit.BREAK;
      },
    });
  } catch {
    // the generic message below
  }
  if (key === undefined) return humanizeYamlError('DUPLICATE_KEY', '');
  return `Duplicate key ${JSON.stringify(key.length > 60 ? `${key.slice(0, 59)}…` : key)}: a key may appear only once in a mapping.`;
}

export function tooDeepFinding(limit: number, at: Range['start']): Finding {
  return {
    ruleId: 'yaml/too-deep',
    severity: 'error',
    message: `Collections are nested more than ${limit} levels deep; the document is not parsed.`,
    detail: 'Very deep nesting can exhaust the parser. Flatten the structure.',
    range: { start: at, end: { line: at.line, character: at.character + 1 } },
  };
}

/** Parses one document's text with `yaml`. Never throws. */
export function parsePrecise(text: string, limits: { maxFlowDepth: number; maxAliasCount: number; maxAnchors?: number }): PreciseDocument {
  const lineCounter = new LineCounter();
  const positionAt = (offset: number): Range['start'] => {
    const p = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
    return { line: p.line - 1, character: p.col - 1 };
  };
  const rangeOf = (start: number, end: number): Range => ({ start: positionAt(start), end: positionAt(end) });
  const empty: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const failed = (finding: Finding): PreciseDocument => ({ value: undefined, ok: false, range: empty, findings: [finding], locate: () => empty, doc: undefined, positionAt });

  let depth: { depth: number; offset?: number; anchors?: number };
  try {
    depth = flowDepth(text, limits.maxFlowDepth, limits.maxAnchors);
  } catch {
    depth = { depth: 0 };
  }
  if (depth.anchors !== undefined) {
    return failed({
      ruleId: 'yaml/alias-limit',
      severity: 'error',
      message: `The document has more than ${(limits.maxAnchors ?? 0).toLocaleString('en-US')} anchors and aliases; it is not read.`,
      detail: 'The YAML parser takes time that grows with the square of their number.',
      range: empty,
    });
  }
  if (depth.offset !== undefined) {
    // the lexer gives no line starts: count them here
    return failed(tooDeepFinding(limits.maxFlowDepth, countLinesBefore(text, depth.offset)));
  }

  let doc: Document.Parsed | undefined;
  try {
    const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true, version: '1.2', logLevel: 'error' });
    doc = Array.isArray(parsed) ? parsed[0] : undefined;
  } catch (err) {
    return failed({ ruleId: 'yaml/syntax', severity: 'error', message: `The YAML parser gave up on this document: ${errorText(err)}`, range: empty });
  }
  if (!doc) return { value: null, ok: true, range: empty, findings: [], locate: () => empty, doc: undefined, positionAt };

  const contents = doc.contents as Node | null;
  const docStart = doc.range[0];
  const range = contents?.range ? rangeOf(contents.range[0], contents.range[1]) : rangeOf(docStart, docStart);
  const findings: Finding[] = [];
  let value: unknown = undefined;
  let ok = true;
  const firstError = doc.errors[0];
  if (firstError) {
    ok = false;
    // one finding per document: the first error; the rest usually follow from it
    const [start, end] = firstError.pos;
    findings.push({
      ruleId: firstError.code === 'DUPLICATE_KEY' ? 'yaml/duplicate-key' : 'yaml/syntax',
      severity: 'error',
      message: firstError.code === 'DUPLICATE_KEY' ? duplicateKeyMessage(doc, start) : humanizeYamlError(firstError.code, firstLine(firstError.message)),
      range: rangeOf(start, Math.max(end, start + 1)),
    });
  } else {
    for (const w of doc.warnings) {
      findings.push({ ruleId: 'yaml/warning', severity: 'warning', message: firstLine(w.message), range: rangeOf(w.pos[0], Math.max(w.pos[1], w.pos[0] + 1)) });
    }
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (err) {
      ok = false;
      const bomb = err instanceof ReferenceError || /alias/i.test(errorText(err));
      findings.push({
        ruleId: bomb ? 'yaml/alias-limit' : 'yaml/syntax',
        severity: 'error',
        message: bomb
          ? `Aliases expand to too many nodes (more than ${limits.maxAliasCount}); the document is not validated.`
          : `The document could not be read: ${errorText(err)}`,
        detail: bomb ? 'Repeated aliases to large anchors (an "alias bomb") would use unbounded memory.' : undefined,
        range: locateInDocument(text, doc, [], 'key', rangeOf, range),
      });
    }
  }
  const parsedDoc = doc;
  return { value, ok, range, findings, doc, positionAt, locate: (path, target) => locateInDocument(text, parsedDoc, path, target, rangeOf, range) };
}

export function countLinesBefore(text: string, offset: number): Range['start'] {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}

function keyMatches(pair: Pair, segment: PathSegment): boolean {
  const key = pair.key;
  if (isScalar(key)) return String(key.value) === String(segment);
  return key === segment;
}

/**
 * An empty sequence item (`- ` with nothing after the dash) has an empty range
 * after the dash: point at the dash itself, where the user sees the item.
 */
function emptyItemRange(offset: number, text: string, rangeOf: (start: number, end: number) => Range): Range {
  let i = Math.min(offset, text.length) - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  return i >= 0 && text[i] === '-' ? rangeOf(i, i + 1) : rangeOf(offset, offset);
}

function locateInDocument(
  text: string,
  doc: Document.Parsed,
  path: readonly PathSegment[],
  target: 'key' | 'value',
  rangeOf: (start: number, end: number) => Range,
  fallback: Range,
): Range {
  let node: unknown = doc.contents;
  let best: Range = fallback;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] as PathSegment;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => keyMatches(p, segment));
      if (!pair) return best;
      const keyNode = pair.key as Node | null;
      const valueNode = pair.value as Node | null;
      const keyRange = keyNode?.range ? rangeOf(keyNode.range[0], keyNode.range[1]) : best;
      if (last) {
        if (target === 'key') return keyRange;
        if (valueNode?.range && valueNode.range[1] > valueNode.range[0]) {
          // a collection value spans many lines: its key says it better
          return isMap(valueNode) || isSeq(valueNode) ? keyRange : rangeOf(valueNode.range[0], valueNode.range[1]);
        }
        return keyRange;
      }
      best = keyRange;
      node = valueNode;
    } else if (isSeq(node)) {
      const item = typeof segment === 'number' ? (node.items[segment] as Node | undefined) : undefined;
      if (!item?.range) return best;
      const itemRange = item.range[1] > item.range[0] ? rangeOf(item.range[0], item.range[1]) : emptyItemRange(item.range[0], text, rangeOf);
      if (last) return isMap(item) || isSeq(item) ? firstLineOf(itemRange, item, rangeOf) : itemRange;
      best = isMap(item) || isSeq(item) ? firstLineOf(itemRange, item, rangeOf) : itemRange;
      node = item;
    } else {
      return best;
    }
  }
  if (path.length === 0 && (isMap(node) || isSeq(node))) return firstLineOf(best, node, rangeOf);
  return best;
}

/** A collection's range can span many lines; point at its first key or item instead. */
function firstLineOf(full: Range, node: unknown, rangeOf: (s: number, e: number) => Range): Range {
  if (isMap(node)) {
    const k = node.items[0]?.key as Node | null | undefined;
    if (k?.range) return rangeOf(k.range[0], k.range[1]);
  } else if (isSeq(node)) {
    const it = node.items[0] as Node | undefined;
    if (it?.range) return rangeOf(it.range[0], it.range[1]);
  }
  return full;
}
