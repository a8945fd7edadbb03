/**
 * One entry point for "what is wrong with this file": the editor, the pre-commit
 * hook and the CLI all call this, so they give the same answers.
 */
import type { Finding } from '../findings';
import { compareFindings } from '../findings';
import { isConfigFile, loadConfig } from '../config';
import type { ParseLimits } from '../manifest';

export type ManifestKind = 'paved-road-config';

export interface ValidateOptions {
  limits?: Partial<ParseLimits>;
}

/** Which kind of manifest a file is, from its path; `undefined` when Paved Road does not validate it. */
export function manifestKind(path: string): ManifestKind | undefined {
  return isConfigFile(path) ? 'paved-road-config' : undefined;
}

/** Validates a file's text. Files of no known kind get no findings (no guessing errors). */
export function validateText(path: string, text: string, options: ValidateOptions = {}): Finding[] {
  switch (manifestKind(path)) {
    case 'paved-road-config':
      return loadConfig(text, { limits: options.limits }).findings.sort(compareFindings);
    default:
      return [];
  }
}
