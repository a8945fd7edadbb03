/**
 * Text helpers of the editing engine: positions ↔ offsets (UTF-16, `\n` or `\r\n` line
 * ends), rendering values as YAML scalars that read back as the same value, and
 * VS Code snippet escaping.
 */
import { parse } from 'yaml';
import type { Position, Range } from './types';

export class LineIndex {
  /** Offset of the first character of each line. */
  readonly starts: number[] = [0];
  readonly eol: string;

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Text of a line without its line break. */
  line(n: number): string {
    if (n < 0 || n >= this.starts.length) return '';
    const start = this.starts[n] as number;
    let end = n + 1 < this.starts.length ? (this.starts[n + 1] as number) - 1 : this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }

  /** Offset of the end of a line's content (before its line break). */
  lineEnd(n: number): number {
    return (this.starts[n] ?? this.text.length) + this.line(n).length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= o) lo = mid;
      else hi = mid - 1;
    }
    const character = Math.min(o - (this.starts[lo] as number), this.line(lo).length);
    return { line: lo, character };
  }

  offsetAt(p: Position): number {
    const line = Math.max(0, Math.min(p.line, this.starts.length - 1));
    const character = Math.max(0, Math.min(p.character, this.line(line).length));
    return (this.starts[line] as number) + character;
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}

/** Column of the first non-space character (the line length when blank). */
export function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && line.charCodeAt(i) === 32) i++;
  return i;
}

/** The most common indentation step of a document (2 when it cannot tell). */
export function indentUnit(lines: readonly string[]): number {
  const counts = new Map<number, number>();
  let prev = 0;
  for (const l of lines) {
    if (!l.trim() || l.trimStart().startsWith('#')) continue;
    const ind = indentOf(l);
    if (ind > prev) counts.set(ind - prev, (counts.get(ind - prev) ?? 0) + 1);
    prev = ind;
  }
  let best = 2;
  let bestCount = 0;
  for (const [step, n] of counts) {
    if (step >= 2 && step <= 8 && n > bestCount) {
      best = step;
      bestCount = n;
    }
  }
  return best;
}

/** Strings that YAML 1.1 (Kubernetes, many tools) or 1.2 reads as something other than a string. */
const SPECIAL_PLAIN =
  /^(?:~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|[-+]?(?:\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|[-+]?(?:0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)|[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?:[eE][-+]?[0-9]+)|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)$/;

/** Whether a string can be written as a plain scalar and read back as the same string (YAML 1.1 and 1.2). */
export function isPlainSafe(s: string): boolean {
  let known = plainCache.get(s);
  if (known === undefined) {
    known = checkPlain(s);
    if (plainCache.size > 2000) plainCache.clear();
    plainCache.set(s, known);
  }
  return known;
}

const plainCache = new Map<string, boolean>();

function checkPlain(s: string): boolean {
  if (s === '' || s !== s.trim() || s.length > 200 || s === '<<' || s === '=') return false;
  if (/[\n\r\t]/.test(s)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s)) return false;
  if (/: |:$| #|[,[\]{}]/.test(s)) return false;
  if (SPECIAL_PLAIN.test(s)) return false;
  try {
    return parse(s, { version: '1.2' }) === s && parse(s, { version: '1.1' }) === s;
  } catch {
    return false;
  }
}

/** A scalar as YAML text: plain when that reads back as the same value, double-quoted otherwise. */
export function renderScalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : value > 0 ? '.inf' : value < 0 ? '-.inf' : '.nan';
  if (typeof value === 'string') return isPlainSafe(value) ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

/** A mapping key as YAML text. */
export function renderKey(key: string): string {
  return isPlainSafe(key) ? key : JSON.stringify(key);
}

/** A scalar in a given quoting style (strings only; other values are written plain). */
export function renderInStyle(value: unknown, style: 'plain' | 'double' | 'single'): string {
  if (typeof value !== 'string') return renderScalar(value);
  if (style === 'double') return JSON.stringify(value);
  if (style === 'single' && !/[\n\r]/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  return renderScalar(value);
}

/** Escapes text for a VS Code snippet (outside placeholders). */
export function snippetText(s: string): string {
  return s.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/** Escapes a choice of a `${1|a,b|}` placeholder. */
export function snippetChoice(s: string): string {
  return s.replace(/[\\,|$}]/g, (c) => `\\${c}`);
}

/** A value for the inline docs: `x`, `"x y"`, `1`. */
export function code(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  const fence = s.includes('`') ? '``' : '`';
  return `${fence}${s}${fence}`;
}
