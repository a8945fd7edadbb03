/** Conversions between the engine's plain types and VS Code's. */
import * as vscode from 'vscode';
import type { Finding, Range, Severity } from '../core/findings';
import { clampRange } from './diagnostics/clamp';

/** A VS Code range; never throws: negative or non-numeric positions become 0 and the end is not before the start. */
export function toRange(r: Range): vscode.Range {
  const c = clampRange(r);
  return new vscode.Range(c.start.line, c.start.character, c.end.line, c.end.character);
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export const DIAGNOSTIC_SOURCE = 'paved-road';

/**
 * A diagnostic for a finding, at `range` (the finding's range clamped to its
 * document) when given: the message alone (the remediation is on the rule's page,
 * in the hover and in the quick fixes, not a second line under every problem);
 * the code links to the rule's page when `docs` has one (the bundled docs/rules/<id>.md).
 */
export function toDiagnostic(f: Finding, range: Range = f.range, docs?: (ruleId: string) => vscode.Uri | undefined): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(range), f.message, SEVERITY[f.severity] ?? vscode.DiagnosticSeverity.Error);
  d.source = DIAGNOSTIC_SOURCE;
  const target = docs?.(f.ruleId);
  d.code = target ? { value: f.ruleId, target } : f.ruleId;
  return d;
}

/** A diagnostic's rule id, whether its code is the id or a link ({ value, target }). */
export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}
