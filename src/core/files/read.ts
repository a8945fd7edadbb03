/**
 * Reading a manifest from disk without trusting it: binary files, text that is
 * not UTF-8 and files over the size limit each become one finding (at the top
 * of the file) instead of an exception, and a file over the limit is never
 * read whole. Reading goes through `./regular` (regular files only).
 */
import type { Finding } from '../findings';
import { pointRange } from '../findings';
import { DEFAULT_LIMITS, tooLargeFinding } from '../manifest';
import { readRegularFile, readRegularFileSync } from './regular';
import type { RegularRead } from './regular';

/** How much of a file is looked at to tell binary from text (as git does). */
export const BINARY_SNIFF_BYTES = 8 * 1024;

export type FileContent = { ok: true; text: string } | { ok: false; finding: Finding };

export interface ReadOptions {
  /** Largest file read, in bytes. Default: `DEFAULT_LIMITS.maxBytes`. */
  maxBytes?: number;
}

/**
 * The file's text (UTF-8, BOM removed), or the finding that says why there is none.
 * Rejects only when the file cannot be opened or read (missing, permissions, not a
 * regular file: a FIFO or a device is never opened for a blocking read).
 */
export async function readManifestText(absolutePath: string, options: ReadOptions = {}): Promise<FileContent> {
  const maxBytes = options.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  return contentOf(await readRegularFile(absolutePath, { maxBytes, headBytes: BINARY_SNIFF_BYTES }), maxBytes);
}

function contentOf(read: RegularRead, maxBytes: number): FileContent {
  if (!read.complete) return { ok: false, finding: nonTextFinding(read.bytes) ?? tooLargeFinding(read.size, maxBytes) };
  return decodeWithin(read.bytes, maxBytes);
}

/**
 * A file that is listed but cannot be read (permissions, gone since it was listed,
 * a directory, a FIFO, a device, a link loop): a finding on that file, so the rest
 * of the run is still checked and reported.
 */
export function unreadableFinding(reason: string): Finding {
  return {
    ruleId: 'file/unreadable',
    severity: 'error',
    message: `The file cannot be read (${reason}); it is not validated.`,
    detail: 'Check that the path is a regular file you can read (not a FIFO, a device or a link to one).',
    range: pointRange(0, 0),
  };
}

/** UTF-16 (by its byte-order mark) or binary (a NUL byte in the first 8 KB). */
export function nonTextFinding(head: Uint8Array): Finding | undefined {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    return {
      ruleId: 'file/encoding',
      severity: 'error',
      message: 'The file is UTF-16 encoded; Paved Road reads manifests as UTF-8.',
      detail: 'Save the file as UTF-8.',
      range: pointRange(0, 0),
    };
  }
  if (head.includes(0)) {
    return {
      ruleId: 'file/binary',
      severity: 'error',
      message: 'The file is binary (it contains NUL bytes), not a YAML text file; it is not validated.',
      detail: 'Check that the path points at the manifest you meant.',
      range: pointRange(0, 0),
    };
  }
  return undefined;
}

/** Strict UTF-8 decoding (a leading BOM is dropped); invalid bytes give a `file/encoding` finding. */
export function decodeUtf8(bytes: Uint8Array): FileContent {
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    const line = countNewlines(bytes, offset) + 1;
    return {
      ok: false,
      finding: {
        ruleId: 'file/encoding',
        severity: 'error',
        message: `The file is not valid UTF-8 (first invalid byte on line ${line}, at byte offset ${offset}); it is not validated.`,
        detail: 'Save the file as UTF-8. Latin-1 or Windows-1252 text is the usual cause.',
        range: pointRange(0, 0),
      },
    };
  }
}

/**
 * Offset of the first byte of the first sequence that is not valid UTF-8
 * (`bytes.length` when the text is valid). Binary search over prefixes for the
 * byte where decoding fails (a streaming decode accepts a prefix that ends
 * mid-character), then back to the start of the character it interrupts.
 */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  const decodes = (n: number, stream: boolean): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n), { stream });
      return true;
    } catch {
      return false;
    }
  };
  let failsAt = bytes.length;
  if (!decodes(bytes.length, true)) {
    let lo = 0; // decodes(lo) holds
    let hi = bytes.length; // decodes(hi) does not
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (decodes(mid, true)) lo = mid;
      else hi = mid;
    }
    failsAt = lo;
  }
  if (decodes(failsAt, false)) return failsAt; // the byte at failsAt is itself the bad one (or all is valid)
  // the prefix ends inside a character: its lead byte is where the bad sequence starts
  let start = failsAt - 1;
  while (start > 0 && ((bytes[start] as number) & 0xc0) === 0x80) start--;
  return start;
}

function countNewlines(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end && i < bytes.length; i++) if (bytes[i] === 0x0a) n++;
  return n;
}


/** Bytes of a manifest as text, or the one finding that says why they are not (binary, not UTF-8). */
export function decodeManifestBytes(bytes: Uint8Array): FileContent {
  return decodeWithin(bytes, Infinity);
}

/** A whole file's bytes: not text, grown past the limit since it was measured, or its text. */
function decodeWithin(bytes: Uint8Array, maxBytes: number): FileContent {
  const notText = nonTextFinding(bytes.subarray(0, BINARY_SNIFF_BYTES));
  if (notText) return { ok: false, finding: notText };
  if (bytes.length > maxBytes) return { ok: false, finding: tooLargeFinding(bytes.length, maxBytes) };
  return decodeUtf8(bytes);
}

/**
 * `readManifestText` without the event loop: for a one-shot process reading
 * thousands of small files (the CLI), synchronous reads avoid the thread-pool
 * round trips that otherwise leave it waiting. Throws when the file cannot be read.
 */
export function readManifestTextSync(absolutePath: string, options: ReadOptions = {}): FileContent {
  const maxBytes = options.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  return contentOf(readRegularFileSync(absolutePath, { maxBytes, headBytes: BINARY_SNIFF_BYTES }), maxBytes);
}
