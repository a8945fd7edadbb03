import { stat } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';

/** Forward slashes, whatever the platform. */
export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/**
 * How a file is shown in reports: relative to `cwd` with `/` separators
 * (`deploy/.paved-road.yaml`, `../other/x.yaml`); absolute when there is no
 * relative path (another drive on Windows).
 */
export function displayPath(absolutePath: string, cwd: string): string {
  const rel = relative(cwd, absolutePath);
  if (rel === '') return '.';
  return toPosix(isAbsolute(rel) ? absolutePath : rel);
}

/** Node's error code (`ENOENT`, `EACCES`, …) of a file-system error, if it has one. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = err.code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

const CODE_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
};

/** `permission denied` for EACCES; the error's own message otherwise. */
export function describeFsError(err: unknown): string {
  const code = errorCode(err);
  if (code && CODE_TEXT[code]) return CODE_TEXT[code];
  return err instanceof Error ? err.message : String(err);
}

/** A file or directory that could not be found or read: the CLI's I/O error (exit code 2). */
export class FileAccessError extends Error {
  constructor(
    /** The path as the user gave it (or as shown in reports). */
    readonly path: string,
    /** `ENOENT`, `EACCES`, … */
    readonly code: string | undefined,
    /** `no such file or directory` */
    readonly reason: string,
  ) {
    super(`${reason}: ${path}`);
    this.name = 'FileAccessError';
  }

  static from(path: string, err: unknown): FileAccessError {
    return new FileAccessError(path, errorCode(err), describeFsError(err));
  }
}

/** Whether a path exists (any kind of entry). */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
