/**
 * What the views show while the workspace is being checked: the context keys
 * `pavedRoad.scanning` (a scan runs) and `pavedRoad.ready` (the first scan got
 * to its end; until then the views' welcome says "checking", not "nothing
 * here"), and a progress bar on each view for every scan.
 */
import * as vscode from 'vscode';
import type { WorkspaceValidation } from '../validation/workspaceValidation';

export const SCAN_VIEWS = ['pavedRoad.platformConfig', 'pavedRoad.policies'];

export function registerScanState(context: vscode.ExtensionContext, files: WorkspaceValidation): void {
  let shown: { scanning: boolean; ready: boolean } | undefined;
  const update = () => {
    const now = { scanning: files.scanning, ready: files.scanned };
    if (shown?.scanning !== now.scanning) void vscode.commands.executeCommand('setContext', 'pavedRoad.scanning', now.scanning);
    if (shown?.ready !== now.ready) void vscode.commands.executeCommand('setContext', 'pavedRoad.ready', now.ready);
    shown = now;
  };
  context.subscriptions.push(
    files.onDidChangeScanState(update),
    files.onDidStartScan((scan) => {
      for (const viewId of SCAN_VIEWS) void vscode.window.withProgress({ location: { viewId } }, () => scan);
    }),
  );
  update();
}
