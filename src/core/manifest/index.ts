/**
 * YAML manifests with positions: every document of a file, its plain value, and
 * a way back from a value path (`spec.template.spec.containers[0].image`) to the
 * exact range of that key or value in the text. Bad input never throws: it comes
 * back as findings (syntax errors, size and nesting limits, alias bombs).
 */
import { isMap, isScalar, isSeq, LineCounter, Lexer, parseAllDocuments } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import type { Finding, PathSegment, Range } from '../findings';

export type { PathSegment } from '../findings';

export interface ParseLimits {
  /** Largest file, in bytes (UTF-8), that is parsed at all. */
  maxBytes: number;
  /** Deepest nesting of flow collections (`[`/`{`) accepted; checked with the lexer before parsing. */
  maxFlowDepth: number;
  /** Largest number of alias expansions per document (alias bombs). */
  maxAliasCount: number;
}

export const DEFAULT_LIMITS: ParseLimits = {
  maxBytes: 5 * 1024 * 1024,
  maxFlowDepth: 100,
  maxAliasCount: 100,
};

export interface ParsedDocument {
  /** 0-based index of the document in its file. */
  readonly index: number;
  /** The document's value as plain JavaScript; `undefined` when the document has errors. */
  readonly value: unknown;
  /** True when the document parsed without errors and its value could be built. */
  readonly ok: boolean;
  /** Range of the document's content (or of the document marker when it is empty). */
  readonly range: Range;
  /**
   * The range of the node at `path`: its key (`target: 'key'`) or its value.
   * When the path does not exist, the range of the deepest existing ancestor's key.
   */
  locate(path: readonly PathSegment[], target?: 'key' | 'value'): Range;
}

export interface ParsedFile {
  documents: ParsedDocument[];
  /** Problems with the text itself: syntax errors, limits. */
  findings: Finding[];
  /** Converts a UTF-16 offset in the text to a position. */
  positionAt(offset: number): Range['start'];
}

/** Byte length of a string in UTF-8 without allocating a buffer. */
function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Deepest nesting of flow collections in the text, counted with the iterative
 * lexer (a deeply nested flow sequence can exhaust the parser's stack or memory,
 * so it must be rejected before parsing). Returns the depth and the offset where
 * the limit was first passed, if it was.
 */
export function flowDepth(text: string, limit = Infinity): { depth: number; offset?: number } {
  let depth = 0;
  let max = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return { depth: max, offset };
      }
    } else if (token === ']' || token === '}') {
      if (depth > 0) depth--;
    }
    // the lexer's control tokens (document, flow end, scalar markers) take no room in the source
    if (!CONTROL_TOKENS.has(token)) offset += token.length;
  }
  return { depth: max };
}

const CONTROL_TOKENS = new Set(['\x02', '\x18', '\x1f']);

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '').trim();
}

export function parseManifest(text: string, limits: Partial<ParseLimits> = {}): ParsedFile {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  const lineCounter = new LineCounter();
  const positionAt = (offset: number): Range['start'] => {
    const p = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
    return { line: p.line - 1, character: p.col - 1 };
  };
  const rangeOf = (start: number, end: number): Range => ({ start: positionAt(start), end: positionAt(end) });
  const findings: Finding[] = [];
  const documents: ParsedDocument[] = [];

  const bytes = utf8Length(text);
  if (bytes > lim.maxBytes) {
    findings.push(tooLargeFinding(bytes, lim.maxBytes));
    return { documents, findings, positionAt: () => ({ line: 0, character: 0 }) };
  }

  let depth: { depth: number; offset?: number };
  try {
    depth = flowDepth(text, lim.maxFlowDepth);
  } catch (err) {
    depth = { depth: 0 };
    void err;
  }
  if (depth.offset !== undefined) {
    // positions need the line starts, which the lexer does not give: count them here.
    const nl = countLinesBefore(text, depth.offset);
    findings.push({
      ruleId: 'yaml/too-deep',
      severity: 'error',
      message: `Flow collections are nested more than ${lim.maxFlowDepth} levels deep; the file is not parsed.`,
      detail: 'Deeply nested [ ] or { } can exhaust the parser. Flatten the structure.',
      range: { start: nl, end: { line: nl.line, character: nl.character + 1 } },
    });
    return { documents, findings, positionAt: () => ({ line: 0, character: 0 }) };
  }

  let docs: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(text, {
      lineCounter,
      prettyErrors: false,
      uniqueKeys: true,
      strict: true,
      version: '1.2',
      // no process warnings from the library: problems come back as findings
      logLevel: 'error',
    });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (err) {
    findings.push({
      ruleId: 'yaml/syntax',
      severity: 'error',
      message: `The YAML parser gave up on this file: ${errorText(err)}`,
      range: rangeOf(0, 0),
    });
    return { documents, findings, positionAt };
  }

  docs.forEach((doc, index) => {
    const contents = doc.contents as Node | null;
    const docStart = doc.range?.[0] ?? 0;
    const range = contents?.range ? rangeOf(contents.range[0], contents.range[1]) : rangeOf(docStart, docStart);
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
        message: humanizeYamlError(firstError.code, firstLine(firstError.message)),
        range: rangeOf(start, Math.max(end, start + 1)),
      });
    } else {
      for (const w of doc.warnings) {
        findings.push({
          ruleId: 'yaml/warning',
          severity: 'warning',
          message: firstLine(w.message),
          range: rangeOf(w.pos[0], Math.max(w.pos[1], w.pos[0] + 1)),
        });
      }
      try {
        value = doc.toJS({ maxAliasCount: lim.maxAliasCount });
      } catch (err) {
        ok = false;
        const bomb = err instanceof ReferenceError || /alias/i.test(errorText(err));
        findings.push({
          ruleId: bomb ? 'yaml/alias-limit' : 'yaml/syntax',
          severity: 'error',
          message: bomb
            ? `Aliases expand to too many nodes (more than ${lim.maxAliasCount}); the document is not validated.`
            : `The document could not be read: ${errorText(err)}`,
          detail: bomb ? 'Repeated aliases to large anchors (an "alias bomb") would use unbounded memory.' : undefined,
          range,
        });
      }
    }
    documents.push({
      index,
      value,
      ok,
      range,
      locate: (path, target = 'value') => locateInDocument(doc, path, target, rangeOf, range),
    });
  });

  return { documents, findings, positionAt };
}

/** The finding for a file over the size limit (also used by readers that stop before reading such a file). */
export function tooLargeFinding(bytes: number, maxBytes: number): Finding {
  return {
    ruleId: 'yaml/too-large',
    severity: 'error',
    message: `File is too large to validate: ${formatBytes(bytes)}, the limit is ${formatBytes(maxBytes)}.`,
    detail: 'Split the file, or raise the limit (editor: the setting pavedRoad.validation.maxFileSizeKb).',
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  };
}

function countLinesBefore(text: string, offset: number): Range['start'] {
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

function humanizeYamlError(code: string, message: string): string {
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

function errorText(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0] ?? err.name : String(err);
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

function keyMatches(pair: Pair, segment: PathSegment): boolean {
  const key = pair.key;
  if (isScalar(key)) return String(key.value) === String(segment);
  return key === segment;
}

function locateInDocument(
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
        if (valueNode?.range && valueNode.range[1] > valueNode.range[0]) return rangeOf(valueNode.range[0], valueNode.range[1]);
        return keyRange;
      }
      best = keyRange;
      node = valueNode;
    } else if (isSeq(node)) {
      const item = typeof segment === 'number' ? (node.items[segment] as Node | undefined) : undefined;
      if (!item?.range) return best;
      const itemRange = rangeOf(item.range[0], item.range[1]);
      if (last) return isMap(item) || isSeq(item) ? firstLineOf(itemRange, item, rangeOf) : itemRange;
      best = isMap(item) || isSeq(item) ? firstLineOf(itemRange, item, rangeOf) : itemRange;
      node = item;
    } else {
      return best;
    }
  }
  if (path.length === 0 && (isMap(node) || isSeq(node))) {
    const first = (node.items[0] as Pair | Node | undefined) ?? undefined;
    const k = first && 'key' in first ? (first.key as Node | null) : (first);
    if (k?.range) return rangeOf(k.range[0], k.range[1]);
  }
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
