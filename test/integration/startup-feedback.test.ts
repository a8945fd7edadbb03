/**
 * Diagnostics that never freeze, the Outline, command feedback and a manifest
 * from the Kubernetes documentation, in a real VS Code (issue 8, items 2 and 6).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { configDiagnostics, waitFor, useExtension, workspaceRoot } from './helpers';

const REPO = path.join(__dirname, '..', '..', '..');

async function open(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(workspaceRoot(), rel)));
  return vscode.window.showTextDocument(doc);
}

async function insertLineAfter(editor: vscode.TextEditor, needle: string, text: string): Promise<void> {
  const doc = editor.document;
  const at = doc.getText().indexOf(needle);
  assert.ok(at >= 0, `${needle} is in the document`);
  const line = doc.positionAt(at).line;
  const ok = await editor.edit((b) => b.insert(new vscode.Position(line + 1, 0), `${text}\n`));
  assert.ok(ok, 'edit applied');
}

async function replaceText(editor: vscode.TextEditor, from: string, to: string): Promise<void> {
  const doc = editor.document;
  const at = doc.getText().indexOf(from);
  assert.ok(at >= 0, `${from} is in the document`);
  const ok = await editor.edit((b) => b.replace(new vscode.Range(doc.positionAt(at), doc.positionAt(at + from.length)), to));
  assert.ok(ok, 'edit applied');
}

describe('Diagnostics never freeze', () => {
  useExtension();

  it('an empty list item (- ) gets its diagnostic on the dash; fixing another error then clears that error', async () => {
    const editor = await open('mistakes/deployment.yaml');
    const uri = editor.document.uri;
    await waitFor(() => configDiagnostics(uri).find((d) => d.message.startsWith("'spec.replicas'")), 'the replicas error');
    // an empty item in the container's env list, as typing "- " and stopping leaves it
    await insertLineAfter(editor, '              value: no', '            - ');
    const empty = await waitFor(() => configDiagnostics(uri).find((d) => d.message.includes('env[1]')), 'the empty item diagnostic');
    assert.equal(empty.range.start.line, 21);
    assert.equal(editor.document.getText(empty.range), '-');
    // the file's diagnostics still follow the edits: fixing replicas clears its error
    await replaceText(editor, 'replicas: "2"', 'replicas: 2');
    await waitFor(() => !configDiagnostics(uri).some((d) => d.message.startsWith("'spec.replicas'")), 'the replicas error cleared');
    assert.ok(configDiagnostics(uri).some((d) => d.message.includes('env[1]')), 'the empty item is still reported');
    // and filling the item clears its diagnostic
    await replaceText(editor, '            - \n', '            - name: MODE\n              value: "fast"\n');
    await waitFor(() => !configDiagnostics(uri).some((d) => d.message.includes('env[1]')), 'the empty item diagnostic cleared');
  });

  it('a list item emptied in a Backstage entity (the consumesApis completion inserts one) never stops diagnostics', async () => {
    const editor = await open('catalog-info.yaml');
    const uri = editor.document.uri;
    const before = configDiagnostics(uri).length;
    await insertLineAfter(editor, 'spec:', '  consumesApis:\n    - ');
    const d = await waitFor(() => configDiagnostics(uri).find((x) => x.message.includes('consumesApis[0]')), 'the empty consumesApis item');
    assert.ok(d.range.start.character >= 0);
    await replaceText(editor, '  consumesApis:\n    - \n', '');
    await waitFor(() => configDiagnostics(uri).length === before && !configDiagnostics(uri).some((x) => x.message.includes('consumesApis')), 'back to the diagnostics it had');
  });
});

describe('Outline and symbols', () => {
  useExtension();

  it('one symbol per document named Kind/name, with its keys as children', async () => {
    const editor = await open('mistakes/deployment.yaml');
    await replaceText(editor, 'value: no\n', 'value: no\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  generateName: job-\n');
    const list = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', editor.document.uri);
    const names = list.map((s) => s.name);
    assert.ok(names.includes('Deployment/payments-worker'), names.join());
    assert.ok(names.includes('Pod/job-'), names.join());
    const dep = list.find((s) => s.name === 'Deployment/payments-worker');
    assert.deepEqual(dep?.children.map((c) => c.name), ['apiVersion', 'kind', 'metadata', 'spec']);
    assert.equal(dep?.selectionRange.start.line, 3);
    const containers = dep?.children.find((c) => c.name === 'spec')?.children.find((c) => c.name === 'template')?.children.find((c) => c.name === 'spec')?.children.find((c) => c.name === 'containers');
    assert.deepEqual(containers?.children.map((c) => c.name), ['worker']);
  });
});

describe('Command feedback', () => {
  useExtension();

  it('Check Policies, Validate Workspace and Refresh answer with what they found (also shown in the status bar)', async () => {
    const policies = await vscode.commands.executeCommand<string>('pavedRoad.checkPolicies');
    assert.match(policies, /^Paved Road: \d+ policy findings? \(\d+ errors?\) in \d+ YAML files?$/);
    const validated = await vscode.commands.executeCommand<string>('pavedRoad.validateWorkspace');
    const errors = vscode.languages
      .getDiagnostics()
      .flatMap(([, ds]) => ds)
      .filter((d) => d.source === 'paved-road' && d.severity === vscode.DiagnosticSeverity.Error).length;
    assert.match(validated, new RegExp(`^Paved Road: ${errors} errors?, \\d+ warnings? in \\d+ YAML files?$`));
    const refreshed = await vscode.commands.executeCommand<string>('pavedRoad.refresh');
    assert.equal(refreshed, 'Paved Road: 1 platform config, 0 problems');
  });
});

describe('A Deployment from the Kubernetes documentation', () => {
  useExtension();
  const rel = path.join('k8s-docs', 'nginx-deployment.yaml');
  after(() => fs.rmSync(path.join(workspaceRoot(), 'k8s-docs'), { recursive: true, force: true }));

  it('shows no error under the default profile: runAsNonRoot, a Pod Security restricted rule, is a warning', async () => {
    const target = path.join(workspaceRoot(), rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(REPO, 'test', 'fixtures', 'kubernetes-examples', 'nginx-deployment.yaml'), target);
    const editor = await open(rel);
    const uri = editor.document.uri;
    // policy findings arrive with validation: wait until the file has been checked
    const ds = await waitFor(() => {
      const all = configDiagnostics(uri);
      return all.length > 0 ? all : undefined;
    }, 'the file has been checked');
    const errors = ds.filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    const validation = errors.filter((d) => typeof d.code === 'string' && /^(yaml|schema)\//.test(d.code));
    assert.deepEqual(validation.map((d) => d.message), [], 'no validation error');
    // the built-in rules (the sample workspace's team rules, such as its trusted registry, are the team's choice);
    // the default profile: errors only for what Pod Security baseline forbids or what breaks; restricted rules are warnings
    const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'string' ? d.code : '');
    const builtIn = errors.filter((d) => /^(k8s|backstage)\//.test(codeOf(d)));
    assert.deepEqual([...new Set(builtIn.map(codeOf))], []);
    const root = ds.find((d) => codeOf(d) === 'k8s/run-as-non-root');
    assert.equal(root?.severity, vscode.DiagnosticSeverity.Warning, root?.message);
  });
});
