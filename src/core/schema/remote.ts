/**
 * Schemas named by an https URL: fetched with a timeout, kept in a disk cache,
 * and read from the cache afterwards (offline too). Used only where remote
 * schemas are allowed (never in an untrusted workspace). The validator itself
 * never touches the network: it asks `get`, which answers from memory.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { RemoteSchemas } from './associate';
import { fetchCapped } from '../sources/http';
import { parseJsonQuietly, yamlSyntaxMessage } from '../util/parse';

export interface RemoteSchemaOptions {
  /** Folder of the disk cache. */
  cacheDir: string;
  timeoutMs?: number;
  /** Largest schema accepted, in bytes. */
  maxBytes?: number;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Do not use the network at all: the cache only. */
  offline?: boolean;
}

type Entry = { status: 'ok'; schema: object; documents: unknown[] } | { status: 'pending' } | { status: 'failed'; error: string };

export class RemoteSchemaCache implements RemoteSchemas {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly listeners = new Set<(url: string) => void>();

  constructor(private readonly options: RemoteSchemaOptions) {}

  private file(url: string): string {
    return join(this.options.cacheDir, `${createHash('sha256').update(url).digest('hex').slice(0, 32)}.json`);
  }

  /** Called when a schema arrives or fails, so callers can re-validate. */
  onDidSettle(listener: (url: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  get(url: string): Entry {
    const known = this.entries.get(url);
    if (known) return known;
    const cached = this.readCache(url);
    if (cached) {
      const entry: Entry = { status: 'ok', schema: cached[0] as object, documents: cached };
      this.entries.set(url, entry);
      void this.ensure(url, true); // refresh in the background; the cached copy answers meanwhile
      return entry;
    }
    if (this.options.offline) {
      const entry: Entry = { status: 'failed', error: 'not in the cache, and the network is not used (offline)' };
      this.entries.set(url, entry);
      return entry;
    }
    this.entries.set(url, { status: 'pending' });
    void this.ensure(url, false);
    return { status: 'pending' };
  }

  /** Fetches the schemas (unless cached) and resolves when each has arrived or failed. */
  async prefetch(urls: Iterable<string>): Promise<void> {
    await Promise.all([...new Set(urls)].map((u) => (this.get(u).status === 'pending' ? this.ensure(u, false) : Promise.resolve())));
  }

  private readCache(url: string): unknown[] | undefined {
    try {
      const saved = JSON.parse(readFileSync(this.file(url), 'utf8')) as { url: string; documents: unknown[] };
      return saved.url === url && Array.isArray(saved.documents) && saved.documents.length ? saved.documents : undefined;
    } catch {
      return undefined;
    }
  }

  private ensure(url: string, refresh: boolean): Promise<void> {
    if (this.options.offline) return Promise.resolve();
    let p = this.inflight.get(url);
    if (!p) {
      p = this.download(url)
        .then((documents) => {
          this.entries.set(url, { status: 'ok', schema: documents[0] as object, documents });
          this.writeCache(url, documents);
        })
        .catch((err: unknown) => {
          if (!refresh) this.entries.set(url, { status: 'failed', error: err instanceof Error ? err.message : String(err) });
        })
        .finally(() => {
          this.inflight.delete(url);
          for (const l of this.listeners) l(url);
        });
      this.inflight.set(url, p);
    }
    return p;
  }

  /** All documents at the URL (JSON, or YAML with one or more documents), first one the schema. */
  private async download(url: string): Promise<unknown[]> {
    if (!/^https:\/\//i.test(url)) throw new Error('only https URLs are fetched');
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const text = await fetchCapped(url, {
      timeoutMs,
      maxBytes: this.options.maxBytes ?? 5 * 1024 * 1024,
      headers: { accept: 'application/schema+json, application/json, application/yaml, */*' },
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
    });
    try {
      let documents: unknown[];
      // parse errors say where, never what the server sent (it may be any page the repository points at)
      if (/^\s*[{[]/.test(text)) documents = [parseJsonQuietly(text)];
      else {
        const parsed = parseAllDocuments(text, { prettyErrors: false });
        const docs = Array.isArray(parsed) ? parsed : [];
        const broken = docs.find((d) => d.errors.length > 0);
        if (broken) throw new Error(yamlSyntaxMessage(broken.errors[0], text));
        documents = docs.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
      }
      if (!documents.length || !documents[0] || typeof documents[0] !== 'object') throw new Error('not a JSON Schema object');
      return documents;
    } catch (err) {
      throw new Error(`not a JSON or YAML schema (${err instanceof Error && /^not /.test(err.message) ? err.message : yamlSyntaxMessage(err)})`);
    }
  }

  private writeCache(url: string, documents: unknown[]): void {
    try {
      mkdirSync(this.options.cacheDir, { recursive: true });
      const target = this.file(url);
      writeFileSync(`${target}.tmp`, JSON.stringify({ url, fetchedAt: new Date().toISOString(), documents }));
      renameSync(`${target}.tmp`, target);
    } catch {
      // a cache that cannot be written only costs a fetch next time
    }
  }
}
