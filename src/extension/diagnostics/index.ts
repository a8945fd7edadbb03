/** Publishes the engine's findings on the workspace's manifests as diagnostics. */
import * as vscode from 'vscode';
import type { WorkspaceValidation } from '../validation/workspaceValidation';
import type { RedHatYaml } from '../redhat';
import type { Finding } from '../../core/findings';
import { toDiagnostic } from '../convert';
import { engine } from '../engine';

export function registerDiagnostics(context: vscode.ExtensionContext, files: WorkspaceValidation, redHat: RedHatYaml): void {
  const collection = vscode.languages.createDiagnosticCollection('paved-road');
  // findings that did not change (cached documents, kept policy findings) keep their diagnostic object
  const converted = new WeakMap<Finding, vscode.Diagnostic>();
  const diagnosticOf = (f: Finding): vscode.Diagnostic => {
    let d = converted.get(f);
    if (!d) converted.set(f, (d = toDiagnostic(f)));
    return d;
  };
  const publish = (uris: readonly vscode.Uri[]) => {
    for (const uri of uris) {
      const state = files.get(uri);
      if (!state) {
        collection.delete(uri);
        continue;
      }
      let findings = state.findings;
      // an open YAML file is checked by Red Hat YAML too: it reports the syntax errors (see src/core/validate/redhat.ts)
      if (redHat.active && state.origin === 'editor') findings = engine().withRedHat(findings, files.textOf(uri) ?? '');
      collection.set(uri, findings.map(diagnosticOf));
    }
  };
  context.subscriptions.push(
    collection,
    files.onDidChange(publish),
    redHat.onDidChange(() => publish(files.all().map((s) => s.uri))),
  );
  publish(files.all().map((s) => s.uri));
}
