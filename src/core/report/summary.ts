import type { FileFindings } from '../findings';
import { compareFindings } from '../findings';
import type { ReportFile } from './types';

export interface ReportSummary {
  /** Files that were validated (not skipped). */
  files: number;
  /** Files that were named but not validated. */
  skipped: number;
  /** Validated files with at least one finding. */
  filesWithFindings: number;
  errors: number;
  warnings: number;
  infos: number;
}

export function summarize(files: readonly ReportFile[]): ReportSummary {
  const summary: ReportSummary = { files: 0, skipped: 0, filesWithFindings: 0, errors: 0, warnings: 0, infos: 0 };
  for (const file of files) {
    if (file.skipped !== undefined) {
      summary.skipped++;
      continue;
    }
    summary.files++;
    if (file.findings.length > 0) summary.filesWithFindings++;
    for (const f of file.findings) {
      if (f.severity === 'error') summary.errors++;
      else if (f.severity === 'warning') summary.warnings++;
      else summary.infos++;
    }
  }
  return summary;
}

/** Code-unit order: the same on every machine, whatever the locale. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Files by path, findings by position: every reporter prints in this order. */
export function sortedFiles<T extends FileFindings>(files: readonly T[]): T[] {
  return [...files]
    .sort((a, b) => comparePaths(a.path, b.path))
    .map((file) => ({ ...file, findings: [...file.findings].sort(compareFindings) }));
}
