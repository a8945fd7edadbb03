/**
 * Splits a YAML stream into its documents by their markers, without parsing.
 * `---` and `...` at the start of a line followed by a space, a tab or the end
 * of the line can only be document markers (the YAML spec forbids them as
 * content, even inside block scalars and quoted strings), so a line scan is
 * exact. Each document can then be parsed, validated and cached on its own:
 * an edit touches one document of many.
 */
export interface DocumentSlice {
  /** 0-based index of the document in its file. */
  index: number;
  /** The document's text, from its first line to the line before the next document. */
  text: string;
  /** UTF-16 offset of `text` in the file. */
  offset: number;
  /** 0-based line of `text`'s first character in the file. */
  line: number;
}

function isMarker(text: string, at: number, ch: number): boolean {
  if (text.charCodeAt(at) !== ch || text.charCodeAt(at + 1) !== ch || text.charCodeAt(at + 2) !== ch) return false;
  const next = text.charCodeAt(at + 3);
  return Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 13;
}

/** True when the text holds something besides blank lines, comments and directives. */
function hasContent(text: string): boolean {
  // line by line, stopping at the first content (usually the first line): no split of the whole document
  for (let at = 0; at < text.length; ) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(at, end).trim();
    if (line !== '' && !line.startsWith('#') && !line.startsWith('%') && !/^\.\.\.(\s|$)/.test(line)) return true;
    at = end + 1;
  }
  return false;
}

export function splitDocuments(text: string): DocumentSlice[] {
  interface Piece { start: number; line: number; explicit: boolean }
  const pieces: Piece[] = [{ start: 0, line: 0, explicit: false }];
  let line = 0;
  for (let at = 0; at <= text.length; ) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl + 1;
    if (isMarker(text, at, 45 /* - */)) {
      pieces.push({ start: at, line, explicit: true });
    } else if (isMarker(text, at, 46 /* . */) && end < text.length) {
      // after `...`, what follows (up to the next `---`) is a bare document if it has content
      pieces.push({ start: end, line: line + 1, explicit: false });
    }
    if (nl < 0) break;
    at = end;
    line++;
  }
  const slices: DocumentSlice[] = [];
  let carry: Piece | undefined; // comments and directives before a `---` belong to that document
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] as Piece;
    const next = pieces[i + 1];
    const end = next ? next.start : text.length;
    const own = text.slice(piece.start, end);
    if (!piece.explicit && !hasContent(own)) {
      if (next?.explicit) carry ??= piece;
      continue;
    }
    const from = piece.explicit && carry ? carry : piece;
    carry = undefined;
    slices.push({ index: slices.length, text: text.slice(from.start, end), offset: from.start, line: from.line });
  }
  return slices;
}
