/** Completion, hover and quick fixes in a real VS Code, on examples/ files. */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { configDiagnostics, waitFor, useExtension, workspaceRoot } from './helpers';

async function open(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(workspaceRoot(), rel)));
  return vscode.window.showTextDocument(doc);
}

function positionOf(doc: vscode.TextDocument, needle: string, offsetInNeedle = 0): vscode.Position {
  const at = doc.getText().indexOf(needle);
  assert.ok(at >= 0, `${needle} is in ${doc.uri.fsPath}`);
  return doc.positionAt(at + offsetInNeedle);
}

describe('Editing help', () => {
  useExtension();

  it('a quick fix replaces a misspelt enum value and its diagnostic goes away', async () => {
    const editor = await open('mistakes/deployment.yaml');
    const uri = editor.document.uri;
    const d = await waitFor(() => configDiagnostics(uri).find((x) => x.code === 'schema/enum'), 'the enum diagnostic');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title.includes('IfNotPresent'));
    assert.ok(fix?.edit, `a fix to IfNotPresent among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(editor.document.getText(), /imagePullPolicy: IfNotPresent\n/);
    await waitFor(() => !configDiagnostics(uri).some((x) => x.code === 'schema/enum'), 'the enum diagnostic cleared');
  });

  it('quick fixes rename a misspelt key and quote a YAML 1.1 boolean', async () => {
    const catalog = await open('mistakes/catalog-info.yaml');
    const d = await waitFor(() => configDiagnostics(catalog.document.uri).find((x) => x.code === 'schema/required'), 'the owner diagnostic');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', catalog.document.uri, d.range);
    const rename = actions.find((a) => a.title === "Rename 'ownr' to 'owner'");
    assert.ok(rename?.edit);
    await vscode.workspace.applyEdit(rename.edit);
    // the validation finding is gone (the platform-readiness findings of this production Component stay)
    await waitFor(() => !configDiagnostics(catalog.document.uri).some((d) => d.code === 'schema/required'), 'no validation diagnostic after the rename');

    const deploy = await open('mistakes/deployment.yaml');
    const bool = await waitFor(() => configDiagnostics(deploy.document.uri).find((x) => x.code === 'yaml/yaml11-boolean'), 'the boolean warning');
    const quote = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', deploy.document.uri, bool.range)).find((a) => a.title.startsWith('Quote'));
    assert.ok(quote?.edit);
    await vscode.workspace.applyEdit(quote.edit);
    assert.match(deploy.document.getText(), /value: "no"/);
    await waitFor(() => !configDiagnostics(deploy.document.uri).some((x) => x.code === 'yaml/yaml11-boolean'), 'the warning cleared');
  });

  it('completion offers the lifecycle values of a Backstage Component', async () => {
    const editor = await open('catalog-info.yaml');
    const doc = editor.document;
    const pos = positionOf(doc, 'lifecycle: production', 'lifecycle: '.length);
    const ok = await editor.edit((b) => b.delete(new vscode.Range(pos, pos.translate(0, 'production'.length))));
    assert.ok(ok);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const v of ['experimental', 'production', 'deprecated']) assert.ok(labels.includes(v), `${v} in ${labels.join(', ')}`);
  });

  it('completion offers the missing keys of a Deployment spec, required ones first', async () => {
    const editor = await open('deploy/deployment.yaml');
    const doc = editor.document;
    const line = positionOf(doc, '  replicas: 3').line;
    await editor.edit((b) => b.insert(new vscode.Position(line, 0), '  \n'));
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(line, 2));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('strategy'), labels.join(', '));
    assert.ok(labels.includes('revisionHistoryLimit'));
    assert.ok(!labels.includes('replicas'), 'keys already present are not offered');
  });

  it('hover shows the schema description, with a link to the reference docs', async () => {
    const editor = await open('deploy/deployment.yaml');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, positionOf(editor.document, 'replicas: 3', 2));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(text, /desired pods/i);
    assert.match(text, /kubernetes\.io\/docs\/reference/);
  });
});
