/**
 * The JMESPath functions a Kyverno variable may call before commit: the
 * standard library of the JMESPath specification and the deterministic, local
 * part of Kyverno's own (strings, regular expressions, wildcards, label
 * matching, number arithmetic, base64, JSON, lookups). Kyverno functions that
 * need the clock, randomness, a registry or certificates (`time_*`, `random`,
 * `x509_decode`, `image_normalize`, …) are not here: the loader reports an
 * expression that calls them as not supported.
 */
import { re2 } from '../../util/regexp';
import type { SafeRegExp } from '../../util/regexp';
import { isObject } from '../kubernetes';
import { wildcardMatch } from './kyverno-values';

/** An `&expr` argument (for `sort_by`, `map`, …). */
export class ExpRef {
  constructor(readonly node: unknown) {}
}

type Apply = (ref: ExpRef, value: unknown) => unknown;
type Fn = (args: unknown[], apply: Apply) => unknown;

function typeOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof ExpRef) return 'expref';
  if (isObject(v)) return 'object';
  return typeof v;
}

function fail(name: string, message: string): never {
  throw new Error(`${name}(): ${message}`);
}

function str(name: string, v: unknown): string {
  if (typeof v !== 'string') fail(name, `expected a string, got ${typeOf(v)}`);
  return v;
}

function num(name: string, v: unknown): number {
  if (typeof v !== 'number') fail(name, `expected a number, got ${typeOf(v)}`);
  return v;
}

function arr(name: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) fail(name, `expected an array, got ${typeOf(v)}`);
  return v as unknown[];
}

function obj(name: string, v: unknown): Record<string, unknown> {
  if (!isObject(v)) fail(name, `expected an object, got ${typeOf(v)}`);
  return v;
}

function ref(name: string, v: unknown): ExpRef {
  if (!(v instanceof ExpRef)) fail(name, `expected an expression (&…), got ${typeOf(v)}`);
  return v;
}

/** A string or a number as a string (Kyverno's regex functions accept both). */
function strOrNum(name: string, v: unknown): string {
  if (typeof v === 'number') return String(v);
  return str(name, v);
}

/** A regular expression in Go's syntax, on RE2 (linear time: the text matched is the manifest's). */
export function goRegex(pattern: string): SafeRegExp {
  return re2(pattern);
}

/** Go's `Regexp.ReplaceAllString` template: `$1`, `${1}`, `$name`, `${name}`; `$$` is a `$`. */
function expandTemplate(template: string, m: RegExpMatchArray): string {
  return template.replace(/\$(?:\$|\{(\w+)\}|(\w+))/g, (all, braced: string | undefined, bare: string | undefined) => {
    if (all === '$$') return '$';
    const name = braced ?? bare ?? '';
    const value = /^\d+$/.test(name) ? m[Number(name)] : m.groups?.[name];
    return value ?? '';
  });
}

function sortable(name: string, list: unknown[]): unknown[] {
  if (list.every((x) => typeof x === 'number')) return [...(list)].sort((a, b) => a - b);
  if (list.every((x) => typeof x === 'string')) return [...(list)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return fail(name, 'expected an array of numbers or of strings');
}

function by(name: string, list: unknown[], key: ExpRef, apply: Apply): { item: unknown; key: number | string }[] {
  const keyed = list.map((item) => ({ item, key: apply(key, item) }));
  const kinds = new Set(keyed.map((k) => typeof k.key));
  if (keyed.length > 0 && (kinds.size !== 1 || !(kinds.has('number') || kinds.has('string')))) fail(name, 'the expression must give all numbers or all strings');
  return keyed as { item: unknown; key: number | string }[];
}

function extreme(name: string, list: unknown[], pick: (a: number | string, b: number | string) => boolean): unknown {
  if (list.length === 0) return null;
  const sorted = sortable(name, list) as (number | string)[];
  return sorted.reduce((best, x) => (pick(x, best) ? x : best));
}

function toStringValue(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v ?? null);
}

function contains(haystack: unknown, needle: unknown): boolean {
  if (typeof haystack === 'string') return typeof needle === 'string' && haystack.includes(needle);
  if (Array.isArray(haystack)) return haystack.some((x) => JSON.stringify(x) === JSON.stringify(needle));
  return fail('contains', `expected an array or a string, got ${typeOf(haystack)}`);
}

function arithmetic(name: string, a: unknown, b: unknown, op: (x: number, y: number) => number): number {
  if (typeof a !== 'number' || typeof b !== 'number') fail(name, 'only numbers are supported before commit (not quantities or durations)');
  return op(a, b);
}

function items(v: unknown, keyName: string, valueName: string): unknown[] {
  if (Array.isArray(v)) return v.map((x, i) => ({ [keyName]: i, [valueName]: x as unknown }));
  return Object.keys(obj('items', v))
    .sort()
    .map((k) => ({ [keyName]: k, [valueName]: (v as Record<string, unknown>)[k] }));
}

const STANDARD: Record<string, Fn> = {
  abs: ([a]) => Math.abs(num('abs', a)),
  avg: ([a]) => {
    const list = arr('avg', a).map((x) => num('avg', x));
    return list.length === 0 ? null : list.reduce((s, x) => s + x, 0) / list.length;
  },
  ceil: ([a]) => Math.ceil(num('ceil', a)),
  contains: ([a, b]) => contains(a, b),
  ends_with: ([a, b]) => str('ends_with', a).endsWith(str('ends_with', b)),
  floor: ([a]) => Math.floor(num('floor', a)),
  join: ([sep, list]) => arr('join', list).map((x) => str('join', x)).join(str('join', sep)),
  keys: ([a]) => Object.keys(obj('keys', a)),
  length: ([a]) => {
    if (typeof a === 'string') return [...a].length;
    if (Array.isArray(a)) return a.length;
    return Object.keys(obj('length', a)).length;
  },
  map: ([f, list], apply) => arr('map', list).map((x) => apply(ref('map', f), x) ?? null),
  max: ([a]) => extreme('max', arr('max', a), (x, best) => x > best),
  max_by: ([a, f], apply) => {
    const keyed = by('max_by', arr('max_by', a), ref('max_by', f), apply);
    return keyed.length === 0 ? null : keyed.reduce((best, x) => (x.key > best.key ? x : best)).item;
  },
  merge: (args) => Object.assign({}, ...args.map((a) => obj('merge', a))) as unknown,
  min: ([a]) => extreme('min', arr('min', a), (x, best) => x < best),
  min_by: ([a, f], apply) => {
    const keyed = by('min_by', arr('min_by', a), ref('min_by', f), apply);
    return keyed.length === 0 ? null : keyed.reduce((best, x) => (x.key < best.key ? x : best)).item;
  },
  not_null: (args) => args.find((a) => a !== null && a !== undefined) ?? null,
  reverse: ([a]) => (typeof a === 'string' ? [...a].reverse().join('') : [...arr('reverse', a)].reverse()),
  sort: ([a]) => sortable('sort', arr('sort', a)),
  sort_by: ([a, f], apply) =>
    by('sort_by', arr('sort_by', a), ref('sort_by', f), apply)
      .map((x, i) => ({ ...x, i }))
      .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : x.i - y.i))
      .map((x) => x.item),
  starts_with: ([a, b]) => str('starts_with', a).startsWith(str('starts_with', b)),
  sum: ([a]) => arr('sum', a).reduce<number>((s, x) => s + num('sum', x), 0),
  to_array: ([a]) => (Array.isArray(a) ? (a as unknown[]) : [a]),
  to_number: ([a]) => {
    if (typeof a === 'number') return a;
    if (typeof a !== 'string' || a.trim() === '') return null;
    const n = Number(a);
    return Number.isNaN(n) ? null : n;
  },
  to_string: ([a]) => toStringValue(a),
  type: ([a]) => (typeOf(a) === 'object' ? 'object' : typeOf(a)),
  values: ([a]) => Object.values(obj('values', a)),
};

const KYVERNO: Record<string, Fn> = {
  compare: ([a, b]) => {
    const x = str('compare', a);
    const y = str('compare', b);
    return x < y ? -1 : x > y ? 1 : 0;
  },
  equal_fold: ([a, b]) => str('equal_fold', a).toLowerCase() === str('equal_fold', b).toLowerCase(),
  replace: ([s, from, to, n]) => {
    const text = str('replace', s);
    const a = str('replace', from);
    const b = str('replace', to);
    const count = num('replace', n);
    if (count < 0) return text.split(a).join(b);
    let out = text;
    let at = 0;
    for (let i = 0; i < count; i++) {
      const found = out.indexOf(a, at);
      if (found < 0) break;
      out = out.slice(0, found) + b + out.slice(found + a.length);
      at = found + b.length;
    }
    return out;
  },
  replace_all: ([s, from, to]) => str('replace_all', s).split(str('replace_all', from)).join(str('replace_all', to)),
  to_upper: ([a]) => str('to_upper', a).toUpperCase(),
  to_lower: ([a]) => str('to_lower', a).toLowerCase(),
  trim: ([s, cut]) => {
    const chars = new Set(str('trim', cut));
    const text = [...str('trim', s)];
    let start = 0;
    let end = text.length;
    while (start < end && chars.has(text[start] ?? '')) start++;
    while (end > start && chars.has(text[end - 1] ?? '')) end--;
    return text.slice(start, end).join('');
  },
  trim_prefix: ([s, prefix]) => {
    const text = str('trim_prefix', s);
    const p = str('trim_prefix', prefix);
    return text.startsWith(p) ? text.slice(p.length) : text;
  },
  split: ([s, sep]) => {
    const text = str('split', s);
    const by = str('split', sep);
    return by === '' ? [...text] : text.split(by);
  },
  regex_match: ([re, s]) => goRegex(str('regex_match', re)).test(strOrNum('regex_match', s)),
  regex_replace_all: ([re, s, repl]) => {
    const template = strOrNum('regex_replace_all', repl);
    return goRegex(str('regex_replace_all', re)).replaceAll(strOrNum('regex_replace_all', s), (m) => expandTemplate(template, m));
  },
  regex_replace_all_literal: ([re, s, repl]) => {
    const literal = strOrNum('regex_replace_all_literal', repl);
    return goRegex(str('regex_replace_all_literal', re)).replaceAll(strOrNum('regex_replace_all_literal', s), () => literal);
  },
  pattern_match: ([p, s]) => wildcardMatch(str('pattern_match', p), strOrNum('pattern_match', s)),
  label_match: ([selector, labels]) => {
    const want = obj('label_match', selector);
    const have = obj('label_match', labels);
    return Object.entries(want).every(([k, v]) => k in have && have[k] === v);
  },
  to_boolean: ([a]) => {
    const v = str('to_boolean', a).toLowerCase();
    if (v !== 'true' && v !== 'false') fail('to_boolean', `"${String(a)}" is not a boolean`);
    return v === 'true';
  },
  add: ([a, b]) => arithmetic('add', a, b, (x, y) => x + y),
  subtract: ([a, b]) => arithmetic('subtract', a, b, (x, y) => x - y),
  multiply: ([a, b]) => arithmetic('multiply', a, b, (x, y) => x * y),
  divide: ([a, b]) => arithmetic('divide', a, b, (x, y) => (y === 0 ? fail('divide', 'division by zero') : x / y)),
  modulo: ([a, b]) => arithmetic('modulo', a, b, (x, y) => (y === 0 || !Number.isInteger(x) || !Number.isInteger(y) ? fail('modulo', 'integers and a non-zero divisor are required') : x % y)),
  round: ([a, digits]) => {
    const f = 10 ** num('round', digits);
    return Math.round(num('round', a) * f) / f;
  },
  base64_decode: ([a]) => Buffer.from(str('base64_decode', a), 'base64').toString('utf8'),
  base64_encode: ([a]) => Buffer.from(str('base64_encode', a), 'utf8').toString('base64'),
  truncate: ([a, n]) => [...str('truncate', a)].slice(0, Math.max(0, num('truncate', n))).join(''),
  parse_json: ([a]) => {
    try {
      return JSON.parse(str('parse_json', a)) as unknown;
    } catch {
      return fail('parse_json', 'not valid JSON');
    }
  },
  lookup: ([collection, key]) => {
    if (Array.isArray(collection)) {
      const i = num('lookup', key);
      const list = collection as unknown[];
      return Number.isInteger(i) && i >= 0 && i < list.length ? list[i] : null;
    }
    const o = obj('lookup', collection);
    const k = str('lookup', key);
    return k in o ? o[k] : null;
  },
  items: ([collection, keyName, valueName]) => items(collection, str('items', keyName), str('items', valueName)),
  object_from_lists: ([keys, values]) => {
    const k = arr('object_from_lists', keys);
    const v = arr('object_from_lists', values);
    return Object.fromEntries(k.map((key, i) => [str('object_from_lists', key), v[i] ?? null]));
  },
};

const FUNCTIONS: Record<string, Fn> = { ...STANDARD, ...KYVERNO };

export function isKnownFunction(name: string): boolean {
  return Object.hasOwn(FUNCTIONS, name);
}

export function callFunction(name: string, args: unknown[], apply: Apply): unknown {
  const fn = FUNCTIONS[name];
  if (!fn) throw new Error(`unknown function ${name}()`);
  return fn(args, apply);
}

