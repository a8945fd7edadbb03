/** Publishes the engine's findings on the workspace's manifests as diagnostics. */
import * as vscode from 'vscode';
import type { WorkspaceValidation } from '../validation/workspaceValidation';
import type { RedHatYaml } from '../redhat';
import type { Finding } from '../../core/findings';
import type { Logger } from '../log';
import { toDiagnostic } from '../convert';
import { engine } from '../engine';
import { convertFindings, shapeOfText } from './clamp';
import type { DocumentShape } from './clamp';

/** The shape of the document a file's diagnostics are shown in: the open buffer, else the text validated. */
function shapeOf(files: WorkspaceValidation, uri: vscode.Uri): DocumentShape | undefined {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return { lineCount: open.lineCount, lineLength: (line) => open.lineAt(line).text.length };
  const text = files.textOf(uri);
  return text === undefined ? undefined : shapeOfText(text);
}

export function registerDiagnostics(context: vscode.ExtensionContext, files: WorkspaceValidation, redHat: RedHatYaml, log: Logger): void {
  const collection = vscode.languages.createDiagnosticCollection('paved-road');
  // findings that did not change (cached documents, kept policy findings) keep their diagnostic object
  const converted = new WeakMap<Finding, vscode.Diagnostic>();
  // the code of a built-in rule's diagnostic opens its page, bundled under docs/rules/
  let builtin: ReadonlySet<string> | undefined;
  const docs = (ruleId: string): vscode.Uri | undefined => {
    builtin ??= new Set(engine().BUILTIN_RULES.map((r) => r.id));
    return builtin.has(ruleId) ? vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules', `${ruleId}.md`) : undefined;
  };
  const diagnosticOf = (f: Finding, range: Finding['range'], clamped: boolean): vscode.Diagnostic => {
    if (clamped) return toDiagnostic(f, range, docs);
    let d = converted.get(f);
    if (!d) converted.set(f, (d = toDiagnostic(f, range, docs)));
    return d;
  };
  const publishOne = (uri: vscode.Uri) => {
    const state = files.get(uri);
    if (!state) {
      collection.delete(uri);
      return;
    }
    let findings = state.findings;
    // an open YAML file is checked by Red Hat YAML too: it reports the syntax errors (see src/core/validate/redhat.ts)
    if (redHat.active && state.origin === 'editor') findings = engine().withRedHat(findings, files.textOf(uri) ?? '');
    // each finding on its own, clamped to the document: one bad range never keeps a file's old diagnostics on screen
    const { items, clamped, failed } = convertFindings(findings, shapeOf(files, uri), diagnosticOf);
    const where = vscode.workspace.asRelativePath(uri);
    // the buffer may have changed since it was validated (a pending edit): a range past a line's end is then expected
    if (clamped) log.debug(`${where}: ${clamped} finding(s) reached outside the document and were clamped into it`);
    for (const { finding, error } of failed) log.error(`${where}: finding ${String(finding.ruleId)} could not be shown`, error);
    collection.set(uri, items);
  };
  const publish = (uris: readonly vscode.Uri[]) => {
    for (const uri of uris) {
      try {
        publishOne(uri);
      } catch (err) {
        // never leave stale diagnostics behind: what cannot be published is removed
        log.error(`publishing the diagnostics of ${vscode.workspace.asRelativePath(uri)} failed`, err);
        collection.delete(uri);
      }
    }
  };
  context.subscriptions.push(
    collection,
    files.onDidChange(publish),
    redHat.onDidChange(() => publish(files.all().map((s) => s.uri))),
  );
  publish(files.all().map((s) => s.uri));
}
