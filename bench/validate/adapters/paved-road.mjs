// Paved Road, end to end: the built CLI (`node dist/cli.js validate --format json <files…>`)
// on a set's files, its findings mapped to (file, documentIndex, line). Build first with
// `node esbuild.config.mjs` (the runner does when dist/cli.js is missing or --build is given).
//
// Until the engine validates these kinds the CLI lists every file as "skipped" and this
// adapter reports status "n/a": the runner prints no figures for Paved Road then.
//
// Timing: the runner times the whole spawn (process start, module load, schema loading,
// reading the files, validating, writing the report), after a warm-up spawn. yls and the
// floor are timed without schema loading, so the fixed cost of a run is measured too
// (`calibrate`: the CLI on one valid document of each kind the set uses, copied to
// .bench/calibration/<set>/ under the same file names) and the runner compares
// "wall − fixed cost" as Paved Road's validation time, showing the wall time beside it.
// When the JSON report carries `timing.validateMs` (not in report version 1 yet) the
// runner uses that instead.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { documentIndexForLine } from '../lib/documents.mjs';
import { REPO, documentKey } from '../lib/schemas.mjs';

export const id = 'paved-road';
export const label = 'Paved Road';
/** The built CLI; PAVED_ROAD_CLI=<path> points the benchmark at another build. */
export const CLI = process.env.PAVED_ROAD_CLI ? resolve(process.env.PAVED_ROAD_CLI) : join(REPO, 'dist/cli.js');
export const NOT_BUILT = 'n/a (engine for these kinds not built yet)';

/** GNU time, when installed: the CLI's CPU time (user + system), which other load on the machine changes far less than wall time. */
const TIME_BIN = ['/usr/bin/time'].find((p) => existsSync(p));
let timeFiles = 0;

function runCli(args, cwd) {
  return new Promise((resolvePromise, reject) => {
    const timeFile = TIME_BIN ? join(tmpdir(), `paved-road-bench-time-${process.pid}-${timeFiles++}`) : undefined;
    const argv = [CLI, 'validate', '--format', 'json', ...args];
    const child = timeFile
      ? spawn(TIME_BIN, ['-f', '%U %S', '-o', timeFile, process.execPath, ...argv], { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      let cpuMs;
      if (timeFile) {
        try {
          const [user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
          if (Number.isFinite(user) && Number.isFinite(sys)) cpuMs = (user + sys) * 1000;
        } catch {
          // no CPU figure for this run
        }
        rmSync(timeFile, { force: true });
      }
      resolvePromise({ code, cpuMs, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

export async function setup() {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build with \`node esbuild.config.mjs\``);
  // start-up cost: one spawn on a file the CLI does not validate
  const t0 = performance.now();
  await runCli([relative(REPO, join(REPO, 'package.json'))], REPO);
  const startupMs = performance.now() - t0;
  return { startupMs, note: `node dist/cli.js validate --format json (process start-up ≈ ${startupMs.toFixed(0)} ms, included in its times)` };
}

/**
 * Fixed cost of a CLI run on this set: wall time on one valid document per kind (median of
 * max(runs, 3) runs after a warm-up run). Returns { fixedMs, documents, validated }.
 */
export async function calibrate(_state, { set, files, runs = 1 }) {
  const invalid = new Set(set.invalid.map((x) => `${x.file}#${x.documentIndex}`));
  const wanted = new Set(set.needed);
  const picked = new Set();
  const out = new Map();
  for (const f of files) {
    if (picked.size === wanted.size) break;
    const lines = f.text.split('\n');
    for (let i = 0; i < f.starts.length && picked.size < wanted.size; i++) {
      if (invalid.has(`${f.path}#${i}`)) continue;
      const text = lines.slice(f.starts[i], f.starts[i + 1] ?? lines.length).join('\n');
      let key;
      try {
        key = documentKey(loadYaml(text));
      } catch {
        continue;
      }
      if (!key || picked.has(key)) continue;
      picked.add(key);
      if (!out.has(f.path)) out.set(f.path, []);
      out.get(f.path).push(text.startsWith('---') ? text : `---\n${text}`);
    }
  }
  const dir = join(REPO, '.bench/calibration', set.id);
  rmSync(dir, { recursive: true, force: true });
  for (const [path, docs] of out) {
    const abs = join(dir, path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, `${docs.map((d) => d.replace(/\n*$/, '\n')).join('')}`);
  }
  const args = [...out.keys()].map((p) => p.split('/').join(sep));
  let r = await runCli(args, dir);
  const times = [];
  const cpu = [];
  for (let i = 0; i < Math.max(runs, 3); i++) {
    const t0 = performance.now();
    r = await runCli(args, dir);
    times.push(performance.now() - t0);
    if (r.cpuMs !== undefined) cpu.push(r.cpuMs);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const fixedMs = times[Math.floor(times.length / 2)];
  const fixedCpuMs = cpu.length ? cpu[Math.floor(cpu.length / 2)] : undefined;
  let validated = 0;
  try {
    validated = JSON.parse(r.stdout).files.filter((f) => f.skipped === undefined).length;
  } catch {
    // reported by validateSet
  }
  return { fixedMs, fixedCpuMs, documents: picked.size, validated };
}

/** One pass: one CLI run on all the set's files (paths relative to the set directory). */
export async function validateSet(_state, { setDir, files }) {
  const args = files.map((f) => f.path.split('/').join(sep));
  const r = await runCli(args, setDir);
  if (r.code !== 0 && r.code !== 1) throw new Error(`paved-road exited ${r.code}: ${r.stderr.slice(0, 500)}`);
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch (err) {
    throw new Error(`paved-road printed no JSON report (${err.message}): ${r.stdout.slice(0, 200)}`);
  }
  const byPath = new Map(files.map((f) => [f.path, f]));
  const validated = report.files.filter((f) => f.skipped === undefined);
  if (validated.length === 0) {
    const reason = report.files[0]?.skipped ?? 'no files';
    return { status: 'n/a', reason: NOT_BUILT, detail: `all ${report.files.length} files skipped: ${reason}`, findings: [], documents: 0, notes: [] };
  }
  const findings = [];
  const otherFindings = [];
  for (const file of validated) {
    const f = byPath.get(file.path);
    for (const finding of file.findings) {
      const line0 = finding.range?.start?.line ?? (finding.location?.line ?? 1) - 1;
      const documentIndex = typeof finding.documentIndex === 'number' ? finding.documentIndex : f ? documentIndexForLine(f.starts, line0) : 0;
      const entry = { file: file.path, documentIndex, line: line0 + 1, message: finding.message, severity: finding.severity };
      (finding.severity === 'error' ? findings : otherFindings).push(entry);
    }
  }
  const skipped = report.files.length - validated.length;
  return {
    status: 'ok',
    findings,
    otherFindings,
    documents: files.reduce((s, f) => s + f.starts.length, 0),
    selfReportedMs: report.timing?.validateMs,
    cpuMs: r.cpuMs,
    notes: skipped ? [`${skipped} file(s) skipped by the CLI`] : [],
  };
}
