/** Commands about the platform config: create one, refresh the view, show the log. */
import * as vscode from 'vscode';
import { STARTER_CONFIG } from '../../core/config/starter';
import { CONFIG_FILE_NAMES } from '../../core/config/files';
import type { WorkspaceValidation } from '../validation/workspaceValidation';
import type { Logger } from '../log';

/** "1 error", "3 errors". */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Runs a command's work with a progress indicator in the status bar. */
export function withWindowProgress<T>(title: string, work: () => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, work);
}

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
    vscode.commands.registerCommand('pavedRoad.refresh', async () => {
      await withWindowProgress('Paved Road: refreshing the platform config', () => files.refresh('refresh'));
      const configs = files.configFiles().filter((c) => vscode.workspace.getWorkspaceFolder(c.uri));
      const problems = configs.reduce((n, c) => n + c.result.findings.filter((f) => f.severity !== 'info').length, 0);
      const text = `Paved Road: ${plural(configs.length, 'platform config')}, ${plural(problems, 'problem')}`;
      vscode.window.setStatusBarMessage(`$(refresh) ${text}`, 5000);
      return text;
    }),
    vscode.commands.registerCommand('pavedRoad.validateWorkspace', async () => {
      await withWindowProgress('Paved Road: validating the workspace', () => files.refresh('Validate Workspace'));
      const s = files.summary();
      const text = `Paved Road: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')} in ${plural(s.files, 'YAML file')}`;
      vscode.window.setStatusBarMessage(`$(check-all) ${text}`, 5000);
      // returned for tests and other extensions (executeCommand resolves to it)
      return text;
    }),
    vscode.commands.registerCommand('pavedRoad.showLog', () => log.show()),
  );
}
