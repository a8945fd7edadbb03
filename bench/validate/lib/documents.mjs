// Where each YAML document of a file starts, and which document a line is in.
// Every adapter maps a finding's 0-based line to a document index with these,
// so the tools are compared on the same document boundaries.
//
// Boundaries are `---` lines at column 0 (the corpus writes documents that way;
// a marker on the first content line does not open a second document).

const MARKER = /^---(?:[ \t]|$)/;

/** 0-based line on which each document starts, in order; `[0]` for a single-document file. */
export function documentStartLines(text) {
  const starts = [0];
  let line = 0;
  let sawContent = false;
  let pos = 0;
  while (pos <= text.length) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = text.length;
    const isMarker = text.charCodeAt(pos) === 45 /* - */ && MARKER.test(text.slice(pos, Math.min(end, pos + 4)));
    if (isMarker) {
      if (sawContent) starts.push(line);
      sawContent = true; // the marker itself opens the (next) document
    } else if (!sawContent) {
      const content = text.slice(pos, end).trim();
      if (content !== '' && !content.startsWith('#')) sawContent = true;
    }
    line++;
    pos = end + 1;
  }
  return starts;
}

/** Index of the document containing 0-based `line` (binary search over `starts`). */
export function documentIndexForLine(starts, line) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= line) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
