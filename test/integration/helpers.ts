import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { PavedRoadApi } from '../../src/extension';

export const EXTENSION_ID = 'paved-road.paved-road';

export async function activateExtension(): Promise<PavedRoadApi> {
  const ext = vscode.extensions.getExtension<PavedRoadApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  return ext.activate();
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the integration suite needs a workspace folder (the examples/ copy)');
  return folder.uri.fsPath;
}

/** Polls until `check` returns a truthy value (no fixed sleeps); fails with `what` after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined | false | null, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Our diagnostics of a file, with their code as the rule id (a built-in rule's code is a link to its page: see linkedDiagnostics). */
export function configDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return linkedDiagnostics(uri).map((d) => {
    if (typeof d.code !== 'object') return d;
    const copy = new vscode.Diagnostic(d.range, d.message, d.severity);
    Object.assign(copy, d, { code: String(d.code.value) });
    return copy;
  });
}

/** Our diagnostics of a file as published. */
export function linkedDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'paved-road');
}

export async function replaceAll(editor: vscode.TextEditor, text: string): Promise<void> {
  const doc = editor.document;
  const ok = await editor.edit((b) => b.replace(new vscode.Range(0, 0, doc.lineCount, 0), text));
  if (!ok) throw new Error('edit was not applied');
}

/** Records a figure (e.g. activation time) for the launcher to print and the README to quote. */
export function recordMetric(name: string, value: number): void {
  const file = process.env.PAVED_ROAD_METRICS;
  if (!file) return;
  let all: Record<string, number[]> = {};
  try {
    all = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, number[]>;
  } catch {
    // first metric
  }
  (all[name] ??= []).push(value);
  fs.writeFileSync(file, JSON.stringify(all, null, 2));
}

/** The usual suite setup: the extension active and its first scan done; editors reverted and closed after each test. */
export function useExtension(): void {
  before(async () => {
    const api = await activateExtension();
    await api.ready;
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
}
