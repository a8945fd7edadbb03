/**
 * Fetching a document a repository names by URL (policy sources, remote
 * schemas and CRDs) without trusting the server: the size limit holds while
 * the body streams in (and up front by Content-Length), so a fast server
 * cannot fill memory before the timeout; redirects are followed by hand, at
 * most five, and never from https to anything else (no downgrade to http).
 */

export interface CappedFetchOptions {
  /** Time limit of the whole exchange, body included. */
  timeoutMs: number;
  /** Largest body accepted, in bytes. */
  maxBytes: number;
  headers?: Record<string, string>;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** The body of `url` as UTF-8 text. Throws an Error with a plain reason (HTTP status, too large, refused redirect, timeout). */
export async function fetchCapped(url: string, options: CappedFetchOptions): Promise<string> {
  const doFetch = options.fetch ?? fetch;
  const signal = AbortSignal.timeout(options.timeoutMs);
  let current = new URL(url);
  try {
    for (let hop = 0; ; hop++) {
      const res = await doFetch(current.href, { signal, redirect: 'manual', ...(options.headers ? { headers: options.headers } : {}) });
      if (REDIRECTS.has(res.status)) {
        await res.body?.cancel().catch(() => undefined);
        const location = res.headers.get('location');
        if (!location) throw new Error(`HTTP ${res.status} without a Location`);
        if (hop >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
        let next: URL;
        try {
          next = new URL(location, current);
        } catch {
          throw new Error('redirected to an invalid URL');
        }
        if (current.protocol === 'https:' && next.protocol !== 'https:') throw new Error(`refused a redirect from https to ${next.protocol.replace(/:$/, '')} (a downgrade)`);
        if (next.protocol !== 'https:' && next.protocol !== 'http:') throw new Error(`refused a redirect to ${next.protocol.replace(/:$/, '')}`);
        current = next;
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        throw new Error(`HTTP ${res.status}`);
      }
      const declared = Number(res.headers.get('content-length') ?? NaN);
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        await res.body?.cancel().catch(() => undefined);
        throw new Error(`larger than ${sizeText(options.maxBytes)} (${sizeText(declared)})`);
      }
      return await readCapped(res, options.maxBytes);
    }
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    if (name === 'TimeoutError' || name === 'AbortError' || signal.aborted) throw new Error(`no answer within ${options.timeoutMs / 1000} s`);
    throw err instanceof Error && !(err instanceof TypeError) ? err : new Error(`unreachable (${describe(err)})`);
  }
}

function describe(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : undefined;
  return cause ?? (err instanceof Error ? err.message : String(err));
}

async function readCapped(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`larger than ${sizeText(maxBytes)}`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
