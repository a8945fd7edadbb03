/**
 * Findings → diagnostics without ever failing a file's publication: every
 * range is checked and clamped to the document it is shown in (line ≥ 0 and
 * below the line count, character ≥ 0 and within its line, end ≥ start), and a
 * finding whose conversion still throws is left out and reported, not allowed
 * to stop the others. VS Code throws "Illegal argument" on a negative line or
 * character; when one conversion of a file threw, that file's stale diagnostics
 * stayed on screen for good.
 *
 * Pure (no `vscode`): the adapter passes the conversion in, the unit tests a
 * stand-in that checks as strictly as VS Code's own Range does.
 */
import type { Finding, Position, Range } from '../../core/findings';

/** What a range must fit in: the document's line count and each line's length (without its line break). */
export interface DocumentShape {
  readonly lineCount: number;
  lineLength(line: number): number;
}

/** A document's shape from its text, line breaks as VS Code counts them (\r\n, \r, \n); line starts are found on first use. */
export function shapeOfText(text: string): DocumentShape {
  let starts: number[] | undefined;
  const lineStarts = (): number[] => {
    if (starts) return starts;
    starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      if (c === 10 || c === 13) starts.push(i + 1);
    }
    return starts;
  };
  return {
    get lineCount() {
      return lineStarts().length;
    },
    lineLength(line) {
      const s = lineStarts();
      const start = s[line];
      if (start === undefined) return 0;
      const next = s[line + 1];
      if (next === undefined) return text.length - start;
      // without the line break (one or two characters)
      return next - start - (text.charCodeAt(next - 1) === 10 && text.charCodeAt(next - 2) === 13 ? 2 : 1);
    },
  };
}

/** A whole number in [min, max]; anything else (NaN, ±Infinity, a string, undefined) becomes min. */
function within(n: unknown, min: number, max: number): number {
  if (typeof n !== 'number' || !Number.isFinite(n)) return min;
  const whole = Math.floor(n);
  return whole < min ? min : whole > max ? max : whole;
}

function clampPosition(p: Partial<Position> | undefined, doc: DocumentShape | undefined): Position {
  const lastLine = doc ? Math.max(0, doc.lineCount - 1) : Number.MAX_SAFE_INTEGER;
  const line = within(p?.line, 0, lastLine);
  const character = within(p?.character, 0, doc ? Math.max(0, doc.lineLength(line)) : Number.MAX_SAFE_INTEGER);
  return { line, character };
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function samePosition(a: Position | undefined, b: Position): boolean {
  return a?.line === b.line && a.character === b.character;
}

/**
 * The range clamped to the document (without a document: only made
 * non-negative and whole, end ≥ start). Returns the same object when it was
 * already inside, so callers can keep what they converted from it before.
 */
export function clampRange(range: Range | undefined, doc?: DocumentShape): Range {
  const start = clampPosition(range?.start, doc);
  let end = clampPosition(range?.end, doc);
  if (before(end, start)) end = start;
  if (range && samePosition(range.start, start) && samePosition(range.end, end)) return range;
  return { start, end };
}

/** Whether a range lies inside the document as VS Code requires (what clampRange guarantees). */
export function isInside(range: Range, doc: DocumentShape): boolean {
  const ok = (p: Position) =>
    Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line < Math.max(1, doc.lineCount) && p.character >= 0 && p.character <= doc.lineLength(p.line);
  return ok(range.start) && ok(range.end) && !before(range.end, range.start);
}

export interface Conversion<T> {
  /** One converted item per finding that could be converted, in the findings' order. */
  items: T[];
  /** How many findings had a range outside the document (they were clamped, and kept). */
  clamped: number;
  /** Findings whose conversion threw even with a clamped range: left out. */
  failed: Array<{ finding: Finding; error: unknown }>;
}

/**
 * Converts a file's findings one by one, each with its range clamped to the
 * document. A finding that still cannot be converted is left out (and
 * returned in `failed`); the rest are published.
 */
export function convertFindings<T>(findings: readonly Finding[], doc: DocumentShape | undefined, convert: (finding: Finding, range: Range, clamped: boolean) => T): Conversion<T> {
  const items: T[] = [];
  const failed: Conversion<T>['failed'] = [];
  let clamped = 0;
  for (const finding of findings) {
    try {
      const range = clampRange(finding.range, doc);
      const moved = range !== finding.range;
      if (moved) clamped++;
      items.push(convert(finding, range, moved));
    } catch (error) {
      failed.push({ finding, error });
    }
  }
  return { items, clamped, failed };
}
