/**
 * Where the cursor is in a YAML document that is being typed — which may not parse.
 *
 * A YAML parser reads `spec:\n  repl` as `spec: "repl"` (a value), while the person is
 * typing a key under `spec`. So the context comes from an indentation outline instead:
 * the lines are read top to bottom keeping a stack of open block mappings and sequences
 * (by the column of their keys / dashes), which is what YAML's block structure is. Flow
 * collections (`{…}`, `[…]`), possibly over several lines, are read with a small
 * bracket scanner; block scalars (`|`, `>`) and multi-line quoted scalars are skipped.
 * The cursor line is read as "a key being typed" unless it has a `key:` before the
 * cursor (then a value is being typed) or is a `- ` item (both). Reading goes on past
 * the cursor line so that keys written below the cursor count as present, and so that
 * an approximate value of the whole document (scalars typed loosely) is available to
 * choose between schema alternatives (`kind: Deployment` anywhere in the document).
 *
 * Never throws; linear in the size of the text.
 */
import { indentOf, indentUnit, LineIndex } from './text';
import type { PathSegment, Position, Range } from './types';

export interface CursorContext {
  /** A key of the mapping at this path is being typed. */
  objectPath?: PathSegment[];
  /** The value at this path is being typed. */
  valuePath?: PathSegment[];
  /** The value being typed is a sequence item (after `- `): it may be a scalar or the first key of a mapping. */
  item: boolean;
  /** Inside a flow collection (`{…}` or `[…]`). */
  flow: boolean;
  /** Keys already in the mapping at `objectPath` (not counting the one being typed). */
  presentKeys: Set<string>;
  /** The approximate value of the whole document (the typed word left out). */
  value: unknown;
  /** The word being typed: a partial key, or the scalar value on the line. */
  range: Range;
  /** The typed part of the word, up to the cursor. */
  prefix: string;
  /** Column of the keys of the mapping at `objectPath` (block style). */
  keyColumn: number;
  /** Whitespace before the cursor at the start of the cursor line (VS Code re-indents snippet lines by it). */
  lineIndent: number;
  /** A `:` already follows the key being typed. */
  hasColon: boolean;
  /** The cursor is right after `key:` with no space: a value must start with one. */
  needsSpace: boolean;
  /** The value being typed starts with this quote. */
  quote?: '"' | "'";
  /** Indentation step of the document. */
  indentUnit: number;
  /** The mapping at `objectPath` starts on the cursor line (nothing was written in it before). */
  newBlock: boolean;
  /** Nothing but the typed word, comments and blank lines in the document. */
  emptyDocument: boolean;
  lines: LineIndex;
}

interface MapFrame {
  kind: 'map';
  col: number;
  path: PathSegment[];
  value: Record<string, unknown>;
  keys: Set<string>;
  lastKey?: string;
  pending: boolean;
}

interface SeqFrame {
  kind: 'seq';
  col: number;
  path: PathSegment[];
  value: unknown[];
  /** The current item has no content yet. */
  open: boolean;
}

type Frame = MapFrame | SeqFrame;

/** A `key:` at the start of some text. Offsets are relative to that text. */
export interface KeyMatch {
  key: string;
  keyStart: number;
  keyEnd: number;
  colon: number;
  /** First character of the value after `: ` (the text length when there is none). */
  valueStart: number;
}

/** Reads `key: value` (plain, single- or double-quoted key) at the start of `s`. */
export function matchKey(s: string): KeyMatch | undefined {
  if (s === '') return undefined;
  const first = s[0];
  let key: string;
  let keyEnd: number;
  if (first === '"' || first === "'") {
    let i = 1;
    let out = '';
    for (; i < s.length; i++) {
      const ch = s[i] as string;
      if (first === '"' && ch === '\\' && i + 1 < s.length) {
        const next = s[i + 1] as string;
        out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
        i++;
        continue;
      }
      if (ch === first) {
        if (first === "'" && s[i + 1] === "'") {
          out += "'";
          i++;
          continue;
        }
        break;
      }
      out += ch;
    }
    if (i >= s.length) return undefined;
    keyEnd = i + 1;
    key = out;
    let j = keyEnd;
    while (s[j] === ' ') j++;
    if (s[j] !== ':' || (j + 1 < s.length && !/\s/.test(s[j + 1] as string))) return undefined;
    return { key, keyStart: 0, keyEnd, colon: j, valueStart: skipSpaces(s, j + 1) };
  }
  if ('{[]},#&*!|>%@`'.includes(first as string) || (first === '-' && (s.length === 1 || s[1] === ' ')) || (first === '?' && (s.length === 1 || s[1] === ' '))) {
    return undefined;
  }
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '#' && i > 0 && /\s/.test(s[i - 1] as string)) return undefined;
    if (ch === ':' && (i + 1 === s.length || /\s/.test(s[i + 1] as string))) {
      key = s.slice(0, i).trimEnd();
      if (!key) return undefined;
      return { key, keyStart: 0, keyEnd: key.length, colon: i, valueStart: skipSpaces(s, i + 1) };
    }
  }
  return undefined;
}

function skipSpaces(s: string, i: number): number {
  while (i < s.length && s[i] === ' ') i++;
  return i;
}

/**
 * Offset of a comment (`#` at the start or after whitespace, outside quoted scalars) in a
 * line, or the line length.
 */
export function commentStart(line: string): number {
  let tokenStart = true;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (tokenStart && (ch === '"' || ch === "'")) {
      let j = i + 1;
      for (; j < line.length; j++) {
        if (ch === '"' && line[j] === '\\') {
          j++;
          continue;
        }
        if (line[j] === ch) {
          if (ch === "'" && line[j + 1] === "'") {
            j++;
            continue;
          }
          break;
        }
      }
      i = j;
      tokenStart = false;
      continue;
    }
    if (ch === '#' && (i === 0 || /\s/.test(line[i - 1] as string))) return i;
    if (ch === ' ' || ch === '\t') continue;
    tokenStart = ch === ':' || ch === '-' || ch === ',' || ch === '[' || ch === '{' || ch === '?';
    if (ch === ':' || ch === '-' || ch === '?') tokenStart = i + 1 >= line.length || line[i + 1] === ' ';
  }
  return line.length;
}

/** A loosely typed scalar: numbers, booleans and null as YAML 1.2 reads them, quotes removed. */
export function parseScalar(raw: string): unknown {
  const t = raw.trim();
  if (t === '' || t === '~' || t === 'null' || t === 'Null' || t === 'NULL') return null;
  if (t.length >= 2 && t[0] === '"' && t.endsWith('"')) {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      return t.slice(1, -1);
    }
  }
  if (t.length >= 2 && t[0] === "'" && t.endsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
  if (t[0] === '"' || t[0] === "'") return t.slice(1);
  if (/^(true|True|TRUE)$/.test(t)) return true;
  if (/^(false|False|FALSE)$/.test(t)) return false;
  if (/^[-+]?(0|[1-9][0-9]*)$/.test(t)) return Number(t);
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(t)) return Number(t);
  return t;
}

/** Strips leading anchors (`&a`) and tags (`!x`) from a value text. */
function stripProperties(s: string): { text: string; offset: number } {
  let offset = 0;
  for (;;) {
    const m = /^[&!][^\s]*\s*/.exec(s.slice(offset));
    if (!m || m[0] === '') break;
    offset += m[0].length;
  }
  return { text: s.slice(offset), offset };
}

interface FlowFrame {
  open: '{' | '[';
  value: Record<string, unknown> | unknown[];
  path: PathSegment[];
  keys: Set<string>;
  key?: string;
  inValue: boolean;
  token: string;
  tokenStart?: Position;
  quoted: boolean;
  childAssigned: boolean;
  /** The cursor is in this frame's current entry: its key is the one being typed. */
  cursorEntry: boolean;
}

interface FlowCursor {
  frame: FlowFrame;
  mode: 'key' | 'value';
  path: PathSegment[];
  prefix: string;
  start: Position;
  quote?: '"' | "'";
}

interface FlowResult {
  value: unknown;
  /** Last line of the flow collection (its closing bracket, or where it was given up). */
  endLine: number;
  closed: boolean;
  cursor?: FlowCursor;
  /** The cursor is in a comment inside the flow. */
  cursorInComment?: boolean;
}

/**
 * Reads a flow collection starting at (line, col) — possibly over several lines — into a
 * loose value. An unclosed collection ends before the next line that looks like block
 * structure at or left of `blockCol`. When the cursor is inside, where it is.
 */
function scanFlow(lines: LineIndex, startLine: number, startCol: number, blockCol: number, cursor: Position | undefined): FlowResult {
  const stack: FlowFrame[] = [];
  let rootValue: unknown = undefined;
  let quote: '"' | "'" | undefined;
  let cursorInfo: FlowCursor | undefined;
  let cursorInComment = false;

  const top = (): FlowFrame | undefined => stack[stack.length - 1];
  const finishEntry = (f: FlowFrame): void => {
    const t = f.token.trim();
    if (f.open === '{') {
      const obj = f.value as Record<string, unknown>;
      if (f.inValue && f.key !== undefined) {
        if (!f.childAssigned) obj[f.key] = f.cursorEntry && cursorInfo?.mode === 'value' ? null : parseScalar(t);
      } else if (t !== '' && !f.cursorEntry) {
        const k = String(parseScalar(t));
        obj[k] = null;
        f.keys.add(k);
      }
    } else if (!f.childAssigned && t !== '') {
      (f.value as unknown[]).push(f.cursorEntry ? null : parseScalar(t));
    }
    f.key = undefined;
    f.inValue = false;
    f.token = '';
    f.tokenStart = undefined;
    f.quoted = false;
    f.childAssigned = false;
    f.cursorEntry = false;
  };

  const atCursor = (line: number, col: number): void => {
    const f = top();
    if (!f || cursorInfo) return;
    const start = f.tokenStart && f.token.trim() !== '' ? f.tokenStart : { line, character: col };
    const typed = f.token.trimStart();
    const prefix = quote ? typed.slice(1) : typed.trimEnd();
    f.cursorEntry = true;
    if (f.open === '{' && !f.inValue) {
      cursorInfo = { frame: f, mode: 'key', path: f.path, prefix, start, ...(quote ? { quote } : {}) };
    } else if (f.open === '{') {
      cursorInfo = { frame: f, mode: 'value', path: [...f.path, f.key ?? ''], prefix, start, ...(quote ? { quote } : {}) };
    } else {
      const index = (f.value as unknown[]).length;
      cursorInfo = { frame: f, mode: 'value', path: [...f.path, index], prefix, start, ...(quote ? { quote } : {}) };
    }
  };

  for (let ln = startLine; ln < lines.lineCount; ln++) {
    const text = lines.line(ln);
    if (ln > startLine && !quote) {
      const ind = indentOf(text);
      const rest = text.slice(ind);
      if (rest !== '' && ind <= blockCol && (matchKey(rest) !== undefined || /^-( |$)/.test(rest))) {
        return { value: rootValue, endLine: ln - 1, closed: false, ...(cursorInfo ? { cursor: cursorInfo } : {}), cursorInComment };
      }
    }
    for (let col = ln === startLine ? startCol : 0; col <= text.length; col++) {
      if (cursor && !cursorInfo && ln === cursor.line && col === cursor.character && stack.length) atCursor(ln, col);
      if (col === text.length) {
        // a line break is a space in flow context
        const f = top();
        if (f && f.token !== '') f.token += quote ? '\n' : ' ';
        break;
      }
      const ch = text[col] as string;
      const f = top();
      if (quote) {
        if (!f) break;
        f.token += ch;
        if (quote === '"' && ch === '\\' && col + 1 < text.length) {
          f.token += text[col + 1] as string;
          col++;
        } else if (ch === quote) {
          if (quote === "'" && text[col + 1] === "'") {
            f.token += "'";
            col++;
          } else quote = undefined;
        }
        continue;
      }
      if (ch === '#' && (col === 0 || /\s/.test(text[col - 1] as string))) {
        if (cursor && ln === cursor.line && cursor.character > col && !cursorInfo) cursorInComment = true;
        break;
      }
      if (!f) {
        if (ch === '{' || ch === '[') {
          const frame = newFlowFrame(ch, []);
          rootValue = frame.value;
          stack.push(frame);
        } else if (ch !== ' ' && ch !== '\t') {
          return { value: rootValue, endLine: ln, closed: false, ...(cursorInfo ? { cursor: cursorInfo } : {}), cursorInComment };
        }
        continue;
      }
      if ((ch === '"' || ch === "'") && f.token.trim() === '') {
        quote = ch;
        f.token = ch;
        f.quoted = true;
        f.tokenStart = { line: ln, character: col };
        continue;
      }
      if ((ch === '{' || ch === '[') && f.token.trim() === '') {
        let seg: PathSegment;
        if (f.open === '{') seg = f.key ?? '';
        else seg = (f.value as unknown[]).length;
        const child = newFlowFrame(ch, [...f.path, seg]);
        if (f.open === '{') {
          if (f.inValue && f.key !== undefined) (f.value as Record<string, unknown>)[f.key] = child.value;
        } else (f.value as unknown[]).push(child.value);
        f.childAssigned = true;
        stack.push(child);
        continue;
      }
      if (ch === '}' || ch === ']') {
        finishEntry(f);
        stack.pop();
        if (stack.length === 0) {
          return { value: rootValue, endLine: ln, closed: true, ...(cursorInfo ? { cursor: cursorInfo } : {}), cursorInComment };
        }
        continue;
      }
      if (ch === ',') {
        finishEntry(f);
        continue;
      }
      if (ch === ':' && f.open === '{' && !f.inValue) {
        const next = text[col + 1];
        if (next === undefined || /[\s,\]}]/.test(next) || f.quoted) {
          const k = String(parseScalar(f.token));
          f.key = k;
          if (!f.cursorEntry) f.keys.add(k);
          f.inValue = true;
          f.token = '';
          f.tokenStart = undefined;
          f.quoted = false;
          continue;
        }
      }
      if (ch === ' ' || ch === '\t') {
        if (f.token !== '') f.token += ch;
        continue;
      }
      if (f.token.trim() === '') {
        f.token = '';
        f.tokenStart = { line: ln, character: col };
      }
      f.token += ch;
    }
  }
  return { value: rootValue, endLine: lines.lineCount - 1, closed: false, ...(cursorInfo ? { cursor: cursorInfo } : {}), cursorInComment };
}

function newFlowFrame(open: '{' | '[', path: PathSegment[]): FlowFrame {
  return { open, value: open === '{' ? {} : [], path, keys: new Set(), inValue: false, token: '', quoted: false, childAssigned: false, cursorEntry: false };
}

/** End of the word at `from` in a line: up to whitespace, `:` (followed by space or end), or a flow indicator. */
function wordEnd(line: string, from: number, flow: boolean, quote?: string): number {
  let i = from;
  if (quote) {
    while (i < line.length && line[i] !== quote) i++;
    return i < line.length ? i + 1 : i;
  }
  while (i < line.length) {
    const ch = line[i] as string;
    if (ch === ' ' || ch === '\t') break;
    if (ch === ':' && (i + 1 >= line.length || /\s/.test(line[i + 1] as string))) break;
    if (flow && /[,\]}]/.test(ch)) break;
    if (flow && ch === ':') break;
    i++;
  }
  return i;
}

class Outline {
  readonly stack: Frame[] = [];
  root: unknown = undefined;
  keyCount = 0;
  scalarRoot = false;

  top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  popTo(col: number, dash: boolean): void {
    for (let f = this.top(); f; f = this.top()) {
      if (f.col > col) this.stack.pop();
      else if (f.kind === 'seq' && f.col === col && !dash) this.stack.pop();
      else break;
    }
  }

  /** Where a new collection at `col` goes: the path it gets and how it is attached. */
  slot(col: number, dash: boolean): { path: PathSegment[]; attach: (v: unknown) => void } | undefined {
    const f = this.top();
    if (!f) {
      return {
        path: [],
        attach: (v) => {
          if (this.root === undefined) this.root = v;
        },
      };
    }
    if (f.kind === 'map' && f.lastKey !== undefined && f.pending && (f.col < col || (dash && f.col === col))) {
      const key = f.lastKey;
      return {
        path: [...f.path, key],
        attach: (v) => {
          f.value[key] = v;
          f.pending = false;
        },
      };
    }
    if (f.kind === 'seq' && f.col < col) {
      const index = Math.max(0, f.value.length - 1);
      if (f.value.length === 0) f.value.push(null);
      return {
        path: [...f.path, index],
        attach: (v) => {
          f.value[index] = v;
          f.open = false;
        },
      };
    }
    return undefined;
  }

  dash(col: number): SeqFrame {
    this.popTo(col, true);
    const f = this.top();
    if (f && f.kind === 'seq' && f.col === col) {
      f.value.push(null);
      f.open = true;
      return f;
    }
    const slot = this.slot(col, true) ?? { path: f ? [...f.path] : [], attach: () => undefined };
    const seq: SeqFrame = { kind: 'seq', col, path: slot.path, value: [null], open: true };
    slot.attach(seq.value);
    this.stack.push(seq);
    return seq;
  }

  /** The mapping a key at `col` belongs to (created when it starts here). */
  mapFor(col: number): { frame: MapFrame; created: boolean } {
    this.popTo(col, false);
    const f = this.top();
    if (f && f.kind === 'map' && f.col === col) return { frame: f, created: false };
    const slot = this.slot(col, false);
    if (!slot && f && f.kind === 'map') return { frame: f, created: false };
    const path = slot ? slot.path : f ? [...f.path, Math.max(0, (f as SeqFrame).value.length - 1)] : [];
    const frame: MapFrame = { kind: 'map', col, path, value: {}, keys: new Set(), pending: false };
    if (slot) slot.attach(frame.value);
    else if (f && f.kind === 'seq') {
      f.value[Math.max(0, f.value.length - 1)] = frame.value;
      f.open = false;
    }
    this.stack.push(frame);
    return { frame, created: true };
  }

  /** A scalar item (or a root scalar). */
  scalar(value: unknown): void {
    const f = this.top();
    if (f && f.kind === 'seq' && f.open) {
      f.value[f.value.length - 1] = value;
      f.open = false;
    } else if (!f && this.root === undefined) {
      this.root = value;
      this.scalarRoot = value !== null;
    }
  }
}

type Skip = { kind: 'through'; line: number } | { kind: 'block'; col: number };

type Found = Omit<CursorContext, 'presentKeys' | 'value' | 'emptyDocument' | 'lines' | 'indentUnit'>;

/**
 * The editing context at a position. `undefined` where there is nothing to complete:
 * inside a comment, a block scalar, a multi-line quoted scalar, or a document marker.
 * `keepValue`: keep the value written after the cursor's key in `value` (hovers), instead
 * of leaving the value being typed out (completion).
 */
export function cursorContext(text: string, position: Position, options: { keepValue?: boolean } = {}): CursorContext | undefined {
  const lines = new LineIndex(text);
  const cursorLineNo = Math.max(0, Math.min(position.line, lines.lineCount - 1));
  const C = Math.max(0, Math.min(position.character, lines.line(cursorLineNo).length));
  const cursor: Position = { line: cursorLineNo, character: C };
  const outline = new Outline();
  const rawLines: string[] = [];
  for (let i = 0; i < lines.lineCount; i++) rawLines.push(lines.line(i));

  let skip: Skip | undefined;
  let found: Found | undefined;
  let keysOf: Set<string> | undefined;
  let dead = false;

  /**
   * A flow collection starting at (ln, start): read it (with the cursor when the cursor may
   * be inside), attach its value, skip its lines, and when the cursor is inside, record where.
   */
  const flow = (ln: number, start: number, blockCol: number, basePath: PathSegment[], attach: (v: unknown) => void): void => {
    const watch = !found && !dead && (cursor.line > ln || (cursor.line === ln && C > start));
    const r = scanFlow(lines, ln, start, blockCol, watch ? cursor : undefined);
    attach(r.value ?? null);
    if (r.endLine > ln) skip = { kind: 'through', line: r.endLine };
    if (!watch || cursor.line > r.endLine) return;
    const fc = r.cursor;
    if (!fc || r.cursorInComment) {
      dead = true;
      return;
    }
    const line = lines.line(cursor.line);
    const endCol = wordEnd(line, C, true, fc.quote);
    const range = { start: fc.start, end: { line: cursor.line, character: Math.max(endCol, C) } };
    const path = [...basePath, ...fc.path];
    const common = {
      flow: true,
      lineIndent: indentOf(line.slice(0, C)),
      needsSpace: false,
      newBlock: false,
      keyColumn: fc.start.character,
      prefix: fc.prefix,
      range,
      ...(fc.quote ? { quote: fc.quote } : {}),
    };
    if (fc.mode === 'key') {
      found = { ...common, item: false, objectPath: path, hasColon: /^\s*:/.test(line.slice(endCol)) };
      keysOf = fc.frame.keys;
    } else {
      found = { ...common, item: typeof path[path.length - 1] === 'number', valuePath: path, hasColon: false };
    }
  };

  /** Reads the value text of a key (not the cursor's) at column `at`. */
  const readValue = (ln: number, at: number, raw: string, content: string, valuePath: PathSegment[], attach: (v: unknown) => void, ownerCol: number): void => {
    const props = stripProperties(content.slice(at));
    const v = props.text.trimEnd();
    const start = at + props.offset;
    if (v === '') return;
    if (v[0] === '*') {
      attach(null);
    } else if (v[0] === '|' || v[0] === '>') {
      attach('');
      skip = { kind: 'block', col: ownerCol };
    } else if (v[0] === '{' || v[0] === '[') {
      flow(ln, start, ownerCol, valuePath, attach);
    } else if (v[0] === '"' || v[0] === "'") {
      const end = closingQuote(lines, ln, start);
      if (end.line > ln) {
        skip = { kind: 'through', line: end.line };
        attach('');
      } else attach(parseScalar(raw.slice(start, end.character + 1)));
    } else attach(parseScalar(v));
  };

  const blockLine = (ln: number, raw: string, content: string): void => {
    let col = indentOf(content);
    let rest = content.slice(col);
    while (/^-( |$)/.test(rest)) {
      outline.dash(col);
      const after = skipSpaces(rest, 1);
      col += after;
      rest = rest.slice(after);
      if (rest === '') return;
    }
    if (rest[0] === '{' || rest[0] === '[') {
      const slot = outline.slot(col, false);
      flow(ln, col, Math.max(0, col - 1), slot ? slot.path : [], (v) => (slot ? slot.attach(v) : outline.scalar(v)));
      return;
    }
    const km = matchKey(rest);
    if (!km) {
      const top = outline.top();
      if (top && top.kind === 'seq' && top.open) outline.scalar(parseScalar(rest));
      else if (!top) {
        const props = stripProperties(rest);
        if (props.text.startsWith('|') || props.text.startsWith('>')) skip = { kind: 'block', col: -1 };
        else outline.scalar(parseScalar(rest));
      }
      return;
    }
    const { frame } = outline.mapFor(col);
    frame.lastKey = km.key;
    frame.keys.add(km.key);
    frame.value[km.key] = null;
    frame.pending = true;
    outline.keyCount++;
    readValue(ln, col + km.valueStart, raw, content, [...frame.path, km.key], (v) => {
      frame.value[km.key] = v;
      frame.pending = false;
    }, frame.col);
  };

  const cursorLine = (ln: number, raw: string, content: string): void => {
    const prefix = raw.slice(0, C);
    const base = { item: false, flow: false, lineIndent: indentOf(prefix), hasColon: false, needsSpace: false, newBlock: false };
    const here = (start: number, end: number): Range => ({ start: { line: ln, character: start }, end: { line: ln, character: end } });
    if (prefix.trim() === '') {
      if (content.trim() !== '') {
        dead = true; // in the indentation before text
        return;
      }
      const { frame, created } = outline.mapFor(C);
      found = { ...base, objectPath: frame.path, keyColumn: C, prefix: '', range: here(C, C), newBlock: created };
      keysOf = frame.keys;
      return;
    }
    let col = indentOf(content);
    let rest = content.slice(col);
    let seq: SeqFrame | undefined;
    while (/^-( |$)/.test(rest)) {
      if (col + 1 >= C) {
        dead = true; // typing the dash itself
        return;
      }
      seq = outline.dash(col);
      const after = skipSpaces(rest, 1);
      col += after;
      rest = rest.slice(after);
      if (rest === '' || col >= C) break;
    }
    if (seq && rest !== '' && col > C) {
      dead = true; // in the spaces between a dash and its content
      return;
    }
    if (seq && rest === '') {
      // `- |`: a new item: a scalar, or the first key of a mapping
      const itemPath = [...seq.path, Math.max(0, seq.value.length - 1)];
      const { frame } = outline.mapFor(C);
      found = { ...base, item: true, objectPath: frame.path, valuePath: itemPath, keyColumn: C, prefix: '', range: here(C, C), newBlock: true };
      keysOf = frame.keys;
      return;
    }
    if (rest[0] === '{' || rest[0] === '[') {
      const slot = outline.slot(col, false);
      flow(ln, col, Math.max(0, col - 1), slot ? slot.path : [], (v) => (slot ? slot.attach(v) : outline.scalar(v)));
      if (!found) dead = true;
      return;
    }
    const km = matchKey(rest);
    if (km && col + km.colon < C) {
      // a value is being typed
      const { frame } = outline.mapFor(col);
      frame.lastKey = km.key;
      frame.keys.add(km.key);
      frame.value[km.key] = null;
      frame.pending = false;
      outline.keyCount++;
      const valuePath = [...frame.path, km.key];
      const props = stripProperties(content.slice(col + km.valueStart));
      const valueStart = col + km.valueStart + props.offset;
      const first = props.text[0];
      if (options.keepValue && first !== '{' && first !== '[') {
        readValue(ln, col + km.valueStart, raw, content, valuePath, (v) => {
          frame.value[km.key] = v;
        }, frame.col);
      }
      if (first === '{' || first === '[') {
        flow(ln, valueStart, frame.col, valuePath, (v) => {
          frame.value[km.key] = v;
        });
        if (!found) dead = true;
        return;
      }
      if (first === '|' || first === '>' || first === '*') {
        dead = true;
        return;
      }
      const needsSpace = C === col + km.colon + 1;
      let afterColon = col + km.colon + 1;
      while (afterColon < C && raw[afterColon] === ' ') afterColon++;
      const start = needsSpace ? C : Math.min(Math.max(valueStart, afterColon), C);
      const quote = first === '"' || first === "'" ? first : undefined;
      const end = needsSpace ? C : Math.max(C, content.length);
      found = {
        ...base,
        valuePath,
        keyColumn: frame.col,
        prefix: raw.slice(start, C).replace(/^["']/, ''),
        range: here(start, end),
        needsSpace,
        ...(quote ? { quote } : {}),
      };
      return;
    }
    // a key is being typed
    const { frame, created } = outline.mapFor(col);
    const first = rest[0];
    const quoted = first === '"' || first === "'" ? first : undefined;
    const end = km ? col + km.keyEnd : wordEnd(raw, C, false, undefined);
    found = {
      ...base,
      objectPath: frame.path,
      ...(seq ? { valuePath: [...seq.path, Math.max(0, seq.value.length - 1)], item: true } : {}),
      keyColumn: col,
      prefix: raw.slice(col + (quoted ? 1 : 0), C),
      range: here(col, Math.max(end, C)),
      hasColon: /^\s*:(\s|$)/.test(raw.slice(end)),
      newBlock: created,
      ...(quoted ? { quote: quoted } : {}),
    };
    keysOf = frame.keys;
  };

  for (let ln = 0; ln < lines.lineCount; ln++) {
    const raw = rawLines[ln] as string;
    const isCursor = ln === cursor.line;
    if (skip) {
      if (skip.kind === 'through') {
        if (ln <= skip.line) {
          if (isCursor && !found) dead = true;
          continue;
        }
        skip = undefined;
      } else if ((raw.trim() === '' && !(isCursor && C <= skip.col)) || (raw.trim() !== '' && indentOf(raw) > skip.col)) {
        if (isCursor && !found) dead = true;
        continue;
      } else skip = undefined;
    }
    const cut = commentStart(raw);
    const content = raw.slice(0, cut).trimEnd();
    const marker = /^(---|\.\.\.)(\s|$)/.test(content) || (content.startsWith('%') && indentOf(raw) === 0);
    if (isCursor && !found && !dead) {
      if (C > cut || marker) dead = true;
      else cursorLine(ln, raw, content);
      continue;
    }
    if (marker || content.trim() === '') continue;
    blockLine(ln, raw, content);
  }

  if (dead || !found) return undefined;
  return {
    ...found,
    presentKeys: new Set(keysOf ?? []),
    value: outline.root,
    emptyDocument: outline.keyCount === 0 && !outline.scalarRoot,
    indentUnit: indentUnit(rawLines),
    lines,
  };
}

/** Position of the quote that closes the quoted scalar opened at (line, col). */
function closingQuote(lines: LineIndex, line: number, col: number): Position {
  const q = lines.line(line)[col];
  for (let ln = line; ln < lines.lineCount; ln++) {
    const text = lines.line(ln);
    for (let i = ln === line ? col + 1 : 0; i < text.length; i++) {
      if (q === '"' && text[i] === '\\') {
        i++;
        continue;
      }
      if (text[i] === q) {
        if (q === "'" && text[i + 1] === "'") {
          i++;
          continue;
        }
        return { line: ln, character: i };
      }
    }
    if (ln - line > 200) break;
  }
  return { line, character: lines.line(line).length - 1 };
}
