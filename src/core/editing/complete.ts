/**
 * Schema-driven completion for one YAML document: keys of the mapping at the cursor
 * (required first, documented), values (enum/const, booleans, defaults, examples),
 * skeleton snippets (a whole manifest for an empty document, the missing required
 * properties of a mapping) and well-known annotation keys.
 */
import { cursorContext } from './cursor';
import type { CursorContext } from './cursor';
import { appliedAt, childApplied, childValue, expand, summarize } from './navigate';
import type { Applied, Summary } from './navigate';
import { apiVersionsFor, keyLines, propertyMarkdown, renderObject, renderValue, rootKinds, seqLines, skeletonKeys, Stops } from './skeleton';
import type { RenderOptions } from './skeleton';
import { renderInStyle, renderKey, renderScalar, snippetText } from './text';
import type { CompletionItem, EditingDocs, EditingRequest, PathSegment, SchemaNode } from './types';

/** Longest snippet a key completion inserts before it falls back to an empty nested block. */
const MAX_SNIPPET_LINES = 40;

/**
 * Completion items at a position of a YAML document. Never throws: malformed or
 * incomplete YAML gives the best items the indentation outline allows, or none.
 */
export function complete(req: EditingRequest): CompletionItem[] {
  try {
    return completeUnsafe(req);
  } catch {
    return [];
  }
}

function completeUnsafe(req: EditingRequest): CompletionItem[] {
  const ctx = cursorContext(req.text, req.position);
  if (!ctx) return [];
  const items: CompletionItem[] = [];
  if (ctx.objectPath) items.push(...keyItems(ctx, ctx.objectPath, req.schema, req.docs));
  if (ctx.valuePath) items.push(...valueItems(ctx, ctx.valuePath, req.schema));
  const seen = new Set<string>();
  return items.filter((i) => {
    const id = `${i.kind}\u0000${i.label}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Joins snippet lines; lines after the first get the extra indentation VS Code does not add by itself. */
function joinLines(lines: readonly string[], extra: number): string {
  const pad = ' '.repeat(Math.max(0, extra));
  return lines.map((l, i) => (i === 0 || l === '' ? l : pad + l)).join('\n');
}

function snippetOptions(root: SchemaNode, ctx: CursorContext, maxDepth: number): RenderOptions {
  return { root, snippet: true, unit: ctx.indentUnit, maxDepth, essentials: true, ...(ctx.flow ? { flow: true } : {}) };
}

function keyItems(ctx: CursorContext, path: PathSegment[], root: SchemaNode, docs: EditingDocs | undefined): CompletionItem[] {
  const applied = appliedAt(root, path, ctx.value);
  const sum = summarize(applied);
  const out: CompletionItem[] = [];

  // `containers:\n  |` — the value is a list not yet started: offer its items' keys after a dash
  if (ctx.newBlock && !ctx.item && !ctx.flow && !sum.objectLike && sum.arrayLike) {
    const itemApplied = childApplied(applied, 0, undefined, root);
    return propertyItems(ctx, itemApplied, [...path, 0], root, docs, '- ');
  }

  const last = path[path.length - 1];
  if (last === 'annotations' && path[path.length - 2] === 'metadata' && docs?.annotations) {
    for (const [key, info] of Object.entries(docs.annotations)) {
      if (ctx.presentKeys.has(key)) continue;
      const k = snippetText(renderKey(key));
      out.push({
        label: key,
        kind: 'property',
        insertText: ctx.hasColon ? k : `${k}: \${1}`,
        filterText: key,
        detail: 'annotation',
        documentation: info.url ? `${info.description}\n\n[Documentation](${info.url})` : info.description,
        sortText: `1_${key}`,
        range: ctx.range,
      });
    }
  }
  out.push(...propertyItems(ctx, applied, path, root, docs, ''));
  if (!ctx.flow && !ctx.hasColon) out.push(...skeletonItems(ctx, applied, sum, path, root, docs));
  return out;
}

function propertyItems(ctx: CursorContext, applied: readonly Applied[], path: PathSegment[], root: SchemaNode, docs: EditingDocs | undefined, dash: string): CompletionItem[] {
  const sum = summarize(applied);
  const out: CompletionItem[] = [];
  const objectValue = valueAt(ctx.value, path);
  const extra = ctx.keyColumn + dash.length - ctx.lineIndent;
  for (const key of sum.properties) {
    if (ctx.presentKeys.has(key) || sum.doNotSuggest.has(key)) continue;
    const child = childApplied(applied, key, childValue(objectValue, key), root);
    const csum = summarize(child);
    const required = sum.required.has(key);
    const items = csum.arrayLike ? summarize(childApplied(child, 0, undefined, root)) : undefined;
    const link = docs?.kindUrl ? { label: 'Reference', url: docs.kindUrl } : undefined;
    let insertText: string;
    if (ctx.hasColon) insertText = snippetText(renderKey(key));
    else {
      const opts = snippetOptions(root, ctx, 6);
      let lines = keyLines(key, renderValue(child, [...path, key], undefined, 1, opts, new Stops()), opts);
      if (lines.length > MAX_SNIPPET_LINES) lines = [`${snippetText(renderKey(key))}:`, `${' '.repeat(ctx.indentUnit)}\${1}`];
      if (dash) lines = seqLines(lines);
      insertText = joinLines(lines, extra - dash.length);
    }
    out.push({
      label: key,
      kind: 'property',
      insertText,
      filterText: key,
      ...(typeLabelShort(csum, items) ? { detail: typeLabelShort(csum, items) } : {}),
      documentation: propertyMarkdown(csum, { key, required, ...(link ? { link } : {}) }, items),
      sortText: `${csum.deprecated ? 3 : required ? 1 : 2}_${key}`,
      ...(required ? { required } : {}),
      ...(csum.deprecated ? { deprecated: true } : {}),
      range: ctx.range,
    });
  }
  return out;
}

function typeLabelShort(sum: Summary, items?: Summary): string | undefined {
  if (sum.title) return sum.title;
  if (sum.allowed && sum.allowed.length === 1) return renderScalar(sum.allowed[0]);
  if (sum.types.length) return sum.types.map((t) => (t === 'array' && items?.types.length ? `${items.types.join(' | ')}[]` : t)).join(' | ');
  if (sum.objectLike) return 'object';
  if (sum.arrayLike) return 'array';
  return undefined;
}

/** Snippets that insert a whole skeleton: one per kind in an empty document, or the missing required properties. */
function skeletonItems(ctx: CursorContext, applied: readonly Applied[], sum: Summary, path: PathSegment[], root: SchemaNode, docs: EditingDocs | undefined): CompletionItem[] {
  const out: CompletionItem[] = [];
  const opts = snippetOptions(root, ctx, 10);
  const extra = ctx.keyColumn - ctx.lineIndent;
  if (path.length === 0 && ctx.emptyDocument) {
    for (const kind of rootKinds(root)) {
      const apiVersions = apiVersionsFor(root, kind);
      const value: Record<string, unknown> = { kind, ...(apiVersions[0] ? { apiVersion: apiVersions[0] } : {}) };
      const variant = expand(root, value, root);
      const lines = renderObject(variant, [], value, 0, opts, new Stops());
      if (!lines.length) continue;
      const vsum = summarize(variant);
      const description = vsum.markdownDescription ?? vsum.description;
      out.push({
        label: kind,
        kind: 'snippet',
        insertText: joinLines(lines, extra),
        filterText: kind,
        detail: `${apiVersions.length ? `${apiVersions.join(', ')} ` : ''}skeleton`,
        documentation: [
          `Inserts a ${kind} with the properties it needs.`,
          ...(description ? [description.trim()] : []),
          ...(docs?.kindUrl ? [`[Reference](${docs.kindUrl})`] : []),
        ].join('\n\n'),
        sortText: `0_${kind}`,
        range: ctx.range,
      });
    }
    if (out.length) return out;
  }
  const missing = skeletonKeys(sum, path, opts).filter((k) => !ctx.presentKeys.has(k));
  if (missing.length === 0 || (missing.length === 1 && !sum.required.has(missing[0] as string))) return out;
  const lines = renderObject(applied, path, valueAt(ctx.value, path), 0, opts, new Stops(), ctx.presentKeys);
  if (!lines.length) return out;
  out.push({
    label: 'required properties',
    kind: 'snippet',
    insertText: joinLines(lines, extra),
    filterText: missing.join(' '),
    detail: missing.join(', '),
    documentation: `Inserts the missing properties: ${missing.map((k) => `\`${k}\``).join(', ')}.`,
    sortText: '0_',
    range: ctx.range,
  });
  return out;
}

function valueAt(value: unknown, path: readonly PathSegment[]): unknown {
  let v = value;
  for (const seg of path) v = childValue(v, seg);
  return v;
}

function valueItems(ctx: CursorContext, path: PathSegment[], root: SchemaNode): CompletionItem[] {
  const applied = appliedAt(root, path, ctx.value);
  if (applied.length === 0) return [];
  const sum = summarize(applied);
  const candidates: Array<{ value: unknown; sort: string; detail?: string; doc?: string }> = [];
  const add = (value: unknown, sort: string, detail?: string): void => {
    if (!(value === null || ['string', 'number', 'boolean'].includes(typeof value))) return;
    if (candidates.some((c) => c.value === value)) return;
    const doc = sum.valueDocs.get(JSON.stringify(value));
    candidates.push({ value, sort, ...(detail ? { detail } : {}), ...(doc ? { doc } : {}) });
  };
  if (sum.hasDefault) add(sum.default, '0_', 'default');
  (sum.allowed ?? []).forEach((v, i) => add(v, `1_${String(i).padStart(4, '0')}`));
  if (!sum.allowed && sum.types.includes('boolean')) {
    add(true, '1_0');
    add(false, '1_1');
  }
  if (!sum.allowed) sum.examples.forEach((v, i) => add(v, `2_${String(i).padStart(4, '0')}`, 'example'));
  const style = ctx.quote === '"' ? 'double' : ctx.quote === "'" ? 'single' : 'plain';
  return candidates.map((c) => {
    let text = c.value !== null && typeof c.value === 'object' ? JSON.stringify(c.value) : ctx.flow ? flowScalar(c.value, style) : renderInStyle(c.value, style);
    if (ctx.quote && typeof c.value !== 'string') text = renderScalar(c.value);
    const label = typeof c.value === 'string' ? c.value : renderScalar(c.value);
    return {
      label,
      kind: 'value' as const,
      insertText: (ctx.needsSpace ? ' ' : '') + snippetText(text),
      filterText: ctx.quote ? `${ctx.quote}${label}` : label,
      ...(c.detail ? { detail: c.detail } : {}),
      ...(c.doc ? { documentation: c.doc } : {}),
      sortText: c.sort,
      range: ctx.range,
    };
  });
}

/** A scalar inside a flow collection: also quoted when it has flow indicators. */
function flowScalar(v: unknown, style: 'plain' | 'double' | 'single'): string {
  const s = renderInStyle(v, style);
  return typeof v === 'string' && style === 'plain' && /[,[\]{}]/.test(s) ? JSON.stringify(v) : s;
}
