/** Commands about the platform config: create one, refresh the view, show the log. */
import * as vscode from 'vscode';
import { STARTER_CONFIG } from '../../core/config/starter';
import { CONFIG_FILE_NAMES } from '../../core/config/files';
import type { WorkspaceValidation } from '../validation/workspaceValidation';
import type { Logger } from '../log';

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Where should .paved-road.yaml go?' });
}

/** Creates `.paved-road.yaml` in a workspace folder; never overwrites an existing one. Returns its URI. */
export async function createConfig(log: Logger): Promise<vscode.Uri | undefined> {
  const folder = await pickFolder();
  if (!folder) {
    void vscode.window.showInformationMessage('Open a folder first: the platform config lives at the root of a repository.');
    return undefined;
  }
  for (const name of CONFIG_FILE_NAMES) {
    const existing = vscode.Uri.joinPath(folder.uri, name);
    if (await exists(existing)) {
      await vscode.window.showTextDocument(existing);
      void vscode.window.showInformationMessage(`${name} already exists in ${folder.name}; opened it instead.`);
      return existing;
    }
  }
  const target = vscode.Uri.joinPath(folder.uri, CONFIG_FILE_NAMES[0]);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(STARTER_CONFIG));
  log.info(`created ${vscode.workspace.asRelativePath(target)}`);
  await vscode.window.showTextDocument(target);
  return target;
}

export function registerConfigCommands(context: vscode.ExtensionContext, files: WorkspaceValidation, log: Logger): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('pavedRoad.createConfig', () => createConfig(log)),
    vscode.commands.registerCommand('pavedRoad.refresh', () => files.refresh('refresh')),
    vscode.commands.registerCommand('pavedRoad.validateWorkspace', async () => {
      await files.refresh('Validate Workspace');
      const all = files.all();
      const count = (sev: string) => all.reduce((n, s) => n + s.findings.filter((f) => f.severity === sev).length, 0);
      const errors = count('error');
      const warnings = count('warning');
      vscode.window.setStatusBarMessage(`$(check-all) Paved Road: ${errors} error(s), ${warnings} warning(s) in the workspace`, 5000);
    }),
    vscode.commands.registerCommand('pavedRoad.showLog', () => log.show()),
  );
}
