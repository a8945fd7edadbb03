// `npm run bench:validate`: how fast Paved Road validates platform manifests next to
// yaml-language-server and next to the floor (plain parse + precompiled ajv), on a
// seeded corpus with known mistakes. A benchmark, not a test: it prints figures and
// whether the targets are met, and never fails the build (exit 0 unless it cannot run).
//
//   node bench/validate/run.mjs [--seed 42] [--regenerate] [--only paved-road,yls,floor]
//                               [--sets kubernetes,backstage,platform] [--runs 1] [--build]
//                               [--parsers] [--out .bench/validate-results.json]
//
// Each tool runs in its own node process (no shared heap or JIT state): setup (schema
// loading/compiling, not timed as validation), then per set one warm-up pass and --runs
// measured passes (median reported). Findings are compared with the corpus manifest per
// document: a document counts as flagged when the tool reports at least one error in it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CORPUS_VERSION, DEFAULT_OUT, DEFAULT_SEED, generateCorpus } from './corpus.mjs';
import { documentStartLines } from './lib/documents.mjs';
import { REPO, STAND_IN_ROOT, describeRegistry, loadRegistry } from './lib/schemas.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ADAPTERS = {
  'paved-road': './adapters/paved-road.mjs',
  yls: './adapters/yaml-language-server.mjs',
  floor: './adapters/floor.mjs',
};
const TARGETS = { ylsOverPavedRoad: 5, pavedRoadOverFloor: 1.5 };

const { values: opts } = parseArgs({
  options: {
    seed: { type: 'string' },
    regenerate: { type: 'boolean' },
    only: { type: 'string' },
    sets: { type: 'string' },
    runs: { type: 'string' },
    build: { type: 'boolean' },
    parsers: { type: 'boolean' },
    out: { type: 'string' },
    child: { type: 'string' },
  },
});
const seed = opts.seed !== undefined ? Number(opts.seed) : DEFAULT_SEED;
const runs = Math.max(1, Number(opts.runs ?? 1));
const corpusDir = DEFAULT_OUT;
const manifestFile = join(corpusDir, 'manifest.json');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const log = (msg) => process.stderr.write(`${msg}\n`);

function selectedSets(manifest) {
  const wanted = opts.sets?.split(',').map((s) => s.trim());
  return manifest.sets.filter((s) => !wanted || wanted.includes(s.id));
}

// ---- child: one tool, all sets ----------------------------------------------------
async function child(toolId) {
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  const registry = loadRegistry({ needed: [...new Set(manifest.sets.flatMap((s) => s.needed))] });
  const adapter = await import(ADAPTERS[toolId]);
  const t0 = performance.now();
  const state = await adapter.setup({ registry, corpusDir, manifest });
  const setupMs = performance.now() - t0;
  const result = { tool: toolId, label: adapter.label, note: state.note, setupMs, sets: {} };
  for (const set of selectedSets(manifest)) {
    const setDir = join(corpusDir, set.dir);
    const files = set.files.map((f) => {
      const abs = join(setDir, f.path);
      const text = readFileSync(abs, 'utf8');
      return { path: f.path, abs, text, starts: documentStartLines(text) };
    });
    const input = { set, setDir, files };
    let t = performance.now();
    let r = await adapter.validateSet(state, { ...input, pass: 1 });
    const warmupMs = performance.now() - t;
    if (r.status === 'n/a') {
      result.sets[set.id] = { status: 'n/a', reason: r.reason, detail: r.detail, warmupMs };
      log(`  ${toolId} ${set.id}: ${r.reason}`);
      continue;
    }
    const calibration = adapter.calibrate ? await adapter.calibrate(state, { ...input, runs }) : undefined;
    const measured = [];
    const measuredCpu = [];
    for (let i = 0; i < runs; i++) {
      t = performance.now();
      const c0 = process.cpuUsage();
      r = await adapter.validateSet(state, { ...input, pass: 2 + i });
      measured.push(performance.now() - t);
      // CPU time (user + system): the tool's own (a spawned CLI reports its child's), which other load changes far less than wall time
      const c = process.cpuUsage(c0);
      measuredCpu.push(r.cpuMs ?? (c.user + c.system) / 1000);
    }
    // the first non-error finding of each document (shown for false negatives)
    const nonErrors = {};
    for (const f of r.otherFindings ?? []) nonErrors[`${f.file}#${f.documentIndex}`] ??= `${f.severity}: ${f.message}`;
    // one entry per flagged document: its lines and first message
    const flagged = {};
    for (const f of r.findings) {
      const key = `${f.file}#${f.documentIndex}`;
      const e = (flagged[key] ??= { lines: [], message: f.message, count: 0 });
      e.count++;
      if (f.line != null && !e.lines.includes(f.line)) e.lines.push(f.line);
    }
    result.sets[set.id] = {
      status: 'ok',
      warmupMs,
      measuredMs: median(measured),
      measuredRunsMs: measured,
      measuredCpuMs: median(measuredCpu),
      documents: r.documents,
      findings: r.findings.length,
      selfReportedMs: r.selfReportedMs,
      calibration,
      notes: r.notes ?? [],
      flagged,
      nonErrors,
    };
    log(`  ${toolId} ${set.id}: warm-up ${warmupMs.toFixed(0)} ms, measured ${median(measured).toFixed(0)} ms`);
  }
  process.stdout.write(JSON.stringify(result));
}

/** Child for --parsers: parse-only time of one floor parser candidate (one warm-up, median of 5). */
async function parserChild(name) {
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  const { PARSERS } = await import('./adapters/floor.mjs');
  const p = PARSERS[name]();
  if (!p) return process.stdout.write('null');
  const row = { parser: `${name} (${p.version})`, sets: {} };
  for (const set of selectedSets(manifest)) {
    const texts = set.files.map((f) => readFileSync(join(corpusDir, set.dir, f.path), 'utf8'));
    for (const t of texts) p.loadAll(t);
    const xs = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      for (const t of texts) p.loadAll(t);
      xs.push(performance.now() - t0);
    }
    row.sets[set.id] = median(xs);
  }
  process.stdout.write(JSON.stringify(row));
}

// ---- parent ---------------------------------------------------------------------
function runChild(toolId) {
  return new Promise((resolvePromise, reject) => {
    const args = [fileURLToPath(import.meta.url), '--child', toolId, '--runs', String(runs)];
    if (opts.sets) args.push('--sets', opts.sets);
    const c = spawn(process.execPath, ['--max-old-space-size=4096', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const out = [];
    c.stdout.on('data', (b) => out.push(b));
    c.on('error', reject);
    c.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${toolId} exited ${code}`));
      try {
        resolvePromise(JSON.parse(Buffer.concat(out).toString('utf8')));
      } catch (err) {
        reject(new Error(`${toolId}: unreadable result (${err.message})`));
      }
    });
  });
}

function check(set, tr) {
  const expected = new Map(set.invalid.map((x) => [`${x.file}#${x.documentIndex}`, x]));
  const flagged = tr.flagged;
  const fp = Object.keys(flagged).filter((k) => !expected.has(k));
  const fn = [...expected.keys()].filter((k) => !flagged[k]);
  let withLines = 0;
  let lineHits = 0;
  for (const [k, x] of expected) {
    const f = flagged[k];
    if (!f || f.lines.length === 0) continue;
    withLines++;
    if (f.lines.includes(x.line) || (x.alsoLine !== undefined && f.lines.includes(x.alsoLine))) lineHits++;
  }
  return {
    fp: fp.length,
    fn: fn.length,
    fpSamples: fp.slice(0, 5).map((k) => ({ document: k, message: flagged[k].message, lines: flagged[k].lines.slice(0, 3) })),
    fnSamples: fn.slice(0, 5).map((k) => ({ document: k, error: expected.get(k).error, path: expected.get(k).path, reason: expected.get(k).reason, toolSaid: tr.nonErrors?.[k] })),
    fnWithNonError: fn.filter((k) => tr.nonErrors?.[k]).length,
    fnByError: Object.entries(fn.reduce((acc, k) => ({ ...acc, [expected.get(k).error]: (acc[expected.get(k).error] ?? 0) + 1 }), {})).map(([e, n]) => `${e} ${n}`).join(', '),
    lineHits: withLines ? { hits: lineHits, of: expected.size } : undefined,
  };
}

const fmtMs = (ms) => (ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
const fmtRate = (x) => Math.round(x).toLocaleString('en');
const fmtRatio = (x) => (x >= 10 ? x.toFixed(0) : x.toFixed(2));
const verdict = (ok) => (ok === undefined ? 'n/a' : ok ? 'met' : 'NOT met');

async function main() {
  const started = performance.now();
  // corpus
  let manifest = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, 'utf8')) : undefined;
  if (opts.regenerate || !manifest || manifest.seed !== seed || manifest.version !== CORPUS_VERSION) {
    log(`generating corpus (seed ${seed}) in ${relative(REPO, corpusDir)}/ …`);
    manifest = generateCorpus({ seed, out: corpusDir });
  }
  // stand-in schemas (committed; regenerated only if someone deleted them)
  if (!existsSync(join(STAND_IN_ROOT, 'kubernetes/index.json'))) {
    spawnSync(process.execPath, [join(HERE, 'fixtures/make-stand-in-schemas.mjs')], { stdio: 'inherit' });
  }
  const registry = loadRegistry({ needed: [...new Set(manifest.sets.flatMap((s) => s.needed))] });
  const tools = (opts.only?.split(',').map((s) => s.trim()) ?? Object.keys(ADAPTERS)).filter((t) => ADAPTERS[t]);
  if (tools.includes('paved-road') && !process.env.PAVED_ROAD_CLI && (opts.build || !existsSync(join(REPO, 'dist/cli.js')))) {
    log('building dist/ (node esbuild.config.mjs) …');
    const b = spawnSync(process.execPath, ['esbuild.config.mjs'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
    if (b.status !== 0) throw new Error('build failed');
  }
  log(`schemas — ${describeRegistry(registry)}`);

  const results = {};
  for (const t of tools) {
    log(`running ${t} …`);
    results[t] = await runChild(t);
  }

  // report
  const lines = [];
  const say = (s = '') => lines.push(s);
  say(`\nvalidation benchmark — seed ${seed}, ${cpus().length} cores, node ${process.version}`);
  say(`schemas: ${describeRegistry(registry)}`);
  for (const t of tools) say(`  ${results[t].label}: ${results[t].note}; setup ${fmtMs(results[t].setupMs)}`);
  const out = { generatedAt: new Date().toISOString(), seed, runs, machine: { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version }, schemas: registry.families, tools: {}, sets: [] };
  for (const t of tools) out.tools[t] = { label: results[t].label, note: results[t].note, setupMs: results[t].setupMs };
  if (opts.parsers) {
    log('comparing floor parsers (parse only, one process each) …');
    const { PARSERS } = await import('./adapters/floor.mjs');
    out.parsers = [];
    for (const name of Object.keys(PARSERS)) {
      const row = await runChild(`parser:${name}`);
      if (row) out.parsers.push(row);
    }
  }

  for (const set of selectedSets(manifest)) {
    say(`\n${set.id}: ${set.title} — ${set.fileCount.toLocaleString('en')} files, ${set.documents.toLocaleString('en')} documents, ${(set.bytes / 1048576).toFixed(2)} MB, ${set.invalid.length} invalid`);
    say(`  ${'tool'.padEnd(22)} ${'warm-up'.padStart(9)} ${'validate'.padStart(9)} ${'docs/s'.padStart(9)} ${'FP'.padStart(4)} ${'FN'.padStart(4)}  error on the mistake's line`);
    const row = { id: set.id, title: set.title, files: set.fileCount, documents: set.documents, bytes: set.bytes, invalid: set.invalid.length, results: {}, ratios: {}, targets: {} };
    for (const t of tools) {
      const tr = results[t].sets[set.id];
      if (!tr) continue;
      if (tr.status !== 'ok') {
        say(`  ${results[t].label.padEnd(22)} ${tr.reason}`);
        row.results[t] = { status: tr.status, reason: tr.reason, detail: tr.detail };
        continue;
      }
      const c = check(set, tr);
      // what is compared: validation only (yls and the floor are timed that way; for the CLI,
      // its self-reported time or wall time less the fixed cost of a run)
      const validationMs = tr.selfReportedMs ?? (tr.calibration ? Math.max(tr.measuredMs - tr.calibration.fixedMs, 0.1) : tr.measuredMs);
      const validationCpuMs = tr.calibration ? (tr.calibration.fixedCpuMs !== undefined ? Math.max(tr.measuredCpuMs - tr.calibration.fixedCpuMs, 0.1) : undefined) : tr.measuredCpuMs;
      const rate = set.documents / (validationMs / 1000);
      const lh = c.lineHits ? `${c.lineHits.hits}/${c.lineHits.of}` : '—';
      say(`  ${results[t].label.padEnd(22)} ${fmtMs(tr.warmupMs).padStart(9)} ${fmtMs(validationMs).padStart(9)} ${fmtRate(rate).padStart(9)} ${String(c.fp).padStart(4)} ${String(c.fn).padStart(4)}  ${lh}`);
      if (tr.selfReportedMs !== undefined) say(`      validation time as reported by the tool; wall time of the run ${fmtMs(tr.measuredMs)}`);
      else if (tr.calibration) say(`      wall ${fmtMs(tr.measuredMs)} − fixed cost ${fmtMs(tr.calibration.fixedMs)} (start-up + schema loading: the CLI on ${tr.calibration.documents} valid documents, one per kind)`);
      for (const n of tr.notes) say(`      note: ${n}`);
      for (const s of c.fpSamples.slice(0, 3)) say(`      FP ${s.document} (line ${s.lines.join(', ') || '?'}): ${s.message.slice(0, 140)}`);
      if (c.fn) say(`      FN by mistake: ${c.fnByError}${c.fnWithNonError ? `; ${c.fnWithNonError} of them got a non-error finding` : ''}`);
      for (const s of c.fnSamples.slice(0, 3)) say(`      FN ${s.document}: ${s.error} at ${s.path} — ${s.reason}${s.toolSaid ? ` (tool: ${s.toolSaid.slice(0, 100)})` : ''}`);
      row.results[t] = {
        status: 'ok', warmupMs: tr.warmupMs, measuredMs: tr.measuredMs, measuredRunsMs: tr.measuredRunsMs, validationMs, validationCpuMs, measuredCpuMs: tr.measuredCpuMs, docsPerSec: rate,
        wallDocsPerSec: set.documents / (tr.measuredMs / 1000), fixedCostMs: tr.calibration?.fixedMs, selfReportedMs: tr.selfReportedMs,
        documentsSeen: tr.documents, errorsReported: tr.findings, ...c,
      };
    }
    const pr = row.results['paved-road'];
    const yls = row.results.yls;
    const floor = row.results.floor;
    const ok = (r) => r?.status === 'ok';
    const prNa = tools.includes('paved-road') && !ok(pr) ? (pr?.reason ?? 'not run') : 'not run';
    const speed = ok(yls) && ok(pr) ? yls.validationMs / pr.validationMs : undefined;
    const overFloor = ok(pr) && ok(floor) ? pr.validationMs / floor.validationMs : undefined;
    const clean = ok(pr) ? pr.fp === 0 && pr.fn === 0 : undefined;
    row.ratios = {
      ylsOverPavedRoad: speed,
      pavedRoadOverFloor: overFloor,
      ylsOverFloor: ok(yls) && ok(floor) ? yls.validationMs / floor.validationMs : undefined,
      // the same with Paved Road's whole CLI run (start-up and schema loading included)
      ylsOverPavedRoadWall: ok(yls) && ok(pr) ? yls.validationMs / pr.measuredMs : undefined,
      pavedRoadWallOverFloor: ok(pr) && ok(floor) ? pr.measuredMs / floor.validationMs : undefined,
      // the same on CPU time (user + system), where measured
      ylsOverPavedRoadCpu: ok(yls) && ok(pr) && pr.validationCpuMs ? yls.validationCpuMs / pr.validationCpuMs : undefined,
      pavedRoadOverFloorCpu: ok(pr) && ok(floor) && pr.validationCpuMs ? pr.validationCpuMs / floor.validationCpuMs : undefined,
    };
    row.targets = {
      ylsOverPavedRoad: { target: `≥ ${TARGETS.ylsOverPavedRoad}`, value: speed, met: speed === undefined ? undefined : speed >= TARGETS.ylsOverPavedRoad },
      pavedRoadOverFloor: { target: `≤ ${TARGETS.pavedRoadOverFloor}`, value: overFloor, met: overFloor === undefined ? undefined : overFloor <= TARGETS.pavedRoadOverFloor },
      zeroFpFn: { target: 'FP = FN = 0', value: ok(pr) ? { fp: pr.fp, fn: pr.fn } : undefined, met: clean },
    };
    const wall = (x) => (x === undefined ? '' : `; whole CLI run: ${fmtRatio(x)}×`);
    say(`  yls ÷ Paved Road:   ${speed === undefined ? prNa : `${fmtRatio(speed)}×`}  (target ≥ ${TARGETS.ylsOverPavedRoad}×: ${verdict(row.targets.ylsOverPavedRoad.met)}${wall(row.ratios.ylsOverPavedRoadWall)})`);
    say(`  Paved Road ÷ floor: ${overFloor === undefined ? prNa : `${fmtRatio(overFloor)}×`}  (target ≤ ${TARGETS.pavedRoadOverFloor}×: ${verdict(row.targets.pavedRoadOverFloor.met)}${wall(row.ratios.pavedRoadWallOverFloor)})`);
    say(`  Paved Road FP/FN:   ${clean === undefined ? prNa : `${pr.fp}/${pr.fn}`}  (target 0/0: ${verdict(clean)})`);
    if (row.ratios.ylsOverFloor !== undefined) say(`  (yls ÷ floor: ${fmtRatio(row.ratios.ylsOverFloor)}×)`);
    if (row.ratios.ylsOverPavedRoadCpu !== undefined) {
      say(`  on CPU time (user + system, less sensitive to other load): yls ÷ Paved Road ${fmtRatio(row.ratios.ylsOverPavedRoadCpu)}×, Paved Road ÷ floor ${fmtRatio(row.ratios.pavedRoadOverFloorCpu)}× (Paved Road ${fmtMs(pr.validationCpuMs)}, yls ${fmtMs(yls.validationCpuMs)}, floor ${fmtMs(floor.validationCpuMs)})`);
    }
    out.sets.push(row);
  }
  if (out.parsers) {
    say('\nfloor parser candidates, parse only (own process each, median of 5):');
    for (const p of out.parsers) say(`  ${p.parser.padEnd(40)} ${Object.entries(p.sets).map(([k, ms]) => `${k} ${fmtMs(ms)}`).join(', ')}`);
  }
  const resultsFile = opts.out ?? join(REPO, '.bench/validate-results.json');
  mkdirSync(dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify(out, null, 2)}\n`);
  say(`\nfigures written to ${relative(REPO, resultsFile)}; total ${((performance.now() - started) / 1000).toFixed(0)} s`);
  console.log(lines.join('\n'));
}

if (opts.child) {
  (opts.child.startsWith('parser:') ? parserChild(opts.child.slice('parser:'.length)) : child(opts.child)).catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
} else if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
