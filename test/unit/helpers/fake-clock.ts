/** A clock tests drive by hand: `advance(ms)` runs every timer that falls due, in order, letting promises settle in between. */
import type { Clock, ClockTimer } from '../../../src/core/live';

interface Entry {
  at: number;
  seq: number;
  callback: () => void;
}

export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly timers = new Map<object, Entry>();

  constructor(start = Date.UTC(2026, 11, 4, 12, 0, 0)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): ClockTimer {
    const handle = {};
    this.timers.set(handle, { at: this.time + Math.max(0, ms), seq: this.seq++, callback });
    return handle;
  }

  clearTimeout(timer: ClockTimer): void {
    this.timers.delete(timer);
  }

  /** How many timers are pending. */
  get pending(): number {
    return this.timers.size;
  }

  /** When the next timer falls due, if any. */
  get nextAt(): number | undefined {
    let next: number | undefined;
    for (const e of this.timers.values()) if (next === undefined || e.at < next) next = e.at;
    return next;
  }

  async advance(ms: number): Promise<void> {
    const until = this.time + ms;
    for (;;) {
      await settle();
      let due: [object, Entry] | undefined;
      for (const pair of this.timers) if (pair[1].at <= until && (!due || pair[1].at < due[1].at || (pair[1].at === due[1].at && pair[1].seq < due[1].seq))) due = pair;
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
    }
    this.time = until;
    await settle();
  }
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((r) => setImmediate(r));
}
