/**
 * Reporters over validated files: `text` for people, `json` for scripts,
 * `sarif` for code-scanning tools. Each returns the whole output as a string.
 */
import { formatJson } from './json';
import { formatSarif } from './sarif';
import { formatText } from './text';
import type { Rule } from '../policy/types';
import type { OutputFormat, ReportFile, ToolInfo } from './types';

export type { OutputFormat, ReportFile, ToolInfo } from './types';
export { OUTPUT_FORMATS, isOutputFormat } from './types';
export type { ReportSummary } from './summary';
export { summarize, sortedFiles } from './summary';
export type { TextOptions } from './text';
export { formatText, summaryLine } from './text';
export type { JsonFile, JsonFinding, JsonLocation, JsonOptions, JsonReport } from './json';
export { JSON_REPORT_VERSION, formatJson, toJsonReport } from './json';
export type { SarifOptions } from './sarif';
export { SARIF_SCHEMA, formatSarif, toSarifLog } from './sarif';
export type { RuleMetadata } from './rules';
export { knownRuleIds, ruleMetadata } from './rules';

export interface FormatOptions {
  tool: ToolInfo;
  /** Base of the relative paths (SARIF `%SRCROOT%`). */
  cwd: string;
  /** ANSI colours in the text format. */
  color?: boolean;
  /** Rules besides the built-in ones (the team's), for SARIF rule metadata. */
  rules?: ReadonlyMap<string, Rule>;
}

export function formatReport(format: OutputFormat, files: readonly ReportFile[], options: FormatOptions): string {
  switch (format) {
    case 'text':
      return formatText(files, { color: options.color ?? false });
    case 'json':
      return formatJson(files, { tool: options.tool });
    case 'sarif':
      return formatSarif(files, { tool: options.tool, cwd: options.cwd, ...(options.rules ? { rules: options.rules } : {}) });
  }
}
