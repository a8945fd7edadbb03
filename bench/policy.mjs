// Policy benchmark (`npm run bench:policy`): (a) `paved-road check` over 5,000
// manifests (the validation corpus: 2,000 platform files + one file of 3,000
// Kubernetes documents); (b) the pre-commit hook on a commit staging 50 files,
// wall time including Node's start (target under 500 ms); (c) the policy rules
// per edit on the 3,000-document file (in-process, warm, with the editor's caches:
// parsed documents, rule results, findings placed). The build it runs also
// compiles the validators of the bundled schemas (dist/validators/), which the
// CLI loads instead of compiling them with ajv.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../test/host/codeServer.mjs';

const CLI = join(REPO, 'dist/cli.js');
const CORPUS = join(REPO, '.bench/corpus');
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * (xs.length - 1) + 0.5))];
const time = (fn) => {
  const s = performance.now();
  const r = fn();
  return [performance.now() - s, r];
};

function listFiles(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) listFiles(p, out);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

export async function benchPolicy() {
  if (!existsSync(CORPUS)) spawnSync('node', ['bench/validate/corpus.mjs'], { cwd: REPO, stdio: 'inherit' });
  spawnSync('node', ['esbuild.config.mjs', '--production'], { cwd: REPO, stdio: 'ignore' });

  // (a) the whole set
  const runs = [];
  let findings = 0;
  for (let i = 0; i < 3; i++) {
    const [ms, r] = time(() => spawnSync(process.execPath, [CLI, 'check', '--format', 'json', '--offline', join(CORPUS, 'platform'), join(CORPUS, 'k8s')], { encoding: 'utf8', maxBuffer: 1 << 30 }));
    runs.push(ms);
    findings = JSON.parse(r.stdout).files.reduce((n, f) => n + f.findings.length, 0);
  }
  const a = quantile(runs, 0.5);
  console.log(`\nNode ${process.version}`);
  console.log(`(a) paved-road check on 5,000 manifests (2,000 files + one file of 3,000 documents): ${a.toFixed(0)} ms median of 3 (${(5000 / (a / 1000)).toFixed(0)} manifests/s), ${findings} findings`);

  // (b) the hook on a commit staging 50 files
  const repo = mkdtempSync(join(tmpdir(), 'paved-road-hookbench-'));
  const git = (...args) => spawnSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@example.com', ...args], { cwd: repo, encoding: 'utf8' });
  git('init', '-q');
  git('commit', '-q', '--allow-empty', '-m', 'base');
  spawnSync(process.execPath, [CLI, 'hook', 'install', '--cli', CLI], { cwd: repo, encoding: 'utf8' });
  const files = listFiles(join(CORPUS, 'platform')).slice(0, 50);
  const samples = [];
  const checkOnly = [];
  for (let i = 0; i < 5; i++) {
    mkdirSync(join(repo, `batch${i}`), { recursive: true });
    files.forEach((f, j) => cpSync(f, join(repo, `batch${i}`, `${j}.yaml`)));
    git('add', '-A');
    const [c] = time(() => spawnSync(process.execPath, [CLI, 'check', '--staged', '--format', 'json'], { cwd: repo, encoding: 'utf8' }));
    checkOnly.push(c);
    const [ms] = time(() => git('commit', '-q', '--no-gpg-sign', '-m', `batch ${i}`));
    samples.push(ms);
    git('reset', '-q', '--hard', 'HEAD~0');
  }
  rmSync(repo, { recursive: true, force: true });
  const b = quantile(samples, 0.5);
  console.log(`(b) git commit of 50 staged files with the hook (whole commit, Node start included): median ${b.toFixed(0)} ms, max ${Math.max(...samples).toFixed(0)} ms; \`check --staged\` alone ${quantile(checkOnly, 0.5).toFixed(0)} ms — target < 500 ms: ${(b / 500).toFixed(2)}× (${b < 500 ? 'met' : 'NOT met'})`);

  // (c) per edit on the 3,000-document file, in-process
  const { checkPolicies, policyDocuments, BUILTIN_RULES } = await import(join(REPO, 'dist/engine.js'));
  const text = readFileSync(join(CORPUS, 'k8s/all.yaml'), 'utf8');
  const parse = new Map();
  const results = new Map();
  const per = [];
  for (let i = 0; i < 21; i++) {
    const edited = i === 0 ? text : text.replace('replicas: 2', `replicas: ${i + 3}`);
    const [ms] = time(() => {
      const docs = policyDocuments('/bench/all.yaml', edited, { maxBytes: 50e6 }, parse);
      return checkPolicies(docs, BUILTIN_RULES, { documents: docs }, { results });
    });
    if (i > 0) per.push(ms);
  }
  const c95 = quantile(per, 0.95);
  console.log(`(c) policy rules per edit on one file of 3,000 documents: p50 ${quantile(per, 0.5).toFixed(0)} ms, p95 ${c95.toFixed(0)} ms — target p95 < 100 ms: ${(c95 / 100).toFixed(2)}× (${c95 < 100 ? 'met' : 'NOT met'})`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchPolicy().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
