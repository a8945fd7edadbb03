// Activation benchmark: loads the production bundle in a real VS Code
// (code-server) several times and prints how long evaluating the bundle and
// running activate() take, next to the bundle sizes. Target: under 30 ms.
import { spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import * as esbuild from 'esbuild';
import { REPO, copyWorkspace, ensureHost, launchBrowser, startCodeServer, waitForResults, workbenchUrl } from '../test/host/codeServer.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TARGET_MS = 30;

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))];
};

export async function benchActivation() {
  const build = spawnSync('node', ['esbuild.config.mjs', '--production'], { cwd: REPO, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('production build failed');
  await esbuild.build({
    entryPoints: [join(REPO, 'bench/activation-probe.ts')],
    outfile: join(REPO, 'out/bench/activation-probe.js'),
    bundle: true, platform: 'node', format: 'cjs', external: ['vscode'], logLevel: 'warning',
  });
  const host = ensureHost();
  const server = await startCodeServer(host);
  const browser = await launchBrowser();
  const rows = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const workspace = copyWorkspace(join(REPO, 'examples'), 'bench');
      const results = join(tmpdir(), `paved-road-bench-${process.pid}-${i}.json`);
      const page = await browser.newPage();
      await page.goto(workbenchUrl(server, {
        folder: workspace,
        extensionDevelopmentPath: REPO,
        extensionTestsPath: join(REPO, 'out/bench/activation-probe.js'),
        env: { PAVED_ROAD_TEST_RESULTS: results },
      }));
      const data = await waitForResults(results, 120_000);
      await page.close();
      rmSync(workspace, { recursive: true, force: true });
      rmSync(results, { force: true });
      if (!data?.activation) throw new Error(`run ${i + 1}: no activation figures`);
      rows.push({ ...data.activation, totalMs: data.activation.loadMs + data.activation.activateMs, engineLoadMs: data.engineLoadMs, scanMs: data.scanMs });
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const size = (f) => (statSync(join(REPO, f)).size / 1024).toFixed(1);
  const fmt = (x) => x.toFixed(1).padStart(7);
  console.log(`\nactivation in VS Code ${'(code-server 4.139, production bundle)'}, ${RUNS} runs`);
  console.log('                     p50      p95      max');
  for (const key of ['loadMs', 'activateMs', 'totalMs', 'engineLoadMs', 'scanMs']) {
    const xs = rows.map((r) => r[key]);
    console.log(`  ${key.padEnd(14)} ${fmt(quantile(xs, 0.5))}  ${fmt(quantile(xs, 0.95))}  ${fmt(Math.max(...xs))}`);
  }
  const p95 = quantile(rows.map((r) => r.totalMs), 0.95);
  console.log(`  load + activate p95 ${p95.toFixed(1)} ms vs target ${TARGET_MS} ms: ${(p95 / TARGET_MS).toFixed(2)}× of the budget (${p95 <= TARGET_MS ? 'met' : 'NOT met'})`);
  const extKb = (statSync(join(REPO, 'dist/extension.js')).size + statSync(join(REPO, 'dist/engine.js')).size) / 1024;
  console.log(`  (engineLoadMs: the engine bundle, loaded after activation by the first validation; scanMs: activation to first workspace scan done)`);
  console.log(`bundles: extension ${size('dist/extension.js')} KB + engine ${size('dist/engine.js')} KB = ${extKb.toFixed(1)} KB (target < 300 KB: ${(extKb / 300).toFixed(2)}× of the budget), cli ${size('dist/cli.js')} KB, webview ${size('dist/webview/main.js')} KB`);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchActivation().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
