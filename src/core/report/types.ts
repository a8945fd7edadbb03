/** What every reporter takes: the files that were looked at and what was found in each. */
import type { FileFindings } from '../findings';

/** A file's findings, or why it was not validated. */
export interface ReportFile extends FileFindings {
  /** Set when the file was not validated (then `findings` is empty), e.g. "not a manifest Paved Road validates". */
  skipped?: string;
}

/** Who produced the report (SARIF's `tool.driver`, the JSON report's `tool`). */
export interface ToolInfo {
  name: string;
  version: string;
  /** Where to read about the tool (SARIF `informationUri`). */
  informationUri: string;
}

export type OutputFormat = 'text' | 'json' | 'sarif';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif'];

export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}
