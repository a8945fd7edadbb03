/** The live source every live view is built on: its states, polling, backoff, cancellation — on a fake clock. */
import { strict as assert } from 'node:assert';
import type { LiveState } from '../../src/core/live';
import { DEFAULT_BACKOFF, LiveSource, LiveSourceError, ageOf, backoffDelay, classifyError } from '../../src/core/live';
import { FakeClock, settle } from './helpers/fake-clock';

/** A fetcher scripted answer by answer; records the signals it got. */
function scripted<T>(answers: (T | Error | 'hang')[]) {
  const signals: AbortSignal[] = [];
  let calls = 0;
  const fetch = (signal: AbortSignal): Promise<T> => {
    signals.push(signal);
    const answer = answers[Math.min(calls++, answers.length - 1)];
    if (answer === 'hang') {
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));
    }
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer as T);
  };
  return { fetch, signals, calls: () => calls };
}

/** The state as of now (a function, so an assertion on one read does not narrow the next). */
function stateOf<T>(source: LiveSource<T>): LiveState<T> {
  return source.state;
}

/** The state if it is of that kind. */
function pick<T, K extends LiveState<T>['kind']>(source: LiveSource<T>, kind: K): Extract<LiveState<T>, { kind: K }> | undefined {
  const state = source.state;
  return state.kind === kind ? (state as Extract<LiveState<T>, { kind: K }>) : undefined;
}

const httpError = (status: number) => Object.assign(new Error(`HTTP ${status}`), { status });

function kinds<T>(source: LiveSource<T>): string[] {
  const seen: string[] = [];
  source.onDidChange((s: LiveState<T>) => seen.push(s.kind));
  return seen;
}

describe('live source', () => {
  let clock: FakeClock;
  beforeEach(() => {
    clock = new FakeClock();
  });

  it('goes idle → loading → ok with the time of the data, and polls on the interval the data asks for', async () => {
    const f = scripted([1, 2, 3]);
    const source = new LiveSource<number>({ fetch: f.fetch, intervalMs: (n) => (n < 3 ? 10_000 : undefined), clock, random: () => 0 });
    const seen = kinds(source);
    assert.equal(stateOf(source).kind, 'idle');
    source.start();
    assert.equal(stateOf(source).kind, 'loading');
    await settle();
    assert.deepEqual(stateOf(source), { kind: 'ok', data: 1, at: clock.now() });
    await clock.advance(9_999);
    assert.equal(f.calls(), 1, 'polled before its interval');
    await clock.advance(1);
    assert.equal(f.calls(), 2);
    await clock.advance(10_000);
    assert.equal(pick(source, 'ok')?.data, 3);
    // 3 asks for no polling: nothing more is scheduled
    await clock.advance(60 * 60_000);
    assert.equal(f.calls(), 3);
    assert.equal(clock.pending, 0);
    assert.deepEqual(seen, ['loading', 'ok', 'ok', 'ok']);
  });

  it('a failure without data is an error with its kind and when it retries; it recovers by itself', async () => {
    const f = scripted<string>([httpError(503), httpError(503), 'up']);
    const source = new LiveSource<string>({ fetch: f.fetch, clock, random: () => 0.5, backoff: { initialMs: 1_000, maxMs: 60_000, factor: 2, jitter: 0.5 } });
    source.start();
    await settle();
    const first = stateOf(source);
    assert.equal(first.kind, 'error');
    if (first.kind !== 'error') return;
    assert.equal(first.error.kind, 'server');
    assert.equal(first.error.status, 503);
    assert.equal(first.attempt, 1);
    // 1,000 ms base, half of it random at 0.5: 750 ms
    assert.equal(first.retryAt, clock.now() + 750);
    await clock.advance(750);
    const second = stateOf(source);
    assert.equal(second.kind === 'error' && second.attempt, 2);
    assert.equal(second.kind === 'error' && second.retryAt, clock.now() + 1_500);
    await clock.advance(1_500);
    assert.equal(stateOf(source).kind, 'ok');
  });

  it('a failure with data keeps the data visible as stale, with its age and the error', async () => {
    const f = scripted<string>(['v1', Object.assign(new Error('fetch failed'), { cause: { code: 'ENOTFOUND' } })]);
    const source = new LiveSource<string>({ fetch: f.fetch, intervalMs: () => 30_000, clock, random: () => 0 });
    source.start();
    await settle();
    const at = clock.now();
    await clock.advance(30_000);
    const state = stateOf(source);
    assert.equal(state.kind, 'stale');
    if (state.kind !== 'stale') return;
    assert.equal(state.data, 'v1');
    assert.equal(state.at, at);
    assert.equal(state.error?.kind, 'offline');
    assert.equal(ageOf(state, clock.now()), 30_000);
    assert.equal(source.data, 'v1');
  });

  it('data older than staleAfterMs turns stale even without a failure (polling paused)', async () => {
    const f = scripted(['v1']);
    const source = new LiveSource<string>({ fetch: f.fetch, staleAfterMs: 5 * 60_000, clock });
    source.start();
    await settle();
    assert.equal(stateOf(source).kind, 'ok');
    await clock.advance(5 * 60_000 - 1);
    assert.equal(stateOf(source).kind, 'ok');
    await clock.advance(1);
    assert.equal(stateOf(source).kind, 'stale');
    assert.equal(ageOf(stateOf(source), clock.now()), 5 * 60_000);
  });

  it('backoff doubles up to its cap, with jitter inside the band', () => {
    const backoff = { initialMs: 1_000, maxMs: 30_000, factor: 2, jitter: 0.5 };
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, backoff, () => 0)), [500, 1_000, 2_000, 4_000, 8_000, 15_000, 15_000]);
    assert.deepEqual([1, 6, 9].map((n) => backoffDelay(n, backoff, () => 0.999999)), [1_000, 30_000, 30_000]);
    for (let n = 1; n < 12; n++) {
      const d = backoffDelay(n, DEFAULT_BACKOFF, Math.random);
      assert.ok(d >= 0 && d <= DEFAULT_BACKOFF.maxMs, `attempt ${n}: ${d}`);
    }
  });

  it('waits for a rate limit to reset and for Retry-After, whichever is later than the backoff', async () => {
    const resetAt = clock.now() + 15 * 60_000;
    const limited = new LiveSourceError({ kind: 'rate-limited', message: 'Rate limited.', status: 403, resetAt });
    const f = scripted<string>([limited, new LiveSourceError({ kind: 'rate-limited', message: 'Slow down.', status: 429, retryAfterMs: 60_000 }), 'ok']);
    const source = new LiveSource<string>({ fetch: f.fetch, clock, random: () => 0 });
    source.start();
    await settle();
    assert.equal(pick(source, 'error')?.retryAt, resetAt);
    await clock.advance(15 * 60_000 - 1);
    assert.equal(f.calls(), 1, 'retried before the limit reset');
    await clock.advance(1);
    assert.equal(f.calls(), 2);
    assert.equal(pick(source, 'error')?.retryAt, clock.now() + 60_000);
    await clock.advance(60_000);
    assert.equal(stateOf(source).kind, 'ok');
  });

  it('stop aborts the fetch in flight through its signal and leaves nothing scheduled; a late answer changes nothing', async () => {
    const f = scripted<string>(['hang']);
    const source = new LiveSource<string>({ fetch: f.fetch, intervalMs: () => 1_000, clock });
    const seen = kinds(source);
    source.start();
    await settle();
    assert.equal(f.signals[0]?.aborted, false);
    source.stop();
    assert.equal(f.signals[0]?.aborted, true);
    await clock.advance(60_000);
    assert.equal(f.calls(), 1);
    assert.equal(clock.pending, 0);
    assert.equal(stateOf(source).kind, 'idle');
    assert.deepEqual(seen, ['loading', 'idle']);
  });

  it('refresh supersedes the fetch in flight: only the newest answer counts', async () => {
    let resolveFirst: (v: string) => void = () => undefined;
    let n = 0;
    const signals: AbortSignal[] = [];
    const source = new LiveSource<string>({
      clock,
      fetch: (signal) => {
        signals.push(signal);
        return ++n === 1 ? new Promise<string>((r) => (resolveFirst = r)) : Promise.resolve('second');
      },
    });
    source.start();
    await settle();
    const refreshed = source.refresh();
    assert.equal(signals[0]?.aborted, true);
    resolveFirst('first'); // a fetcher that ignores its signal answers late
    await refreshed;
    await settle();
    assert.equal(pick(source, 'ok')?.data, 'second');
  });

  it('a fetch that takes too long is aborted and counts as a timeout', async () => {
    const f = scripted<string>(['hang', 'ok']);
    const source = new LiveSource<string>({ fetch: f.fetch, timeoutMs: 10_000, clock, random: () => 0 });
    source.start();
    await clock.advance(10_000);
    assert.equal(f.signals[0]?.aborted, true);
    assert.equal(pick(source, 'error')?.error.kind, 'timeout');
    await clock.advance(500);
    assert.equal(stateOf(source).kind, 'ok');
  });

  it('start does not refetch fresh data; it resumes the poll where it was due', async () => {
    const f = scripted([1, 2]);
    const source = new LiveSource<number>({ fetch: f.fetch, intervalMs: () => 10_000, clock });
    source.start();
    await settle();
    await clock.advance(4_000);
    source.stop();
    source.start();
    await settle();
    assert.equal(f.calls(), 1, 'fresh data was fetched again on resume');
    await clock.advance(6_000);
    assert.equal(f.calls(), 2);
  });

  it('shouldRetry false leaves the error until a refresh; refresh never rejects; a throwing fetcher or listener is contained', async () => {
    let calls = 0;
    const source = new LiveSource<string>({
      clock,
      shouldRetry: (e) => e.kind !== 'unauthorised',
      fetch: () => {
        calls++;
        if (calls === 1) throw httpError(401); // synchronous throw
        return Promise.resolve('signed in');
      },
    });
    source.onDidChange(() => {
      throw new Error('a broken listener');
    });
    source.start();
    await settle();
    assert.equal(pick(source, 'error')?.error.kind, 'unauthorised');
    assert.equal(pick(source, 'error')?.retryAt, undefined);
    await clock.advance(60 * 60_000);
    assert.equal(calls, 1);
    await source.refresh();
    assert.equal(stateOf(source).kind, 'ok');
  });

  it('dispose stops everything and silences listeners', async () => {
    const f = scripted([1]);
    const source = new LiveSource<number>({ fetch: f.fetch, intervalMs: () => 1_000, staleAfterMs: 5_000, clock });
    const seen = kinds(source);
    source.start();
    await settle();
    source.dispose();
    await clock.advance(60_000);
    assert.equal(clock.pending, 0);
    assert.deepEqual(seen, ['loading', 'ok']);
    source.start();
    await source.refresh();
    assert.equal(f.calls(), 1);
  });

  it('classifies what fetchers throw into the kinds a person can act on', () => {
    const cases: [unknown, string][] = [
      [httpError(401), 'unauthorised'],
      [httpError(403), 'forbidden'],
      [httpError(404), 'not-found'],
      [httpError(409), 'conflict'],
      [httpError(429), 'rate-limited'],
      [httpError(502), 'server'],
      [{ response: { status: 500 } }, 'server'],
      [Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), 'offline'],
      [Object.assign(new Error('getaddrinfo'), { code: 'EAI_AGAIN' }), 'offline'],
      [Object.assign(new Error('x'), { cause: { code: 'UND_ERR_HEADERS_TIMEOUT' } }), 'timeout'],
      [Object.assign(new Error('aborted'), { name: 'AbortError' }), 'timeout'],
      [new Error('odd'), 'unknown'],
      [undefined, 'unknown'],
      ['a string', 'unknown'],
    ];
    for (const [err, kind] of cases) assert.equal(classifyError(err).kind, kind, JSON.stringify(err));
    // messages are plain text and carry no detail of the thrown error (which could hold a token or a URL)
    const leaky = Object.assign(new Error('token ghp_secret at https://x'), { status: 500 });
    assert.doesNotMatch(classifyError(leaky).message, /ghp_|https:/);
  });
});
