/** Manifest validation in a real VS Code: Kubernetes and Backstage files of examples/, the workspace scan, CLI agreement. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, configDiagnostics, linkedDiagnostics, replaceAll, waitFor, useExtension, workspaceRoot } from './helpers';

const at = (d: vscode.Diagnostic) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;

describe('Manifest diagnostics', () => {
  useExtension();

  it('marks an invalid Deployment at the exact ranges, with readable messages', async () => {
    const uri = vscode.Uri.file(path.join(workspaceRoot(), 'mistakes', 'deployment.yaml'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    // validation findings (policy findings, built-in `k8s/…` and the team's, come on top)
    const ds = await waitFor(() => {
      const all = configDiagnostics(uri).filter((d) => typeof d.code === 'string' && /^(yaml|schema)\//.test(d.code));
      return all.length === 3 ? all : undefined;
    }, 'three validation diagnostics on the Deployment');
    const byCode = new Map(ds.map((d) => [typeof d.code === 'string' ? d.code : '', d]));
    const replicas = byCode.get('schema/type');
    assert.ok(replicas);
    assert.equal(at(replicas), '5:12-5:15');
    assert.equal(doc.getText(replicas.range), '"2"');
    assert.equal(replicas.message, `'spec.replicas' must be an integer, got the string "2".`);
    const pull = byCode.get('schema/enum');
    assert.ok(pull);
    assert.equal(doc.getText(pull.range), 'IfNotPresnt');
    assert.match(pull.message, /Did you mean 'IfNotPresent'\?$/);
    const bool = byCode.get('yaml/yaml11-boolean');
    assert.equal(bool?.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(doc.getText(bool.range), 'no');
  });

  it('marks a Backstage Component whose owner is misspelt, on the misspelt key', async () => {
    const uri = vscode.Uri.file(path.join(workspaceRoot(), 'mistakes', 'catalog-info.yaml'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const d = await waitFor(() => configDiagnostics(uri).find((x) => x.code === 'schema/required'), 'the owner diagnostic on the Component');
    assert.equal(d.message, "Missing required property 'owner' in 'spec' — is 'ownr' a misspelling of it?");
    assert.equal(doc.getText(d.range), 'ownr');
  });

  it('re-validates as you type in a multi-document file, touching only the edited document', async () => {
    const uri = vscode.Uri.file(path.join(workspaceRoot(), 'mistakes', 'deployment.yaml'));
    const editor = await vscode.window.showTextDocument(uri);
    const original = editor.document.getText();
    await replaceAll(editor, `${original.replace('replicas: "2"', 'replicas: 2')}---\napiVersion: v1\nkind: Service\nmetadata: { name: x }\nspec:\n  ports: [{ port: "80" }]\n`);
    const ds = await waitFor(() => {
      const all = configDiagnostics(uri);
      return all.some((x) => x.message.startsWith("'spec.ports[0].port'")) && !all.some((x) => x.message.startsWith("'spec.replicas'")) ? all : undefined;
    }, 'the fixed Deployment and the new Service');
    const port = ds.find((x) => x.message.startsWith("'spec.ports[0].port'"));
    assert.equal(port?.range.start.line, 26);
  });

  it('`paved-road check` on the workspace reports what the editor shows for every file (validation and policies)', async () => {
    const root = workspaceRoot();
    await vscode.commands.executeCommand('pavedRoad.validateWorkspace');
    const cli = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
    const run = spawnSync(process.execPath, [cli, 'check', '--format', 'json', '--offline', '.'], { cwd: root, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    assert.equal(run.status, 1, run.stderr);
    const report = JSON.parse(run.stdout) as { files: { path: string; findings: { ruleId: string; message: string; range: { start: { line: number; character: number } } }[] }[] };
    const fromCli = report.files.flatMap((f) => f.findings.map((x) => `${f.path}:${x.range.start.line}:${x.range.start.character} ${x.ruleId} ${x.message}`)).sort();
    const fromEditor = vscode.languages
      .getDiagnostics()
      .flatMap(([uri, ds]) =>
        ds
          .filter((d) => d.source === 'paved-road')
          .map((d) => `${path.relative(root, uri.fsPath).split(path.sep).join('/')}:${d.range.start.line}:${d.range.start.character} ${typeof d.code === 'object' ? String(d.code.value) : typeof d.code === 'string' ? d.code : ''} ${d.message.split('\n')[0] ?? ''}`),
      )
      .sort();
    assert.ok(fromCli.length >= 4, `the CLI found the deliberate mistakes (${fromCli.length})`);
    assert.deepEqual(fromEditor, fromCli);
    assert.ok(fs.existsSync(path.join(root, 'mistakes')));
  });
});

describe('Policy diagnostics', () => {
  useExtension();

  it('an insecure Deployment gets policy findings as you type; fixing it clears them', async () => {
    const uri = vscode.Uri.file(path.join(workspaceRoot(), 'deploy', 'deployment.yaml'));
    const editor = await vscode.window.showTextDocument(uri);
    const original = editor.document.getText();
    await waitFor(() => configDiagnostics(uri).length === 0, 'the paved-road example Deployment is clean');
    await replaceAll(editor, original.replace('runAsNonRoot: true', 'privileged: true'));
    const privileged = await waitFor(() => configDiagnostics(uri).find((d) => d.code === 'k8s/privileged-container'), 'a privileged-container finding');
    assert.equal(privileged.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(editor.document.getText(privileged.range), 'true');
    assert.ok(configDiagnostics(uri).some((d) => d.code === 'k8s/run-as-non-root'), 'runAsNonRoot is now missing too');
    // plain text, no remediation line under it; the code links to the rule's bundled page
    assert.ok(!privileged.message.includes('`') && !privileged.message.includes('\n'), privileged.message);
    const linked = linkedDiagnostics(uri).find((d) => typeof d.code === 'object' && d.code.value === 'k8s/privileged-container');
    const target = linked && typeof linked.code === 'object' ? linked.code.target : undefined;
    assert.ok(target && target.path.endsWith('/docs/rules/k8s/privileged-container.md') && fs.existsSync(target.fsPath), String(target));
    await replaceAll(editor, original);
    await waitFor(() => configDiagnostics(uri).length === 0, 'clean again');
  });
});
