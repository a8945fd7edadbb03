export type { Clock, ClockTimer } from './clock';
export { SYSTEM_CLOCK } from './clock';
export type { LiveError, LiveErrorKind } from './errors';
export { LiveSourceError, classifyError, kindOfStatus } from './errors';
export type { Backoff, LiveListener, LiveSourceOptions, LiveState, Timed } from './source';
export { DEFAULT_BACKOFF, LiveSource, ageOf, backoffDelay } from './source';
