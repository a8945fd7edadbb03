/**
 * Loaded as `extensionTestsPath` by bench/edit-latency.mjs: opens the 3,000-document
 * Kubernetes file, waits for its first diagnostics, then edits one document at a
 * time — breaking a value and fixing it again — and measures, for each edit, the
 * time from the edit being applied to the diagnostics showing its effect. The
 * debounce (pavedRoad.validation.debounceMs) is part of that time, as users feel it.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';

function waitForDiagnostics(uri: vscode.Uri, check: (ds: readonly vscode.Diagnostic[]) => boolean, timeoutMs = 20_000): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    if (check(vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'paved-road'))) {
      resolve(performance.now() - started);
      return;
    }
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error('timed out waiting for diagnostics'));
    }, timeoutMs);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      if (!check(vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'paved-road'))) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(performance.now() - started);
    });
  });
}

/** A diagnostic's rule id: its code is { value, target } (a link to the rule's page) or a plain string. */
function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
}

export async function run(): Promise<void> {
  const out = process.env.PAVED_ROAD_TEST_RESULTS;
  const file = process.env.PAVED_ROAD_BENCH_FILE;
  const edits = Number(process.env.PAVED_ROAD_BENCH_EDITS ?? 40);
  if (!out || !file) throw new Error('PAVED_ROAD_TEST_RESULTS and PAVED_ROAD_BENCH_FILE must be set');
  const ext = vscode.extensions.getExtension<{ ready: Promise<void> }>('paved-road.paved-road');
  await (await ext?.activate())?.ready;
  const uri = vscode.Uri.file(file);
  const openStarted = performance.now();
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  const baseline = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'paved-road').length;
  await waitForDiagnostics(uri, (ds) => ds.length === baseline);
  const firstMs = performance.now() - openStarted;

  // the replicas lines, spread over the file: break one (a string where an integer belongs), then fix it
  const lines: number[] = [];
  for (let i = 0; i < doc.lineCount; i++) if (/^ {2}replicas: \d+$/.test(doc.lineAt(i).text)) lines.push(i);
  const samples: number[] = [];
  for (let i = 0; i < edits && lines.length; i++) {
    const line = lines[Math.floor((i * 7919) % lines.length)] as number;
    const range = doc.lineAt(line).range;
    const original = doc.lineAt(line).text;
    const broken = original.replace(/(\d+)$/, '"$1"');
    await editor.edit((b) => b.replace(range, broken));
    samples.push(await waitForDiagnostics(uri, (ds) => ds.some((d) => d.range.start.line === line && codeOf(d) === 'schema/type')));
    await editor.edit((b) => b.replace(doc.lineAt(line).range, original));
    samples.push(await waitForDiagnostics(uri, (ds) => !ds.some((d) => d.range.start.line === line && codeOf(d) === 'schema/type')));
  }
  await vscode.commands.executeCommand('workbench.action.files.revert');
  fs.writeFileSync(out, JSON.stringify({ done: true, results: [], samples, firstMs, documents: lines.length, lineCount: doc.lineCount }));
}
