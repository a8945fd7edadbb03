/**
 * CEL for team policies, as Kubernetes evaluates it: `@marcbachmann/cel-js`
 * (zero dependencies, a type checker that points at the offending column, macros,
 * `cel.bind`, optional types) plus the parts of the Kubernetes CEL library that
 * admission policies use and the library lacks: regex `find`/`findAll`, list
 * `isSorted`/`sum`/`min`/`max`/`indexOf`/`lastIndexOf`, string `replace`/
 * `reverse`/`charAt`, `url()` and `quantity()`.
 *
 * Not available before commit (an expression using them is reported on the
 * policy file, never silently passed): `authorizer`, `ip()`/`cidr()`, the
 * `sets.`/`math.`/`strings.` namespaces and `format()`.
 *
 * Bounded as Kubernetes bounds CEL: regular expressions (`matches`, `find`,
 * `findAll`) run on RE2, and every evaluation charges the policy budget
 * (src/core/util/budget.ts) one step per call and `+` and one per element
 * a macro (`all`, `exists`, `map`, `filter`…) iterates, plus one per ten
 * characters or elements of what a call or `+` returns.
 */
import { Environment } from '@marcbachmann/cel-js';
import { charge, charging, rethrowBudget } from '../../util/budget';
import { re2 } from '../../util/regexp';

/** What a compiled expression is given: the variables it may read. */
export type CelActivation = Record<string, unknown>;

export interface CelProgram {
  source: string;
  run(activation: CelActivation): unknown;
}

export interface CelError {
  message: string;
  /** Offset of the error in the expression, when the library knows it. */
  offset?: number;
}

/** A Kubernetes resource quantity (`500m`, `1.5Gi`, `2e3`), exact in nano units. */
export class Quantity {
  constructor(
    readonly nanos: bigint,
    readonly text: string,
  ) {}
  toString(): string {
    return this.text;
  }
}

const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?\d+))?$/;

/** Parses a quantity as Kubernetes does (rounding up below a nano), or undefined. */
export function parseQuantity(text: string): Quantity | undefined {
  const m = QUANTITY.exec(text.trim());
  if (!m) return undefined;
  const [, sign, number, suffix, exp] = m as unknown as [string, string, string, string | undefined, string | undefined];
  const [whole, frac = ''] = number.split('.');
  const digits = BigInt((whole ?? '') + frac || '0');
  // value = digits × 10^-frac.length × multiplier, in nanos (× 10^9)
  let numerator = digits;
  let denominator = 10n ** BigInt(frac.length);
  if (suffix && suffix in BINARY) numerator *= (BINARY[suffix] as bigint) * 10n ** 9n;
  else {
    const power = (exp !== undefined ? Number(exp) : DECIMAL[suffix ?? ''] ?? 0) + 9;
    if (Math.abs(power) > 400) return undefined;
    if (power >= 0) numerator *= 10n ** BigInt(power);
    else denominator *= 10n ** BigInt(-power);
  }
  let nanos = numerator / denominator;
  if (nanos * denominator < numerator) nanos += 1n;
  return new Quantity(sign === '-' ? -nanos : nanos, text);
}

function quantityOf(text: string): Quantity {
  const q = parseQuantity(text);
  if (!q) throw new Error(`quantity: "${text}" is not a valid quantity`);
  return q;
}

const compareBig = (a: bigint, b: bigint): bigint => (a < b ? -1n : a > b ? 1n : 0n);

const regex = re2;

function compareCel(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  throw new Error('list elements are not comparable');
}

function celEquals(a: unknown, b: unknown): boolean {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => celEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

function parseUrl(text: string): URL {
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(text) && !text.startsWith('/')) throw new Error(`url: "${text}" is not an absolute URI or path`);
  try {
    return new URL(text, text.startsWith('/') ? 'relative:///' : undefined);
  } catch {
    throw new Error(`url: "${text}" is not a valid URL`);
  }
}

function extremum(list: unknown[], pick: (c: number) => boolean, name: string): unknown {
  if (list.length === 0) throw new Error(`${name}() called on an empty list`);
  return list.reduce((best, x) => (pick(compareCel(x, best)) ? x : best));
}

/** The environment every team policy uses; the variables are declared by the caller. */
function baseEnvironment(): Environment {
  return new Environment({
    homogeneousAggregateLiterals: false,
    enableOptionalTypes: true,
    limits: { maxAstNodes: 10_000, maxDepth: 100, maxListElements: 1_000, maxMapEntries: 1_000, maxCallArguments: 32 },
  })
    .registerType('Quantity', Quantity)
    .registerType('URL', URL)
    .registerFunction('string.find(string): string', (s: string, p: string) => regex(p).exec(s)?.[0] ?? '')
    .registerFunction('string.findAll(string): list<string>', (s: string, p: string) => [...regex(p).matchAll(s)].map((m) => m[0]))
    .registerFunction('string.findAll(string, int): list<string>', (s: string, p: string, n: bigint) => {
      const out: string[] = [];
      for (const m of regex(p).matchAll(s)) {
        if (n >= 0n && out.length >= n) break;
        out.push(m[0]);
      }
      return out;
    })
    .registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) => s.split(a).join(b))
    .registerFunction('string.replace(string, string, int): string', (s: string, a: string, b: string, n: bigint) => {
      if (n < 0n) return s.split(a).join(b);
      let out = s;
      let from = 0;
      for (let i = 0n; i < n; i++) {
        const at = out.indexOf(a, from);
        if (at < 0) break;
        out = out.slice(0, at) + b + out.slice(at + a.length);
        from = at + b.length;
      }
      return out;
    })
    .registerFunction('string.reverse(): string', (s: string) => [...s].reverse().join(''))
    .registerFunction('string.charAt(int): string', (s: string, i: bigint) => {
      const chars = [...s];
      if (i < 0n || i > BigInt(chars.length)) throw new Error('charAt: index out of range');
      return chars[Number(i)] ?? '';
    })
    .registerFunction('list.isSorted(): bool', (l: unknown[]) => l.every((x, i) => i === 0 || compareCel(l[i - 1], x) <= 0))
    .registerFunction('list.sum(): dyn', (l: unknown[]) =>
      l.length === 0 ? 0n : l.every((x) => typeof x === 'bigint') ? l.reduce<bigint>((a, b) => a + (b), 0n) : l.reduce<number>((a, b) => a + Number(b), 0),
    )
    .registerFunction('list.min(): dyn', (l: unknown[]) => extremum(l, (c) => c < 0, 'min'))
    .registerFunction('list.max(): dyn', (l: unknown[]) => extremum(l, (c) => c > 0, 'max'))
    .registerFunction('list.indexOf(dyn): int', (l: unknown[], v: unknown) => BigInt(l.findIndex((x) => celEquals(x, v))))
    .registerFunction('list.lastIndexOf(dyn): int', (l: unknown[], v: unknown) => {
      for (let i = l.length - 1; i >= 0; i--) if (celEquals(l[i], v)) return BigInt(i);
      return -1n;
    })
    .registerFunction('url(string): URL', parseUrl)
    .registerFunction('isURL(string): bool', (s: string) => {
      try {
        parseUrl(s);
        return true;
      } catch {
        return false;
      }
    })
    .registerFunction('URL.getScheme(): string', (u: URL) => (u.protocol === 'relative:' ? '' : u.protocol.replace(/:$/, '')))
    .registerFunction('URL.getHost(): string', (u: URL) => (u.protocol === 'relative:' ? '' : u.host))
    .registerFunction('URL.getHostname(): string', (u: URL) => (u.protocol === 'relative:' ? '' : u.hostname.replace(/^\[|\]$/g, '')))
    .registerFunction('URL.getPort(): string', (u: URL) => u.port)
    .registerFunction('URL.getEscapedPath(): string', (u: URL) => u.pathname)
    .registerFunction('URL.getQuery(): map<string, list<string>>', (u: URL) => {
      const out: Record<string, string[]> = {};
      for (const [k, v] of u.searchParams) (out[k] ??= []).push(v);
      return out;
    })
    .registerFunction('quantity(string): Quantity', quantityOf)
    .registerFunction('isQuantity(string): bool', (s: string) => parseQuantity(s) !== undefined)
    .registerFunction('Quantity.isInteger(): bool', (q: Quantity) => q.nanos % 1_000_000_000n === 0n)
    .registerFunction('Quantity.asInteger(): int', (q: Quantity) => {
      if (q.nanos % 1_000_000_000n !== 0n) throw new Error(`asInteger: ${q.text} is not an integer`);
      return q.nanos / 1_000_000_000n;
    })
    .registerFunction('Quantity.asApproximateFloat(): double', (q: Quantity) => Number(q.nanos) / 1e9)
    .registerFunction('Quantity.sign(): int', (q: Quantity) => compareBig(q.nanos, 0n))
    .registerFunction('Quantity.isGreaterThan(Quantity): bool', (a: Quantity, b: Quantity) => a.nanos > b.nanos)
    .registerFunction('Quantity.isLessThan(Quantity): bool', (a: Quantity, b: Quantity) => a.nanos < b.nanos)
    .registerFunction('Quantity.compareTo(Quantity): int', (a: Quantity, b: Quantity) => compareBig(a.nanos, b.nanos))
    .registerFunction('Quantity.add(Quantity): Quantity', (a: Quantity, b: Quantity) => new Quantity(a.nanos + b.nanos, `${a.text}+${b.text}`))
    .registerFunction('Quantity.add(int): Quantity', (a: Quantity, b: bigint) => new Quantity(a.nanos + b * 1_000_000_000n, `${a.text}+${b}`))
    .registerFunction('Quantity.sub(Quantity): Quantity', (a: Quantity, b: Quantity) => new Quantity(a.nanos - b.nanos, `${a.text}-${b.text}`))
    .registerFunction('Quantity.sub(int): Quantity', (a: Quantity, b: bigint) => new Quantity(a.nanos - b * 1_000_000_000n, `${a.text}-${b}`));
}

let base: Environment | undefined;

/** A CEL environment declaring `variables` (all `dyn`); cheap after the first call. */
export function celEnvironment(variables: readonly string[]): Environment {
  base ??= baseEnvironment();
  const env = base.clone();
  for (const name of variables) env.registerVariable(name, 'dyn');
  return env;
}

function errorOf(err: unknown): CelError {
  const e = err as { message?: string; range?: { start?: number }; summary?: string };
  const message = (e.summary ?? e.message ?? String(err)).split('\n')[0]?.trim() || 'invalid expression';
  return { message, ...(typeof e.range?.start === 'number' ? { offset: e.range.start } : {}) };
}

/** What the metering needs of the library's syntax tree (`@marcbachmann/cel-js` ASTNode). */
interface CelNode {
  op: string;
  args: unknown;
  meta: { evaluate: CelEvaluate; alternate?: CelNode; macro?: unknown };
  evaluate: CelEvaluate;
  handle?: (items: unknown, args: unknown, ev: CelEvaluator, ctx: unknown) => unknown;
}
type CelEvaluate = (this: CelNode, ev: CelEvaluator, ast: CelNode, ctx: unknown) => unknown;
interface CelEvaluator {
  run(node: unknown, ctx: unknown): unknown;
}

const isNode = (x: unknown): x is CelNode => typeof x === 'object' && x !== null && typeof (x as CelNode).op === 'string' && 'meta' in x;

/** Budget steps for a value a call returned: one per ten characters or elements. */
function sizeCost(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return Math.floor(value.length / 10);
  if (value instanceof Map) return Math.floor(value.size / 10);
  return 0;
}

function elements(items: unknown): number {
  if (Array.isArray(items) || typeof items === 'string') return items.length;
  if (items instanceof Map) return items.size;
  if (items && typeof items === 'object') return Object.keys(items).length;
  return 0;
}

/**
 * Puts the budget into a parsed expression's tree (the library has no cost
 * limit): comprehensions charge the elements they iterate before they run,
 * calls and `+` a step and the size of what they return, and
 * `matches()` runs on RE2 (the library's own uses JavaScript's RegExp).
 */
function meter(root: unknown): void {
  const seen = new Set<unknown>();
  const visit = (x: unknown): void => {
    if (x === null || typeof x !== 'object' || seen.has(x)) return;
    seen.add(x);
    if (Array.isArray(x)) {
      for (const y of x) visit(y);
      return;
    }
    if (!isNode(x)) {
      for (const y of Object.values(x)) visit(y);
      return;
    }
    const node = x;
    visit(node.args);
    if (node.meta.alternate) return visit(node.meta.alternate);
    if (node.meta.macro) return;
    if (node.op === 'comprehension') {
      node.evaluate = function (ev, ast, ctx) {
        const args = ast.args as { iterable: unknown };
        const items = ev.run(args.iterable, ctx);
        charge(1 + elements(items));
        return (ast.handle as NonNullable<CelNode['handle']>)(items, args, ev, ctx);
      };
      return;
    }
    if (node.op !== 'call' && node.op !== 'rcall' && node.op !== '+') return;
    const matches = matchesOperands(node);
    node.evaluate = function (ev, ast, ctx) {
      charge();
      if (matches) {
        const text = ev.run(matches.text, ctx);
        const pattern = ev.run(matches.pattern, ctx);
        if (typeof text === 'string' && typeof pattern === 'string') {
          charge(sizeCost(text));
          return regex(pattern).test(text);
        }
      }
      const out = ast.meta.evaluate.call(ast, ev, ast, ctx);
      charge(sizeCost(out));
      return out;
    };
  };
  visit(root);
}

/** The text and the pattern of `s.matches(p)` or `matches(s, p)`. */
function matchesOperands(node: CelNode): { text: unknown; pattern: unknown } | undefined {
  const a = node.args as unknown[];
  if (!Array.isArray(a) || a[0] !== 'matches') return undefined;
  if (node.op === 'rcall' && Array.isArray(a[2]) && a[2].length === 1) return { text: a[1], pattern: a[2][0] };
  if (node.op === 'call' && Array.isArray(a[1]) && a[1].length === 2) return { text: a[1][0], pattern: a[1][1] };
  return undefined;
}

/** Parses and type-checks an expression; a syntax or type error comes back as a value, never thrown. */
export function compileCel(env: Environment, source: string): { program: CelProgram } | { error: CelError } {
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = env.parse(source);
  } catch (err) {
    return { error: errorOf(err) };
  }
  const checked = env.check(source);
  if (!checked.valid) return { error: errorOf(checked.error) };
  meter(parsed.ast);
  return {
    program: {
      source,
      run: (activation) => {
        const out: unknown = parsed(activation);
        if (out instanceof Promise) throw new Error('asynchronous functions are not supported');
        return out;
      },
    },
  };
}

const converted = new WeakMap<object, unknown>();

/**
 * A YAML value as Kubernetes hands it to CEL: whole numbers are `int`
 * (`object.spec.replicas + 1` works), other numbers `double`. Memoised per
 * object, so each document is converted once however many rules read it.
 */
export function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const known = converted.get(value);
  if (known !== undefined) return known;
  const out: unknown = Array.isArray(value)
    ? value.map(toCel)
    : Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toCel(v)]));
  converted.set(value, out);
  return out;
}

/** A CEL result for messages: ints as numbers, lists and maps as JSON. */
export function celToString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Quantity || value instanceof URL) return value.toString();
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v instanceof Map ? (Object.fromEntries(v as Map<unknown, unknown>) as unknown) : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Runs a program, turning evaluation errors into values. */
export function runCel(program: CelProgram, activation: CelActivation): { value: unknown } | { error: string } {
  try {
    return { value: charging('CEL evaluation', () => program.run(activation)) };
  } catch (err) {
    rethrowBudget(err);
    return { error: errorOf(err).message };
  }
}
