/**
 * The human format: one line per finding, `path:line:col: severity message [ruleId]`
 * with 1-based line and column as compilers print them (terminals, VS Code's
 * included, turn them into links), the detail indented below, and a summary line.
 */
import type { Finding, Severity } from '../findings';
import type { ReportSummary } from './summary';
import { sortedFiles, summarize } from './summary';
import type { ReportFile } from './types';
import { displayText, reportText } from '../util/text';

export interface TextOptions {
  /** ANSI colours; the caller decides (a TTY and no NO_COLOR). */
  color?: boolean;
}

type Style = 'red' | 'yellow' | 'blue' | 'green' | 'dim' | 'bold';

const ANSI: Record<Style, [number, number]> = {
  red: [31, 39],
  yellow: [33, 39],
  blue: [34, 39],
  green: [32, 39],
  dim: [2, 22],
  bold: [1, 22],
};

const SEVERITY_STYLE: Record<Severity, Style> = { error: 'red', warning: 'yellow', info: 'blue' };

export function formatText(files: readonly ReportFile[], options: TextOptions = {}): string {
  const paint = (style: Style, text: string): string => {
    if (!options.color) return text;
    const [open, close] = ANSI[style];
    return `\u001b[${open}m${text}\u001b[${close}m`;
  };
  const lines: string[] = [];
  for (const file of sortedFiles(files)) {
    if (file.skipped !== undefined) continue;
    for (const finding of file.findings) lines.push(...findingLines(file.path, finding, paint));
  }
  const summary = summarize(files);
  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(summary, paint));
  return `${lines.join('\n')}\n`;
}

/** `path:line:col: severity message [ruleId]`, then the detail's lines indented. */
function findingLines(path: string, f: Finding, paint: (style: Style, text: string) => string): string[] {
  // names and messages come from the files under check: an ESC, CR or LF must not drive the terminal or split the line
  const where = `${displayText(path, 500)}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
  const lines = [`${where}: ${paint(SEVERITY_STYLE[f.severity], f.severity)} ${reportText(f.message)} ${paint('dim', `[${displayText(f.ruleId, 200)}]`)}`];
  if (f.detail) {
    for (const line of reportText(f.detail, { lines: true }).split(/\n/)) lines.push(paint('dim', `    ${line}`));
  }
  return lines;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** `✖ 3 errors, 1 warning in 2 files (5 files checked)` or `✔ 5 files checked, no problems`. */
export function summaryLine(summary: ReportSummary, paint: (style: Style, text: string) => string = (_s, t) => t): string {
  const { errors, warnings, infos } = summary;
  if (summary.files === 0) return `${paint('green', '✔')} no manifests to check`;
  if (errors + warnings + infos === 0) return `${paint('green', '✔')} ${plural(summary.files, 'file')} checked, no problems`;
  const counts = [
    errors > 0 ? plural(errors, 'error') : undefined,
    warnings > 0 ? plural(warnings, 'warning') : undefined,
    infos > 0 ? plural(infos, 'info') : undefined,
  ].filter((c): c is string => c !== undefined);
  const symbol = errors > 0 ? paint('red', '✖') : warnings > 0 ? paint('yellow', '⚠') : paint('blue', 'ℹ');
  return `${symbol} ${counts.join(', ')} in ${plural(summary.filesWithFindings, 'file')} (${plural(summary.files, 'file')} checked)`;
}
