import * as vscode from 'vscode';

export const REVEAL_COMMAND = 'pavedRoad.revealLocation';

/** Opens a file, optionally selecting a range (used by tree items). */
export function registerRevealCommand(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(REVEAL_COMMAND, async (uri: unknown, range?: unknown) => {
      if (!(uri instanceof vscode.Uri)) return;
      const selection = range instanceof vscode.Range ? range : undefined;
      await vscode.window.showTextDocument(uri, { selection, preview: true });
    }),
  );
}
