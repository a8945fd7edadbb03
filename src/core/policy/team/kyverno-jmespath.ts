/**
 * JMESPath as Kyverno evaluates `{{ … }}` variables: the whole JMESPath
 * grammar (paths, `[]`/`[*]`/`[?…]` projections, slices, multi-select, pipes,
 * `||`/`&&`/`!`, comparisons, literals, functions) with the rule of Kyverno's
 * fork (github.com/kyverno/go-jmespath): a key that is not in an object is an
 * error ("Unknown key"), unless an `||`, a function argument, a comparison or
 * a projection absorbs it. That is why policies write `… || ''`.
 *
 * The functions are in `kyverno-jmespath-functions.ts`; `analyzeJmesPath`
 * tells which variables and functions an expression uses, so the loader can
 * report the ones that do not run before commit.
 */
import { charge, charging } from '../../util/budget';
import { isObject } from '../kubernetes';
import { callFunction, ExpRef } from './kyverno-jmespath-functions';
import type { JmesNode } from './kyverno-jmespath-parse';
import { jsonEqual } from './kyverno-values';

export { JmesSyntaxError, parseJmesPath } from './kyverno-jmespath-parse';
export type { JmesNode } from './kyverno-jmespath-parse';

/** Kyverno's "Unknown key" error: a key missing from an object. */
export class JmesNotFound extends Error {
  constructor(readonly key: string) {
    super(`Unknown key "${key}" in path`);
  }
}

/** JMESPath truthiness: null, false, '', [] and {} are false. */
export function isFalsy(v: unknown): boolean {
  return v === null || v === undefined || v === false || v === '' || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

/**
 * A key missing from an object, carried as a value while evaluating (building
 * an Error for each one costs a stack trace; a filter over many elements
 * makes many), and thrown as `JmesNotFound` only if it reaches the top.
 */
class Missing {
  constructor(readonly key: string) {}
}

type Result = unknown;

/** Where Kyverno's fork absorbs a missing key, it is null. */
const absorbed = (v: Result): unknown => (v instanceof Missing ? null : v);

function slice(list: unknown[], parts: (number | null)[]): unknown[] {
  const step = parts[2] ?? 1;
  if (step === 0) throw new Error('slice step cannot be 0');
  const len = list.length;
  const clamp = (v: number | null, dflt: number): number => {
    if (v === null) return dflt;
    const x = v < 0 ? v + len : v;
    return step > 0 ? Math.min(Math.max(x, 0), len) : Math.min(Math.max(x, -1), len - 1);
  };
  const start = clamp(parts[0] ?? null, step > 0 ? 0 : len - 1);
  const stop = clamp(parts[1] ?? null, step > 0 ? len : -1);
  const out: unknown[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(list[i]);
  return out;
}

function project(items: unknown[], right: JmesNode): unknown[] {
  const out: unknown[] = [];
  for (const item of items) {
    const v = absorbed(ev(right, item));
    if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

function compare(op: string, a: unknown, b: unknown): unknown {
  if (op === '==') return jsonEqual(a ?? null, b ?? null);
  if (op === '!=') return !jsonEqual(a ?? null, b ?? null);
  if (typeof a !== 'number' || typeof b !== 'number') return null;
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

/** One step of evaluation (one step of the policy budget, src/core/util/budget.ts); a missing key comes back as `Missing`. */
function ev(node: JmesNode, data: unknown): Result {
  charge();
  switch (node.type) {
    case 'Field':
      if (!isObject(data)) return null;
      return node.name in data ? data[node.name] : new Missing(node.name);
    case 'Subexpression':
    case 'IndexExpression': {
      // the one place a missing key travels on: `a.b.c` with no `b` is an error
      const left = ev(node.left, data);
      return left instanceof Missing ? left : ev(node.right, left);
    }
    case 'Index':
      if (!Array.isArray(data)) return null;
      return (data as unknown[])[node.index < 0 ? node.index + data.length : node.index] ?? null;
    case 'Slice':
      return Array.isArray(data) ? slice(data, node.parts) : null;
    case 'Projection': {
      const left = absorbed(ev(node.left, data));
      return Array.isArray(left) ? project(left, node.right) : null;
    }
    case 'ValueProjection': {
      const left = absorbed(ev(node.left, data));
      return isObject(left) ? project(Object.values(left), node.right) : null;
    }
    case 'FilterProjection': {
      const left = absorbed(ev(node.left, data));
      if (!Array.isArray(left)) return null;
      return project(
        left.filter((x) => !isFalsy(absorbed(ev(node.condition, x)))),
        node.right,
      );
    }
    case 'Flatten': {
      const left = absorbed(ev(node.child, data));
      return Array.isArray(left) ? (left as unknown[]).flatMap((x): unknown[] => (Array.isArray(x) ? (x as unknown[]) : [x])) : null;
    }
    case 'Comparator':
      return compare(node.op, absorbed(ev(node.left, data)), absorbed(ev(node.right, data)));
    case 'Or': {
      const left = absorbed(ev(node.left, data));
      return isFalsy(left) ? absorbed(ev(node.right, data)) : left;
    }
    case 'And': {
      const left = absorbed(ev(node.left, data));
      return isFalsy(left) ? left : ev(node.right, data);
    }
    case 'Not':
      return isFalsy(absorbed(ev(node.child, data)));
    case 'Pipe':
      return absorbed(ev(node.right, absorbed(ev(node.left, data))));
    case 'Literal':
      return node.value;
    case 'Current':
    case 'Identity':
      return data;
    case 'MultiSelectList':
      return data === null || data === undefined ? null : node.items.map((n) => absorbed(ev(n, data)));
    case 'MultiSelectHash':
      return data === null || data === undefined ? null : Object.fromEntries(node.items.map((it) => [it.key, absorbed(ev(it.value, data))]));
    case 'ExpRef':
      return new ExpRef(node.child);
    case 'Function':
      return callFunction(
        node.name,
        node.args.map((a) => absorbed(ev(a, data))),
        (ref, v) => absorbed(ev(ref.node as JmesNode, v)),
      );
  }
}

/** Evaluates a parsed expression against `data`; a missing key that reaches the top throws `JmesNotFound`. */
export function evaluateJmesPath(node: JmesNode, data: unknown): unknown {
  const out = charging('JMESPath evaluation', () => ev(node, data));
  if (out instanceof Missing) throw new JmesNotFound(out.key);
  return out;
}

export interface JmesUsage {
  /** Leading field chains read from the root (`request.object.spec` → ['request', 'object', 'spec']); `@` at the root is ['@']. */
  roots: string[][];
  functions: string[];
  /** Literal regular expressions given to the regex functions (checked before anything runs). */
  regexes: string[];
}

/** `a.b[0].c` → ['a', 'b', 'c']; undefined when the node is not such a chain. */
function chainOf(node: JmesNode): string[] | undefined {
  if (node.type === 'Field') return [node.name];
  if (node.type === 'Subexpression' && node.right.type === 'Field') {
    const left = chainOf(node.left);
    return left && [...left, node.right.name];
  }
  if (node.type === 'IndexExpression' && node.right.type === 'Index') return chainOf(node.left);
  return undefined;
}

/** Which variables (root chains) and functions an expression uses: what the loader checks before anything runs. */
export function analyzeJmesPath(node: JmesNode): JmesUsage {
  const usage: JmesUsage = { roots: [], functions: [], regexes: [] };
  const walk = (n: JmesNode, root: boolean): void => {
    const chain = root ? chainOf(n) : undefined;
    if (chain) {
      usage.roots.push(chain);
      return;
    }
    switch (n.type) {
      case 'Current':
        if (root) usage.roots.push(['@']);
        return;
      case 'Subexpression':
      case 'IndexExpression':
      case 'Pipe':
        walk(n.left, root);
        walk(n.right, false);
        return;
      case 'Projection':
      case 'ValueProjection':
        walk(n.left, root);
        walk(n.right, false);
        return;
      case 'FilterProjection':
        walk(n.left, root);
        walk(n.right, false);
        walk(n.condition, false);
        return;
      case 'Or':
      case 'And':
      case 'Comparator':
        walk(n.left, root);
        walk(n.right, root);
        return;
      case 'Not':
      case 'Flatten':
        walk(n.child, root);
        return;
      case 'ExpRef':
        walk(n.child, false);
        return;
      case 'MultiSelectList':
        for (const it of n.items) walk(it, root);
        return;
      case 'MultiSelectHash':
        for (const it of n.items) walk(it.value, root);
        return;
      case 'Function': {
        usage.functions.push(n.name);
        const first = n.args[0];
        if (n.name.startsWith('regex_') && first?.type === 'Literal' && typeof first.value === 'string') usage.regexes.push(first.value);
        for (const a of n.args) walk(a, root);
        return;
      }
      default:
        return;
    }
  };
  walk(node, true);
  return usage;
}

/** The field path an expression reads under `request.object` (for placing a finding), when it reads one. */
export function objectPathOf(node: JmesNode): (string | number)[] | undefined {
  const walk = (n: JmesNode): (string | number)[] | undefined => {
    const chain = pathChain(n);
    if (chain && chain[0] === 'request' && chain[1] === 'object') return chain.slice(2);
    for (const child of childrenOf(n)) {
      const found = walk(child);
      if (found) return found;
    }
    return undefined;
  };
  return walk(node);
}

function pathChain(node: JmesNode): (string | number)[] | undefined {
  if (node.type === 'Field') return [node.name];
  if (node.type === 'Subexpression' && node.right.type === 'Field') {
    const left = pathChain(node.left);
    return left && [...left, node.right.name];
  }
  if (node.type === 'IndexExpression' && node.right.type === 'Index') {
    const left = pathChain(node.left);
    return left && [...left, node.right.index];
  }
  return undefined;
}

function childrenOf(n: JmesNode): JmesNode[] {
  switch (n.type) {
    case 'Or':
    case 'And':
    case 'Comparator':
      return [n.left, n.right];
    case 'Subexpression':
    case 'IndexExpression':
    case 'Pipe':
    case 'Projection':
    case 'ValueProjection':
    case 'FilterProjection':
      return [n.left];
    case 'Not':
    case 'Flatten':
      return [n.child];
    case 'MultiSelectList':
      return n.items;
    case 'MultiSelectHash':
      return n.items.map((i) => i.value);
    case 'Function':
      return n.args;
    default:
      return [];
  }
}
