/**
 * Validating files on disk: the same `validateText` the editor uses, behind the
 * checks a file from disk needs (binary, encoding, size).
 */
import { DEFAULT_LIMITS } from '../manifest';
import type { ReportFile } from '../report/types';
import { builtinContext, manifestKind, validateText } from '../validate';
import type { ValidationContext } from '../validate';
import { FileAccessError, describeFsError } from './paths';
import { readManifestText, readManifestTextSync, unreadableFinding } from './read';
import type { FileContent } from './read';
import type { ResolvedFile } from './resolve';

/** Why a named file that is not a manifest is not validated. */
export const SKIPPED_NOT_A_MANIFEST = 'not a manifest Paved Road validates';

export interface CheckOptions {
  /** Schemas, associations and limits (default: the built-in schemas only). */
  context?: ValidationContext;
  /** Contents already read (by `readFiles`), by absolute path: not read again. */
  contents?: ReadonlyMap<string, FileContent | FileAccessError>;
}

/**
 * Reads the manifests among `files` (synchronously: for thousands of small files in a
 * one-shot process that is several times faster than the thread pool); a file that
 * cannot be read maps to its FileAccessError.
 */
export function readFiles(files: readonly ResolvedFile[], options: { maxBytes?: number } = {}): Map<string, FileContent | FileAccessError> {
  const out = new Map<string, FileContent | FileAccessError>();
  for (const file of files) {
    if (manifestKind(file.absolutePath) === undefined) continue;
    try {
      out.set(file.absolutePath, readManifestTextSync(file.absolutePath, { maxBytes: options.maxBytes ?? DEFAULT_LIMITS.maxBytes }));
    } catch (err) {
      out.set(file.absolutePath, FileAccessError.from(file.path, err));
    }
  }
  return out;
}

/**
 * Findings for one file, or a skipped entry when Paved Road does not validate
 * files of its kind. A file that cannot be read is a `file/unreadable` finding on it.
 */
export async function checkFile(file: ResolvedFile, options: CheckOptions = {}): Promise<ReportFile> {
  if (manifestKind(file.absolutePath) === undefined) {
    return { path: file.path, findings: [], skipped: SKIPPED_NOT_A_MANIFEST };
  }
  let content: FileContent;
  const known = options.contents?.get(file.absolutePath);
  if (known instanceof FileAccessError) return { path: file.path, findings: [unreadableFinding(known.reason)] };
  if (known) content = known;
  else {
    try {
      content = await readManifestText(file.absolutePath, { maxBytes: options.context?.limits?.maxBytes ?? DEFAULT_LIMITS.maxBytes });
    } catch (err) {
      return { path: file.path, findings: [unreadableFinding(describeFsError(err))] };
    }
  }
  if (!content.ok) return { path: file.path, findings: [content.finding] };
  return { path: file.path, findings: validateText(file.absolutePath, content.text, options.context ?? builtinContext()) };
}

/** `checkFile` for each file, in order. */
export async function checkFiles(files: readonly ResolvedFile[], options: CheckOptions = {}): Promise<ReportFile[]> {
  const results: ReportFile[] = [];
  for (const file of files) results.push(await checkFile(file, options));
  return results;
}
