/** Small text helpers shared by the engine's message builders. */
import { isAbsolute, relative, sep } from 'node:path';

/**
 * Edit distance counting insertions, deletions, substitutions and transpositions
 * of neighbours (optimal string alignment), so `erorr` is one edit from `error`.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  const width = b.length + 1;
  let prev2 = new Array<number>(width).fill(0);
  let prev = new Array<number>(width);
  let cur = new Array<number>(width);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        d = Math.min(d, (prev2[j - 2] as number) + 1);
      }
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length] as number;
}

/**
 * The candidate closest to `word`, if it is close enough to be a likely typo:
 * same letters in another case, or an edit distance of at most a third of the word (at least 1).
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const allowed = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  const allowedDistance = Math.max(1, Math.floor(word.length / 3));
  for (const c of candidates) {
    // the distance is at least the difference in length: a megabyte-long key is compared with nothing
    if (Math.abs(c.length - word.length) > allowedDistance) continue;
    if (c.toLowerCase() === lower) return c;
    // the distance is at least the difference in length: no need to compute it for candidates that cannot win
    if (Math.abs(c.length - lower.length) > Math.min(allowed, bestDistance - 1)) continue;
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return bestDistance <= allowed ? best : undefined;
}

/** `a`, `b` or `c` — backticked list for messages; long lists are cut with "…". */
export function codeList(items: readonly unknown[], conjunction = 'or', max = 10): string {
  const shown = items.slice(0, max).map((i) => `'${typeof i === 'string' ? i : JSON.stringify(i)}'`);
  if (items.length > max) return `${shown.join(', ')}, … (${items.length} in all)`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} ${conjunction} ${shown[shown.length - 1]}`;
}

/** A short description of a value for "got …" in messages. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (typeof value === 'string') return `the string ${JSON.stringify(truncate(value, 60))}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `'${value}'`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Characters that must not reach a terminal raw: C0 controls (ESC, CR, LF, …), DEL,
 * C1 controls (U+0080–U+009F, where CSI can start an escape sequence), the Unicode line
 * and paragraph separators, and the bidirectional controls that reorder what is shown
 * (Trojan Source, CVE-2021-42574). Tab is kept unless `tabs` is false.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_WITH_TAB = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

/** `text` with unsafe characters written as escapes (`\e`, `\n`, `\x07`, `\u202e`); `keep` lists characters left as they are. */
export function escapeControl(text: string, options: { tabs?: boolean; keep?: string } = {}): string {
  return text.replace(options.tabs === false ? UNSAFE_WITH_TAB : UNSAFE, (c) => {
    if (options.keep?.includes(c)) return c;
    const known = ESCAPES[c];
    if (known) return known;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * A name, key or path from a file under check, ready to be shown: control characters
 * escaped and at most `max` characters (an unknown key can be a megabyte long).
 */
export function displayText(text: string, max = 120): string {
  // escape a bounded prefix only: a 1 MB key costs no more than a short one
  const escaped = escapeControl(text.length > max * 2 ? text.slice(0, max * 2) : text, { tabs: false });
  if (escaped.length <= max && text.length <= max * 2) return escaped;
  return `${escaped.slice(0, max - 1)}… (${text.length} characters)`;
}

/** Longest message a report prints (a finding can quote values of the file under check). */
export const MAX_MESSAGE_CHARS = 4000;

/** A finding's message for a report: control characters escaped (line breaks kept when `lines`), at most MAX_MESSAGE_CHARS. */
export function reportText(text: string, options: { lines?: boolean } = {}): string {
  const bounded = text.length > MAX_MESSAGE_CHARS * 2 ? text.slice(0, MAX_MESSAGE_CHARS * 2) : text;
  const escaped = escapeControl(bounded, options.lines ? { keep: '\n' } : {});
  return escaped.length <= MAX_MESSAGE_CHARS && bounded === text ? escaped : `${escaped.slice(0, MAX_MESSAGE_CHARS - 1)}…`;
}

/**
 * A path as a message shows it: relative to `root` (the workspace folder, the
 * CLI's working directory) with `/` separators when it lies inside, so no
 * message carries the absolute path of the user's machine; as given otherwise.
 */
export function shownPath(path: string, root: string | undefined): string {
  if (!root || !isAbsolute(path)) return path;
  const rel = relative(root, path);
  if (rel === '') return '.';
  if (rel.startsWith('..') || isAbsolute(rel)) return path;
  return rel.split(sep).join('/');
}
