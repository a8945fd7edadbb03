/**
 * A live source of data — a service's pipeline, its cluster section, its SLO
 * status — with its state always explicit, so a view never shows old data as
 * current or an error as "nothing there":
 *
 *   idle      nothing asked yet (or stopped before the first answer)
 *   loading   the first answer is on its way
 *   ok        data, and the time it was fetched
 *   error     no data: why (a LiveError) and when it retries
 *   stale     data, but old: the last refresh failed (why, when it retries) or
 *             it is older than `staleAfterMs`; with its time, so views say "N min old"
 *
 * It polls on an interval the data itself decides (fast while a run is in
 * progress, slow when all are finished, none at all), retries failures with
 * capped exponential backoff and jitter (honouring a rate limit's reset time and
 * `Retry-After`), aborts a fetch through its `AbortSignal` when stopped,
 * refreshed or timed out, and reads time only from the injected clock.
 * `refresh()` never rejects: every outcome is a state.
 */
import type { Clock, ClockTimer } from './clock';
import { SYSTEM_CLOCK } from './clock';
import type { LiveError } from './errors';
import { classifyError } from './errors';

export interface Timed<T> {
  data: T;
  /** When the data was fetched (epoch ms, from the source's clock). */
  at: number;
}

export type LiveState<T> =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | ({ kind: 'ok' } & Timed<T>)
  | { kind: 'error'; error: LiveError; attempt: number; retryAt?: number }
  | ({ kind: 'stale'; error?: LiveError; attempt: number; retryAt?: number } & Timed<T>);

export interface Backoff {
  /** First retry after this long (ms). Default 1,000. */
  initialMs: number;
  /** Never wait longer than this (ms). Default 5 minutes. */
  maxMs: number;
  /** Each failure multiplies the wait by this. Default 2. */
  factor: number;
  /** Fraction of the wait that is random (0: none, 1: "full jitter"). Default 0.5. */
  jitter: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 5 * 60_000, factor: 2, jitter: 0.5 };

export interface LiveSourceOptions<T> {
  /** Fetches the data; must honour `signal`. Gets the data it returned last time (for conditional requests). */
  fetch(signal: AbortSignal, previous: T | undefined): Promise<T>;
  /** How long after a success to poll again; undefined: no polling (refresh on demand only). */
  intervalMs?: (data: T) => number | undefined;
  /** Data older than this is shown as stale. Default: never. */
  staleAfterMs?: number;
  /** A fetch that takes longer is aborted and counts as a `timeout` failure. Default: none. */
  timeoutMs?: number;
  backoff?: Partial<Backoff>;
  /** Whether to retry after this failure on its own. Default: always (with backoff). */
  shouldRetry?: (error: LiveError, attempt: number) => boolean;
  clock?: Clock;
  /** In [0, 1); injected for tests. */
  random?: () => number;
}

export interface LiveListener<T> {
  (state: LiveState<T>): void;
}

/** How old the data of a state is (ms), if it has data. */
export function ageOf(state: LiveState<unknown>, now: number): number | undefined {
  return state.kind === 'ok' || state.kind === 'stale' ? Math.max(0, now - state.at) : undefined;
}

/** The wait before retry number `attempt` (1-based), with jitter, capped. */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number): number {
  const base = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** Math.max(0, attempt - 1));
  return Math.round(base * (1 - backoff.jitter) + base * backoff.jitter * random());
}

class TimeoutAbort extends Error {
  constructor() {
    super('timed out');
    this.name = 'TimeoutError';
  }
}

export class LiveSource<T> {
  private current: LiveState<T> = { kind: 'idle' };
  private last: Timed<T> | undefined;
  private readonly listeners = new Set<LiveListener<T>>();
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly backoff: Backoff;
  private running = false;
  private disposed = false;
  private failures = 0;
  private pollTimer: ClockTimer | undefined;
  private staleTimer: ClockTimer | undefined;
  private inFlight: { controller: AbortController; done: Promise<void> } | undefined;

  constructor(private readonly options: LiveSourceOptions<T>) {
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.random = options.random ?? Math.random;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  }

  get state(): LiveState<T> {
    return this.current;
  }

  /** The last data fetched successfully, whatever the state is now. */
  get data(): T | undefined {
    return this.last?.data;
  }

  get isRunning(): boolean {
    return this.running;
  }

  onDidChange(listener: LiveListener<T>): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Starts polling: fetches now unless data is fresh, then on the data's interval. Idempotent. */
  start(): void {
    if (this.disposed || this.running) return;
    this.running = true;
    const interval = this.last ? this.options.intervalMs?.(this.last.data) : undefined;
    const due = this.last && interval !== undefined ? this.last.at + interval - this.clock.now() : 0;
    if (this.current.kind === 'ok' && due > 0) this.schedule(due);
    else void this.refresh();
  }

  /** Stops polling and aborts a fetch in flight; the data and its state stay (and age). */
  stop(): void {
    this.running = false;
    this.clearPoll();
    this.abortInFlight();
    if (this.current.kind === 'loading') this.set({ kind: 'idle' });
  }

  /**
   * Fetches now (a user action, a push): aborts a fetch in flight and a scheduled
   * poll, resolves when this fetch has settled into a state. Never rejects.
   */
  refresh(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.clearPoll();
    this.abortInFlight();
    const controller = new AbortController();
    if (!this.last && this.current.kind !== 'error') this.set({ kind: 'loading' });
    const done = this.run(controller);
    this.inFlight = { controller, done };
    return done;
  }

  dispose(): void {
    this.stop();
    this.clearStale();
    this.disposed = true;
    this.listeners.clear();
  }

  private async run(controller: AbortController): Promise<void> {
    let timeout: ClockTimer | undefined;
    if (this.options.timeoutMs !== undefined) {
      timeout = this.clock.setTimeout(() => controller.abort(new TimeoutAbort()), this.options.timeoutMs);
    }
    let outcome: { ok: true; data: T } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, data: await Promise.resolve().then(() => this.options.fetch(controller.signal, this.last?.data)) };
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      if (timeout !== undefined) this.clock.clearTimeout(timeout);
    }
    if (this.inFlight?.controller !== controller) return; // superseded by a refresh, or stopped
    this.inFlight = undefined;
    const timedOut = controller.signal.aborted && controller.signal.reason instanceof TimeoutAbort;
    if (controller.signal.aborted && !timedOut) return;
    if (outcome.ok) this.succeed(outcome.data);
    else this.fail(timedOut ? controller.signal.reason : outcome.error);
  }

  private succeed(data: T): void {
    const at = this.clock.now();
    this.failures = 0;
    this.last = { data, at };
    this.set({ kind: 'ok', data, at });
    this.armStale(at);
    const interval = this.options.intervalMs?.(data);
    if (this.running && interval !== undefined) this.schedule(interval);
  }

  private fail(raw: unknown): void {
    const error = classifyError(raw);
    this.failures++;
    const retry = this.options.shouldRetry?.(error, this.failures) ?? true;
    let retryAt: number | undefined;
    if (retry && this.running) {
      const now = this.clock.now();
      let wait = backoffDelay(this.failures, this.backoff, this.random);
      if (error.retryAfterMs !== undefined) wait = Math.max(wait, error.retryAfterMs);
      if (error.resetAt !== undefined) wait = Math.max(wait, error.resetAt - now);
      retryAt = now + wait;
      this.schedule(wait);
    }
    const retryPart = retryAt === undefined ? {} : { retryAt };
    if (this.last) this.set({ kind: 'stale', ...this.last, error, attempt: this.failures, ...retryPart });
    else this.set({ kind: 'error', error, attempt: this.failures, ...retryPart });
  }

  private armStale(at: number): void {
    this.clearStale();
    const after = this.options.staleAfterMs;
    if (after === undefined) return;
    this.staleTimer = this.clock.setTimeout(() => {
      this.staleTimer = undefined;
      if (this.current.kind === 'ok' && this.current.at === at) this.set({ kind: 'stale', data: this.current.data, at, attempt: 0 });
    }, after);
  }

  private schedule(ms: number): void {
    this.clearPoll();
    this.pollTimer = this.clock.setTimeout(() => {
      this.pollTimer = undefined;
      if (this.running) void this.refresh();
    }, Math.max(0, ms));
  }

  private clearPoll(): void {
    if (this.pollTimer !== undefined) this.clock.clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
  }

  private clearStale(): void {
    if (this.staleTimer !== undefined) this.clock.clearTimeout(this.staleTimer);
    this.staleTimer = undefined;
  }

  private abortInFlight(): void {
    const flight = this.inFlight;
    this.inFlight = undefined;
    flight?.controller.abort();
  }

  private set(state: LiveState<T>): void {
    this.current = state;
    for (const listener of [...this.listeners]) {
      try {
        listener(state);
      } catch {
        // a listener's failure is its own; the source and the other listeners go on
      }
    }
  }
}
