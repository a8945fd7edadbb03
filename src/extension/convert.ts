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

/** A diagnostic for a finding, at `range` (the finding's range clamped to its document) when given. */
export function toDiagnostic(f: Finding, range: Range = f.range): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(range), f.detail ? `${f.message}\n${f.detail}` : f.message, SEVERITY[f.severity] ?? vscode.DiagnosticSeverity.Error);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = f.ruleId;
  return d;
}
