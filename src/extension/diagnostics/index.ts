/** Publishes the engine's findings on platform config files as diagnostics. */
import * as vscode from 'vscode';
import type { ConfigFiles } from '../workspace/configFiles';
import { toDiagnostic } from '../convert';

export function registerDiagnostics(context: vscode.ExtensionContext, files: ConfigFiles): void {
  const collection = vscode.languages.createDiagnosticCollection('paved-road');
  const publish = (uris: readonly vscode.Uri[]) => {
    for (const uri of uris) {
      const state = files.get(uri);
      if (state) collection.set(uri, state.result.findings.map(toDiagnostic));
      else collection.delete(uri);
    }
  };
  context.subscriptions.push(collection, files.onDidChange(publish));
  publish(files.all().map((s) => s.uri));
}
