// Runs the VS Code suites in a real VS Code (code-server + Chromium):
//   integration — the mocha suite in test/integration, inside the extension host,
//                 with the extension loaded from source;
//   ui          — Playwright clicking through the workbench, with screenshots in test-results/;
//   package     — `npm run package`, the .vsix installed into code-server, activation checked.
// Usage: node test/host/run-tests.mjs [--only integration,ui,package] [--keep]
// Prints every test name and a final "N passed, N failed" line; exits 1 on any failure.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  REPO, codeServerCli, copyWorkspace, ensureHost, launchBrowser, startCodeServer, waitForResults, workbenchUrl,
} from './codeServer.mjs';
import { runUiTests } from '../ui/workbench.ui.mjs';
import { runDetailsTests } from '../ui/details.ui.mjs';

const args = process.argv.slice(2);
const onlyArg = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const phases = (onlyArg ?? 'integration,ui,package').split(',');
const RESULTS_DIR = join(REPO, 'test-results');
mkdirSync(RESULTS_DIR, { recursive: true });

const all = [];
function report(phase, results) {
  let suite;
  for (const r of results) {
    if (r.suite !== suite) {
      suite = r.suite;
      console.log(`  ${phase}: ${suite}`);
    }
    const mark = r.state === 'passed' ? '✔' : r.state === 'pending' ? '-' : '✖';
    console.log(`    ${mark} ${r.title}${r.durationMs > 200 ? ` (${r.durationMs} ms)` : ''}`);
    if (r.error) console.log(r.error.split('\n').slice(0, 8).map((l) => `        ${l}`).join('\n'));
    all.push({ phase, ...r });
  }
}

function run(cmd, cmdArgs, opts = {}) {
  const r = spawnSync(cmd, cmdArgs, { cwd: REPO, stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(' ')} failed with ${r.status}`);
}

async function runInHost(server, { folder, devPath, testsPath, env, timeoutMs = 180_000, label }) {
  const resultsFile = join(tmpdir(), `paved-road-results-${process.pid}-${label}.json`);
  rmSync(resultsFile, { force: true });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const url = workbenchUrl(server, { folder, extensionDevelopmentPath: devPath, extensionTestsPath: testsPath, env: { ...env, PAVED_ROAD_TEST_RESULTS: resultsFile } });
    await page.goto(url);
    const data = await waitForResults(resultsFile, timeoutMs, () => browser.isConnected());
    if (!data) {
      await page.screenshot({ path: join(RESULTS_DIR, `${label}-timeout.png`) });
      return [{ suite: label, title: 'suite finished', state: 'failed', durationMs: timeoutMs, error: `no results within ${timeoutMs / 1000} s; screenshot ${label}-timeout.png; code-server log tail:\n${server.log().slice(-3000)}` }];
    }
    if (data.fatal) return [...data.results, { suite: label, title: 'suite loaded', state: 'failed', durationMs: 0, error: data.fatal }];
    if (data.results.length === 0) return [{ suite: label, title: 'suite ran tests', state: 'failed', durationMs: 0, error: 'the suite ran no test' }];
    return data.results;
  } finally {
    await browser.close();
  }
}

const started = Date.now();

async function main() {
  const host = ensureHost();
  console.log('building extension and test bundles…');
  if (!process.env.PAVED_ROAD_SKIP_BUILD) run('node', ['esbuild.config.mjs']);
  run('node', ['test/build-tests.mjs']);

  if (phases.includes('integration')) {
    const workspace = copyWorkspace(join(REPO, 'examples'));
    const metrics = join(RESULTS_DIR, 'metrics.json');
    rmSync(metrics, { force: true });
    const server = await startCodeServer(host);
    try {
      const results = await runInHost(server, {
        folder: workspace,
        devPath: REPO,
        testsPath: join(REPO, 'out/test/integration/index.js'),
        env: { PAVED_ROAD_METRICS: metrics, PAVED_ROAD_TEST_GREP: process.env.PAVED_ROAD_TEST_GREP ?? '' },
        label: 'integration',
      });
      report('integration', results);
      if (existsSync(metrics)) console.log(`  metrics: ${readFileSync(metrics, 'utf8').replace(/\s+/g, ' ')}`);
    } finally {
      await server.stop();
      rmSync(workspace, { recursive: true, force: true });
    }
  }

  if (phases.includes('ui')) {
    const workspace = copyWorkspace(join(REPO, 'examples'));
    const emptyWorkspace = copyWorkspace(join(REPO, 'examples', 'src'), 'empty');
    // only the nginx Deployment of the Kubernetes documentation, no platform config
    const docsWorkspace = mkdtempSync(join(tmpdir(), 'paved-road-docs-'));
    copyFileSync(join(REPO, 'test', 'fixtures', 'kubernetes-examples', 'nginx-deployment.yaml'), join(docsWorkspace, 'nginx-deployment.yaml'));
    const server = await startCodeServer(host);
    const browser = await launchBrowser();
    try {
      const results = await runUiTests({ browser, server, workspace, emptyWorkspace, docsWorkspace, devPath: REPO, screenshotDir: RESULTS_DIR });
      report('ui', results);
    } finally {
      await browser.close();
      await server.stop();
      rmSync(workspace, { recursive: true, force: true });
      rmSync(emptyWorkspace, { recursive: true, force: true });
      rmSync(docsWorkspace, { recursive: true, force: true });
    }
  }

  if (phases.includes('package')) {
    try {
      run('npm', ['run', '--silent', 'package']);
    } catch (err) {
      report('package', [{ suite: 'package', title: 'npm run package builds the .vsix', state: 'failed', durationMs: 0, error: String(err) }]);
      return finish(started);
    }
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    const vsix = join(REPO, `${pkg.name}-${pkg.version}.vsix`);
    const extensionsDir = join(tmpdir(), `paved-road-extensions-${process.pid}`);
    rmSync(extensionsDir, { recursive: true, force: true });
    const install = codeServerCli(host, ['--extensions-dir', extensionsDir, '--install-extension', vsix, '--force']);
    const installed = existsSync(extensionsDir) ? readdirSync(extensionsDir).filter((d) => d.startsWith(`${pkg.publisher}.${pkg.name}`)) : [];
    const installResult = {
      suite: 'package', title: `installs ${pkg.name}-${pkg.version}.vsix into code-server`, durationMs: 0,
      state: install.status === 0 && installed.length === 1 ? 'passed' : 'failed',
      error: install.status === 0 && installed.length === 1 ? undefined : `${install.stdout}\n${install.stderr}`,
    };
    report('package', [installResult]);
    if (installResult.state === 'passed') {
      const workspace = copyWorkspace(join(REPO, 'test/fixtures/workspaces/broken-config'), 'pkg');
      const server = await startCodeServer(host, { extensionsDir });
      try {
        const results = await runInHost(server, {
          folder: workspace,
          devPath: join(REPO, 'test/package/probe'),
          testsPath: join(REPO, 'out/test/package/index.js'),
          env: { PAVED_ROAD_EXTENSIONS_DIR: extensionsDir },
          label: 'package',
        });
        report('package', results);
        const browser = await launchBrowser();
        try {
          const repositoryUrl = String(pkg.repository?.url ?? pkg.repository ?? '').replace(/\.git$/, '');
          report('package', await runDetailsTests({ browser, server, workspace, screenshotDir: RESULTS_DIR, repositoryUrl }));
        } finally {
          await browser.close();
        }
      } finally {
        await server.stop();
        rmSync(workspace, { recursive: true, force: true });
        rmSync(extensionsDir, { recursive: true, force: true });
      }
    }
  }

  finish(started);
}

function finish(started) {
  const passed = all.filter((r) => r.state === 'passed').length;
  const failed = all.filter((r) => r.state === 'failed').length;
  const skipped = all.filter((r) => r.state === 'pending').length;
  console.log(`\nVS Code suites (${phases.join(', ')}) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

main().catch((err) => {
  // the launcher itself failed (install, build, a crash): count it, keep what ran
  report('launcher', [{ suite: 'launcher', title: 'runs the VS Code suites', state: 'failed', durationMs: 0, error: err instanceof Error ? err.stack : String(err) }]);
  finish(started);
});
