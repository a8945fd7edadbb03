/** `.paved-road.yaml` diagnostics in a real VS Code: as you type, from disk, on close. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PavedRoadApi } from '../../src/extension';
import { EXTENSION_ID, activateExtension, configDiagnostics, recordMetric, replaceAll, waitFor, workspaceRoot } from './helpers';

describe('Platform config diagnostics', () => {
  let configUri: vscode.Uri;
  let original: string;

  before(async () => {
    const api = await activateExtension();
    await api.ready;
    recordMetric('activation.loadMs', api.activation.loadMs);
    recordMetric('activation.activateMs', api.activation.activateMs);
    configUri = vscode.Uri.file(path.join(workspaceRoot(), '.paved-road.yaml'));
    original = fs.readFileSync(configUri.fsPath, 'utf8');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('activates from the packaged manifest and reports its activation time', () => {
    const ext = vscode.extensions.getExtension<PavedRoadApi>(EXTENSION_ID);
    assert.ok(ext?.isActive, 'extension is active');
    const api = ext.exports;
    assert.equal(typeof api.activation.activateMs, 'number');
    assert.ok(api.activation.activateMs >= 0);
  });

  it('shows no problems on the valid example config', async () => {
    await vscode.window.showTextDocument(configUri);
    await waitFor(() => vscode.languages.getDiagnostics(configUri).length === 0, 'no diagnostics on the valid config');
    assert.deepEqual(configDiagnostics(configUri), []);
  });

  it('marks an unknown key as you type, at the key, and clears it when fixed', async () => {
    const editor = await vscode.window.showTextDocument(configUri);
    const typo = original.replace(/^version: 1$/m, 'versoin: 1');
    assert.notEqual(typo, original, 'the example config has a version line');
    await replaceAll(editor, typo);
    const [d] = await waitFor(() => {
      const ds = configDiagnostics(configUri);
      return ds.length ? ds : undefined;
    }, 'a diagnostic for the typo');
    assert.ok(d);
    assert.equal(d.message.split('\n')[0], "Unknown property 'versoin' — did you mean 'version'?");
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.code, 'schema/additionalProperties');
    const line = typo.split('\n').findIndex((l) => l.startsWith('versoin'));
    assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], [line, 0, line, 7]);

    await replaceAll(editor, original);
    await waitFor(() => configDiagnostics(configUri).length === 0, 'diagnostics cleared after the fix');
  });

  it('reports a wrong value on the value, with the allowed values', async () => {
    const editor = await vscode.window.showTextDocument(configUri);
    await replaceAll(editor, `${withoutKey(original, 'policies')}policies:\n  rules:\n    k8s/run-as-non-root: warnign\n`);
    const d = await waitFor(() => configDiagnostics(configUri).find((x) => x.code === 'schema/enum'), 'an enum diagnostic');
    assert.equal(
      d.message,
      `'policies.rules["k8s/run-as-non-root"]' must be one of 'error', 'warning', 'info' or 'off', got the string "warnign". Did you mean 'warning'?`,
    );
    const doc = editor.document;
    assert.equal(doc.getText(d.range), 'warnign');
  });

  it('gives one diagnostic at a YAML syntax error instead of failing', async () => {
    const editor = await vscode.window.showTextDocument(configUri);
    await replaceAll(editor, 'version: 1\nschemas: [\n  { files: "a/**", schema: x.json }\n');
    const ds = await waitFor(() => {
      const all = configDiagnostics(configUri);
      return all.length ? all : undefined;
    }, 'a syntax diagnostic');
    assert.equal(ds.length, 1);
    assert.equal(ds[0]?.code, 'yaml/syntax');
    assert.ok((ds[0]?.range.start.line ?? 0) >= 1, 'the diagnostic is at the error, not at the start of the file');
  });

  it('goes back to the file on disk when an edited editor is closed without saving', async () => {
    const editor = await vscode.window.showTextDocument(configUri);
    await replaceAll(editor, 'version: 7\n');
    await waitFor(() => configDiagnostics(configUri).length === 1, 'a diagnostic for the unsaved edit');
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor(() => configDiagnostics(configUri).length === 0, 'diagnostics of the file on disk (none)');
  });

  it('validates config files that are not open, and follows changes on disk', async () => {
    // an existing folder: a folder created in the same instant as the file can race the file watcher
    const file = vscode.Uri.file(path.join(workspaceRoot(), 'deploy', '.paved-road.yaml'));
    try {
      fs.writeFileSync(file.fsPath, 'github:\n  apiUrl: not-a-url\n');
      const d = await waitFor(() => configDiagnostics(file)[0], 'a diagnostic on the file written to disk');
      assert.equal(d.code, 'schema/pattern');
      assert.deepEqual([d.range.start.line, d.range.start.character], [1, 10]);
      fs.writeFileSync(file.fsPath, 'github:\n  apiUrl: https://github.example.com/api/v3\n');
      await waitFor(() => configDiagnostics(file).length === 0, 'diagnostics cleared after the fix on disk');
    } finally {
      fs.rmSync(file.fsPath, { force: true });
    }
    await waitFor(() => configDiagnostics(file).length === 0, 'no diagnostics for the deleted file');
  });

  it('"Create Platform Config" never overwrites an existing file', async () => {
    const before = fs.readFileSync(configUri.fsPath, 'utf8');
    await vscode.commands.executeCommand('pavedRoad.createConfig');
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.fsPath === configUri.fsPath, 'the existing config is opened');
    assert.equal(fs.readFileSync(configUri.fsPath, 'utf8'), before);
  });
});

/** The text without a top-level key and its block. */
function withoutKey(text: string, key: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let skipping = false;
  for (const l of lines) {
    if (l.startsWith(`${key}:`)) {
      skipping = true;
      continue;
    }
    if (skipping && (l.startsWith(' ') || l.startsWith('#') || l === '')) continue;
    skipping = false;
    out.push(l);
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

describe('CLI and editor agree', () => {
  it('`paved-road validate --format json` reports what the editor shows, on the same file', async () => {
    const root = workspaceRoot();
    const file = path.join(root, 'agree', '.paved-road.yaml');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'version: 2\nschema: []\ngithub:\n  apiUrl: ftp://x\nenvironments:\n  prod:\n    kubernetes: { namespce: a }\n');
    try {
      const uri = vscode.Uri.file(file);
      await vscode.window.showTextDocument(uri);
      const editor = await waitFor(() => {
        const ds = configDiagnostics(uri);
        return ds.length ? ds : undefined;
      }, 'editor diagnostics');
      const cli = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
      const run = spawnSync(process.execPath, [cli, 'validate', '--format', 'json', file], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
      assert.equal(run.status, 1, run.stderr);
      const report = JSON.parse(run.stdout) as { files: { findings: { ruleId: string; message: string; range: { start: { line: number; character: number } } }[] }[] };
      const fromCli = report.files.flatMap((f) => f.findings).map((f) => `${f.range.start.line}:${f.range.start.character} ${f.ruleId} ${f.message}`);
      const fromEditor = editor.map((d) => `${d.range.start.line}:${d.range.start.character} ${typeof d.code === 'string' ? d.code : ''} ${d.message.split('\n')[0] ?? ''}`);
      assert.deepEqual(fromEditor.sort(), fromCli.sort());
      assert.equal(fromCli.length, 4);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});
