/**
 * Time as the live sources see it: injected, so tests drive it with a fake
 * clock instead of waiting, and a source never reads the wall clock behind
 * its owner's back.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer): void;
}

/** An opaque timer handle. */
export type ClockTimer = { readonly __timer: unique symbol } | object;

/** The real clock; its timers do not keep a process alive on their own. */
export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref?.();
    return timer;
  },
  clearTimeout(timer) {
    clearTimeout(timer as ReturnType<typeof setTimeout>);
  },
};
