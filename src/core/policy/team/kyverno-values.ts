/**
 * The value semantics Kyverno borrows from Go and Kubernetes, reproduced so a
 * pattern or a condition gives the answer Kyverno gives: `*`/`?` wildcards
 * (github.com/IGLOU-EU/go-wildcard v1), Go durations (`time.ParseDuration`),
 * resource quantities, and the way Go prints values into strings.
 */
import { charge } from '../../util/budget';
import { isObject } from '../kubernetes';
import { parseQuantity } from './cel';

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * `*` matches any run of characters (also none), `?` exactly one; everything
 * else literally. Greedy with a return to the last `*` (no regular expression:
 * `*a*a*a*a*b` against 300 characters backtracked for hours), so at most
 * pattern × text steps, each charged to the policy budget in blocks.
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === text;
  // `?` is one character, also outside the BMP
  const p: ArrayLike<string> = SURROGATE.test(pattern) || SURROGATE.test(text) ? [...pattern] : pattern;
  const t: ArrayLike<string> = p === pattern ? text : [...text];
  let pi = 0;
  let ti = 0;
  let star = -1;
  let resume = 0;
  let steps = 0;
  while (ti < t.length) {
    if (++steps === 1024) {
      charge(steps);
      steps = 0;
    }
    const c = p[pi];
    if (c === '*') {
      star = pi++;
      resume = ti;
    } else if (pi < p.length && (c === '?' || c === t[ti])) {
      pi++;
      ti++;
    } else if (star >= 0) {
      // the last `*` takes one more character
      pi = star + 1;
      ti = ++resume;
    } else return false;
  }
  while (p[pi] === '*') pi++;
  charge(steps);
  return pi === p.length;
}

export function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?');
}

const UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Go's `time.ParseDuration` (`1h30m`, `500ms`, `-1.5h`; a bare number only for `0`), in seconds; undefined when it does not parse. */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s.startsWith('-')) sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let total = 0;
  const re = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/u;
  while (s !== '') {
    const m = re.exec(s);
    if (!m || ((m[1] ?? '') === '' && (m[2] ?? '') === '')) return undefined;
    total += Number(`${m[1] || '0'}.${m[2] || '0'}`) * (UNIT_SECONDS[m[3] ?? ''] ?? 0);
    s = s.slice(m[0].length);
  }
  return sign * total;
}

/** Compares two quantities (`500m`, `1Gi`); undefined when either does not parse. */
export function compareQuantities(a: string, b: string): number | undefined {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  if (!x || !y) return undefined;
  return x.nanos < y.nanos ? -1 : x.nanos > y.nanos ? 1 : 0;
}

export function isQuantity(text: string): boolean {
  return parseQuantity(text) !== undefined;
}

/** Go's `strconv.FormatFloat(v, 'E', -1, 64)`: `5E-01`, `1.5E+00`. */
export function formatFloatE(v: number): string {
  const [mantissa = '0', exp = '0'] = v.toExponential().split('e');
  const n = Number(exp);
  return `${mantissa}E${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

/** A value as Go's `fmt.Sprint` prints it for the set operators (numbers plainly, others as JSON). */
export function sprint(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A value substituted into a longer string, as Kyverno does (`json.Marshal` for everything but strings). */
export function stringifyValue(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value ?? null) ?? 'null');
}

/** Deep equality of JSON values (Go's `reflect.DeepEqual` on decoded JSON). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** Go's `strconv.ParseFloat` for decimal numbers: the whole string must be one. */
export function parseGoFloat(text: string): number | undefined {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : undefined;
}

/** Go's `strconv.ParseInt(s, 10, 64)`. */
export function parseGoInt(text: string): number | undefined {
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  pre: string[];
}

/** A strict semantic version (`1.2.3`, `1.2.3-rc.1+build`), as blang/semver parses it. */
export function parseSemver(text: string): SemVer | undefined {
  const m = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre: m[4] ? m[4].split('.') : [] };
}

export function compareSemver(a: SemVer, b: SemVer): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return Math.sign(core);
  if (a.pre.length === 0 || b.pre.length === 0) return a.pre.length === b.pre.length ? 0 : a.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i] ?? '';
    const y = b.pre[i] ?? '';
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return Math.sign(Number(x) - Number(y));
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return Math.sign(a.pre.length - b.pre.length);
}
