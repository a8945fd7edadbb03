/**
 * Loaded as `extensionTestsPath` by bench/activation.mjs: reads the activation
 * figures the extension measured about itself and writes them for the bench.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';

interface Api {
  activation: { loadMs: number; activateMs: number };
  ready: Promise<void>;
  engineLoadMs(): number;
}

export async function run(): Promise<void> {
  const out = process.env.PAVED_ROAD_TEST_RESULTS;
  const ext = vscode.extensions.getExtension<Api>('paved-road.paved-road');
  const started = performance.now();
  const api = await ext?.activate();
  await api?.ready;
  const scanMs = performance.now() - started;
  if (out) fs.writeFileSync(out, JSON.stringify({ done: true, results: [], activation: api?.activation, engineLoadMs: api?.engineLoadMs(), scanMs }));
}
