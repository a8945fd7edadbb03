/**
 * Kyverno's `validate.pattern` semantics, step for step as
 * pkg/engine/validate and pkg/engine/pattern do it, so a resource passes, fails
 * or is skipped exactly when Kyverno says so, and the failure sits on the path
 * Kyverno names:
 *
 * - a map in the pattern needs a map in the resource; every non-anchored key
 *   must match (a missing key is compared as null);
 * - a list of maps: every resource element must match the first pattern
 *   element; a list of scalars: every resource element must match;
 * - scalars: `*`/`?` wildcards, `|` (or) and `&` (and), `!`, `>`, `<`, `>=`,
 *   `<=`, ranges `a-b` and `a!-b`, Go durations and quantities compared as
 *   such, `null` = empty/zero/absent;
 * - anchors: `(key)` conditional (the map is skipped when it does not
 *   match), `<(key)` global (the whole rule is skipped), `=(key)` equality (checked
 *   only when present), `^(key)` existence (some list element matches), `X(key)`
 *   negation (must be absent).
 */
import { charge, charging } from '../../util/budget';
import type { PathSegment } from '../../findings';
import { isObject } from '../kubernetes';
import { compareQuantities, formatFloatE, hasWildcard, parseGoDuration, parseGoFloat, wildcardMatch } from './kyverno-values';

export type AnchorKind = '' | '<' | 'X' | '+' | '=' | '^';

const anchors = new Map<string, { kind: AnchorKind; key: string } | null>();

/** `(key)`, `=(key)`, … → the anchor and its key; undefined for a plain key (parsed once per key text). */
export function parseAnchor(key: string): { kind: AnchorKind; key: string } | undefined {
  let a = anchors.get(key);
  if (a === undefined) {
    const m = /^([+<=X^])?\((.+)\)$/s.exec(key.trim());
    a = m ? { kind: (m[1] ?? '') as AnchorKind, key: m[2] ?? '' } : null;
    if (anchors.size > 5_000) anchors.clear();
    anchors.set(key, a);
  }
  return a ?? undefined;
}

type ErrorKind = 'plain' | 'conditional' | 'global' | 'negation' | 'skip';

interface PatternError {
  kind: ErrorKind;
  path: PathSegment[];
  message: string;
}

type Step = PatternError | undefined;

export type PatternResult = { status: 'pass' } | { status: 'skip'; message: string } | { status: 'fail'; path: PathSegment[]; message: string } | { status: 'error'; message: string };

/** Kyverno's way of writing a path: `/spec/containers/0/image/`. */
export function kyvernoPath(path: readonly PathSegment[]): string {
  return path.length === 0 ? '/' : `/${path.join('/')}/`;
}

const isSkip = (e: PatternError): boolean => e.kind === 'conditional' || e.kind === 'global' || e.kind === 'skip';
/** A conditional or global anchor that failed at this very level (not one wrapped from below). */
const isDirectSkip = (e: PatternError): boolean => e.kind === 'conditional' || e.kind === 'global';

function describe(v: unknown): string {
  return v === undefined || v === null ? '<nil>' : typeof v === 'string' ? v : JSON.stringify(v);
}

/** One run of a pattern over a resource: remembers which anchor keys were ever found (Kyverno's AnchorMap). */
class PatternRun {
  private readonly anchorsSeen = new Map<string, boolean>();

  run(resource: unknown, pattern: unknown): PatternResult {
    const err = this.element(resource, pattern, []);
    if (!err) return { status: 'pass' };
    if (isSkip(err)) return { status: 'skip', message: err.message };
    if (err.kind !== 'negation' && this.keysAreMissing()) return { status: 'error', message: err.message };
    return { status: 'fail', path: err.path, message: err.message };
  }

  private keysAreMissing(): boolean {
    for (const [key, seen] of this.anchorsSeen) if (!seen && parseAnchor(key)?.kind !== 'X') return true;
    return false;
  }

  private noteAnchors(pattern: Record<string, unknown>, resource: Record<string, unknown>): void {
    for (const key of Object.keys(pattern)) {
      const a = parseAnchor(key);
      if (!a || !(a.kind === '' || a.kind === '^' || a.kind === 'X')) continue;
      if (this.anchorsSeen.get(key) === true) continue;
      this.anchorsSeen.set(key, a.key in resource);
    }
  }

  element(resource: unknown, pattern: unknown, path: PathSegment[]): Step {
    charge(); // the policy budget (src/core/util/budget.ts): an array pattern meets every element of the resource's array
    if (isObject(pattern)) {
      if (!isObject(resource)) return { kind: 'plain', path, message: `expected a map at ${kyvernoPath(path)}, found ${describe(resource)}` };
      this.noteAnchors(pattern, resource);
      return this.map(resource, pattern, path);
    }
    if (Array.isArray(pattern)) {
      if (!Array.isArray(resource)) return { kind: 'plain', path, message: `validation rule failed at path ${kyvernoPath(path)}, resource does not satisfy the expected overlay pattern` };
      return this.array(resource, pattern, path);
    }
    const values = Array.isArray(resource) ? resource : [resource];
    for (const v of values) {
      if (!validateValue(v, pattern)) return { kind: 'plain', path, message: `resource value '${describe(resource)}' does not match '${describe(pattern)}' at path ${kyvernoPath(path)}` };
    }
    return undefined;
  }

  private map(resource: Record<string, unknown>, rawPattern: Record<string, unknown>, path: PathSegment[]): Step {
    const pattern = expandMetadataWildcards(rawPattern, resource);
    const { anchored, rest } = keyOrder(pattern);
    // phase 1: anchors (conditional ones sort first: `(` comes before `=`, `X` and `^`)
    const skips: PatternError[] = [];
    let applied = 0;
    for (const key of anchored) {
      const err = this.handle(key, pattern[key], resource, path);
      if (!err) {
        applied++;
        continue;
      }
      if (isSkip(err)) skips.push(err);
      else if (!skips.some(isDirectSkip)) return err;
    }
    if (skips.length > 0 && (applied === 0 || skips.some(isDirectSkip))) {
      return { kind: 'skip', path, message: skips.map((s) => s.message).join('; ') };
    }
    // phase 2: the other keys, global anchors and keys with anchors below them first
    for (const key of rest) {
      const err = this.handle(key, pattern[key], resource, path);
      if (err) return err;
    }
    return undefined;
  }

  private handle(key: string, pattern: unknown, resource: Record<string, unknown>, path: PathSegment[]): Step {
    const a = parseAnchor(key);
    if (!a || a.kind === '+') return this.plainKey(key, pattern, resource, path);
    const at = [...path, a.key];
    const present = a.key in resource;
    switch (a.kind) {
      case '': {
        if (!present) return { kind: 'conditional', path: at, message: `conditional anchor mismatch: ${a.key} is absent` };
        const err = this.element(resource[a.key], pattern, at);
        return err && { kind: 'conditional', path: err.path, message: `conditional anchor mismatch: ${err.message}` };
      }
      case '<': {
        if (!present) return undefined;
        const err = this.element(resource[a.key], pattern, at);
        return err && { kind: 'global', path: err.path, message: `global anchor mismatch: ${err.message}` };
      }
      case '=':
        return present ? this.element(resource[a.key], pattern, at) : undefined;
      case 'X':
        return present ? { kind: 'negation', path: at, message: `negation anchor matched in resource: ${kyvernoPath(at)} is not allowed` } : undefined;
      case '^':
        return present ? this.existence(resource[a.key], pattern, at) : undefined;
    }
  }

  private plainKey(key: string, pattern: unknown, resource: Record<string, unknown>, path: PathSegment[]): Step {
    const value = resource[key];
    if (pattern === '*') {
      return value !== undefined && value !== null ? undefined : { kind: 'plain', path, message: `${kyvernoPath(path)}${key} not found` };
    }
    return this.element(value, pattern, [...path, key]);
  }

  /** `^(key)`: for each pattern element, some element of the resource list matches it. */
  private existence(resource: unknown, pattern: unknown, path: PathSegment[]): Step {
    if (!Array.isArray(resource)) return { kind: 'plain', path, message: `the existence anchor ^() applies to lists only (${kyvernoPath(path)})` };
    if (!Array.isArray(pattern)) return { kind: 'plain', path, message: `the existence anchor ^() needs a list in the pattern (${kyvernoPath(path)})` };
    for (const p of pattern) {
      if (!isObject(p)) return { kind: 'plain', path, message: `the existence anchor ^() needs a list of maps in the pattern (${kyvernoPath(path)})` };
      const found = resource.some((r, i) => this.element(r, p, [...path, i]) === undefined);
      if (!found) return { kind: 'plain', path, message: `existence anchor validation failed at path ${kyvernoPath(path)}` };
    }
    return undefined;
  }

  private array(resource: unknown[], pattern: unknown[], path: PathSegment[]): Step {
    if (pattern.length === 0) return { kind: 'plain', path, message: 'pattern Array empty' };
    const first = pattern[0];
    if (isObject(first)) return this.arrayOfMaps(resource, first, path);
    if (!Array.isArray(first)) return this.element(resource, first, path);
    // lists of lists: element by element
    if (resource.length < pattern.length) return { kind: 'plain', path, message: `array length mismatch: the resource has ${resource.length} elements, the pattern ${pattern.length}` };
    const skips: PatternError[] = [];
    let applied = 0;
    for (let i = 0; i < pattern.length; i++) {
      const err = this.element(resource[i], pattern[i], [...path, i]);
      if (!err) applied++;
      else if (isSkip(err)) skips.push(err);
      else return err;
    }
    return applied === 0 && skips.length > 0 ? { kind: 'skip', path, message: skips.map((s) => s.message).join('; ') } : undefined;
  }

  private arrayOfMaps(resource: unknown[], pattern: Record<string, unknown>, path: PathSegment[]): Step {
    const skips: PatternError[] = [];
    let applied = 0;
    for (let i = 0; i < resource.length; i++) {
      const err = this.element(resource[i], pattern, [...path, i]);
      if (!err) applied++;
      else if (isSkip(err)) skips.push(err);
      else return err;
    }
    return applied === 0 && skips.length > 0 ? { kind: 'skip', path, message: skips.map((s) => s.message).join('; ') } : undefined;
  }
}

function hasNestedAnchors(pattern: unknown): boolean {
  if (isObject(pattern)) return Object.entries(pattern).some(([k, v]) => ['', '^', '=', 'X', '<'].includes(parseAnchor(k)?.kind ?? '-') || hasNestedAnchors(v));
  return Array.isArray(pattern) && pattern.some(hasNestedAnchors);
}

const orders = new WeakMap<object, { anchored: string[]; rest: string[] }>();

/**
 * Kyverno's order for the keys of a pattern map: the anchors (sorted), then
 * the others with global anchors and keys with anchors below first. Computed
 * once per pattern map.
 */
function keyOrder(pattern: Record<string, unknown>): { anchored: string[]; rest: string[] } {
  let order = orders.get(pattern);
  if (order) return order;
  const keys = Object.keys(pattern).sort();
  const anchored = keys.filter((k) => ['', '^', '=', 'X'].includes(parseAnchor(k)?.kind ?? '-'));
  const front: string[] = [];
  const back: string[] = [];
  for (const key of keys) {
    if (anchored.includes(key)) continue;
    if (parseAnchor(key)?.kind === '<' || hasNestedAnchors(pattern[key])) front.unshift(key);
    else back.push(key);
  }
  order = { anchored, rest: [...front, ...back] };
  orders.set(pattern, order);
  return order;
}

function keyNamed(map: Record<string, unknown>, tag: string): string | undefined {
  return Object.keys(map).find((k) => k === tag || parseAnchor(k)?.key === tag);
}

/**
 * Kyverno lets `metadata.labels` and `metadata.annotations` of a pattern use
 * wildcards in keys (`app.kubernetes.io/*: "?*"`): each such key becomes the
 * first resource key it matches. Kyverno keeps only string values there.
 */
function expandMetadataWildcards(pattern: Record<string, unknown>, resource: Record<string, unknown>): Record<string, unknown> {
  const metaKey = keyNamed(pattern, 'metadata');
  const meta = metaKey !== undefined ? pattern[metaKey] : undefined;
  if (metaKey === undefined || !isObject(meta) || !isObject(resource.metadata)) return pattern;
  const resourceMeta = resource.metadata;
  let out: Record<string, unknown> | undefined;
  for (const tag of ['labels', 'annotations']) {
    const key = keyNamed(meta, tag);
    const values = key !== undefined ? meta[key] : undefined;
    const actual = resourceMeta[tag];
    if (key === undefined || !isObject(values) || !isObject(actual)) continue;
    // nothing to expand or drop: keep the pattern as it is (and its cached key order)
    if (Object.entries(values).every(([k, v]) => typeof v === 'string' && !hasWildcard(parseAnchor(k)?.key ?? k))) continue;
    const expanded: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values)) {
      if (typeof v !== 'string') continue;
      const a = parseAnchor(k);
      const bare = a ? a.key : k;
      const match = hasWildcard(bare) ? (Object.keys(actual).find((r) => wildcardMatch(bare, r)) ?? bare) : bare;
      expanded[a ? `${a.kind}(${match})` : match] = v;
    }
    out ??= { ...meta };
    out[key] = expanded;
  }
  return out ? { ...pattern, [metaKey]: out } : pattern;
}

/** Runs a pattern (already free of variables) over a resource. */
export function matchPattern(resource: unknown, pattern: unknown): PatternResult {
  return charging('Kyverno pattern', () => new PatternRun().run(resource, pattern));
}

// ---- scalar patterns (pkg/engine/pattern) ----

type Operator = '' | '>=' | '<=' | '>' | '<' | '!' | '-' | '!-';

const RANGE = /^([-|+]?\d+(?:\.\d+)?[A-Za-z]*)-([-|+]?\d+(?:\.\d+)?[A-Za-z]*)$/;
const NOT_RANGE = /^([-|+]?\d+(?:\.\d+)?[A-Za-z]*)!-([-|+]?\d+(?:\.\d+)?[A-Za-z]*)$/;

export function operatorOf(pattern: string): Operator {
  if (pattern.length < 2) return '';
  for (const op of ['>=', '<=', '>', '<', '!'] as const) if (pattern.startsWith(op)) return op;
  if (NOT_RANGE.test(pattern)) return '!-';
  if (RANGE.test(pattern)) return '-';
  return '';
}

/** Whether a resource value satisfies a scalar pattern. */
export function validateValue(value: unknown, pattern: unknown): boolean {
  if (typeof pattern === 'boolean') return value === pattern;
  if (typeof pattern === 'number') {
    if (typeof value === 'number') return value === pattern;
    return typeof value === 'string' && parseGoFloat(value) === pattern;
  }
  if (pattern === null || pattern === undefined) {
    return value === undefined || value === null || value === 0 || value === '' || value === false;
  }
  if (isObject(pattern)) return isObject(value);
  if (typeof pattern === 'string') return validateStringPatterns(value, pattern);
  return false;
}

function validateStringPatterns(value: unknown, pattern: string): boolean {
  if (value === pattern) return true;
  return pattern.split('|').some((alt) =>
    trimSpaces(alt)
      .split('&')
      .every((part) => validateStringPattern(value, trimSpaces(part))),
  );
}

function trimSpaces(s: string): string {
  return s.replace(/^ +| +$/g, '');
}

function validateStringPattern(value: unknown, pattern: string): boolean {
  const op = operatorOf(pattern);
  if (op === '-' || op === '!-') {
    const m = (op === '-' ? RANGE : NOT_RANGE).exec(pattern);
    if (!m) return false;
    return op === '-'
      ? validateStringPattern(value, `>= ${m[1] ?? ''}`) && validateStringPattern(value, `<= ${m[2] ?? ''}`)
      : validateStringPattern(value, `< ${m[1] ?? ''}`) || validateStringPattern(value, `> ${m[2] ?? ''}`);
  }
  return validateString(value, pattern.slice(op.length).trim(), op);
}

/** Go's conversion of a resource value for duration and quantity comparisons (`nil` is 0). */
function numberText(value: unknown): string | undefined {
  if (value === undefined || value === null) return '0';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(6);
  return undefined;
}

function byOperator(cmp: number, op: Operator): boolean | undefined {
  switch (op) {
    case '':
      return cmp === 0;
    case '!':
      return cmp !== 0;
    case '>':
      return cmp > 0;
    case '<':
      return cmp < 0;
    case '>=':
      return cmp >= 0;
    case '<=':
      return cmp <= 0;
    default:
      return undefined;
  }
}

function validateString(value: unknown, pattern: string, op: Operator): boolean {
  const text = numberText(value);
  const patternDuration = parseGoDuration(pattern);
  const valueDuration = text !== undefined ? parseGoDuration(text) : undefined;
  if (patternDuration !== undefined && valueDuration !== undefined) {
    const r = byOperator(Math.sign(valueDuration - patternDuration), op);
    if (r !== undefined) return r;
  }
  const q = text !== undefined ? compareQuantities(text, pattern) : undefined;
  if (q !== undefined) {
    const r = byOperator(q, op);
    if (r !== undefined) return r;
  }
  return compareString(value, pattern, op);
}

function compareString(value: unknown, pattern: string, op: Operator): boolean {
  if (op !== '' && op !== '!') return false;
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number') text = Number.isInteger(value) ? String(value) : formatFloatE(value);
  else if (typeof value === 'boolean') text = String(value);
  else return false;
  const matched = wildcardMatch(pattern, text);
  return op === '!' ? !matched : matched;
}
