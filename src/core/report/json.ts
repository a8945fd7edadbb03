/**
 * The machine format, stable and versioned. Shape (version 1):
 *
 * ```jsonc
 * {
 *   "version": 1,
 *   "tool": { "name": "paved-road", "version": "0.1.0" },
 *   "files": [
 *     {
 *       "path": "deploy/.paved-road.yaml",          // relative to the working directory, `/`-separated
 *       "findings": [
 *         {
 *           "ruleId": "schema/additionalProperties",
 *           "severity": "error",                    // "error" | "warning" | "info"
 *           "message": "Unknown property `polices` — did you mean `policies`?",
 *           "detail": "Allowed here: …",            // only when there is one
 *           "location": { "line": 3, "column": 1, "endLine": 3, "endColumn": 8 },  // 1-based, end exclusive
 *           "range": { "start": { "line": 2, "character": 0 }, "end": { "line": 2, "character": 7 } }  // 0-based (LSP)
 *         }
 *       ]
 *     },
 *     { "path": "README.md", "findings": [], "skipped": "not a manifest Paved Road validates" }
 *   ],
 *   "summary": { "files": 1, "skipped": 1, "errors": 1, "warnings": 0, "infos": 0 }
 * }
 * ```
 *
 * Columns count UTF-16 code units. Files are sorted by path and findings by position.
 * Every validated file is listed, with or without findings; `summary.files` counts them.
 * New fields may be added within version 1; a field is never removed or changes meaning.
 */
import type { Finding, Range, Severity } from '../findings';
import { sortedFiles, summarize } from './summary';
import type { ReportFile, ToolInfo } from './types';
import { reportText } from '../util/text';

export const JSON_REPORT_VERSION = 1;

export interface JsonLocation {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
  endLine: number;
  /** 1-based, exclusive. */
  endColumn: number;
}

export interface JsonFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  detail?: string;
  location: JsonLocation;
  /** 0-based, as in LSP and VS Code. */
  range: Range;
}

export interface JsonFile {
  path: string;
  findings: JsonFinding[];
  skipped?: string;
}

export interface JsonReport {
  version: typeof JSON_REPORT_VERSION;
  tool: { name: string; version: string };
  files: JsonFile[];
  summary: { files: number; skipped: number; errors: number; warnings: number; infos: number };
}

export interface JsonOptions {
  tool: Pick<ToolInfo, 'name' | 'version'>;
}

export function toJsonReport(files: readonly ReportFile[], options: JsonOptions): JsonReport {
  const s = summarize(files);
  return {
    version: JSON_REPORT_VERSION,
    tool: { name: options.tool.name, version: options.tool.version },
    files: sortedFiles(files).map((file) => ({
      path: file.path,
      findings: file.findings.map(toJsonFinding),
      ...(file.skipped !== undefined ? { skipped: file.skipped } : {}),
    })),
    summary: { files: s.files, skipped: s.skipped, errors: s.errors, warnings: s.warnings, infos: s.infos },
  };
}

export function formatJson(files: readonly ReportFile[], options: JsonOptions): string {
  return `${JSON.stringify(toJsonReport(files, options), null, 2)}\n`;
}

function toJsonFinding(f: Finding): JsonFinding {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    // human text (plain, bounded, control characters escaped); paths and ranges stay as they are: they are data
    message: reportText(f.message),
    ...(f.detail ? { detail: reportText(f.detail, { lines: true }) } : {}),
    location: {
      line: f.range.start.line + 1,
      column: f.range.start.character + 1,
      endLine: f.range.end.line + 1,
      endColumn: f.range.end.character + 1,
    },
    range: { start: { ...f.range.start }, end: { ...f.range.end } },
  };
}
