/**
 * The fastest reader of a document's value: a line-by-line reader of the block
 * YAML that manifests are written in (mappings and sequences by indentation,
 * one-line plain and quoted scalars, literal block scalars, `{}` and `[]`),
 * resolving plain scalars with the YAML 1.2 core schema exactly as `yaml` does.
 *
 * It reads a document only when it is sure to read it as `yaml` does: anything
 * else (tabs, anchors, tags, flow collections with content, folded or
 * multi-line scalars, escapes it does not know, duplicate or non-string keys,
 * anything `yaml` would reject) returns `undefined`, and the caller asks the
 * next reader (js-yaml's events, then `yaml` itself). The differential tests
 * compare it with `yaml` on generated and mutated documents.
 */
import type { PathSegment, Range } from '../findings';
import { lineStartsOf, positionIn } from './offsets';

/** Thrown where the reader is not sure: the document goes to the next reader. */
const NOT_SURE = new Error('not sure');

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const DQUOTE = 34;
const SQUOTE = 39;

/** Characters `yaml` never reads as they look on a fast path: tabs, CR, other controls, BOM, NEL, line separators. */
// eslint-disable-next-line no-control-regex
const UNSURE_CHARS = /[\x00-\x09\x0b-\x1f\x7f\x85\ufeff\u2028\u2029]/;

const NULL_RE = /^(?:~|[Nn]ull|NULL)$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar's value under the YAML 1.2 core schema, as `yaml` resolves it (tags tried in its order). */
export function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0);
  // letters other than n/N/t/T/f/F and most punctuation start only strings
  if (c === 126 /* ~ */ || c === 110 || c === 78) return NULL_RE.test(s) ? null : s;
  if (c === 116 || c === 84 || c === 102 || c === 70) return BOOL_RE.test(s) ? s.charCodeAt(0) === 116 || s.charCodeAt(0) === 84 : s;
  if ((c >= 48 && c <= 57) || c === 43 || c === DASH || c === 46) {
    if (INT_OCT.test(s)) return parseInt(s.substring(2), 8);
    if (INT.test(s)) return parseInt(s, 10);
    if (INT_HEX.test(s)) return parseInt(s.substring(2), 16);
    if (FLOAT_NAN.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s.charCodeAt(0) === DASH ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    if (FLOAT_EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
  }
  return s;
}

/**
 * Characters a plain scalar may not start with here: flow and other indicators
 * (`,[]{}#&*!|>'"%@` and backquote), and `?` and `:` (which start complex keys and
 * other rarely written forms). `-` is checked by the caller.
 */
function unsafeStart(c: number): boolean {
  return (
    c === 44 || c === 91 || c === 93 || c === 123 || c === 125 || c === HASH || c === 38 || c === 42 || c === 33 ||
    c === 124 || c === 62 || c === SQUOTE || c === DQUOTE || c === 37 || c === 64 || c === 96 || c === 63 || c === COLON
  );
}

/**
 * Reads a document's text; `undefined` when not sure to read it as `yaml` does.
 * `maxDepth` bounds the nesting (deeper documents go to the readers that report it).
 */
export function readLines(text: string, maxDepth: number): { value: unknown } | undefined {
  if (UNSURE_CHARS.test(text)) return undefined;
  try {
    return { value: new LineReader(text, maxDepth, false).document() };
  } catch (err) {
    if (err === NOT_SURE || err instanceof RangeError) return undefined;
    throw err;
  }
}

type Position = Range['start'];

/** Where the line reader found each node (offsets in the document's text), for placing findings. */
type Place =
  | { t: 'scalar'; s: number; e: number; empty: boolean }
  | { t: 'block' }
  | { t: 'map'; keys: Map<string, { s: number; e: number; v: Place }>; first: { s: number; e: number } | undefined }
  | { t: 'seq'; items: Place[] };

/**
 * Positions of a document the line reader takes, as `yaml` gives them (the
 * ranges the js-yaml event locator gives, see events.ts: a key, a scalar with its
 * quotes, a collection's first key or item); `undefined` where it would not be
 * sure (block scalars, empty items), and for a document it does not take.
 */
export function lineLocator(text: string, maxDepth: number): ((path: readonly PathSegment[], target: 'key' | 'value') => Range | undefined) | undefined {
  if (UNSURE_CHARS.test(text)) return undefined;
  let root: Place | undefined;
  try {
    const reader = new LineReader(text, maxDepth, true);
    reader.document();
    root = reader.place;
  } catch (err) {
    if (err === NOT_SURE || err instanceof RangeError) return undefined;
    throw err;
  }
  const lineStarts = lineStartsOf(text);
  const positionAt = (offset: number): Position => positionIn(lineStarts, offset);
  const range = (r: { s: number; e: number }): Range => ({ start: positionAt(r.s), end: positionAt(r.e) });
  const firstOf = (p: Place): Range | undefined => {
    if (p.t === 'map') return p.first && range(p.first);
    if (p.t === 'seq') {
      const item = p.items[0];
      return item?.t === 'scalar' && !item.empty ? range(item) : undefined;
    }
    return undefined;
  };
  return (path, target) => {
    let node = root;
    let best: Range | undefined;
    if (!node) return undefined;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i] as PathSegment;
      const last = i === path.length - 1;
      if (node.t === 'map') {
        const entry = node.keys.get(String(segment));
        if (!entry) return best;
        const keyRange = range(entry);
        if (last) {
          if (target === 'key') return keyRange;
          const v = entry.v;
          if (v.t === 'map' || v.t === 'seq' || (v.t === 'scalar' && v.empty)) return keyRange;
          return v.t === 'scalar' ? range(v) : undefined;
        }
        best = keyRange;
        node = entry.v;
      } else if (node.t === 'seq') {
        if (typeof segment !== 'number') return best;
        const item = node.items[segment];
        if (!item) return best;
        const itemRange = item.t === 'scalar' ? (item.empty ? undefined : range(item)) : item.t === 'block' ? undefined : firstOf(item);
        if (!itemRange) return undefined;
        if (last) return itemRange;
        best = itemRange;
        node = item;
      } else {
        return best;
      }
    }
    if (path.length === 0) return firstOf(node);
    return best;
  };
}

// the line tables, reused from one document to the next (documents are read one at a time)
let STARTS = new Int32Array(1024);
let ENDS = new Int32Array(1024);
let INDENTS = new Int32Array(1024);
let CONTENT = new Uint8Array(1024);

const EMPTY: Place = { t: 'scalar', s: 0, e: 0, empty: true };
const BLOCK: Place = { t: 'block' };

class LineReader {
  /** Per line: offset of its first character, of its end (the newline or the end of the text), its indentation, and whether it holds content (not blank, not a comment). */
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly indents: Int32Array;
  private readonly content: Uint8Array;
  private readonly count: number;
  private depth = 0;
  /** The line after the node just read. */
  private at = 0;
  /** Where the node just read is (when recording). */
  place: Place = EMPTY;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
    private readonly record: boolean,
  ) {
    const n = text.length;
    let count = 0;
    let at = 0;
    while (at < n) {
      let end = text.indexOf('\n', at);
      if (end < 0) end = n;
      let i = at;
      while (i < end && text.charCodeAt(i) === SPACE) i++;
      if (count === STARTS.length) {
        const grow = (a: Int32Array) => {
          const b = new Int32Array(a.length * 2);
          b.set(a);
          return b;
        };
        STARTS = grow(STARTS);
        ENDS = grow(ENDS);
        INDENTS = grow(INDENTS);
        const c = new Uint8Array(CONTENT.length * 2);
        c.set(CONTENT);
        CONTENT = c;
      }
      STARTS[count] = at;
      ENDS[count] = end;
      INDENTS[count] = i - at;
      CONTENT[count] = i < end && text.charCodeAt(i) !== HASH ? 1 : 0;
      count++;
      at = end + 1;
    }
    this.starts = STARTS;
    this.ends = ENDS;
    this.indents = INDENTS;
    this.content = CONTENT;
    this.count = count;
  }

  /** The next line with content at or after `li` (or `count`). */
  private next(li: number): number {
    while (li < this.count && this.content[li] === 0) li++;
    return li;
  }

  document(): unknown {
    let li = this.next(0);
    if (li < this.count && this.isMarkerLine(li)) {
      // `---` alone on its line (a comment may follow after a space)
      const s = (this.starts[li] as number) + 3;
      const e = this.ends[li] as number;
      let i = s;
      while (i < e && this.text.charCodeAt(i) === SPACE) i++;
      if (i < e && !(this.text.charCodeAt(i) === HASH && i > s)) throw NOT_SURE;
      li = this.next(li + 1);
    }
    if (li >= this.count) {
      this.place = EMPTY;
      return null;
    }
    const start = (this.starts[li] as number) + (this.indents[li] as number);
    const c = this.text.charCodeAt(start);
    if (c === 37 /* % */ || this.isMarkerLine(li) || this.text.startsWith('...', this.starts[li])) throw NOT_SURE;
    const value = this.node(li);
    if (this.next(this.at) < this.count) throw NOT_SURE; // more content: a scalar document, a second root, an error
    return value;
  }

  private isMarkerLine(li: number): boolean {
    const s = this.starts[li] as number;
    return this.indents[li] === 0 && this.text.startsWith('---', s) && (s + 3 === this.ends[li] || this.text.charCodeAt(s + 3) === SPACE);
  }

  private isDashAt(off: number, end: number): boolean {
    return this.text.charCodeAt(off) === DASH && (off + 1 === end || this.text.charCodeAt(off + 1) === SPACE);
  }

  /** A block node starting on line `li` (a content line) at its indentation. */
  private node(li: number): unknown {
    if (++this.depth > this.maxDepth) throw NOT_SURE;
    const col = this.indents[li] as number;
    const off = (this.starts[li] as number) + col;
    const result = this.isDashAt(off, this.ends[li] as number) ? this.sequence(li, col) : this.mapping(li, off, col);
    this.depth--;
    return result;
  }

  /** The value after a key's colon or a sequence's dash, when nothing follows on the line: a nested node, or null. */
  private blockValue(li: number, col: number, sequenceAtColumn: boolean): unknown {
    const j = this.next(li + 1);
    if (j < this.count) {
      const ind = this.indents[j] as number;
      if (ind > col) return this.node(j);
      if (sequenceAtColumn && ind === col && this.isDashAt((this.starts[j] as number) + ind, this.ends[j] as number)) {
        if (++this.depth > this.maxDepth) throw NOT_SURE;
        const r = this.sequence(j, col);
        this.depth--;
        return r;
      }
    }
    this.at = li + 1;
    this.place = EMPTY;
    return null;
  }

  /** After a scalar on line `li` of a node at `col`: nothing may continue it on deeper lines. */
  private endOfScalar(li: number, col: number): void {
    const j = this.next(li + 1);
    if (j < this.count && (this.indents[j] as number) > col) throw NOT_SURE;
    this.at = li + 1;
  }

  private sequence(li: number, col: number): unknown[] {
    const items: unknown[] = [];
    const places: Place[] | undefined = this.record ? [] : undefined;
    for (;;) {
      const s = (this.starts[li] as number) + col;
      const end = this.ends[li] as number;
      let q = s + 1;
      while (q < end && this.text.charCodeAt(q) === SPACE) q++;
      if (q === end || (this.text.charCodeAt(q) === HASH && q > s + 1)) {
        items.push(this.blockValue(li, col, false));
      } else if (this.isDashAt(q, end)) {
        throw NOT_SURE; // a compact nested sequence
      } else if (this.keyEnd(q, end) >= 0) {
        if (++this.depth > this.maxDepth) throw NOT_SURE;
        items.push(this.mapping(li, q, q - (this.starts[li] as number)));
        this.depth--;
      } else {
        items.push(this.inlineValue(li, q, end, col));
      }
      places?.push(this.place);
      const j = this.next(this.at);
      if (j < this.count) {
        const ind = this.indents[j] as number;
        if (ind > col) throw NOT_SURE;
        if (ind === col && this.isDashAt((this.starts[j] as number) + col, this.ends[j] as number)) {
          li = j;
          continue;
        }
      }
      this.at = j;
      if (places) this.place = { t: 'seq', items: places };
      return items;
    }
  }

  /**
   * Where a mapping key that starts at `q` ends (the offset of its colon), or -1 when
   * the line holds no `key:` (a colon followed by a space or the end of the line).
   */
  private keyEnd(q: number, end: number): number {
    const t = this.text;
    const c = t.charCodeAt(q);
    if (c === DQUOTE || c === SQUOTE) {
      const close = this.quotedEnd(q, end);
      if (close < 0) return -1;
      // in block context the colon after a quoted key needs a space (or the end of the line) too
      if (close + 1 >= end || t.charCodeAt(close + 1) !== COLON) return -1;
      return close + 2 === end || t.charCodeAt(close + 2) === SPACE ? close + 1 : -1;
    }
    for (let i = q; i < end; i++) {
      if (t.charCodeAt(i) === COLON && (i + 1 === end || t.charCodeAt(i + 1) === SPACE)) return i;
    }
    return -1;
  }

  /** Offset of the closing quote of a quoted scalar opening at `q`, on this line; -1 when it does not close here. */
  private quotedEnd(q: number, end: number): number {
    const t = this.text;
    const quote = t.charCodeAt(q);
    for (let i = q + 1; i < end; i++) {
      const c = t.charCodeAt(i);
      if (quote === DQUOTE && c === 92 /* \ */) {
        i++;
        continue;
      }
      if (c === quote) {
        if (quote === SQUOTE && t.charCodeAt(i + 1) === SQUOTE) {
          i++;
          continue;
        }
        return i;
      }
    }
    return -1;
  }

  private quotedValue(q: number, close: number): string {
    const t = this.text;
    const body = t.slice(q + 1, close);
    if (t.charCodeAt(q) === SQUOTE) return body.includes("''") ? body.replace(/''/g, "'") : body;
    if (!body.includes('\\')) return body;
    return body.replace(/\\(.)/g, (_, ch: string) => {
      switch (ch) {
        case '\\':
          return '\\';
        case '"':
          return '"';
        case '/':
          return '/';
        case 'n':
          return '\n';
        case 't':
          return '\t';
        default:
          throw NOT_SURE;
      }
    });
  }

  private mapping(li: number, off: number, col: number): Record<string, unknown> {
    const t = this.text;
    const map: Record<string, unknown> = {};
    const keys: Map<string, { s: number; e: number; v: Place }> | undefined = this.record ? new Map() : undefined;
    let first: { s: number; e: number } | undefined;
    for (;;) {
      const end = this.ends[li] as number;
      const colon = this.keyEnd(off, end);
      if (colon < 0) throw NOT_SURE;
      let key: string;
      let keyEnd = colon;
      const c = t.charCodeAt(off);
      if (c === DQUOTE || c === SQUOTE) {
        key = this.quotedValue(off, colon - 1);
      } else {
        if (unsafeStart(c) || (c === DASH && (off + 1 === end || t.charCodeAt(off + 1) === SPACE))) throw NOT_SURE;
        while (keyEnd > off && t.charCodeAt(keyEnd - 1) === SPACE) keyEnd--;
        key = t.slice(off, keyEnd);
        if (key.includes(' #')) throw NOT_SURE;
        if (typeof resolvePlain(key) !== 'string') throw NOT_SURE; // null, boolean and number keys: stringified differently
      }
      if (colon - off > 1000 || key === '__proto__' || key === '<<' || Object.prototype.hasOwnProperty.call(map, key)) throw NOT_SURE;
      let q = colon + 1;
      while (q < end && t.charCodeAt(q) === SPACE) q++;
      if (q === end || (t.charCodeAt(q) === HASH && q > colon + 1)) map[key] = this.blockValue(li, col, true);
      else map[key] = this.inlineValue(li, q, end, col);
      if (keys) {
        const at = { s: off, e: keyEnd };
        first ??= at;
        keys.set(key, { ...at, v: this.place });
      }
      const j = this.next(this.at);
      if (j < this.count) {
        const ind = this.indents[j] as number;
        if (ind > col) throw NOT_SURE;
        if (ind === col) {
          li = j;
          off = (this.starts[j] as number) + col;
          if (this.isDashAt(off, this.ends[j] as number)) throw NOT_SURE; // a sequence where a key should be
          continue;
        }
      }
      this.at = j;
      if (keys) this.place = { t: 'map', keys, first };
      return map;
    }
  }

  /** A value that starts on the line at `q` (after `key: ` or `- `), in a node at `col`. */
  private inlineValue(li: number, q: number, end: number, col: number): unknown {
    const t = this.text;
    const c = t.charCodeAt(q);
    if (c === DQUOTE || c === SQUOTE) {
      const close = this.quotedEnd(q, end);
      if (close < 0) throw NOT_SURE;
      this.restIsComment(close + 1, end);
      this.endOfScalar(li, col);
      if (this.record) this.place = { t: 'scalar', s: q, e: close + 1, empty: false };
      return this.quotedValue(q, close);
    }
    if (c === 124 /* | */) {
      const v = this.literal(li, q, end, col);
      this.place = BLOCK;
      return v;
    }
    if (c === 123 /* { */ || c === 91 /* [ */) {
      // only the empty collections
      if (t.charCodeAt(q + 1) !== (c === 123 ? 125 : 93)) throw NOT_SURE;
      this.restIsComment(q + 2, end);
      this.endOfScalar(li, col);
      if (this.record) this.place = c === 123 ? { t: 'map', keys: new Map(), first: undefined } : { t: 'seq', items: [] };
      return c === 123 ? {} : [];
    }
    if (unsafeStart(c) || (c === DASH && (q + 1 === end || t.charCodeAt(q + 1) === SPACE))) throw NOT_SURE;
    // a plain scalar: to the end of the line or a comment
    let e = q + 1;
    while (e < end && !(t.charCodeAt(e) === HASH && t.charCodeAt(e - 1) === SPACE)) e++;
    while (e > q && t.charCodeAt(e - 1) === SPACE) e--;
    const s = t.slice(q, e);
    // `a: b: c` and `a: b:` are nested mappings `yaml` refuses in a compact mapping
    if (s.includes(': ') || s.charCodeAt(s.length - 1) === COLON) throw NOT_SURE;
    this.endOfScalar(li, col);
    if (this.record) this.place = { t: 'scalar', s: q, e, empty: false };
    return resolvePlain(s);
  }

  /** Only spaces, then nothing or a comment, from `i` to `end`. */
  private restIsComment(i: number, end: number): void {
    const t = this.text;
    const from = i;
    while (i < end && t.charCodeAt(i) === SPACE) i++;
    if (i < end && !(t.charCodeAt(i) === HASH && i > from)) throw NOT_SURE;
  }

  /** A literal block scalar (`|`, `|-`) whose header is at `q` on line `li`, in a node at `col`. */
  private literal(li: number, q: number, end: number, col: number): string {
    const t = this.text;
    let strip = false;
    let h = q + 1;
    const ch = t.charCodeAt(h);
    if (ch === DASH) {
      strip = true;
      h++;
    } else if (ch === 43 /* + */) {
      throw NOT_SURE; // keep: the value depends on the blank lines up to the next document
    }
    this.restIsComment(h, end);
    // the content: lines more indented than the node, and blank lines among them
    let n = -1;
    let j = li + 1;
    let last = li; // the last line with text
    for (; j < this.count; j++) {
      const s = this.starts[j] as number;
      const e = this.ends[j] as number;
      const ind = this.indents[j] as number;
      if (s + ind === e) continue; // blank (its spaces are checked below)
      if (n < 0) {
        if (ind <= col) break;
        n = ind;
      } else if (ind < n) {
        break;
      }
      last = j;
    }
    if (n < 0) throw NOT_SURE; // an empty block scalar
    if (j === this.count && (this.ends[last] as number) === t.length) throw NOT_SURE; // no final line break
    let out = '';
    for (let k = li + 1; k <= last; k++) {
      const s = this.starts[k] as number;
      const e = this.ends[k] as number;
      const ind = this.indents[k] as number;
      if (s + ind === e) {
        // spaces that may be content, or leading blank lines: not sure
        if (ind > n || out === '') throw NOT_SURE;
        out += '\n';
      } else {
        out += `${t.slice(s + n, e)}\n`;
      }
    }
    // trailing blank lines are dropped by clip and strip; spaces beyond the indentation there would be content
    for (let k = last + 1; k < j; k++) if ((this.indents[k] as number) > n) throw NOT_SURE;
    this.at = last + 1;
    return strip ? out.slice(0, -1) : out;
  }
}
