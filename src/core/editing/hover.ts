/**
 * Hover documentation for the key or value under the cursor: the property's schema
 * documentation, a well-known annotation's documentation, and the kind's reference link
 * on `apiVersion`, `kind` and the other top-level keys.
 */
import { documentValue, nodeAt, parseYaml } from './ast';
import { commentStart, cursorContext, matchKey, parseScalar } from './cursor';
import { appliedAt, childApplied, summarize } from './navigate';
import { propertyMarkdown } from './skeleton';
import { code, indentOf, LineIndex } from './text';
import type { EditingRequest, HoverResult, PathSegment, Position, Range } from './types';

/** Hover at a position; `undefined` when there is nothing documented there. Never throws. */
export function hover(req: EditingRequest): HoverResult | undefined {
  try {
    return hoverUnsafe(req);
  } catch {
    return undefined;
  }
}

interface Target {
  path: PathSegment[];
  target: 'key' | 'value';
  range: Range;
  /** The scalar value under the cursor (value hovers). */
  value?: unknown;
  /** The (approximate) value of the whole document. */
  docValue?: unknown;
}

function hoverUnsafe(req: EditingRequest): HoverResult | undefined {
  const lines = new LineIndex(req.text);
  // fast path: the key or scalar under the cursor read from its line and the indentation outline
  const fromLine = targetFromLine(req.text, lines, req.position);
  if (fromLine === 'none') return undefined;
  let target: Target | undefined = fromLine === 'unknown' ? undefined : fromLine;
  let docValue = target?.docValue;
  if (!target) {
    // multi-line flow collections and scalars, block scalars: the parser knows where things are
    const doc = parseYaml(req.text);
    const hit = doc ? nodeAt(doc.contents, lines.offsetAt(req.position)) : undefined;
    if (!hit) return undefined;
    target = { path: hit.path, target: hit.target, range: lines.range(hit.start, hit.end), value: hit.node.value };
    docValue = documentValue(doc);
  }
  const { path } = target;
  const key = path[path.length - 1];
  const parts: string[] = [];

  const annotations = req.docs?.annotations;
  if (annotations && typeof key === 'string' && path.length >= 3 && path[path.length - 2] === 'annotations' && path[path.length - 3] === 'metadata') {
    const info = annotations[key];
    if (info) {
      parts.push(`**${key}**`, info.description);
      if (info.url) parts.push(`[Documentation](${info.url})`);
      return { markdown: parts.join('\n\n'), range: target.range };
    }
  }

  const parent = appliedAt(req.schema, path.slice(0, -1), docValue);
  const applied = key === undefined ? parent : childApplied(parent, key, valueAt(docValue, path), req.schema);
  const link = path.length === 1 && req.docs?.kindUrl ? { label: 'Reference documentation', url: req.docs.kindUrl } : undefined;
  if (applied.length === 0) return undefined;
  const sum = summarize(applied);
  const required = typeof key === 'string' && summarize(parent).required.has(key);
  const items = sum.arrayLike ? summarize(childApplied(applied, 0, undefined, req.schema)) : undefined;
  const heading = typeof key === 'string' ? `\`${key}\`` : undefined;
  const body = propertyMarkdown(sum, { ...(typeof key === 'string' ? { key } : {}), required, ...(link ? { link } : {}) }, items);
  if (!body) return undefined;
  if (heading && !sum.title) parts.push(heading);
  parts.push(body);
  if (target.target === 'value' && target.value !== undefined) {
    const doc = sum.valueDocs.get(JSON.stringify(target.value));
    if (doc) parts.push(`${code(target.value)}: ${doc}`);
  }
  return { markdown: parts.join('\n\n'), range: target.range };
}

function valueAt(value: unknown, path: readonly PathSegment[]): unknown {
  let v = value;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (v && typeof v === 'object' && !Array.isArray(v)) v = (v as Record<string, unknown>)[String(seg)];
    else return undefined;
  }
  return v;
}

/**
 * The key or value under the cursor from the cursor line alone (with the indentation
 * outline for its path): `'none'` where there is nothing to hover (blank, comment,
 * indentation), `'unknown'` where the line does not say (flow collections, block and
 * multi-line scalars) and the parser must be asked.
 */
function targetFromLine(text: string, lines: LineIndex, pos: Position): Target | 'none' | 'unknown' {
  const raw = lines.line(pos.line);
  const cut = commentStart(raw);
  if (pos.character > cut) return 'none';
  const content = raw.slice(0, cut).trimEnd();
  let col = indentOf(content);
  let rest = content.slice(col);
  let dashes = false;
  while (/^-( |$)/.test(rest)) {
    const n = (/^-( +|$)/.exec(rest)?.[0].length ?? 1) || 1;
    col += n;
    rest = rest.slice(n);
    dashes = true;
  }
  if (rest === '' || pos.character < col) return 'none';
  if (rest[0] === '{' || rest[0] === '[') return 'unknown';
  const here = (start: number, end: number): Range => ({ start: { line: pos.line, character: start }, end: { line: pos.line, character: end } });
  const km = matchKey(rest);
  if (!km) {
    if (!dashes || /^["'|>&*!]/.test(rest)) return 'unknown';
    const ctx = cursorContext(text, { line: pos.line, character: col }, { keepValue: true });
    if (!ctx?.valuePath) return 'unknown';
    return { path: ctx.valuePath, target: 'value', range: here(col, col + rest.length), value: parseScalar(rest), docValue: ctx.value };
  }
  const keyStart = col + km.keyStart;
  const keyEnd = col + km.keyEnd;
  const props = stripValueProperties(rest.slice(km.valueStart));
  const valueStart = col + km.valueStart + props.offset;
  const valueText = props.text;
  const onKey = pos.character >= keyStart && pos.character <= keyEnd;
  const onValue = valueText !== '' && pos.character >= valueStart && pos.character <= valueStart + valueText.length;
  if (!onKey && !onValue) return 'none';
  if (onValue && (/^[{[|>*]/.test(valueText) || (/^["']/.test(valueText) && !closedQuote(valueText)))) return 'unknown';
  if (onKey && /^[|>"']/.test(valueText) && !(valueText[0] !== '|' && valueText[0] !== '>' && closedQuote(valueText))) {
    // the outline cannot follow a block or multi-line scalar from the key's line: let the parser say
    return 'unknown';
  }
  const ctx = cursorContext(text, { line: pos.line, character: col + km.colon + 1 }, { keepValue: true });
  if (!ctx?.valuePath) return 'unknown';
  if (onKey) return { path: ctx.valuePath, target: 'key', range: here(keyStart, keyEnd), docValue: ctx.value };
  return { path: ctx.valuePath, target: 'value', range: here(valueStart, valueStart + valueText.length), value: parseScalar(valueText), docValue: ctx.value };
}

function stripValueProperties(s: string): { text: string; offset: number } {
  const m = /^(?:[&!][^\s]*\s*)*/.exec(s);
  const offset = m ? m[0].length : 0;
  return { text: s.slice(offset), offset };
}

/** Whether a quoted scalar closes on its line. */
function closedQuote(s: string): boolean {
  const q = s[0];
  for (let i = 1; i < s.length; i++) {
    if (q === '"' && s[i] === '\\') {
      i++;
      continue;
    }
    if (s[i] === q) {
      if (q === "'" && s[i + 1] === q) {
        i++;
        continue;
      }
      return i === s.length - 1;
    }
  }
  return false;
}
