/**
 * Kyverno conditions (`preconditions`, `validate.deny.conditions`): `any`/`all`
 * blocks (or the legacy plain list, which is `all`) of `{key, operator,
 * value}`, with the operators of pkg/engine/variables/operator, their
 * type rules included (a duration, a quantity or a number compares as such;
 * `Equals` on strings takes wildcards in the value; the `In` family matches
 * wildcards both ways and reads a JSON list in a string).
 */
import { isObject } from '../kubernetes';
import { validateValue, operatorOf } from './kyverno-pattern';
import type { Resolve } from './kyverno-variables';
import { substituteAll } from './kyverno-variables';
import { compareQuantities, compareSemver, isQuantity, jsonEqual, parseGoDuration, parseGoFloat, parseGoInt, parseSemver, sprint, wildcardMatch } from './kyverno-values';

export const OPERATORS = [
  'Equals',
  'NotEquals',
  'In',
  'AnyIn',
  'AllIn',
  'NotIn',
  'AnyNotIn',
  'AllNotIn',
  'GreaterThan',
  'GreaterThanOrEquals',
  'LessThan',
  'LessThanOrEquals',
  'DurationGreaterThan',
  'DurationGreaterThanOrEquals',
  'DurationLessThan',
  'DurationLessThanOrEquals',
] as const;
export type Operator = (typeof OPERATORS)[number];

/** The operator a policy names (any case; `Equal`/`NotEqual` are the old spellings), or undefined. */
export function operatorNamed(name: unknown): Operator | undefined {
  if (typeof name !== 'string') return undefined;
  const lower = name.toLowerCase();
  if (lower === 'equal') return 'Equals';
  if (lower === 'notequal') return 'NotEquals';
  return OPERATORS.find((o) => o.toLowerCase() === lower);
}

export interface Condition {
  key: unknown;
  operator: Operator;
  value: unknown;
  message?: string;
}

export interface Conditions {
  any?: Condition[];
  all?: Condition[];
}

export interface ConditionsResult {
  result: boolean;
  /** The messages of the conditions that decided, joined as Kyverno joins them. */
  message: string;
  /** The conditions that held (for placing a deny finding). */
  held: Condition[];
}

/** Evaluates `any`/`all` as Kyverno does; a variable that does not resolve throws. */
export function evaluateConditions(conditions: Conditions, resolve: Resolve): ConditionsResult {
  const trueMessages: string[] = [];
  const falseMessages: string[] = [];
  const held: Condition[] = [];
  let anyResult = true;
  if (conditions.any) {
    anyResult = false;
    for (const c of conditions.any) {
      if (evaluateCondition(c, resolve)) {
        anyResult = true;
        held.push(c);
        if (c.message) trueMessages.push(c.message);
        break;
      }
      if (c.message) falseMessages.push(c.message);
    }
  }
  let allResult = true;
  for (const c of conditions.all ?? []) {
    if (!evaluateCondition(c, resolve)) {
      allResult = false;
      if (c.message) falseMessages.push(c.message);
      break;
    }
    held.push(c);
    if (c.message) trueMessages.push(c.message);
  }
  const result = anyResult && allResult;
  return { result, message: (result ? trueMessages : falseMessages).join('; '), held };
}

export function evaluateCondition(c: Condition, resolve: Resolve): boolean {
  return evaluateOperator(c.operator, substituteAll(c.key, resolve), substituteAll(c.value, resolve));
}

export function evaluateOperator(op: Operator, key: unknown, value: unknown): boolean {
  switch (op) {
    case 'Equals':
      return equals(key, value);
    case 'NotEquals':
      return notEquals(key, value);
    case 'In':
    case 'NotIn':
      return inOperator(op === 'NotIn', key, value);
    case 'AnyIn':
    case 'AnyNotIn':
      return anyIn(op === 'AnyNotIn', key, value);
    case 'AllIn':
    case 'AllNotIn':
      return allIn(op === 'AllNotIn', key, value);
    case 'DurationGreaterThan':
    case 'DurationGreaterThanOrEquals':
    case 'DurationLessThan':
    case 'DurationLessThanOrEquals':
      return durationCompare(op, key, value);
    default:
      return numericCompare(op, key, value);
  }
}

/** Kyverno's `parseDuration(key, value)`: at least one side a duration string (not "0"), the other a duration or a number of seconds. */
function durationPair(key: unknown, value: unknown): [number, number] | undefined {
  const asDuration = (v: unknown): number | undefined => (typeof v === 'string' && v !== '0' ? parseGoDuration(v) : undefined);
  let k = asDuration(key);
  let v = asDuration(value);
  if (k === undefined && v === undefined) return undefined;
  if (k === undefined) {
    if (typeof key !== 'number') return undefined;
    k = key;
  }
  if (v === undefined) {
    if (typeof value !== 'number') return undefined;
    v = value;
  }
  return [k, v];
}

function equals(key: unknown, value: unknown): boolean {
  if (typeof key === 'boolean') return value === key;
  if (typeof key === 'number') return typeof value === 'number' ? value === key : typeof value === 'string' && parseGoFloat(value) === key;
  if (typeof key === 'string') {
    const d = durationPair(key, value);
    if (d) return d[0] === d[1];
    if (isQuantity(key) && typeof value === 'string') return compareQuantities(key, value) === 0;
    return typeof value === 'string' && wildcardMatch(value, key);
  }
  if (Array.isArray(key)) return Array.isArray(value) && jsonEqual(key, value);
  if (isObject(key)) return isObject(value) && jsonEqual(key, value);
  return false;
}

function notEquals(key: unknown, value: unknown): boolean {
  if (typeof key === 'boolean') return typeof value !== 'boolean' || value !== key;
  if (typeof key === 'number') {
    if (typeof value === 'number') return value !== key;
    if (typeof value !== 'string') return true;
    const f = parseGoFloat(value);
    return f === undefined || f !== key;
  }
  if (typeof key === 'string') {
    const d = durationPair(key, value);
    if (d) return d[0] !== d[1];
    if (isQuantity(key) && typeof value === 'string' && value !== '') {
      const c = compareQuantities(key, value);
      return c === undefined || c !== 0;
    }
    return typeof value === 'string' ? !wildcardMatch(value, key) : true;
  }
  if (Array.isArray(key)) return !Array.isArray(value) || !jsonEqual(key, value);
  if (isObject(key)) return !isObject(value) || !jsonEqual(key, value);
  return false;
}

const scalar = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const bothWays = (a: string, b: string): boolean => wildcardMatch(a, b) || wildcardMatch(b, a);

/** A string value that holds a JSON list of strings, as Go's `json.Unmarshal(…, &[]string)`; 'invalid' when it does not. */
function jsonStrings(text: string): string[] | 'invalid' {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : 'invalid';
  } catch {
    return 'invalid';
  }
}

/** For AnyIn/AllIn: a JSON list, or the string itself when it is not JSON. */
function listOrSelf(text: string): string[] | 'invalid' {
  try {
    JSON.parse(text);
  } catch {
    return [text];
  }
  return jsonStrings(text);
}

function stringKeys(key: unknown[], op: string): string[] {
  if (!key.every((k) => typeof k === 'string')) throw new Error(`${op}: a list key must hold strings`);
  return key;
}

/** `In` / `NotIn` (deprecated in Kyverno, still run): exact set membership for a list key. */
function inOperator(not: boolean, key: unknown, value: unknown): boolean {
  if (scalar(key)) {
    const exists = keyInValue(sprint(key), value, false);
    return exists === 'invalid' ? false : not ? !exists : exists;
  }
  if (!Array.isArray(key)) return false;
  const keys = stringKeys(key, not ? 'NotIn' : 'In');
  let values: string[] | 'invalid';
  if (Array.isArray(value)) values = value.every((v) => typeof v === 'string') ? (value) : 'invalid';
  else if (typeof value === 'string') {
    if (keys.length === 1 && keys[0] === value) return true;
    values = jsonStrings(value);
  } else values = 'invalid';
  if (values === 'invalid') return false;
  const set = new Set(values);
  return not ? keys.some((k) => !set.has(k)) : keys.every((k) => set.has(k));
}

/** Whether one key is in the value: a list (wildcards both ways), a wildcard string, a range (AnyIn/AllIn) or a JSON list. */
function keyInValue(key: string, value: unknown, ranges: boolean): boolean | 'invalid' {
  if (Array.isArray(value)) return value.some((v) => bothWays(sprint(v), key));
  if (typeof value !== 'string') return 'invalid';
  if (wildcardMatch(value, key)) return true;
  if (ranges && operatorOf(value) === '-') return validateValue(key, value);
  const list = ranges ? listOrSelf(value) : jsonStrings(value);
  return list === 'invalid' ? 'invalid' : list.includes(key);
}

function anyIn(not: boolean, key: unknown, value: unknown): boolean {
  if (scalar(key)) {
    const exists = keyInValue(sprint(key), value, true);
    return exists === 'invalid' ? false : not ? !exists : exists;
  }
  if (!Array.isArray(key)) return false;
  const keys = key.map(sprint);
  let values: string[] | 'invalid';
  if (Array.isArray(value)) values = value.map(sprint);
  else if (typeof value === 'number' || typeof value === 'boolean') values = [sprint(value)];
  else if (typeof value === 'string') {
    if (keys.length === 1 && keys[0] === value) return !not;
    if (operatorOf(value) === '-') return keys.some((k) => validateValue(k, not ? value.replace('-', '!-') : value));
    values = listOrSelf(value);
  } else values = 'invalid';
  if (values === 'invalid') return false;
  const list = values;
  const matched = (k: string): boolean => list.some((v) => bothWays(k, v));
  return not ? keys.some((k) => !matched(k)) : keys.some(matched);
}

function allIn(not: boolean, key: unknown, value: unknown): boolean {
  if (scalar(key)) {
    const exists = keyInValue(sprint(key), value, true);
    return exists === 'invalid' ? false : not ? !exists : exists;
  }
  if (!Array.isArray(key)) return false;
  const keys = key.map(sprint);
  let values: string[] | 'invalid';
  if (Array.isArray(value)) values = value.map(sprint);
  else if (typeof value === 'string') {
    if (keys.length === 1 && keys[0] === value) return !not;
    if (operatorOf(value) === '-') return not ? keys.every((k) => !validateValue(k, value)) : keys.every((k) => validateValue(k, value));
    values = listOrSelf(value);
  } else values = 'invalid';
  if (values === 'invalid') return false;
  const list = values;
  const matched = (k: string): boolean => list.some((v) => bothWays(k, v));
  return not ? !keys.some(matched) : keys.every(matched);
}

function byOperator(op: Operator, cmp: number): boolean {
  if (op.endsWith('GreaterThanOrEquals')) return cmp >= 0;
  if (op.endsWith('GreaterThan')) return cmp > 0;
  if (op.endsWith('LessThanOrEquals')) return cmp <= 0;
  return cmp < 0;
}

function numberAgainst(op: Operator, key: number, value: unknown): boolean {
  if (typeof value === 'number') return byOperator(op, Math.sign(key - value));
  if (typeof value !== 'string') return false;
  const d = durationPair(key, value);
  if (d) return byOperator(op, Math.sign(d[0] - d[1]));
  const f = parseGoFloat(value) ?? parseGoInt(value);
  return f !== undefined && byOperator(op, Math.sign(key - f));
}

/** GreaterThan & co: durations, then quantities, then numbers, then semantic versions. */
function numericCompare(op: Operator, key: unknown, value: unknown): boolean {
  if (typeof key === 'number') return numberAgainst(op, key, value);
  if (typeof key !== 'string') return false;
  const d = durationPair(key, value);
  if (d) return byOperator(op, Math.sign(d[0] - d[1]));
  if (typeof value === 'string') {
    const q = compareQuantities(key, value);
    if (q !== undefined) return byOperator(op, q);
  }
  const f = parseGoFloat(key) ?? parseGoInt(key);
  if (f !== undefined) return numberAgainst(op, f, value);
  const version = parseSemver(key);
  if (version) {
    const other = typeof value === 'string' ? parseSemver(value) : undefined;
    return other !== undefined && byOperator(op, compareSemver(version, other));
  }
  return false;
}

/** The deprecated Duration* operators: Go durations, or numbers of (whole) seconds. */
function durationCompare(op: Operator, key: unknown, value: unknown): boolean {
  const seconds = (v: unknown): number | undefined => (typeof v === 'number' ? Math.trunc(v) : typeof v === 'string' ? parseGoDuration(v) : undefined);
  const k = seconds(key);
  const v = seconds(value);
  return k !== undefined && v !== undefined && byOperator(op, Math.sign(k - v));
}
