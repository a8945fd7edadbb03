// `npm test`: the unit tests (mocha, plain Node), then the suites that run in a
// real VS Code (integration, UI, package; see test/host/run-tests.mjs).
// Prints a final "N passed, N failed" line over everything; exits 1 on any failure.
import { spawn } from 'node:child_process';

function run(cmd, args, parse) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, FORCE_COLOR: '0' } });
    let out = '';
    child.stdout.on('data', (b) => {
      out += b;
      process.stdout.write(b);
    });
    child.on('close', (code) => resolve({ code, ...parse(out) }));
  });
}

const count = (text, re) => Number(text.match(re)?.[1] ?? 0);

const started = Date.now();
console.log('== unit tests (mocha) ==');
const unit = await run('npx', ['--no-install', 'mocha'], (out) => ({
  passed: count(out, /(\d+) passing/),
  failed: count(out, /(\d+) failing/),
  skipped: count(out, /(\d+) pending/),
}));
console.log('\n== VS Code suites (code-server + Chromium) ==');
const host = await run('node', ['test/host/run-tests.mjs', ...process.argv.slice(2)], (out) => {
  const m = [...out.matchAll(/^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/gm)].pop();
  return { passed: Number(m?.[1] ?? 0), failed: Number(m?.[2] ?? 0), skipped: Number(m?.[3] ?? 0) };
});

const passed = unit.passed + host.passed;
let failed = unit.failed + host.failed;
// a runner that crashed without counting is a failure too
if (unit.code !== 0 && unit.failed === 0) failed++;
if (host.code !== 0 && host.failed === 0) failed++;
const skipped = unit.skipped + host.skipped;
console.log(`\nall tests: unit ${unit.passed}/${unit.passed + unit.failed}, VS Code ${host.passed}/${host.passed + host.failed} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 ? 1 : 0;
