/**
 * What every check in Paved Road produces: a finding with a rule id, a severity,
 * a message a person understands and the exact range it is about.
 * Positions are 0-based (as in VS Code and LSP); reporters convert where a format
 * wants 1-based (text output, SARIF).
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 code unit offset in the line. */
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A step in a path through a document's value: a mapping key or a list index. */
export type PathSegment = string | number;

/** Machine-readable facts behind a finding, for quick fixes and tools (JSON output). */
export interface FindingData {
  /** Path of the value (or of the object that lacks a property) in the document. */
  path?: PathSegment[];
  /** The property that is missing, unknown, or the key of the value. */
  property?: string;
  /** Allowed values (enum/const). */
  allowed?: unknown[];
  /** The most likely intended key or value. */
  suggestion?: string;
  /** For a missing property: the key in the document that is probably its misspelling (the finding sits on it). */
  typo?: string;
  /** Rules whose findings this one stands for besides its own (several missing settings of one object, reported once). */
  rules?: string[];
  /** For a policy finding about a field that may be missing: the field's full path (`path` is where it is reported). */
  field?: PathSegment[];
}

export interface Finding {
  /** Stable id, e.g. `yaml/syntax`, `schema/additionalProperties`. */
  ruleId: string;
  severity: Severity;
  message: string;
  range: Range;
  /** Extra detail shown after the message where a format has room (hover, SARIF help). */
  detail?: string;
  /** Facts for quick fixes; absent where there is nothing to fix automatically. */
  data?: FindingData;
}

export interface FileFindings {
  /** Path as given to the check (relative to the working directory in the CLI). */
  path: string;
  findings: Finding[];
}

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export function pointRange(line: number, character: number): Range {
  return { start: { line, character }, end: { line, character } };
}
