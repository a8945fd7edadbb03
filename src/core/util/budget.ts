/**
 * Evaluation budgets: what a schema or a manifest can make a check spend is
 * counted, and a check that runs out stops with `BudgetExceeded` instead of
 * running until it is killed (Kubernetes bounds CEL the same way, with a cost
 * budget per evaluation). One meter runs at a time (evaluation is synchronous);
 * the evaluators charge it with `charge`, which costs an addition when no
 * meter runs.
 */

export class BudgetExceeded extends Error {
  constructor(
    /** What ran out, for the message: `CEL evaluation`, `JMESPath evaluation`, `schema validation`… */
    readonly what: string,
    readonly limit: number,
  ) {
    super(`${what} exceeded its budget of ${limit.toLocaleString('en-US')} steps`);
    this.name = 'BudgetExceeded';
  }
}

interface Meter {
  used: number;
  readonly limit: number;
  /** What is charged now (set by `charging`), named in the error. */
  what: string;
  /** Set once the meter ran out: the caller reports it even when an evaluator swallowed the error. */
  exceeded?: BudgetExceeded;
}

let current: Meter | undefined;

/** Steps of one policy rule on one document (every CEL, JMESPath, pattern and wildcard step it takes). */
export const POLICY_BUDGET = 1_000_000;

/** Charges `steps` to the running meter; throws `BudgetExceeded` once it has run out. */
export function charge(steps = 1): void {
  const m = current;
  if (m === undefined) return;
  m.used += steps;
  if (m.used > m.limit) {
    m.exceeded ??= new BudgetExceeded(m.what, m.limit);
    throw m.exceeded;
  }
}

/** Runs `fn` with `what` as the name of what is charged (the meter itself is the caller's). */
export function charging<T>(what: string, fn: () => T): T {
  const m = current;
  if (m === undefined) return fn();
  const before = m.what;
  m.what = what;
  try {
    return fn();
  } finally {
    m.what = before;
  }
}

/**
 * Runs `fn` under a meter of `limit` steps. Returns its result, or the
 * `BudgetExceeded` that stopped it — also when the evaluator caught the error
 * and went on (its result is then not trusted).
 */
export function withBudget<T>(limit: number, what: string, fn: () => T): { value: T } | { exceeded: BudgetExceeded } {
  const outer = current;
  const meter: Meter = { used: 0, limit, what };
  current = meter;
  try {
    const value = fn();
    return meter.exceeded ? { exceeded: meter.exceeded } : { value };
  } catch (err) {
    if (meter.exceeded) return { exceeded: meter.exceeded };
    throw err;
  } finally {
    current = outer;
  }
}

/** Rethrows a `BudgetExceeded` (for evaluators that turn other errors into values). */
export function rethrowBudget(err: unknown): void {
  if (err instanceof BudgetExceeded) throw err;
}
