/**
 * Files on disk: which files a command line names (files, directories walked
 * with `.gitignore`, globs) and reading them safely for validation.
 */
export type { ResolveOptions, ResolveResult, ResolvedFile } from './resolve';
export { isManifestPath, resolveFiles } from './resolve';
export type { WalkOptions } from './walk';
export { ALWAYS_SKIPPED_DIRECTORIES, walkDirectory } from './walk';
export type { FileContent, ReadOptions } from './read';
export { BINARY_SNIFF_BYTES, decodeUtf8, firstInvalidUtf8Offset, nonTextFinding, readManifestText, unreadableFinding } from './read';
export type { RegularRead, RegularReadOptions } from './regular';
export {
  FileTooLargeError,
  MAX_IGNORE_FILE_BYTES,
  MAX_SCHEMA_FILE_BYTES,
  NotRegularFileError,
  nonRegularKind,
  readRegularFile,
  readRegularFileSync,
  readTextFile,
  readTextFileSync,
} from './regular';
export { tooLargeFinding } from '../manifest';
export type { CheckOptions } from './check';
export { SKIPPED_NOT_A_MANIFEST, checkFile, checkFiles, readFiles } from './check';
export { FileAccessError, describeFsError, displayPath, errorCode, toPosix } from './paths';
