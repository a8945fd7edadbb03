/**
 * Completion, hover and quick fixes in YAML manifests, from the same schemas
 * and associations as validation (src/core/validate/editing.ts does the work),
 * and the quick fixes of policy findings (src/core/policy/fixes.ts), with the
 * exemption command that asks for a reason.
 */
import * as vscode from 'vscode';
import type { Finding } from '../../core/findings';
import type { QuickFix } from '../../core/editing/types';
import type { FixRule } from '../../core/policy/fixes';
import type { YamlSymbol } from '../../core/editing/symbols';
import { isPolicyFinding } from '../../core/policy/ids';
import { toRange } from '../convert';
import { DIAGNOSTIC_SOURCE, codeOf } from '../convert';
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

const SYMBOL_KIND: Record<YamlSymbol['kind'], vscode.SymbolKind> = {
  document: vscode.SymbolKind.Class,
  object: vscode.SymbolKind.Module,
  array: vscode.SymbolKind.Array,
  property: vscode.SymbolKind.Property,
  item: vscode.SymbolKind.Object,
};

function toSymbol(s: YamlSymbol): vscode.DocumentSymbol {
  const range = toRange(s.range);
  const selection = toRange(s.selectionRange);
  const symbol = new vscode.DocumentSymbol(s.name || ' ', s.detail, SYMBOL_KIND[s.kind], range, range.contains(selection) ? selection : new vscode.Range(range.start, range.start));
  symbol.children = s.children.map(toSymbol);
  return symbol;
}

function enabled(doc: vscode.TextDocument): boolean {
  return vscode.workspace.getConfiguration('pavedRoad', doc.uri).get<boolean>('validation.enable', true);
}

/** The finding behind a diagnostic of ours (diagnostics do not carry the facts a fix needs). */
function findingFor(files: WorkspaceValidation, uri: vscode.Uri, d: vscode.Diagnostic): Finding | undefined {
  return files.get(uri)?.findings.find(
    (f) => f.ruleId === codeOf(d) && f.range.start.line === d.range.start.line && f.range.start.character === d.range.start.character && d.message.startsWith(f.message),
  );
}

/** Internal command behind the exemption quick fix: asks for the reason, then writes the annotation. Not in the palette (not contributed). */
export const EXEMPT_COMMAND = 'pavedRoad.exemptFromPolicy';

/** The rule behind a policy finding, built-in or the team's (for its exemption name); a rule the editor does not know gets the default name. */
function ruleFor(files: WorkspaceValidation, id: string): FixRule {
  return files.ruleById(id) ?? { id };
}

function editOf(uri: vscode.Uri, fix: QuickFix): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of fix.edits) edit.replace(uri, toRange(e.range), e.newText);
  return edit;
}

const samePath = (a: Finding, b: Finding): boolean => JSON.stringify(a.data?.path) === JSON.stringify(b.data?.path);

/**
 * Quick fixes of policy findings: the fixes that change the resource (one
 * action for identical fixes of several findings, e.g. the four resource
 * findings of a container), and the exemption, which asks for a reason first.
 */
function policyActions(files: WorkspaceValidation, doc: vscode.TextDocument, d: vscode.Diagnostic, finding: Finding, seen: Map<string, vscode.CodeAction>): vscode.CodeAction[] {
  const e = engine();
  const text = doc.getText();
  const out: vscode.CodeAction[] = [];
  const add = (key: string, make: () => vscode.CodeAction): void => {
    const known = seen.get(key);
    if (known) {
      known.diagnostics = [...(known.diagnostics ?? []), d];
      return;
    }
    const action = make();
    action.diagnostics = [d];
    seen.set(key, action);
    out.push(action);
  };
  for (const fix of e.policyFixes(text, finding, files.get(doc.uri)?.findings ?? [])) {
    add(`fix ${fix.title} ${JSON.stringify(fix.edits)}`, () => {
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.isPreferred = fix.isPreferred ?? false;
      action.edit = editOf(doc.uri, fix);
      return action;
    });
  }
  const title = e.exemptionTitle(text, finding, ruleFor(files, finding.ruleId));
  if (title) {
    add(`exempt ${title}`, () => {
      const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      action.command = { command: EXEMPT_COMMAND, title, arguments: [doc.uri, finding, doc.version] };
      return action;
    });
  }
  return out;
}

/**
 * Exempts the resource of a finding from its rule: asks for the reason (an
 * empty answer or Escape changes nothing), then adds the annotation. `reason`
 * skips the prompt (tests, other extensions). Resolves to whether the edit was made.
 */
async function exemptFromPolicy(files: WorkspaceValidation, uri: vscode.Uri, finding: Finding, version?: number, reason?: string): Promise<boolean> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const rule = ruleFor(files, finding.ruleId);
  let current: Finding | undefined = finding;
  if (version !== undefined && doc.version !== version) {
    // edited since the quick fix was offered: the same finding as it is now, if it is still there
    const line = finding.range.start.line;
    current = files
      .get(uri)
      ?.findings.filter((f) => f.ruleId === finding.ruleId && samePath(f, finding))
      .sort((a, b) => Math.abs(a.range.start.line - line) - Math.abs(b.range.start.line - line))[0];
    if (!current) return false;
  }
  const why =
    reason ??
    (await vscode.window.showInputBox({
      title: `Exempt from ${rule.id}`,
      prompt: 'Why is this resource exempt? The reason is written into the annotation for reviewers to read.',
      placeHolder: 'e.g. the GPU driver needs it until the 2027 rewrite',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Give a reason: it is what reviewers see.'),
    }));
  if (!why?.trim()) return false;
  const fix = engine().exemptionFix(doc.getText(), current, rule, why);
  if (!fix) {
    void vscode.window.showWarningMessage(`Paved Road could not add the exemption annotation to ${vscode.workspace.asRelativePath(uri)}: the resource's metadata cannot be edited safely (flow style or anchors). Add \`${engine().exemptionKey(rule)}\` by hand.`);
    return false;
  }
  return vscode.workspace.applyEdit(editOf(uri, fix));
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
        // how to fix the policy findings under the cursor (their diagnostics carry only the message and a link to the rule)
        const fixText = (files.get(doc.uri)?.findings ?? [])
          .filter((f) => isPolicyFinding(f) && f.detail && toRange(f.range).contains(position))
          .map((f) => `**${f.ruleId}**: ${f.detail ?? ''}`);
        const unique = [...new Set(fixText)];
        if (!h && unique.length === 0) return undefined;
        const parts = [...unique, ...(h ? [h.markdown] : [])];
        return new vscode.Hover(new vscode.MarkdownString(parts.join('\n\n---\n\n')), h && unique.length === 0 ? toRange(h.range) : undefined);
      } catch (err) {
        log.error('hover failed', err);
        return undefined;
      }
    },
  };

  const fixes: vscode.CodeActionProvider = {
    provideCodeActions(doc, _range, ctx) {
      const actions: vscode.CodeAction[] = [];
      const seen = new Map<string, vscode.CodeAction>();
      for (const d of ctx.diagnostics) {
        if (d.source !== DIAGNOSTIC_SOURCE) continue;
        const finding = findingFor(files, doc.uri, d);
        if (!finding) continue;
        try {
          if (isPolicyFinding(finding)) {
            if (finding.data?.path) actions.push(...policyActions(files, doc, d, finding, seen));
            continue;
          }
          for (const fix of engine().fixesFor(doc.uri.fsPath, doc.getText(), finding, files.contextForDocument(doc.uri))) {
            const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
            action.diagnostics = [d];
            action.isPreferred = fix.isPreferred ?? false;
            action.edit = editOf(doc.uri, fix);
            actions.push(action);
          }
        } catch (err) {
          log.error('quick fixes failed', err);
        }
      }
      return actions;
    },
  };

  // Outline, breadcrumbs, Go to Symbol: Kind/name per document; the last answer is kept per document version
  let lastSymbols: { uri: string; version: number; symbols: vscode.DocumentSymbol[] } | undefined;
  const symbols: vscode.DocumentSymbolProvider = {
    provideDocumentSymbols(doc) {
      if (lastSymbols?.uri === doc.uri.toString() && lastSymbols.version === doc.version) return lastSymbols.symbols;
      try {
        const result = engine().documentSymbols(doc.getText()).map(toSymbol);
        lastSymbols = { uri: doc.uri.toString(), version: doc.version, symbols: result };
        return result;
      } catch (err) {
        log.error('document symbols failed', err);
        return [];
      }
    },
  };

  context.subscriptions.push(
    vscode.languages.registerDocumentSymbolProvider(SELECTOR, symbols, { label: 'Paved Road' }),
    vscode.languages.registerCompletionItemProvider(SELECTOR, completion, ':'),
    vscode.languages.registerHoverProvider(SELECTOR, hover),
    vscode.languages.registerCodeActionsProvider(SELECTOR, fixes, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    vscode.commands.registerCommand(EXEMPT_COMMAND, async (uri: vscode.Uri, finding: Finding, version?: number, reason?: string) => {
      try {
        return await exemptFromPolicy(files, uri, finding, version, reason);
      } catch (err) {
        log.error('exempting from a policy failed', err);
        return false;
      }
    }),
  );
}
