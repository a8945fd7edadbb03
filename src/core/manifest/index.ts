/**
 * YAML manifests with positions: every document of a file, its plain value, and
 * a way back from a value path (`spec.template.spec.containers[0].image`) to the
 * exact range of that key or value in the text. Bad input never throws: it comes
 * back as findings (syntax errors, size and nesting limits, alias bombs).
 *
 * Fast readers and a reference, one YAML semantics (YAML 1.2 core schema):
 * - the fast path reads values document by document (`split.ts`): most documents
 *   are valid and never need positions. The line reader (`lines.ts`) takes the
 *   block YAML manifests are written in; js-yaml's event parser what it leaves;
 * - the precise path (`precise.ts`, the `yaml` package with a line counter) runs
 *   only for a document that needs positions (a finding to place) or that the
 *   fast path cannot take (a syntax error, aliases, custom tags): it is the
 *   reference, so what users see is always what `yaml` says.
 * Differential unit tests check the readers give the values and positions `yaml` gives.
 */
import { EVENT_ID, SCALAR_STYLE, constructFromEvents, parseEvents } from 'js-yaml';
import type { Event } from 'js-yaml';
import type { Finding, PathSegment, Range } from '../findings';
import { parsePrecise, tooDeepFinding } from './precise';
import type { PreciseDocument } from './precise';
import { splitDocuments } from './split';
import { eventLocator } from './events';
import { lineLocator, readLines } from './lines';
import type { DocumentSlice } from './split';

export type { PathSegment } from '../findings';
export { flowDepth } from './precise';
export { splitDocuments } from './split';
export type { DocumentSlice } from './split';

export interface ParseLimits {
  /** Largest file, in bytes (UTF-8), that is parsed at all. */
  maxBytes: number;
  /** Largest document of a file, in bytes (UTF-8), that is parsed: a larger one gets a finding, the others are validated. */
  maxDocumentBytes: number;
  /** Deepest nesting of collections accepted (flow nesting is also checked with the lexer before the precise parser runs). */
  maxFlowDepth: number;
  /** Largest number of alias expansions per document (alias bombs). */
  maxAliasCount: number;
  /** Most anchors and aliases one document may hold (the YAML parser takes time quadratic in them: 20,000 took minutes). */
  maxAnchors: number;
}

export const DEFAULT_LIMITS: ParseLimits = {
  maxBytes: 64 * 1024 * 1024,
  maxDocumentBytes: 5 * 1024 * 1024,
  maxFlowDepth: 100,
  maxAliasCount: 100,
  maxAnchors: 1_000,
};

export interface ParsedDocument {
  /** 0-based index of the document in its file. */
  readonly index: number;
  /** The document's value as plain JavaScript; `undefined` when the document has errors. */
  readonly value: unknown;
  /** True when the document parsed without errors and its value could be built. */
  readonly ok: boolean;
  /** Range of the document's content in the file (its first line when positions were not needed). */
  readonly range: Range;
  /** The document's text and where it starts in the file. */
  readonly slice: DocumentSlice;
  /** Problems with the document's text (syntax, limits), in file positions. */
  readonly findings: Finding[];
  /**
   * The range, in the file, of the node at `path`: its key (`target: 'key'`) or its value.
   * When the path does not exist, the range of the deepest existing ancestor's key.
   */
  locate(path: readonly PathSegment[], target?: 'key' | 'value'): Range;
  /** The precise (`yaml`) parse of this document, made on first use. */
  precise(): PreciseDocument;
}

export interface ParsedFile {
  documents: ParsedDocument[];
  /** Problems with the text itself: syntax errors, limits. */
  findings: Finding[];
}

/** Byte length of a string in UTF-8 without allocating a buffer. */
function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
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

/** The finding for one document of a file over the per-document size limit, on its first line (`line`). */
export function documentTooLargeFinding(bytes: number, maxBytes: number, line: number): Finding {
  return {
    ruleId: 'yaml/too-large',
    severity: 'error',
    message: `Document is too large to validate: ${formatBytes(bytes)}, the limit per document is ${formatBytes(maxBytes)}; the other documents of the file are validated.`,
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
  };
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

/** Moves a range from document-relative to file positions. */
export function shiftRange(r: Range, lines: number): Range {
  if (lines === 0) return r;
  return { start: { line: r.start.line + lines, character: r.start.character }, end: { line: r.end.line + lines, character: r.end.character } };
}

export function shiftFinding(f: Finding, lines: number): Finding {
  return lines === 0 ? f : { ...f, range: shiftRange(f.range, lines) };
}

type Locator = (path: readonly PathSegment[], target: 'key' | 'value') => Range | undefined;

type FastResult = { ok: true; value: unknown } | { ok: false; reason: 'precise' } | { ok: false; reason: 'too-deep'; at: Range['start'] };

const NULL_KEY = /^(?:~|null|Null|NULL|)$/;

/**
 * Whether js-yaml reads these events exactly as `yaml` does. Not for: aliases
 * (`yaml`'s alias-bomb limit applies), tags, null keys (`yaml` makes them "",
 * js-yaml "null") and collection keys (stringified differently).
 */
function takesFastPath(events: readonly Event[], text: string): boolean {
  // per open collection: for a mapping, how many child nodes so far (even = the next is a key); -1 for a sequence
  const stack: number[] = [];
  for (const ev of events) {
    switch (ev.type) {
      case EVENT_ID.DOCUMENT:
        break;
      case EVENT_ID.ALIAS:
        return false;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        if (ev.tagStart >= 0) return false;
        const top = stack.length - 1;
        if (top >= 0 && (stack[top] as number) >= 0) {
          if ((stack[top] as number) % 2 === 0) return false; // a collection as a key
          stack[top] = (stack[top] as number) + 1;
        }
        stack.push(ev.type === EVENT_ID.MAPPING ? 0 : -1);
        break;
      }
      case EVENT_ID.SCALAR: {
        if (ev.tagStart >= 0) return false;
        const top = stack.length - 1;
        if (top >= 0 && (stack[top] as number) >= 0) {
          const n = stack[top] as number;
          if (n % 2 === 0 && ev.style === SCALAR_STYLE.PLAIN && NULL_KEY.test(text.slice(ev.valueStart, ev.valueEnd))) return false;
          stack[top] = n + 1;
        }
        break;
      }
      case EVENT_ID.POP:
        stack.pop();
        break;
    }
  }
  return true;
}

const TAB_IN_INDENT = /^ *\t/m;
/** `key: value: …` — a plain value holding `: ` or ending in `:` is a nested mapping `yaml` refuses in a compact mapping, where js-yaml reads a string. */
const VALUE_ENDING_IN_COLON = /^[ \t]*(?:-[ \t]+)*(?:[^\s#'"[{:][^:#\n]*|"[^"\n]*"|'[^'\n]*'):[ \t]+(?:[&!][^\s]*[ \t]+)?[^\s#'"[{][^#\n]*?:(?:[ \t]|$)/m;

/**
 * Reads a document's value without positions: the line reader first (`lines.ts`),
 * then js-yaml's events for what it leaves. Anything neither takes the same way as
 * `yaml` for sure — errors, aliases (alias-bomb limits are `yaml`'s), custom tags —
 * goes to the precise path.
 */
export function fastValue(text: string, limits: ParseLimits): FastResult {
  const read = readLines(text, limits.maxFlowDepth);
  if (read) return { ok: true, value: read.value };
  return eventValue(text, limits);
}

/** The second reader: js-yaml's events (YAML 1.2 core schema, like `yaml`), for what the line reader leaves (flow collections, folded scalars, escapes…). */
export function eventValue(text: string, limits: ParseLimits): FastResult {
  // where js-yaml is more lenient than `yaml`: tabs in indentation, a value ending in a colon
  if (TAB_IN_INDENT.test(text) || VALUE_ENDING_IN_COLON.test(text)) return { ok: false, reason: 'precise' };
  let events: Event[];
  try {
    events = parseEvents(text, { maxDepth: limits.maxFlowDepth });
  } catch (err) {
    const e = err as { message?: string; mark?: { line: number; column: number } };
    if (e.mark && /maxDepth/.test(e.message ?? '')) return { ok: false, reason: 'too-deep', at: { line: e.mark.line, character: e.mark.column } };
    return { ok: false, reason: 'precise' };
  }
  if (!takesFastPath(events, text)) return { ok: false, reason: 'precise' };
  try {
    const values = constructFromEvents(events, { source: text });
    if (values.length > 1) return { ok: false, reason: 'precise' };
    return { ok: true, value: values.length ? values[0] : null };
  } catch {
    return { ok: false, reason: 'precise' };
  }
}

/**
 * An error at the very end of a document (an unclosed bracket, say) would sit on
 * the next document's `---` line: keep it on the document's last line with content.
 */
function clampToContent(f: Finding, text: string): Finding {
  const lines = text.split('\n');
  let last = lines.length - 1;
  while (last > 0 && (lines[last] ?? '').trim() === '') last--;
  if (f.range.start.line <= last) return f;
  const end = (lines[last] ?? '').length;
  return { ...f, range: { start: { line: last, character: Math.max(0, end - 1) }, end: { line: last, character: end } } };
}

/** Locators of the documents located last, by text: findings are placed document by document. */
const recentLocators = new Map<string, Locator>();
const RECENT_LOCATORS = 16;

function recentLocator(text: string, lim: ParseLimits): Locator {
  let locator = recentLocators.get(text);
  if (!locator) {
    // the reader that read the value: the line reader, or js-yaml's events for what it leaves
    locator = lineLocator(text, lim.maxFlowDepth) ?? eventsLocator(text, lim);
    if (recentLocators.size >= RECENT_LOCATORS) recentLocators.delete(recentLocators.keys().next().value as string);
    recentLocators.set(text, locator);
  }
  return locator;
}

function eventsLocator(text: string, lim: ParseLimits): Locator {
  try {
    return eventLocator(text, parseEvents(text, { maxDepth: lim.maxFlowDepth }));
  } catch {
    return () => undefined; // not for js-yaml: `yaml` places the finding
  }
}

/** Parses one document (a slice of its file). Findings and ranges are in file positions. */
export function parseSlice(slice: DocumentSlice, limits: Partial<ParseLimits> = {}): ParsedDocument {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  let precise: PreciseDocument | undefined;
  const getPrecise = () => (precise ??= parsePrecise(slice.text, lim));
  const fast = fastValue(slice.text, lim);
  const firstLine: Range = { start: { line: slice.line, character: 0 }, end: { line: slice.line, character: 0 } };
  if (fast.ok) {
    // positions from the reader that read the value; `yaml` only where it cannot say for sure.
    // The readers' positions are not kept with the document: read again when a finding is placed (the last
    // few documents' are kept), they were most of the memory of a large set (580,000 documents: 2.7 GB)
    const locateFast = (path: readonly PathSegment[], target: 'key' | 'value'): Range | undefined => recentLocator(slice.text, lim)(path, target);
    return {
      index: slice.index,
      value: fast.value,
      ok: true,
      slice,
      findings: [],
      get range() {
        return shiftRange(getPrecise().range, slice.line);
      },
      locate: (path, target = 'value') => shiftRange(locateFast(path, target) ?? getPrecise().locate(path, target), slice.line),
      precise: getPrecise,
    };
  }
  if (fast.reason === 'too-deep') {
    const finding = shiftFinding(tooDeepFinding(lim.maxFlowDepth, fast.at), slice.line);
    return { index: slice.index, value: undefined, ok: false, slice, findings: [finding], range: firstLine, locate: () => firstLine, precise: getPrecise };
  }
  const p = getPrecise();
  return {
    index: slice.index,
    value: p.value,
    ok: p.ok,
    slice,
    findings: p.findings.map((f) => shiftFinding(clampToContent(f, slice.text), slice.line)),
    range: shiftRange(p.range, slice.line),
    locate: (path, target = 'value') => shiftRange(p.locate(path, target), slice.line),
    precise: getPrecise,
  };
}

export function parseManifest(text: string, limits: Partial<ParseLimits> = {}): ParsedFile {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  const bytes = utf8Length(text);
  if (bytes > lim.maxBytes) return { documents: [], findings: [tooLargeFinding(bytes, lim.maxBytes)] };
  const documents: ParsedDocument[] = [];
  const findings: Finding[] = [];
  for (const slice of splitDocuments(text)) {
    const size = slice.text.length > lim.maxDocumentBytes / 3 ? utf8Length(slice.text) : 0;
    if (size > lim.maxDocumentBytes) {
      findings.push(documentTooLargeFinding(size, lim.maxDocumentBytes, slice.line));
      continue;
    }
    const doc = parseSlice(slice, lim);
    documents.push(doc);
    findings.push(...doc.findings);
  }
  return { documents, findings };
}
