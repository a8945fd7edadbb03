/**
 * The one way Paved Road reads a file a repository holds (manifests, configs,
 * `.gitignore`, schemas, CRDs, policies): only a regular file, never more than a
 * limit. A path in a repository can be a FIFO (opening it blocks until a writer
 * comes), a device or a link to one (`/dev/zero` never ends), or huge.
 *
 * `stat` first (following links) and refuse anything but a regular file; then
 * open with `O_NONBLOCK` (a FIFO swapped in after the stat does not block the
 * open), `fstat` the handle and refuse again; read at most `maxBytes + 1` bytes
 * (a file that grows while it is read is still caught).
 */
import type { Stats } from 'node:fs';
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';

/** Largest schema or CRD file a team names (a local file; remote ones have their own limit). */
export const MAX_SCHEMA_FILE_BYTES = 16 * 1024 * 1024;
/** Largest `.gitignore` read. */
export const MAX_IGNORE_FILE_BYTES = 1024 * 1024;

/** Regular files only; `O_NONBLOCK` does not exist on Windows (no FIFOs in its file system either). */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

export interface RegularReadOptions {
  /** Largest file read whole, in bytes. */
  maxBytes: number;
  /** For a file over the limit, how many of its first bytes to return (default none). */
  headBytes?: number;
}

export interface RegularRead {
  /** The file's size (for a file that grew past the limit while read: at least the bytes seen). */
  size: number;
  /** The whole content when `complete`, else the first `headBytes` bytes. */
  bytes: Buffer;
  /** False when the file is over `maxBytes`. */
  complete: boolean;
}

/** A path that is not a regular file: a directory, a FIFO, a socket, a device. */
export class NotRegularFileError extends Error {
  readonly code = 'ENOTREG';
  constructor(readonly kind: string) {
    super(`${kind}, not a regular file`);
    this.name = 'NotRegularFileError';
  }
}

/** A file over the limit of a reader that wants it whole (`readTextFile`). */
export class FileTooLargeError extends Error {
  readonly code = 'EFBIG';
  constructor(
    readonly size: number,
    readonly maxBytes: number,
  ) {
    super(`larger than ${formatSize(maxBytes)} (${formatSize(size)})`);
    this.name = 'FileTooLargeError';
  }
}

function formatSize(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

/** What a non-regular entry is, for messages; undefined for a regular file. */
export function nonRegularKind(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a file';
}

function refuse(stats: Stats): void {
  const kind = nonRegularKind(stats);
  if (kind !== undefined) throw new NotRegularFileError(kind);
}

/**
 * Reads a regular file, at most `maxBytes` of it. Throws `NotRegularFileError`
 * for anything else, and Node's errors (ENOENT, EACCES, ELOOP…) as they come.
 */
export function readRegularFileSync(path: string, options: RegularReadOptions): RegularRead {
  refuse(statSync(path));
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const stats = fstatSync(fd);
    refuse(stats);
    const plan = new ReadPlan(stats.size, options);
    for (let want = plan.next(); want; want = plan.next()) plan.got(readSync(fd, want.buffer, want.offset, want.length, want.offset));
    return plan.result();
  } finally {
    closeSync(fd);
  }
}

/** `readRegularFileSync` on the thread pool. */
export async function readRegularFile(path: string, options: RegularReadOptions): Promise<RegularRead> {
  refuse(await stat(path));
  const handle = await open(path, OPEN_FLAGS);
  try {
    const stats = await handle.stat();
    refuse(stats);
    const plan = new ReadPlan(stats.size, options);
    for (let want = plan.next(); want; want = plan.next()) plan.got((await handle.read(want.buffer, want.offset, want.length, want.offset)).bytesRead);
    return plan.result();
  } finally {
    await handle.close();
  }
}

/**
 * Which bytes to read next: the usual file in one read of its size plus one byte
 * (to see it did not grow), a growing file in larger buffers up to `maxBytes + 1`,
 * a file over the limit only its head.
 */
class ReadPlan {
  private buffer: Buffer;
  private filled = 0;
  private done = false;
  private readonly limit: number;

  constructor(
    private readonly size: number,
    private readonly options: RegularReadOptions,
  ) {
    this.limit = size > options.maxBytes ? Math.min(size, options.headBytes ?? 0) : options.maxBytes + 1;
    this.buffer = Buffer.allocUnsafe(Math.min(this.limit, size + 1));
  }

  next(): { buffer: Buffer; offset: number; length: number } | undefined {
    if (this.done) return undefined;
    if (this.filled === this.buffer.length) {
      if (this.buffer.length >= this.limit) return undefined;
      const grown = Buffer.allocUnsafe(Math.min(this.limit, Math.max(this.buffer.length * 2, 64 * 1024)));
      this.buffer.copy(grown, 0, 0, this.filled);
      this.buffer = grown;
    }
    return { buffer: this.buffer, offset: this.filled, length: this.buffer.length - this.filled };
  }

  got(bytesRead: number): void {
    if (bytesRead === 0) this.done = true;
    this.filled += bytesRead;
  }

  result(): RegularRead {
    return finish(this.buffer.subarray(0, this.filled), this.size, this.options);
  }
}

function finish(bytes: Buffer, size: number, options: RegularReadOptions): RegularRead {
  if (size > options.maxBytes) return { size, bytes, complete: false };
  if (bytes.length > options.maxBytes) return { size: bytes.length, bytes: bytes.subarray(0, options.headBytes ?? 0), complete: false };
  return { size: bytes.length, bytes, complete: true };
}

/**
 * A regular file's text (UTF-8, a leading BOM dropped), whole or not at all:
 * throws `FileTooLargeError` over `maxBytes`, `NotRegularFileError`, or Node's error.
 * For files the tool reads on its own: configs, `.gitignore`, schemas, CRDs, policies.
 */
export function readTextFileSync(path: string, maxBytes: number): string {
  return textOf(readRegularFileSync(path, { maxBytes }), maxBytes);
}

/** `readTextFileSync` on the thread pool. */
export async function readTextFile(path: string, maxBytes: number): Promise<string> {
  return textOf(await readRegularFile(path, { maxBytes }), maxBytes);
}

function textOf(read: RegularRead, maxBytes: number): string {
  if (!read.complete) throw new FileTooLargeError(read.size, maxBytes);
  return read.bytes.toString('utf8').replace(/^\uFEFF/, '');
}
