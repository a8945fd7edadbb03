/**
 * Runs inside a VS Code whose only copy of Paved Road is the installed .vsix:
 * checks the extension is loaded from the extensions folder (not from source),
 * activates, and validates a broken `.paved-road.yaml` — which fails if the
 * package misses a file the extension needs at run time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestResult } from '../integration/index';

const ID = 'paved-road.paved-road';

async function check(title: string, fn: () => Promise<void> | void, results: TestResult[]): Promise<void> {
  const started = Date.now();
  try {
    await fn();
    results.push({ suite: 'installed .vsix', title, state: 'passed', durationMs: Date.now() - started });
  } catch (err) {
    results.push({ suite: 'installed .vsix', title, state: 'failed', durationMs: Date.now() - started, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}

async function waitFor<T>(fn: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function run(): Promise<void> {
  const results: TestResult[] = [];
  const extensionsDir = process.env.PAVED_ROAD_EXTENSIONS_DIR ?? '';
  let ext: vscode.Extension<{ activation: { activateMs: number } }> | undefined;
  await check('is loaded from the extensions folder, not from source', () => {
    ext = vscode.extensions.getExtension(ID);
    if (!ext) throw new Error(`${ID} is not installed`);
    const real = fs.realpathSync(ext.extensionPath);
    if (!extensionsDir || !real.startsWith(fs.realpathSync(extensionsDir))) throw new Error(`loaded from ${real}, expected under ${extensionsDir}`);
  }, results);
  await check('activates from the package', async () => {
    if (!ext) throw new Error('not installed');
    await ext.activate();
    if (!ext.isActive) throw new Error('not active after activate()');
  }, results);
  await check('ships every file its manifest points at', () => {
    if (!ext) throw new Error('not installed');
    const pkg = ext.packageJSON as { main: string; contributes: { viewsContainers: { activitybar: { icon: string }[] } } };
    const wanted = [pkg.main, ...pkg.contributes.viewsContainers.activitybar.map((c) => c.icon)];
    const missing = wanted.filter((f) => !fs.existsSync(path.join(ext!.extensionPath, f)) && !fs.existsSync(path.join(ext!.extensionPath, `${f}.js`)));
    if (missing.length) throw new Error(`missing from the package: ${missing.join(', ')}`);
    const sources = fs.readdirSync(ext.extensionPath);
    for (const unwanted of ['src', 'test', 'node_modules', 'examples', 'tsconfig.json']) {
      if (sources.includes(unwanted)) throw new Error(`the package holds ${unwanted}, which does not run`);
    }
  }, results);
  await check('validates .paved-road.yaml from the package (diagnostic at the bad value)', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error('no workspace');
    const uri = vscode.Uri.joinPath(folder.uri, '.paved-road.yaml');
    const d = await waitFor(() => vscode.languages.getDiagnostics(uri).find((x) => x.source === 'paved-road'), 'a diagnostic');
    if (d.code !== 'schema/pattern' || d.range.start.line !== 2 || d.range.start.character !== 10) {
      throw new Error(`unexpected diagnostic ${JSON.stringify(d.code)} at ${d.range.start.line}:${d.range.start.character}: ${d.message}`);
    }
  }, results);

  const out = process.env.PAVED_ROAD_TEST_RESULTS;
  if (out) fs.writeFileSync(out, JSON.stringify({ done: true, results }, null, 2));
  if (results.some((r) => r.state === 'failed')) throw new Error('package checks failed');
}
