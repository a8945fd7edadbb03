/** Team policies in a real VS Code: the sample workspace's Paved Road Policy and ValidatingAdmissionPolicy. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { configDiagnostics, replaceAll, waitFor, useExtension, workspaceRoot } from './helpers';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: team-check
  labels:
    app.kubernetes.io/name: team-check
spec:
  replicas: 12
  selector:
    matchLabels:
      app.kubernetes.io/name: team-check
  template:
    metadata:
      labels:
        app.kubernetes.io/name: team-check
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

const codes = (uri: vscode.Uri) => configDiagnostics(uri).map((d) => (typeof d.code === 'string' ? d.code : ''));

describe('Team policies', () => {
  useExtension();
  const file = () => path.join(workspaceRoot(), 'team-check.yaml');
  before(() => fs.writeFileSync(file(), DEPLOYMENT));
  after(() => fs.rmSync(file(), { force: true }));

  it('shows the team rules and the cluster admission policy next to the built-in rules, where they point', async () => {
    const uri = vscode.Uri.file(file());
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const ds = await waitFor(() => {
      const all = configDiagnostics(uri);
      return all.some((d) => d.code === 'checkout-standards/trusted-registry') && all.some((d) => d.code === 'max-replicas.example.com/validation-1') ? all : undefined;
    }, 'the team policy and VAP diagnostics');
    const registry = ds.find((d) => d.code === 'checkout-standards/trusted-registry');
    assert.equal(registry?.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(doc.getText(registry?.range), 'image');
    assert.match(registry?.message ?? '', /^Container web pulls nginx:1\.27: images come from ghcr\.io\/example-org\//);
    const replicas = ds.find((d) => d.code === 'max-replicas.example.com/validation-1');
    assert.equal(replicas?.severity, vscode.DiagnosticSeverity.Warning, 'the binding says Warn');
    assert.equal(doc.getText(replicas?.range), 'replicas');
    assert.match(replicas?.message ?? '', /spec\.replicas is 12: more than 10 replicas needs a capacity review/);
    assert.ok(ds.some((d) => d.code === 'k8s/run-as-non-root'), 'the built-in rules still run');
  });

  it('re-reads a policy file as you type it: a CEL error is a diagnostic at its column, and the rule stops until it is fixed', async () => {
    const target = vscode.Uri.file(file());
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target));
    await waitFor(() => codes(target).includes('checkout-standards/trusted-registry'), 'the team rule on the Deployment');
    const policy = vscode.Uri.file(path.join(workspaceRoot(), 'policies', 'checkout-standards.yaml'));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(policy));
    const original = editor.document.getText();
    await replaceAll(editor, original.replace(`expression: "element.image.startsWith('ghcr.io/example-org/')"`, `expression: "element.image.startsWith('ghcr.io/example-org/'"`));
    const problem = await waitFor(() => configDiagnostics(policy).find((d) => d.code === 'policy/invalid-expression'), 'the CEL error on the policy file');
    assert.match(problem.message, /^Invalid CEL in expression:/);
    assert.equal(problem.range.start.line, editor.document.getText().split('\n').findIndex((l) => l.includes("startsWith('ghcr.io/example-org/'\"")));
    await waitFor(() => !codes(target).includes('checkout-standards/trusted-registry'), 'the broken rule no longer runs');
    await replaceAll(editor, original);
    await waitFor(() => !codes(policy).includes('policy/invalid-expression') && codes(target).includes('checkout-standards/trusted-registry'), 'the fixed rule runs again');
  });

  it('an exemption annotation with the policy-qualified name clears that finding only', async () => {
    const uri = vscode.Uri.file(file());
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitFor(() => codes(uri).includes('checkout-standards/trusted-registry'), 'the team rule');
    await replaceAll(editor, DEPLOYMENT.replace('  name: team-check\n', '  name: team-check\n  annotations:\n    paved-road.dev/exempt-checkout-standards.trusted-registry: "mirrored by the proxy"\n'));
    await waitFor(() => !codes(uri).includes('checkout-standards/trusted-registry') && codes(uri).includes('max-replicas.example.com/validation-1'), 'only the exempted finding gone');
  });
});
