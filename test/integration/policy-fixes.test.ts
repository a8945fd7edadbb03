/** Quick fixes of policy findings in a real VS Code, on examples/mistakes/insecure-deployment.yaml. */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { configDiagnostics, useExtension, waitFor, workspaceRoot } from './helpers';

const FILE = ['mistakes', 'insecure-deployment.yaml'];

function codes(uri: vscode.Uri): string[] {
  return configDiagnostics(uri)
    .map((d) => (typeof d.code === 'string' ? d.code : ''))
    .sort();
}

function diagnostic(uri: vscode.Uri, code: string): Promise<vscode.Diagnostic> {
  return waitFor(() => configDiagnostics(uri).find((d) => d.code === code), `a ${code} diagnostic`);
}

function actionsAt(uri: vscode.Uri, d: vscode.Diagnostic): Thenable<vscode.CodeAction[]> {
  return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
}

function titled(actions: readonly vscode.CodeAction[], title: string): vscode.CodeAction {
  const action = actions.find((a) => a.title === title);
  assert.ok(action, `"${title}" among: ${actions.map((a) => a.title).join(' | ')}`);
  return action;
}

/** Waits until the rules in `gone` are no longer reported, then checks every other finding is still there. */
/** The file's codes once they have not changed for a moment (diagnostics of a file arrive in more than one publish: validation, then policies). */
async function settledCodes(uri: vscode.Uri): Promise<string[]> {
  await waitFor(() => codes(uri).length > 0, 'the first diagnostics');
  let last = JSON.stringify(codes(uri));
  let since = Date.now();
  await waitFor(() => {
    const now = JSON.stringify(codes(uri));
    if (now !== last) {
      last = now;
      since = Date.now();
    }
    return Date.now() - since >= 500;
  }, 'diagnostics to settle');
  return codes(uri);
}

async function clearedExactly(uri: vscode.Uri, before: readonly string[], gone: readonly string[]): Promise<void> {
  const expected = before.filter((c) => !gone.includes(c));
  await waitFor(() => !codes(uri).some((c) => gone.includes(c)), `${gone.join(', ')} cleared`);
  // the others stay: wait for the last publish, then compare
  await waitFor(() => JSON.stringify(codes(uri)) === JSON.stringify(expected), 'only those cleared').catch(() => undefined);
  assert.deepEqual(codes(uri), expected);
}

describe('Policy quick fixes', () => {
  useExtension();

  const open = async (): Promise<vscode.TextEditor> => {
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(path.join(workspaceRoot(), ...FILE)));
    await diagnostic(editor.document.uri, 'k8s/run-as-non-root');
    return editor;
  };

  it('runAsNonRoot, drop ALL and the placeholder resources each clear their findings, and only those', async () => {
    const editor = await open();
    const uri = editor.document.uri;

    // the security settings the container does not set are one finding (under the first rule's id), with each setting's fix
    let before = await settledCodes(uri);
    const hardening = await diagnostic(uri, 'k8s/run-as-non-root');
    assert.match(hardening.message, /^Container 'api' has no non-root setting, privilege escalation ban or capability drop: set /);
    const root = titled(await actionsAt(uri, hardening), "Set 'runAsNonRoot: true' in the security context of container 'api'");
    assert.equal(root.isPreferred, true);
    assert.ok(root.edit && (await vscode.workspace.applyEdit(root.edit)));
    assert.ok(editor.document.getText().endsWith('              name: http\n          securityContext:\n            runAsNonRoot: true\n'), editor.document.getText());
    // the finding now stands for what is still missing, under the next rule's id
    await waitFor(() => !codes(uri).includes('k8s/run-as-non-root') && codes(uri).includes('k8s/privilege-escalation-allowed'), 'runAsNonRoot cleared');
    assert.deepEqual(codes(uri), [...before.filter((c) => c !== 'k8s/run-as-non-root'), 'k8s/privilege-escalation-allowed'].sort());

    before = await settledCodes(uri);
    const rest = await diagnostic(uri, 'k8s/privilege-escalation-allowed');
    assert.match(rest.message, /has no privilege escalation ban or capability drop: /);
    const drop = titled(await actionsAt(uri, rest), "Drop all Linux capabilities of container 'api' ('capabilities.drop: [ALL]')");
    assert.ok(drop.edit && (await vscode.workspace.applyEdit(drop.edit)));
    assert.ok(editor.document.getText().endsWith('            runAsNonRoot: true\n            capabilities:\n              drop:\n                - ALL\n'), editor.document.getText());
    // NET_RAW on its own is a strict-profile rule: under the default profile drop ALL is the one finding
    await waitFor(() => configDiagnostics(uri).some((d) => d.code === 'k8s/privilege-escalation-allowed' && !d.message.includes('capability drop')), 'the capability drop done');
    assert.deepEqual(codes(uri), before);

    // the resources rules report once per container (CPU limits only in strict), with one action
    before = await settledCodes(uri);
    const actions = await actionsAt(uri, await diagnostic(uri, 'k8s/cpu-requests-missing'));
    const resources = actions.filter((a) => a.title.startsWith('Add placeholder resources'));
    assert.equal(resources.length, 1, actions.map((a) => a.title).join(' | '));
    const [fix] = resources;
    assert.ok(fix?.edit);
    assert.equal(fix.title, "Add placeholder resources to container 'api' (requests cpu 100m, memory 128Mi; limits memory 256Mi): adjust to measured usage");
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await clearedExactly(uri, before, ['k8s/cpu-requests-missing']);
  });

  it('probe skeletons target the declared port', async () => {
    const editor = await open();
    const uri = editor.document.uri;
    const before = await settledCodes(uri);
    const both = titled(await actionsAt(uri, await diagnostic(uri, 'k8s/liveness-probe-missing')), "Add liveness and readiness probe skeletons to container 'api' (httpGet /healthz on port http)");
    assert.ok(both.edit && (await vscode.workspace.applyEdit(both.edit)));
    assert.match(editor.document.getText(), /\n {10}livenessProbe:\n {12}httpGet:\n {14}path: \/healthz\n {14}port: http\n {10}readinessProbe:\n/);
    await clearedExactly(uri, before, ['k8s/liveness-probe-missing', 'k8s/readiness-probe-missing']);
  });

  it('the exemption asks for a reason, writes the annotation, and exempts the resource from that rule only', async () => {
    const editor = await open();
    const uri = editor.document.uri;
    const before = await settledCodes(uri);
    const exempt = titled(await actionsAt(uri, await diagnostic(uri, 'k8s/read-only-root-filesystem')), "Exempt Deployment 'legacy-api' from k8s/read-only-root-filesystem…");
    assert.equal(exempt.edit, undefined, 'the edit waits for the reason');
    assert.ok(exempt.command);
    const args: unknown[] = exempt.command.arguments ?? [];

    // an empty answer changes nothing, and neither does Escape in the real input box
    assert.equal(await vscode.commands.executeCommand<boolean>(exempt.command.command, ...args, '  '), false);
    let settled: boolean | undefined;
    const prompted = Promise.resolve(vscode.commands.executeCommand<boolean>(exempt.command.command, ...args)).then((r) => (settled = r));
    for (let i = 0; settled === undefined && i < 100; i++) {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(await prompted, false);
    assert.equal(editor.document.isDirty, false);

    const reason = 'writes its "cache" to disk until the 2027 rewrite';
    assert.equal(await vscode.commands.executeCommand<boolean>(exempt.command.command, ...args, reason), true);
    assert.ok(
      editor.document.getText().includes(`  labels:\n    app.kubernetes.io/name: legacy-api\n  annotations:\n    paved-road.dev/exempt-read-only-root-filesystem: ${JSON.stringify(reason)}\nspec:`),
      editor.document.getText(),
    );
    await clearedExactly(uri, before, ['k8s/read-only-root-filesystem']);
  });

  it('a team rule\'s finding is exempted under the policy-qualified name', async () => {
    const editor = await open();
    const uri = editor.document.uri;
    const d = await diagnostic(uri, 'checkout-standards/catalog-link');
    const before = await settledCodes(uri);
    const exempt = titled(await actionsAt(uri, d), "Exempt Deployment 'legacy-api' from checkout-standards/catalog-link…");
    assert.ok(exempt.command);
    const args: unknown[] = exempt.command.arguments ?? [];
    assert.equal(await vscode.commands.executeCommand<boolean>(exempt.command.command, ...args, 'not in the catalog yet'), true);
    assert.ok(editor.document.getText().includes('  annotations:\n    paved-road.dev/exempt-checkout-standards.catalog-link: "not in the catalog yet"\n'), editor.document.getText());
    await clearedExactly(uri, before, ['checkout-standards/catalog-link']);
  });
});
