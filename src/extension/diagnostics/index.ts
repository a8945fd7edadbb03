/** Publishes the engine's findings on the workspace's manifests as diagnostics. */
import * as vscode from 'vscode';
import type { WorkspaceValidation } from '../validation/workspaceValidation';
import { toDiagnostic } from '../convert';

export function registerDiagnostics(context: vscode.ExtensionContext, files: WorkspaceValidation): void {
  const collection = vscode.languages.createDiagnosticCollection('paved-road');
  const publish = (uris: readonly vscode.Uri[]) => {
    for (const uri of uris) {
      const state = files.get(uri);
      if (state) collection.set(uri, state.findings.map(toDiagnostic));
      else collection.delete(uri);
    }
  };
  context.subscriptions.push(collection, files.onDidChange(publish));
  publish(files.all().map((s) => s.uri));
}
