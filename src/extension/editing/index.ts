/**
 * Completion, hover and quick fixes in YAML manifests, from the same schemas
 * and associations as validation (src/core/validate/editing.ts does the work).
 */
import * as vscode from 'vscode';
import type { Finding } from '../../core/findings';
import { toRange } from '../convert';
import { DIAGNOSTIC_SOURCE } from '../convert';
import { engine } from '../engine';
import type { WorkspaceValidation } from '../validation/workspaceValidation';
import type { Logger } from '../log';

const SELECTOR: vscode.DocumentSelector = [
  { language: 'yaml', scheme: 'file' },
  { language: 'yaml', scheme: 'vscode-remote' },
  { language: 'yaml', scheme: 'untitled' },
];

const KIND: Record<string, vscode.CompletionItemKind> = {
  property: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.Value,
  snippet: vscode.CompletionItemKind.Snippet,
};

function enabled(doc: vscode.TextDocument): boolean {
  return vscode.workspace.getConfiguration('pavedRoad', doc.uri).get<boolean>('validation.enable', true);
}

/** The finding behind a diagnostic of ours (diagnostics do not carry the facts a fix needs). */
function findingFor(files: WorkspaceValidation, uri: vscode.Uri, d: vscode.Diagnostic): Finding | undefined {
  return files.get(uri)?.findings.find(
    (f) => f.ruleId === d.code && f.range.start.line === d.range.start.line && f.range.start.character === d.range.start.character && d.message.startsWith(f.message),
  );
}

export function registerEditing(context: vscode.ExtensionContext, files: WorkspaceValidation, log: Logger): void {
  const completion: vscode.CompletionItemProvider = {
    provideCompletionItems(doc, position) {
      if (!enabled(doc)) return [];
      try {
        const items = engine().completionsAt(doc.uri.fsPath, doc.getText(), position, files.contextForDocument(doc.uri));
        return items.map((item) => {
          const c = new vscode.CompletionItem(item.label, KIND[item.kind] ?? vscode.CompletionItemKind.Text);
          c.insertText = new vscode.SnippetString(item.insertText);
          c.sortText = item.sortText;
          if (item.filterText) c.filterText = item.filterText;
          if (item.detail) c.detail = item.detail;
          if (item.documentation) c.documentation = new vscode.MarkdownString(item.documentation);
          if (item.deprecated) c.tags = [vscode.CompletionItemTag.Deprecated];
          if (item.range) {
            const r = toRange(item.range);
            if (r.start.line === position.line && r.start.isBeforeOrEqual(position)) {
              c.range = { inserting: new vscode.Range(r.start, position), replacing: new vscode.Range(r.start, r.end.isAfter(position) ? r.end : position) };
            }
          }
          return c;
        });
      } catch (err) {
        log.error('completion failed', err);
        return [];
      }
    },
  };

  const hover: vscode.HoverProvider = {
    provideHover(doc, position) {
      if (!enabled(doc)) return undefined;
      try {
        const h = engine().hoverAt(doc.uri.fsPath, doc.getText(), position, files.contextForDocument(doc.uri));
        return h ? new vscode.Hover(new vscode.MarkdownString(h.markdown), toRange(h.range)) : undefined;
      } catch (err) {
        log.error('hover failed', err);
        return undefined;
      }
    },
  };

  const fixes: vscode.CodeActionProvider = {
    provideCodeActions(doc, _range, ctx) {
      const actions: vscode.CodeAction[] = [];
      for (const d of ctx.diagnostics) {
        if (d.source !== DIAGNOSTIC_SOURCE) continue;
        const finding = findingFor(files, doc.uri, d);
        if (!finding) continue;
        try {
          for (const fix of engine().fixesFor(doc.uri.fsPath, doc.getText(), finding, files.contextForDocument(doc.uri))) {
            const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
            action.diagnostics = [d];
            action.isPreferred = fix.isPreferred ?? false;
            const edit = new vscode.WorkspaceEdit();
            for (const e of fix.edits) edit.replace(doc.uri, toRange(e.range), e.newText);
            action.edit = edit;
            actions.push(action);
          }
        } catch (err) {
          log.error('quick fixes failed', err);
        }
      }
      return actions;
    },
  };

  context.subscriptions.push(
    vscode.languages.registerCompletionItemProvider(SELECTOR, completion, ':'),
    vscode.languages.registerHoverProvider(SELECTOR, hover),
    vscode.languages.registerCodeActionsProvider(SELECTOR, fixes, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
  );
}
