/**
 * Which schema(s) apply at a path of a document: local `$ref`s resolved (with a cycle
 * guard), `allOf` parts all applied, `anyOf`/`oneOf` narrowed to the branches that fit
 * the document's value there (a matching `kind`/`apiVersion` `const`/`enum` wins), simple
 * `if`/`then`/`else` evaluated against the value, then `properties`, `patternProperties`,
 * `additionalProperties` and `items` (list and tuple forms) followed segment by segment.
 *
 * Pure and cheap: no compilation, only the schema objects touched by the path are read.
 */
import { backtrackingIsSafe, re2FromJs } from '../util/regexp';
import type { JSONSchema, PathSegment, SchemaNode } from './types';

/** A schema that applies at a point, and whether it applies only maybe (an undecided `anyOf`/`oneOf`/`if` branch). */
export interface Applied {
  schema: JSONSchema;
  /** True when the schema comes from an alternative that the value does not decide yet. */
  optional: boolean;
}

const MAX_DEPTH = 48;
const EMPTY: JSONSchema = Object.freeze({});

/** Keywords handled by expansion; everything else is the schema's "own" part at a point. */
const APPLICATORS = new Set(['$ref', 'allOf', 'anyOf', 'oneOf', 'if', 'then', 'else', 'definitions', '$defs', '$schema', '$id']);

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isSchemaNode(v: unknown): v is SchemaNode {
  return typeof v === 'boolean' || isObject(v);
}

/** Resolves a local reference (`#`, `#/definitions/x`, `#/$defs/x`, any `#/json/pointer`). */
export function resolveRef(root: SchemaNode, ref: string): SchemaNode | undefined {
  if (ref === '#' || ref === '') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      seg = raw;
    }
    seg = seg.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(seg)) node = node[Number(seg)];
    else if (isObject(node) && Object.prototype.hasOwnProperty.call(node, seg)) node = node[seg];
    else return undefined;
  }
  return isSchemaNode(node) ? node : undefined;
}

const ownParts = new WeakMap<JSONSchema, JSONSchema | null>();

/** The schema without its applicator keywords (cached, so the same object comes back every time). */
function ownPart(schema: JSONSchema): JSONSchema | undefined {
  let own = ownParts.get(schema);
  if (own === undefined) {
    const keys = Object.keys(schema);
    if (keys.every((k) => !APPLICATORS.has(k))) own = schema;
    else {
      const copy: JSONSchema = {};
      for (const k of keys) if (!APPLICATORS.has(k)) copy[k] = schema[k];
      own = Object.keys(copy).length ? copy : null;
    }
    ownParts.set(schema, own);
  }
  return own ?? undefined;
}

interface Ctx {
  root: SchemaNode;
}

/**
 * Every schema that applies to a value at one point (no descent into children):
 * `$ref`, `allOf`, `anyOf`/`oneOf` and `if`/`then`/`else` expanded.
 */
export function expand(node: SchemaNode | undefined, value: unknown, root: SchemaNode, optional = false): Applied[] {
  const out: Applied[] = [];
  expandInto(node, value, { root }, optional, out, [], 0);
  return dedupe(out);
}

function expandInto(node: SchemaNode | undefined, value: unknown, ctx: Ctx, optional: boolean, out: Applied[], refs: readonly string[], depth: number): void {
  if (depth > MAX_DEPTH || node === undefined || node === false) return;
  if (node === true) {
    out.push({ schema: EMPTY, optional });
    return;
  }
  if (!isObject(node)) return;
  const own = ownPart(node);
  if (own) out.push({ schema: own, optional });
  if (typeof node.$ref === 'string' && !refs.includes(node.$ref)) {
    const target = resolveRef(ctx.root, node.$ref);
    if (target !== undefined) expandInto(target, value, ctx, optional, out, [...refs, node.$ref], depth + 1);
  }
  if (Array.isArray(node.allOf)) {
    for (const part of node.allOf) if (isSchemaNode(part)) expandInto(part, value, ctx, optional, out, refs, depth + 1);
  }
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const branches = node[keyword];
    if (!Array.isArray(branches)) continue;
    const chosen = pickBranches(branches.filter(isSchemaNode), value, ctx, refs, depth);
    for (const b of chosen) expandInto(b, value, ctx, optional || chosen.length > 1, out, refs, depth + 1);
  }
  if (node.if !== undefined && (node.then !== undefined || node.else !== undefined)) {
    const result = evaluate(node.if, value, ctx, refs, depth + 1);
    if (result === true) expandInto(node.then, value, ctx, optional, out, refs, depth + 1);
    else if (result === false) expandInto(node.else, value, ctx, optional, out, refs, depth + 1);
    else {
      expandInto(node.then, value, ctx, true, out, refs, depth + 1);
      expandInto(node.else, value, ctx, true, out, refs, depth + 1);
    }
  }
}

function dedupe(list: Applied[]): Applied[] {
  const seen = new Map<JSONSchema, Applied>();
  const out: Applied[] = [];
  for (const a of list) {
    const prev = seen.get(a.schema);
    if (prev) {
      if (!a.optional) prev.optional = false;
      continue;
    }
    const copy = { ...a };
    seen.set(a.schema, copy);
    out.push(copy);
  }
  return out;
}

/**
 * The `anyOf`/`oneOf` branches that fit the value: branches it contradicts (type,
 * `const`/`enum`, a discriminating property such as `kind`) are dropped, and of the rest
 * those with the most positive matches are kept. When nothing fits, all branches stay.
 */
function pickBranches(branches: SchemaNode[], value: unknown, ctx: Ctx, refs: readonly string[], depth: number): SchemaNode[] {
  if (value === undefined || branches.length <= 1) return branches;
  const scored = branches.map((b) => ({ b, score: scoreBranch(b, value, ctx, refs, depth) }));
  const fitting = scored.filter((s) => s.score >= 0);
  if (fitting.length === 0) return branches;
  const best = Math.max(...fitting.map((s) => s.score));
  return fitting.filter((s) => s.score === best).map((s) => s.b);
}

/** -1 when the value contradicts the branch, else the number of discriminating matches. */
function scoreBranch(branch: SchemaNode, value: unknown, ctx: Ctx, refs: readonly string[], depth: number): number {
  if (branch === false) return -1;
  const flat: Applied[] = [];
  expandInto(branch, value, ctx, false, flat, refs, depth + 1);
  let score = 0;
  for (const { schema: s, optional } of flat) {
    if (optional) continue;
    if (value !== null && s.type !== undefined && !typeMatches(s.type, value)) return -1;
    if (isScalar(value)) {
      const allowed = constraintValues(s);
      if (allowed) {
        if (!allowed.some((a) => deepEqual(a, value))) return -1;
        score++;
      }
    }
    if (isObject(value)) {
      if (isObject(s.properties)) {
        for (const [k, ps] of Object.entries(s.properties)) {
          const v = value[k];
          if (!isScalar(v) || v === null) continue;
          const allowed = discriminatorValues(ps, ctx.root);
          if (!allowed) continue;
          if (!allowed.some((a) => deepEqual(a, v))) return -1;
          score++;
        }
      }
      const gvk = groupVersionKinds(s);
      if (gvk.length) {
        const kind = value.kind;
        const apiVersion = value.apiVersion;
        if (typeof kind === 'string' && !gvk.some((g) => g.kind === kind)) return -1;
        if (typeof apiVersion === 'string' && !gvk.some((g) => g.apiVersion === apiVersion)) return -1;
        if (typeof kind === 'string') score++;
      }
    }
  }
  return score;
}

/** `x-kubernetes-group-version-kind` entries as apiVersion/kind pairs. */
export function groupVersionKinds(s: JSONSchema): Array<{ apiVersion: string; kind: string }> {
  const raw = s['x-kubernetes-group-version-kind'];
  if (!Array.isArray(raw)) return [];
  const out: Array<{ apiVersion: string; kind: string }> = [];
  for (const g of raw) {
    if (!isObject(g) || typeof g.kind !== 'string' || typeof g.version !== 'string') continue;
    const group = typeof g.group === 'string' ? g.group : '';
    out.push({ apiVersion: group ? `${group}/${g.version}` : g.version, kind: g.kind });
  }
  return out;
}

/** `const`/`enum` of a schema itself. */
function constraintValues(s: JSONSchema): unknown[] | undefined {
  if (s.const !== undefined) return [s.const];
  if (Array.isArray(s.enum)) return s.enum;
  return undefined;
}

/** The values a property schema allows when it is a discriminator (`const` or `enum` after `$ref`/`allOf`). */
export function discriminatorValues(node: SchemaNode, root: SchemaNode): unknown[] | undefined {
  const flat: Applied[] = [];
  expandInto(node, undefined, { root }, false, flat, [], 0);
  let allowed: unknown[] | undefined;
  for (const { schema, optional } of flat) {
    if (optional) continue;
    const vals = constraintValues(schema);
    if (!vals) continue;
    allowed = allowed ? allowed.filter((a) => vals.some((v) => deepEqual(a, v))) : [...vals];
  }
  return allowed;
}

/**
 * Evaluates a simple `if` schema against a value: `true`, `false`, or `undefined` when the
 * value does not say yet (e.g. the discriminating property is not written).
 */
function evaluate(cond: SchemaNode | undefined, value: unknown, ctx: Ctx, refs: readonly string[], depth: number): boolean | undefined {
  if (cond === undefined || cond === true) return true;
  if (cond === false) return false;
  if (!isObject(cond) || depth > MAX_DEPTH) return true;
  if (value === undefined) return undefined;
  let result: boolean | undefined = true;
  const and = (r: boolean | undefined): void => {
    if (r === false) result = false;
    else if (r === undefined && result === true) result = undefined;
  };
  if (typeof cond.$ref === 'string' && !refs.includes(cond.$ref)) {
    and(evaluate(resolveRef(ctx.root, cond.$ref), value, ctx, [...refs, cond.$ref], depth + 1));
  }
  if (cond.const !== undefined) and(deepEqual(cond.const, value));
  if (Array.isArray(cond.enum)) and(cond.enum.some((e) => deepEqual(e, value)));
  if (cond.type !== undefined) and(typeMatches(cond.type, value));
  if (isObject(value)) {
    if (Array.isArray(cond.required)) and(cond.required.every((k) => typeof k === 'string' && k in value));
    if (isObject(cond.properties)) {
      for (const [k, ps] of Object.entries(cond.properties)) {
        if (!isSchemaNode(ps)) continue;
        if (k in value) and(evaluate(ps, value[k], ctx, refs, depth + 1));
        else if (isObject(ps) && (ps.const !== undefined || Array.isArray(ps.enum))) and(undefined);
      }
    }
  }
  if (Array.isArray(cond.allOf)) for (const p of cond.allOf) if (isSchemaNode(p)) and(evaluate(p, value, ctx, refs, depth + 1));
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const list = cond[keyword];
    if (!Array.isArray(list)) continue;
    const results = list.filter(isSchemaNode).map((p) => evaluate(p, value, ctx, refs, depth + 1));
    and(results.some((r) => r === true) ? true : results.every((r) => r === false) ? false : undefined);
  }
  if (cond.not !== undefined) {
    const r = evaluate(cond.not, value, ctx, refs, depth + 1);
    and(r === undefined ? undefined : !r);
  }
  return result;
}

function isScalar(v: unknown): v is string | number | boolean | null {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

export function typeMatches(type: unknown, value: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  const actual = jsonType(value);
  return types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const patternCache = new Map<string, { test(text: string): boolean } | null>();

/** Whether a `patternProperties` pattern matches a key: on RE2, as validation runs it (a workspace schema's pattern must not hang a hover). */
function patternMatches(pattern: string, key: string): boolean {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    try {
      re = re2FromJs(pattern);
    } catch {
      try {
        re = backtrackingIsSafe(pattern) ? new RegExp(pattern, 'u') : null;
      } catch {
        re = null;
      }
    }
    if (patternCache.size > 500) patternCache.clear();
    patternCache.set(pattern, re);
  }
  return re ? re.test(key) : false;
}

/** The (unexpanded) schemas of a child, with the optional flag of the schema they come from. */
export function childSchemas(applied: readonly Applied[], segment: PathSegment): Array<{ node: SchemaNode; optional: boolean }> {
  const out: Array<{ node: SchemaNode; optional: boolean }> = [];
  for (const { schema: s, optional } of applied) {
    const arrayLike = s.items !== undefined || s.prefixItems !== undefined || s.type === 'array';
    if (typeof segment === 'number' && arrayLike) {
      const tuple = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : undefined;
      let node: unknown;
      if (tuple) node = segment < tuple.length ? tuple[segment] : Array.isArray(s.items) ? s.additionalItems : s.items;
      else node = s.items;
      if (isSchemaNode(node)) out.push({ node, optional });
      continue;
    }
    const key = String(segment);
    let matched = false;
    if (isObject(s.properties) && Object.prototype.hasOwnProperty.call(s.properties, key)) {
      const node = s.properties[key];
      if (isSchemaNode(node)) out.push({ node, optional });
      matched = true;
    }
    if (isObject(s.patternProperties)) {
      for (const [pattern, node] of Object.entries(s.patternProperties)) {
        if (isSchemaNode(node) && patternMatches(pattern, key)) {
          out.push({ node, optional });
          matched = true;
        }
      }
    }
    if (!matched && isSchemaNode(s.additionalProperties)) out.push({ node: s.additionalProperties, optional });
  }
  return out;
}

/** The value one step down a path (undefined when absent). */
export function childValue(value: unknown, segment: PathSegment): unknown {
  if (Array.isArray(value)) return typeof segment === 'number' ? value[segment] : undefined;
  if (isObject(value)) return Object.prototype.hasOwnProperty.call(value, String(segment)) ? value[String(segment)] : undefined;
  return undefined;
}

/** Expanded schemas of a child of the point described by `applied`. */
export function childApplied(applied: readonly Applied[], segment: PathSegment, value: unknown, root: SchemaNode): Applied[] {
  const out: Applied[] = [];
  for (const c of childSchemas(applied, segment)) expandInto(c.node, value, { root }, c.optional, out, [], 0);
  return dedupe(out);
}

/**
 * The applied schemas at `path`. `value` is the value of the whole document (not of the
 * point at `path`); at every step the value at that point chooses between alternatives.
 */
export function appliedAt(root: SchemaNode, path: readonly PathSegment[], value?: unknown): Applied[] {
  let applied = expand(root, value, root);
  let v = value;
  for (const seg of path) {
    if (applied.length === 0) return applied;
    v = childValue(v, seg);
    applied = childApplied(applied, seg, v, root);
  }
  return applied;
}

/**
 * The schema(s) that apply at `path` of a document whose whole value is `value`: local
 * `$ref`s resolved, `allOf` parts all included (the list is their merge), `anyOf`/`oneOf`
 * branches narrowed to those compatible with the value there (else all), `if`/`then`/`else`
 * evaluated where the value decides it (else both), then `properties`, `patternProperties`,
 * `additionalProperties` and `items` (incl. tuples) followed. The returned schemas have their
 * applicator keywords (`$ref`, `allOf`, `anyOf`, `oneOf`, `if`/`then`/`else`) already applied
 * and removed; read `properties`, `required`, `type`, `enum`, `description`… from them.
 */
export function subSchemas(root: SchemaNode, path: readonly PathSegment[], value?: unknown): JSONSchema[] {
  return appliedAt(root, path, value).map((a) => a.schema);
}

/** Facts about a point merged from all the schemas that apply there. */
export interface Summary {
  title?: string;
  description?: string;
  markdownDescription?: string;
  /** Declared types (intersection of the definite ones, else union of the alternatives). */
  types: string[];
  /** Allowed values when constrained by `enum`/`const` (definite constraints intersected). */
  allowed?: unknown[];
  /** Descriptions of allowed values (keyed by JSON of the value), markdown. */
  valueDocs: Map<string, string>;
  default?: unknown;
  hasDefault: boolean;
  examples: unknown[];
  deprecated: boolean;
  deprecationMessage?: string;
  /** Property names in schema order. */
  properties: string[];
  required: Set<string>;
  doNotSuggest: Set<string>;
  /** Schemas say something about an object's keys (properties, patternProperties, additionalProperties). */
  objectLike: boolean;
  /** The value of additionalProperties when it is a schema (maps of strings etc.). */
  additional?: SchemaNode;
  arrayLike: boolean;
}

export function summarize(applied: readonly Applied[]): Summary {
  const sum: Summary = {
    types: [],
    valueDocs: new Map(),
    hasDefault: false,
    examples: [],
    deprecated: false,
    properties: [],
    required: new Set(),
    doNotSuggest: new Set(),
    objectLike: false,
    arrayLike: false,
  };
  let definiteTypes: string[] | undefined;
  const optionalTypes = new Set<string>();
  let definiteAllowed: unknown[] | undefined;
  let optionalAllowed: unknown[] | undefined;
  const seenProps = new Set<string>();
  for (const { schema: s, optional } of applied) {
    if (sum.title === undefined && typeof s.title === 'string') sum.title = s.title;
    if (sum.markdownDescription === undefined && typeof s.markdownDescription === 'string') sum.markdownDescription = s.markdownDescription;
    if (sum.description === undefined && typeof s.description === 'string') sum.description = s.description;
    if (s.type !== undefined) {
      const types = (Array.isArray(s.type) ? s.type : [s.type]).filter((t): t is string => typeof t === 'string');
      if (optional) types.forEach((t) => optionalTypes.add(t));
      else definiteTypes = definiteTypes ? definiteTypes.filter((t) => types.includes(t) || (t === 'integer' && types.includes('number'))) : types;
    }
    const vals = constraintValues(s);
    if (vals) {
      if (optional) optionalAllowed = [...(optionalAllowed ?? []), ...vals.filter((v) => !(optionalAllowed ?? []).some((o) => deepEqual(o, v)))];
      else definiteAllowed = definiteAllowed ? definiteAllowed.filter((a) => vals.some((v) => deepEqual(a, v))) : [...vals];
      const docs = Array.isArray(s.markdownEnumDescriptions) ? s.markdownEnumDescriptions : Array.isArray(s.enumDescriptions) ? s.enumDescriptions : undefined;
      if (docs && Array.isArray(s.enum)) {
        s.enum.forEach((v, i) => {
          const d = docs[i];
          const key = JSON.stringify(v);
          if (typeof d === 'string' && d && !sum.valueDocs.has(key)) sum.valueDocs.set(key, d);
        });
      }
    }
    if (!sum.hasDefault && s.default !== undefined) {
      sum.default = s.default;
      sum.hasDefault = true;
    }
    if (Array.isArray(s.examples)) {
      for (const e of s.examples) if (!sum.examples.some((x) => deepEqual(x, e))) sum.examples.push(e);
    }
    if (s.deprecated === true || typeof s.deprecationMessage === 'string' || typeof s.markdownDeprecationMessage === 'string') {
      sum.deprecated = true;
      const msg = s.markdownDeprecationMessage ?? s.deprecationMessage;
      if (typeof msg === 'string' && sum.deprecationMessage === undefined) sum.deprecationMessage = msg;
    }
    if (isObject(s.properties)) {
      sum.objectLike = true;
      for (const [k, ps] of Object.entries(s.properties)) {
        if (!seenProps.has(k)) {
          seenProps.add(k);
          sum.properties.push(k);
        }
        if (isObject(ps) && ps.doNotSuggest === true) sum.doNotSuggest.add(k);
      }
    }
    if (isObject(s.patternProperties)) sum.objectLike = true;
    if (s.additionalProperties !== undefined && s.additionalProperties !== false) {
      sum.objectLike = true;
      if (sum.additional === undefined) sum.additional = s.additionalProperties;
    }
    if (!optional && Array.isArray(s.required)) for (const r of s.required) if (typeof r === 'string') sum.required.add(r);
    if (s.items !== undefined || s.prefixItems !== undefined) sum.arrayLike = true;
  }
  sum.types = definiteTypes ?? [...optionalTypes];
  if (definiteAllowed) sum.allowed = definiteAllowed;
  else if (optionalAllowed) sum.allowed = optionalAllowed;
  if (sum.allowed && sum.examples.length) sum.examples = sum.examples.filter((e) => sum.allowed?.some((a) => deepEqual(a, e)));
  if (sum.types.includes('object')) sum.objectLike = true;
  if (sum.types.includes('array')) sum.arrayLike = true;
  return sum;
}
