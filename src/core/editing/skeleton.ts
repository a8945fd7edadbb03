/**
 * Text for values the schema asks for: completion snippets (with tab stops) and the
 * plain placeholders quick fixes insert (`""`, `0`, `false`, `{}`, `[]`, or the nested
 * required properties). Also the markdown that documents a property.
 */
import { childApplied, childValue, discriminatorValues, expand, groupVersionKinds, isObject, resolveRef, summarize } from './navigate';
import type { Applied, Summary } from './navigate';
import { code, renderKey, renderScalar, snippetChoice, snippetText } from './text';
import type { PathSegment, SchemaNode } from './types';

/** A value as text: on the key's line, as lines of a nested mapping, or as the lines of one list item. */
export type Rendered = { inline: string } | { block: string[] } | { seq: string[] };

export interface RenderOptions {
  root: SchemaNode;
  /** Snippet with tab stops (completion) or plain text (quick fixes). */
  snippet: boolean;
  /** Indentation step. */
  unit: number;
  /** Write flow style (`{a: 1}`) instead of block lines. */
  flow?: boolean;
  /** Nesting below which objects are left empty. */
  maxDepth: number;
  /** Snippet only: also fill in what manifests need in practice but schemas do not require (Kubernetes). */
  essentials?: boolean;
}

/** Tab stop numbering shared by one snippet. */
export class Stops {
  private n = 0;
  /** Tab stop of `metadata.name`, mirrored into the labels of a Kubernetes skeleton. */
  name?: number;

  next(): number {
    return ++this.n;
  }
}

const FIRST_KEYS = ['apiVersion', 'kind', 'metadata', 'spec'];

/** Keys a skeleton writes for an object: required ones, and (Kubernetes snippets) the essentials. */
export function skeletonKeys(sum: Summary, path: readonly PathSegment[], opts: RenderOptions): string[] {
  const props = new Set(sum.properties);
  const keys = new Set<string>(sum.required);
  if (opts.snippet && opts.essentials) {
    const last = path[path.length - 1];
    const parent = path[path.length - 2];
    if (path.length === 0 && props.has('apiVersion') && props.has('kind')) {
      for (const k of FIRST_KEYS) if (props.has(k)) keys.add(k);
    }
    if (last === 'metadata' && props.has('name') && props.has('labels')) keys.add(parent === 'template' ? 'labels' : 'name');
    if (props.has('matchLabels') && props.has('matchExpressions')) keys.add('matchLabels');
    if (last === 'template' && props.has('metadata') && props.has('spec')) {
      keys.add('metadata');
      keys.add('spec');
    }
    if (props.has('name') && props.has('image')) {
      keys.add('name');
      keys.add('image');
    }
  }
  keys.delete('status');
  const order = [
    ...FIRST_KEYS.filter((k) => keys.has(k)),
    ...sum.properties.filter((k) => sum.required.has(k) && keys.has(k) && !FIRST_KEYS.includes(k)),
    ...sum.properties.filter((k) => !sum.required.has(k) && keys.has(k) && !FIRST_KEYS.includes(k)),
  ];
  for (const k of keys) if (!order.includes(k)) order.push(k);
  return order;
}

/** The lines of a mapping holding the skeleton keys of an object (minus `exclude`). */
export function renderObject(
  applied: readonly Applied[],
  path: readonly PathSegment[],
  value: unknown,
  depth: number,
  opts: RenderOptions,
  stops: Stops,
  exclude: ReadonlySet<string> = new Set(),
): string[] {
  const sum = summarize(applied);
  const lines: string[] = [];
  for (const key of skeletonKeys(sum, path, opts)) {
    if (exclude.has(key)) continue;
    const v = childValue(value, key);
    const child = childApplied(applied, key, v, opts.root);
    lines.push(...keyLines(key, renderValue(child, [...path, key], v, depth + 1, opts, stops), opts));
  }
  return lines;
}

/** `key: value`, or `key:` and the nested lines. */
export function keyLines(key: string, r: Rendered, opts: Pick<RenderOptions, 'unit' | 'snippet'>): string[] {
  const k = opts.snippet ? snippetText(renderKey(key)) : renderKey(key);
  const pad = ' '.repeat(opts.unit);
  if ('inline' in r) return [`${k}: ${r.inline}`];
  if ('block' in r) return [`${k}:`, ...r.block.map((l) => pad + l)];
  return [`${k}:`, ...seqLines(r.seq, pad)];
}

/** One list item from its lines: `- first`, the rest under it. */
export function seqLines(item: readonly string[], pad = ''): string[] {
  return item.map((l, i) => (i === 0 ? `${pad}- ${l}` : `${pad}  ${l}`));
}

function isScalarValue(v: unknown): boolean {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

function literal(v: unknown, opts: RenderOptions): string {
  const s = renderScalar(v);
  return opts.snippet ? snippetText(s) : s;
}

/** The text of a value for the schemas that apply to it. */
export function renderValue(applied: readonly Applied[], path: readonly PathSegment[], value: unknown, depth: number, opts: RenderOptions, stops: Stops): Rendered {
  const sum = summarize(applied);
  const allowed = sum.allowed?.filter(isScalarValue);
  if (allowed && allowed.length === 1) return { inline: literal(allowed[0], opts) };
  if (allowed && allowed.length > 1) {
    const ordered = sum.hasDefault && allowed.some((a) => a === sum.default) ? [sum.default, ...allowed.filter((a) => a !== sum.default)] : allowed;
    if (!opts.snippet) return { inline: renderScalar(ordered[0]) };
    return { inline: `\${${stops.next()}|${ordered.map((a) => snippetChoice(renderScalar(a))).join(',')}|}` };
  }
  if (sum.hasDefault && isScalarValue(sum.default)) {
    if (!opts.snippet) return { inline: renderScalar(sum.default) };
    return { inline: `\${${stops.next()}:${snippetText(renderScalar(sum.default))}}` };
  }
  const types = sum.types;
  const objectish = types.includes('object') || (types.length === 0 && sum.objectLike && !sum.arrayLike);
  const arrayish = !objectish && (types.includes('array') || (types.length === 0 && sum.arrayLike));
  if (objectish && !types.some((t) => t !== 'object' && t !== 'null')) {
    if (opts.flow) {
      const pairs = depth > opts.maxDepth ? '' : flowPairs(applied, path, value, depth, opts, stops);
      return { inline: pairs ? `{${pairs}}` : opts.snippet ? `{\${${stops.next()}}}` : '{}' };
    }
    const lines = depth > opts.maxDepth ? [] : renderObject(applied, path, value, depth, opts, stops);
    if (lines.length) return { block: lines };
    if (opts.snippet && opts.essentials && stops.name !== undefined && isLabels(path)) return { block: [`app: \${${stops.name}}`] };
    return opts.snippet ? { block: [`\${${stops.next()}}`] } : { inline: '{}' };
  }
  if (arrayish) {
    const items = depth > opts.maxDepth ? [] : childApplied(applied, 0, childValue(value, 0), opts.root);
    const itemSum = summarize(items);
    const itemObject = itemSum.types.includes('object') || (itemSum.types.length === 0 && itemSum.objectLike);
    if (itemObject && opts.flow) {
      const pairs = flowPairs(items, [...path, 0], childValue(value, 0), depth + 1, opts, stops);
      if (pairs) return { inline: `[{${pairs}}]` };
    } else if (itemObject) {
      const lines = renderObject(items, [...path, 0], childValue(value, 0), depth + 1, opts, stops);
      if (lines.length) return { seq: lines };
    }
    if (opts.flow && opts.snippet) return { inline: `[\${${stops.next()}}]` };
    if (opts.flow || !opts.snippet) return { inline: '[]' };
    return { seq: [`\${${stops.next()}}`] };
  }
  if (opts.snippet && path.length === 2 && path[0] === 'metadata' && path[1] === 'name' && opts.essentials) {
    stops.name = stops.next();
    return { inline: `\${${stops.name}:name}` };
  }
  const t = types[0];
  if (!opts.snippet) {
    if (t === 'boolean') return { inline: 'false' };
    if (t === 'integer' || t === 'number') return { inline: '0' };
    if (t === 'null') return { inline: 'null' };
    return { inline: '""' };
  }
  if (t === 'boolean') return { inline: `\${${stops.next()}|true,false|}` };
  const examples = sum.examples.filter((e): e is string => typeof e === 'string' && e.length > 0 && e.length <= 40 && !/\n/.test(e));
  if (examples.length >= 2 && examples.length <= 8) {
    return { inline: `\${${stops.next()}|${examples.map((e) => snippetChoice(renderScalar(e))).join(',')}|}` };
  }
  if (examples.length === 1) return { inline: `\${${stops.next()}:${snippetText(renderScalar(examples[0]))}}` };
  return { inline: `\${${stops.next()}}` };
}

function isLabels(path: readonly PathSegment[]): boolean {
  const last = path[path.length - 1];
  return last === 'matchLabels' || (last === 'labels' && path[path.length - 3] === 'template');
}

/** `a: 1, b: ""` for a flow mapping. */
function flowPairs(applied: readonly Applied[], path: readonly PathSegment[], value: unknown, depth: number, opts: RenderOptions, stops: Stops): string {
  const sum = summarize(applied);
  const parts: string[] = [];
  for (const key of skeletonKeys(sum, path, opts)) {
    const v = childValue(value, key);
    const child = childApplied(applied, key, v, opts.root);
    const r = renderValue(child, [...path, key], v, depth + 1, { ...opts, flow: true }, stops);
    const k = opts.snippet ? snippetText(renderKey(key)) : renderKey(key);
    parts.push(`${k}: ${'inline' in r ? r.inline : '{}'}`);
  }
  return parts.join(', ');
}

/**
 * The kinds a schema tells apart at its root: `kind` `const`/`enum` values of its
 * alternatives (`anyOf`/`oneOf`/`allOf`/`if`), and `x-kubernetes-group-version-kind`.
 */
export function rootKinds(root: SchemaNode, limit = 80): string[] {
  const kinds: string[] = [];
  const add = (k: unknown): void => {
    if (typeof k === 'string' && k && !kinds.includes(k) && kinds.length < limit) kinds.push(k);
  };
  const visit = (node: unknown, refs: readonly string[], depth: number): void => {
    if (!isObject(node) || depth > 24) return;
    if (typeof node.$ref === 'string' && !refs.includes(node.$ref)) visit(resolveRef(root, node.$ref), [...refs, node.$ref], depth + 1);
    const props = node.properties;
    if (isObject(props) && props.kind !== undefined && (typeof props.kind === 'boolean' || isObject(props.kind))) {
      for (const v of discriminatorValues(props.kind, root) ?? []) add(v);
    }
    for (const g of groupVersionKinds(node)) add(g.kind);
    for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = node[keyword];
      if (Array.isArray(list)) for (const b of list) visit(b, refs, depth + 1);
    }
    for (const keyword of ['if', 'then', 'else'] as const) visit(node[keyword], refs, depth + 1);
  };
  visit(root, [], 0);
  return kinds;
}

/** The apiVersion values the schema allows for a kind. */
export function apiVersionsFor(root: SchemaNode, kind: string): string[] {
  const applied = expand(root, { kind }, root);
  const sum = summarize(childApplied(applied, 'apiVersion', undefined, root));
  const out = (sum.allowed ?? []).filter((v): v is string => typeof v === 'string');
  for (const { schema } of applied) for (const g of groupVersionKinds(schema)) if (g.kind === kind && !out.includes(g.apiVersion)) out.push(g.apiVersion);
  return out;
}

export interface MarkdownOptions {
  key?: string;
  required?: boolean;
  /** Link appended at the end. */
  link?: { label: string; url: string };
}

function typeLabel(sum: Summary, items?: Summary): string | undefined {
  if (sum.types.length === 0) {
    if (sum.objectLike) return 'object';
    if (sum.arrayLike) return 'array';
    return undefined;
  }
  return sum.types
    .map((t) => (t === 'array' && items && items.types.length ? `array of ${items.types.join(' | ')}` : t))
    .join(' | ');
}

/** Markdown that documents a property: title, description, type, allowed values, default. */
export function propertyMarkdown(sum: Summary, opts: MarkdownOptions = {}, items?: Summary): string {
  const parts: string[] = [];
  if (sum.title && sum.title !== opts.key) parts.push(`**${sum.title}**`);
  const description = sum.markdownDescription ?? sum.description;
  if (description) parts.push(description.trim());
  const facts: string[] = [];
  const type = typeLabel(sum, items);
  if (type) facts.push(`Type: \`${type}\`${opts.required ? ' (required)' : ''}`);
  else if (opts.required) facts.push('Required');
  if (sum.allowed && sum.allowed.length) {
    const shown = sum.allowed.slice(0, 30).map(code).join(', ');
    facts.push(sum.allowed.length === 1 ? `Value: ${shown}` : `Allowed values: ${shown}${sum.allowed.length > 30 ? ` … (${sum.allowed.length} in all)` : ''}`);
  } else {
    const examples = sum.examples.filter(isScalarValue);
    if (examples.length) facts.push(`Examples: ${examples.slice(0, 10).map(code).join(', ')}`);
  }
  if (sum.hasDefault) facts.push(`Default: ${code(sum.default)}`);
  if (sum.deprecated) facts.push(`**Deprecated**${sum.deprecationMessage ? `: ${sum.deprecationMessage}` : '.'}`);
  if (facts.length) parts.push(facts.join('  \n'));
  if (opts.link) parts.push(`[${opts.link.label}](${opts.link.url})`);
  return parts.join('\n\n');
}
