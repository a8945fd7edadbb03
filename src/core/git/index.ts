/**
 * Git for "policy checks before commit": the staged files and their staged
 * content (read only, honouring a hook's `GIT_INDEX_FILE`), and Paved Road's
 * pre-commit hook (install next to whatever hook is there, uninstall back to it).
 * Pure Node: git is run with argv arrays, never through a shell.
 */
export type { GitEnv, GitOptions } from './run';
export { GitError, findRepoRoot } from './run';
export type { ReadStagedOptions, StagedContent, StagedEntry } from './staged';
export {
  SKIPPED_BINARY,
  SKIPPED_NOT_STAGED,
  SKIPPED_SUBMODULE,
  SKIPPED_SYMLINK,
  SKIPPED_UNMERGED,
  readStaged,
  readStagedFiles,
  stagedEntries,
  stagedFiles,
} from './staged';
export type { StagedManifests, StagedManifestsOptions } from './manifests';
export { stagedConfigReader, stagedManifests } from './manifests';
export type { HookPaths, HookState, HookStatus, InstallHookOptions, InstallResult, UninstallResult } from './hook';
export { HOOK_NAME, HookError, hookPaths, hookStatus, installHook, uninstallHook } from './hook';
export type { HookScriptOptions } from './script';
export { CHAINED_HOOK_NAME, CLI_OVERRIDE_VARIABLE, HOOK_MARKER, hookScript, isPavedRoadHook } from './script';
