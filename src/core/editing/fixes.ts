/**
 * Quick fixes for findings, as text edits on one YAML document: add a missing required
 * property (block or flow style, with a placeholder the schema suggests), change a value
 * to an allowed one (keeping its quoting), remove or rename an unknown property, quote a
 * YAML 1.1 boolean. Every edit keeps the document valid YAML with the intended value.
 */
import type { Node, Pair, Scalar, YAMLMap } from 'yaml';
import { documentValue, isMap, isScalar, keyString, locatePath, nodeAt, parseYaml } from './ast';
import { appliedAt, childApplied, summarize } from './navigate';
import { keyLines, renderValue, Stops } from './skeleton';
import type { Rendered } from './skeleton';
import { indentOf, indentUnit, LineIndex, renderInStyle, renderKey, renderScalar } from './text';
import type { PathSegment, QuickFix, QuickFixRequest, SchemaNode, TextEdit } from './types';

/** Quick fixes for a finding; empty when there is nothing to fix automatically. Never throws. */
export function quickFixes(req: QuickFixRequest): QuickFix[] {
  try {
    return fixesUnsafe(req);
  } catch {
    return [];
  }
}

interface FixContext {
  text: string;
  lines: LineIndex;
  doc: NonNullable<ReturnType<typeof parseYaml>>;
  schema?: SchemaNode;
  unit: number;
}

function fixesUnsafe(req: QuickFixRequest): QuickFix[] {
  const doc = parseYaml(req.text);
  if (!doc) return [];
  const lines = new LineIndex(req.text);
  const all: string[] = [];
  for (let i = 0; i < lines.lineCount; i++) all.push(lines.line(i));
  const fx: FixContext = { text: req.text, lines, doc, unit: indentUnit(all), ...(req.schema !== undefined ? { schema: req.schema } : {}) };
  const { finding } = req;
  const data = finding.data ?? {};
  const path = data.path ?? pathAtRange(fx, finding.range.start);
  if (!path) return [];
  switch (finding.ruleId) {
    case 'schema/required':
      return data.property !== undefined ? addRequired(fx, path, data.property) : [];
    case 'schema/enum':
    case 'schema/const':
      return changeValue(fx, path, data.allowed, data.suggestion);
    case 'schema/additionalProperties':
      return unknownProperty(fx, path, data.property, data.suggestion);
    case 'yaml/yaml11-boolean':
      return quoteBoolean(fx, path);
    default:
      return [];
  }
}

/** The value path of the scalar at a position (findings without data). */
function pathAtRange(fx: FixContext, start: { line: number; character: number }): PathSegment[] | undefined {
  const hit = nodeAt(fx.doc.contents, fx.lines.offsetAt(start));
  return hit?.path;
}

function edit(fx: FixContext, start: number, end: number, newText: string): TextEdit {
  return { range: fx.lines.range(start, end), newText };
}

function column(fx: FixContext, offset: number): number {
  return fx.lines.positionAt(offset).character;
}

/** End of a pair's text (its value, else its key), without trailing whitespace. */
function pairEnd(fx: FixContext, pair: Pair): number {
  const v = pair.value as Node | null;
  const k = pair.key as Node | null;
  let end = v?.range ? v.range[1] : k?.range ? k.range[1] : 0;
  const start = k?.range ? k.range[0] : 0;
  while (end > start && /\s/.test(fx.text[end - 1] as string)) end--;
  return end;
}

/** Offset right after the `:` that follows a key. */
function afterColon(fx: FixContext, pair: Pair): number {
  const k = pair.key as Node;
  const i = fx.text.indexOf(':', k.range ? k.range[1] : 0);
  return i < 0 ? (k.range ? k.range[1] : 0) : i + 1;
}

function placeholder(fx: FixContext, path: readonly PathSegment[], prop: string, flow: boolean): Rendered {
  if (fx.schema === undefined) return { inline: '""' };
  const value = documentValue(fx.doc);
  const parent = appliedAt(fx.schema, path, value);
  const child = childApplied(parent, prop, undefined, fx.schema);
  return renderValue(child, [...path, prop], undefined, 0, { root: fx.schema, snippet: false, unit: fx.unit, maxDepth: 6, ...(flow ? { flow: true } : {}) }, new Stops());
}

function addRequired(fx: FixContext, path: PathSegment[], prop: string): QuickFix[] {
  const loc = locatePath(fx.doc, path);
  if (!loc) return [];
  const { node } = loc;
  const eol = fx.lines.eol;
  const title = `Add missing property '${prop}'`;
  const fix = (edits: TextEdit[]): QuickFix[] => [{ title, edits, isPreferred: true }];
  const blockLines = (indent: number): string => keyLines(prop, placeholder(fx, path, prop, false), { unit: fx.unit, snippet: false }).join(eol + ' '.repeat(indent));

  if (isMap(node)) {
    if (node.flow) {
      const r = placeholder(fx, path, prop, true);
      const pairText = `${renderKey(prop)}: ${'inline' in r ? r.inline : '{}'}`;
      if (node.items.length === 0) {
        const [start, end] = node.range ?? [0, 0];
        if (loc.parent && (loc.parent as YAMLMap).flow) return fix([edit(fx, start, end, `{ ${pairText} }`)]);
        if (loc.pair) {
          // `key: {}` in block style: the property goes on its own line below the key
          const keyCol = column(fx, (loc.pair.key as Node).range?.[0] ?? 0);
          return fix([edit(fx, afterColon(fx, loc.pair), end, eol + ' '.repeat(keyCol + fx.unit) + blockLines(keyCol + fx.unit))]);
        }
        // `- {}` or a document `{}`: a block mapping in its place
        return fix([edit(fx, start, end, blockLines(column(fx, start)))]);
      }
      const last = node.items[node.items.length - 1] as Pair;
      const at = pairEnd(fx, last);
      return fix([edit(fx, at, at, `, ${pairText}`)]);
    }
    const first = node.items[0];
    const last = node.items[node.items.length - 1];
    if (!first || !last) return [];
    const col = column(fx, (first.key as Node).range?.[0] ?? 0);
    const endLine = fx.lines.positionAt(pairEnd(fx, last)).line;
    const at = fx.lines.lineEnd(endLine);
    return fix([edit(fx, at, at, eol + ' '.repeat(col) + blockLines(col))]);
  }
  if ((node === null || (isScalar(node) && node.value === null)) && loc.pair) {
    // `key:` with no value yet
    const keyCol = column(fx, (loc.pair.key as Node).range?.[0] ?? 0);
    const start = afterColon(fx, loc.pair);
    const end = node && node.range ? Math.max(start, node.range[1]) : start;
    return fix([edit(fx, start, end, eol + ' '.repeat(keyCol + fx.unit) + blockLines(keyCol + fx.unit))]);
  }
  return [];
}

function scalarStyle(node: Scalar): 'plain' | 'double' | 'single' {
  if (node.type === 'QUOTE_DOUBLE') return 'double';
  if (node.type === 'QUOTE_SINGLE') return 'single';
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') return 'double';
  return 'plain';
}

function changeValue(fx: FixContext, path: PathSegment[], allowedIn: unknown[] | undefined, suggestion: string | undefined): QuickFix[] {
  const loc = locatePath(fx.doc, path);
  if (!loc) return [];
  let allowed = allowedIn;
  if ((!allowed || allowed.length === 0) && fx.schema !== undefined) allowed = summarize(appliedAt(fx.schema, path, documentValue(fx.doc))).allowed;
  allowed = (allowed ?? []).filter((a) => a === null || ['string', 'number', 'boolean'].includes(typeof a));
  if (allowed.length === 0 && suggestion === undefined) return [];
  const node = loc.node;
  let start: number;
  let end: number;
  let style: 'plain' | 'double' | 'single' = 'plain';
  let lead = '';
  if (isScalar(node) && node.range) {
    [start, end] = node.range;
    style = scalarStyle(node);
    if (end === start && fx.text[start - 1] === ':') lead = ' ';
  } else if ((node === null || node === undefined) && loc.pair) {
    start = end = afterColon(fx, loc.pair);
    lead = ' ';
  } else return [];
  const inFlow = !!(loc.parent && (loc.parent as YAMLMap).flow);
  const text = (v: unknown): string => {
    const s = renderInStyle(v, style);
    return lead + (inFlow && typeof v === 'string' && style === 'plain' && /[,[\]{}]/.test(s) ? JSON.stringify(v) : s);
  };
  const fixes: QuickFix[] = [];
  const current = isScalar(node) ? node.value : undefined;
  if (suggestion !== undefined) {
    const value = allowed.find((a) => String(a) === suggestion) ?? suggestion;
    fixes.push({ title: `Change to '${renderScalar(value)}'`, edits: [edit(fx, start, end, text(value))], isPreferred: true });
  }
  if (allowed.length <= 5) {
    for (const a of allowed) {
      if (suggestion !== undefined && String(a) === suggestion) continue;
      if (a === current) continue;
      fixes.push({ title: `Change to '${renderScalar(a)}'`, edits: [edit(fx, start, end, text(a))], ...(allowed.length === 1 && suggestion === undefined ? { isPreferred: true } : {}) });
    }
  }
  return fixes;
}

function unknownProperty(fx: FixContext, pathIn: PathSegment[], property: string | undefined, suggestion: string | undefined): QuickFix[] {
  const last = pathIn[pathIn.length - 1];
  const key = property ?? (last !== undefined ? String(last) : undefined);
  if (key === undefined) return [];
  const objectPath = last !== undefined && String(last) === key ? pathIn.slice(0, -1) : pathIn;
  const loc = locatePath(fx.doc, objectPath);
  const map = loc?.node;
  if (!isMap(map)) return [];
  const index = map.items.findIndex((p) => keyString(p) === key);
  const pair = map.items[index];
  if (!pair) return [];
  const keyNode = pair.key as Scalar;
  if (!keyNode.range) return [];
  const fixes: QuickFix[] = [];
  // renaming onto a key that is already there would duplicate it
  if (suggestion !== undefined && !map.items.some((p) => keyString(p) === suggestion)) {
    fixes.push({
      title: `Rename to '${suggestion}'`,
      edits: [edit(fx, keyNode.range[0], keyNode.range[1], scalarStyle(keyNode) === 'plain' ? renderKey(suggestion) : renderInStyle(suggestion, scalarStyle(keyNode)))],
      isPreferred: true,
    });
  }
  const removal = removePair(fx, map, pair, index, loc?.pair);
  if (removal) fixes.push({ title: `Remove unknown property '${key}'`, edits: [removal] });
  return fixes;
}

function removePair(fx: FixContext, map: YAMLMap, pair: Pair, index: number, parentPair: Pair | undefined): TextEdit | undefined {
  const keyStart = (pair.key as Node).range?.[0];
  if (keyStart === undefined) return undefined;
  let end = pairEnd(fx, pair);
  const items = map.items;
  if (map.flow) {
    if (items.length === 1) return edit(fx, keyStart, end, '');
    if (index > 0) return edit(fx, pairEnd(fx, items[index - 1] as Pair), end, '');
    const nextStart = ((items[1] as Pair).key as Node).range?.[0] ?? end;
    return edit(fx, keyStart, nextStart, '');
  }
  // the only key: the mapping becomes empty (`key: {}` under a key, `- {}` in a list, `{}` for the document)
  if (items.length === 1) {
    // a comment after the value on its line goes with it
    const lineEnd = fx.lines.lineEnd(fx.lines.positionAt(end).line);
    if (/^\s*#/.test(fx.text.slice(end, lineEnd))) end = lineEnd;
    if (parentPair && (parentPair.value as Node | null) === map) return edit(fx, afterColon(fx, parentPair), end, ' {}');
    return edit(fx, keyStart, end, '{}');
  }
  const keyPos = fx.lines.positionAt(keyStart);
  const lineStart = fx.lines.starts[keyPos.line] as number;
  if (fx.text.slice(lineStart, keyStart).trim() !== '') {
    // `- key: …` (first key of a list item): the next key moves up behind the dash
    if (index === 0) return edit(fx, keyStart, ((items[1] as Pair).key as Node).range?.[0] ?? end, '');
    return edit(fx, keyStart, end, '');
  }
  // whole lines: the key, its value's block, and comments indented inside it
  let endLine = fx.lines.positionAt(end).line;
  while (endLine + 1 < fx.lines.lineCount) {
    const next = fx.lines.line(endLine + 1);
    if (next.trim().startsWith('#') && indentOf(next) > keyPos.character) endLine++;
    else break;
  }
  if (endLine + 1 < fx.lines.lineCount) return edit(fx, lineStart, fx.lines.starts[endLine + 1] as number, '');
  // the last line of the text: take the line break before it instead
  const from = keyPos.line > 0 ? fx.lines.lineEnd(keyPos.line - 1) : lineStart;
  return edit(fx, from, fx.text.length, '');
}

function quoteBoolean(fx: FixContext, path: PathSegment[]): QuickFix[] {
  const loc = locatePath(fx.doc, path);
  const node = loc?.node;
  if (!isScalar(node) || !node.range || node.type !== 'PLAIN') return [];
  const [start, end] = node.range;
  const source = fx.text.slice(start, end);
  if (!source) return [];
  return [{ title: `Quote '${source}' so Kubernetes reads a string`, edits: [edit(fx, start, end, JSON.stringify(source))], isPreferred: true }];
}

