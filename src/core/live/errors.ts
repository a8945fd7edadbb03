/**
 * Why a live source has no fresh data, in the few kinds a person can act on:
 * sign in again, ask for access, check the name, wait for the limit, wait for
 * the server, check the network. Fetchers throw a `LiveSourceError` when they
 * know the kind (a GitHub 403 that is a rate limit, say); anything else is
 * classified from its HTTP status or Node's network error code.
 */
export type LiveErrorKind = 'offline' | 'timeout' | 'unauthorised' | 'forbidden' | 'not-found' | 'rate-limited' | 'conflict' | 'server' | 'unknown';

export interface LiveError {
  kind: LiveErrorKind;
  /** One plain-text sentence for the person, without secrets. */
  message: string;
  /** HTTP status, when there was an answer. */
  status?: number;
  /** For `rate-limited`: when the limit resets (epoch ms). */
  resetAt?: number;
  /** The server's own wait (`Retry-After`), in ms. */
  retryAfterMs?: number;
}

/** Thrown by a fetcher that knows what went wrong. */
export class LiveSourceError extends Error {
  readonly live: LiveError;
  constructor(live: LiveError) {
    super(live.message);
    this.name = 'LiveSourceError';
    this.live = live;
  }
}

const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** The kind an HTTP status stands for. */
export function kindOfStatus(status: number): LiveErrorKind {
  if (status === 401) return 'unauthorised';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 408) return 'timeout';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server';
  return 'unknown';
}

const MESSAGES: Record<LiveErrorKind, string> = {
  offline: 'The server cannot be reached (offline, or the host name does not resolve).',
  timeout: 'The server did not answer in time.',
  unauthorised: 'The credentials were refused: sign in again.',
  forbidden: 'Access is denied for these credentials.',
  'not-found': 'Not found, or no access with these credentials.',
  'rate-limited': 'Rate limited by the server.',
  conflict: 'The server refused the request in the current state.',
  server: 'The server had an error.',
  unknown: 'The request failed.',
};

/** A `LiveError` for anything a fetcher may throw: never throws itself. */
export function classifyError(err: unknown): LiveError {
  if (err instanceof LiveSourceError) return err.live;
  const name = field(err, 'name');
  if (name === 'AbortError' || name === 'TimeoutError') return { kind: 'timeout', message: MESSAGES.timeout };
  const status = field(err, 'status') ?? field(field(err, 'response'), 'status');
  if (typeof status === 'number' && status >= 400) {
    const kind = kindOfStatus(status);
    return { kind, status, message: `${MESSAGES[kind]} (HTTP ${status})` };
  }
  // fetch wraps the network error in `cause`
  for (const candidate of [err, field(err, 'cause')]) {
    const code = field(candidate, 'code');
    if (typeof code === 'string' && OFFLINE_CODES.has(code)) return { kind: 'offline', message: MESSAGES.offline };
    if (typeof code === 'string' && TIMEOUT_CODES.has(code)) return { kind: 'timeout', message: MESSAGES.timeout };
  }
  return { kind: 'unknown', message: MESSAGES.unknown };
}
