/**
 * "Paved Road: Install Pre-commit Hook" / "Uninstall Pre-commit Hook": the git
 * hook that runs the CLI shipped with the extension (`dist/cli.js check --staged`).
 * Refused in untrusted workspaces (the check is re-done here, not only in `when`).
 * The extension's folder changes with every version, so an installed hook is
 * pointed at the current CLI on activation.
 */
import { sep } from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../log';
import { engine } from '../engine';


function cliPath(context: vscode.ExtensionContext): string {
  return vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath;
}

async function pickRepoRoot(): Promise<string | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const folder = folders.length <= 1 ? folders[0] : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Which repository?' });
  if (!folder) return undefined;
  const { findRepoRoot } = engine();
  try {
    return await findRepoRoot(folder.uri.fsPath);
  } catch {
    void vscode.window.showWarningMessage(`${folder.name} is not in a git repository: there is no commit to check.`);
    return undefined;
  }
}

function refuseUntrusted(): boolean {
  if (vscode.workspace.isTrusted) return false;
  void vscode.window.showWarningMessage('Paved Road installs git hooks only in a trusted workspace.');
  return true;
}

/** The message with paths inside the repository made relative to it (no absolute path of the user's machine). */
function withoutWorkspacePaths(message: string, root: string): string {
  const prefix = root.endsWith(sep) ? root : `${root}${sep}`;
  return message.split(prefix).join('').split(root).join('.');
}

export function registerHookCommands(context: vscode.ExtensionContext, log: Logger): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('pavedRoad.installHook', async () => {
      if (refuseUntrusted()) return;
      const root = await pickRepoRoot();
      if (!root) return;
      const { installHook, HookError } = engine();
      try {
        const r = await installHook(root, { command: cliPath(context) });
        log.info(`pre-commit hook ${r.action} at ${r.hookPath}${r.chainedHook ? ` (chains ${r.chainedHook})` : ''}`);
        const chained = r.chainedHook ? ' The hook that was there runs first.' : '';
        void vscode.window.showInformationMessage(`Paved Road pre-commit hook ${r.action === 'unchanged' ? 'is already installed' : r.action}: commits run paved-road check --staged.${chained}`);
      } catch (err) {
        const message = err instanceof HookError ? err.message : `could not install the hook: ${err instanceof Error ? err.message : String(err)}`;
        log.error('install hook', err);
        void vscode.window.showErrorMessage(`Paved Road: ${withoutWorkspacePaths(message, root)}`);
      }
    }),
    vscode.commands.registerCommand('pavedRoad.uninstallHook', async () => {
      if (refuseUntrusted()) return;
      const root = await pickRepoRoot();
      if (!root) return;
      const { uninstallHook, HookError } = engine();
      try {
        const r = await uninstallHook(root);
        void vscode.window.showInformationMessage(r.action === 'restored' ? 'Paved Road pre-commit hook removed; the previous hook is back.' : r.action === 'removed' ? 'Paved Road pre-commit hook removed.' : 'No Paved Road pre-commit hook was installed.');
      } catch (err) {
        const message = err instanceof HookError ? err.message : `could not uninstall the hook: ${err instanceof Error ? err.message : String(err)}`;
        void vscode.window.showErrorMessage(`Paved Road: ${withoutWorkspacePaths(message, root)}`);
      }
    }),
  );
}

/** After an update the extension lives in another folder: point an installed hook at the current CLI (trusted workspaces). */
export async function refreshInstalledHook(context: vscode.ExtensionContext, log: Logger): Promise<void> {
  if (!vscode.workspace.isTrusted) return;
  const { findRepoRoot, hookStatus, installHook } = engine();
  for (const folder of (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file')) {
    try {
      const root = await findRepoRoot(folder.uri.fsPath);
      const status = await hookStatus(root);
      if (status.state === 'installed' && status.command !== cliPath(context)) {
        await installHook(root, { command: cliPath(context) });
        log.info(`pointed the pre-commit hook of ${root} at ${cliPath(context)}`);
      }
    } catch {
      // not a repository, or git missing: nothing to refresh
    }
  }
}
