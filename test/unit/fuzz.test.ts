/**
 * Fuzzing the validator: mutated manifests (seeded, so failures reproduce) must
 * never make it throw, and no file may take over a second. Plus the bad inputs
 * users meet: tabs, huge files, deep nesting, alias bombs, binary and
 * non-UTF-8 bytes, unknown apiVersions.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinContext, validateText } from '../../src/core/validate';
import { checkPolicies, policyDocuments } from '../../src/core/policy';
import { loadPolicies } from '../../src/core/policy/team';
import { wildcardMatch } from '../../src/core/policy/team/kyverno-values';
import type { Finding } from '../../src/core/findings';
import { schemaRegExp } from '../../src/core/util/regexp';
import { mulberry32 } from './helpers/prng';


const EXAMPLES = join(__dirname, '..', '..', 'examples');
const CORPUS = ['catalog-info.yaml', 'deploy/deployment.yaml', 'deploy/service.yaml', 'slo/checkout-api.sloth.yaml', 'mistakes/deployment.yaml', 'mistakes/catalog-info.yaml'].map((f) => ({
  name: f,
  text: readFileSync(join(EXAMPLES, f), 'utf8'),
}));
const INSERTS = ['\t', ' ', '  ', '\n', ':', '- ', '[', ']', '{', '}', '"', "'", '&a ', '*a', '!!str ', '#', '---\n', '...\n', '|', '>', '?', '%', '@', '\u0000', '\uFFFD', 'yes', '0x', '1e9999', '~'];

function mutate(text: string, r: () => number): string {
  const at = Math.floor(r() * (text.length + 1));
  switch (Math.floor(r() * 5)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 8));
    case 1:
      return text.slice(0, at) + (INSERTS[Math.floor(r() * INSERTS.length)] ?? '') + text.slice(at);
    case 2: {
      const lines = text.split('\n');
      const i = Math.floor(r() * lines.length);
      lines.splice(i, 0, lines[Math.floor(r() * lines.length)] ?? '');
      return lines.join('\n');
    }
    case 3: {
      const lines = text.split('\n');
      const i = Math.floor(r() * lines.length);
      lines[i] = ' '.repeat(Math.floor(r() * 6)) + (lines[i] ?? '').trimStart();
      return lines.join('\n');
    }
    default:
      return text.slice(0, at) + text.slice(Math.floor(r() * text.length));
  }
}

describe('validator fuzzing and bad input', function () {
  this.timeout(120_000);
  const ctx = builtinContext();

  it('never throws on 2,000 mutated manifests, and none takes over a second', () => {
    const r = mulberry32(7);
    let slowest = 0;
    let slowestName = '';
    for (let i = 0; i < 2000; i++) {
      const base = CORPUS[i % CORPUS.length]!;
      let text = base.text;
      const n = 1 + Math.floor(r() * 4);
      for (let m = 0; m < n; m++) text = mutate(text, r);
      const started = performance.now();
      assert.doesNotThrow(() => validateText(`/fuzz/${base.name}`, text, ctx), `mutation ${i} of ${base.name}: ${JSON.stringify(text)}`);
      const ms = performance.now() - started;
      if (ms > slowest) {
        slowest = ms;
        slowestName = `${base.name} #${i}`;
      }
    }
    assert.ok(slowest < 1000, `slowest ${slowestName}: ${slowest.toFixed(0)} ms`);
  });

  it('gives each bad input one clear finding instead of failing', () => {
    const cases: [string, string, string][] = [
      ['tabs for indentation', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n', 'yaml/syntax'],
      ['a file over the size limit', `apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "${'x'.repeat(6 * 1024 * 1024)}"\n`, 'yaml/too-large'],
      ['1,000-deep nesting', `a: ${'['.repeat(1000)}${']'.repeat(1000)}\n`, 'yaml/too-deep'],
      ['an alias bomb', ['a: &a [x,x,x,x,x,x,x,x,x,x]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]'].join('\n'), 'yaml/alias-limit'],
      ['malformed YAML', 'apiVersion: v1\nkind: [ConfigMap\n', 'yaml/syntax'],
      ['an unknown apiVersion', 'apiVersion: nowhere.example/v9\nkind: Thing\n', 'schema/no-schema'],
    ];
    for (const [what, text, rule] of cases) {
      const started = performance.now();
      const findings = validateText('/bad/input.yaml', text, ctx);
      assert.equal(findings.length, 1, `${what}: ${JSON.stringify(findings.map((f) => f.message))}`);
      assert.equal(findings[0]?.ruleId, rule, what);
      assert.ok(findings[0].message.length > 20, `${what}: the message says what happened`);
      assert.ok(performance.now() - started < 1000, `${what} is handled quickly`);
    }
  });
});

describe('team policy fuzzing: a broken policy file is findings, never a crash', function () {
  this.timeout(120_000);
  const policies = ['policies/checkout-standards.yaml', 'policies/max-replicas.vap.yaml'].map((f) => readFileSync(join(EXAMPLES, f), 'utf8'));
  const targets = CORPUS.filter((c) => c.name.includes('deploy')).map((c) => policyDocuments(`/ws/${c.name}`, c.text)).flat();

  it('1,000 mutated policy files load and run on the sample manifests without throwing', () => {
    const r = mulberry32(11);
    let problems = 0;
    let rules = 0;
    for (let i = 0; i < 1000; i++) {
      const base = policies[i % policies.length] ?? '';
      let text = base;
      for (let n = 1 + Math.floor(r() * 3); n > 0; n--) text = mutate(text, r);
      const loaded = loadPolicies([{ path: '/ws/policies/p.yaml', text }], '/ws');
      problems += [...loaded.problems.values()].flat().length;
      rules += loaded.rules.length;
      checkPolicies(targets, loaded.rules, { documents: targets }, { today: '2026-11-23' });
    }
    // the mutations broke many files (reported) and left many working (run)
    assert.ok(problems > 100, `problems reported: ${problems}`);
    assert.ok(rules > 300, `rules loaded: ${rules}`);
  });
});

/** Reference `*`/`?` matcher by dynamic programming (quadratic, never exponential). */
function wildcardReference(p: string, t: string): boolean {
  const P = [...p];
  const T = [...t];
  let row = new Array<boolean>(T.length + 1).fill(false);
  row[0] = true;
  for (const c of P) {
    const next = new Array<boolean>(T.length + 1).fill(false);
    next[0] = c === '*' && row[0] === true;
    for (let j = 1; j <= T.length; j++) next[j] = c === '*' ? row[j] === true || next[j - 1] === true : row[j - 1] === true && (c === '?' || c === T[j - 1]);
    row = next;
  }
  return row[T.length] === true;
}

describe('hostile content: what the manifest under check holds never hangs a check', function () {
  this.timeout(120_000);
  const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

  it('2,000 random wildcard patterns against long texts agree with a reference matcher, none over 50 ms', () => {
    const r = mulberry32(21);
    let slowest = 0;
    for (let i = 0; i < 2000; i++) {
      const p = Array.from({ length: 1 + Math.floor(r() * 12) }, () => pick(r, ['*', '*', '?', 'a', 'a', 'b', '😀'])).join('');
      const t = Array.from({ length: Math.floor(r() * 300) }, () => pick(r, ['a', 'a', 'a', 'b', '😀'])).join('');
      const started = performance.now();
      const got = wildcardMatch(p, t);
      slowest = Math.max(slowest, performance.now() - started);
      assert.equal(got, wildcardReference(p, t), `${p} against ${t}`);
    }
    assert.ok(slowest < 50, `slowest ${slowest.toFixed(1)} ms`);
  });

  it('500 random nested-quantifier schema patterns against adversarial strings, none over 500 ms', () => {
    const r = mulberry32(22);
    const atom = (d: number): string => (d > 2 || r() < 0.4 ? pick(r, ['a', 'a?', '[ab]', '.', '\\w']) : `(${Array.from({ length: 1 + Math.floor(r() * 2) }, () => atom(d + 1)).join(r() < 0.5 ? '|' : '')})${pick(r, ['+', '*', '{1,5}', ''])}`);
    let slowest = 0;
    let ran = 0;
    for (let i = 0; i < 500; i++) {
      const pattern = `^${atom(0)}${atom(0)}$`;
      let re: { test(s: string): boolean };
      try {
        re = schemaRegExp(pattern, 'u');
      } catch {
        continue; // refused with a message (a case of its own in budgets.test.ts)
      }
      const text = `${'a'.repeat(30 + Math.floor(r() * 2000))}!`;
      const started = performance.now();
      re.test(text);
      slowest = Math.max(slowest, performance.now() - started);
      ran++;
    }
    assert.ok(ran > 450, `patterns run: ${ran}`);
    // JavaScript's engine takes seconds on many of these (each character more doubles it)
    assert.ok(slowest < 500, `slowest ${slowest.toFixed(1)} ms`);
  });

  it('each known hang of a hostile repository is one clear finding within 2 s', () => {
    const anchors = ['a:', ...Array.from({ length: 10_000 }, (_, i) => `  k${i}: &a${i} v\n  j${i}: *a${i}`)].join('\n');
    const celPolicy = `apiVersion: paved-road.dev/v1
kind: Policy
metadata:
  name: lists
spec:
  match:
    - kind: ConfigMap
  rules:
    - name: distinct
      expression: "object.data.l.split(',').all(x, object.data.l.split(',').exists(y, x == y))"
      message: the list has duplicates
`;
    const list = Array.from({ length: 1500 }, (_, i) => String(i)).join(',');
    const configMap = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  l: "${list}"\n`;
    const cases: [string, () => Finding[], string][] = [
      ['20,000 anchors and aliases', () => validateText('/hostile/anchors.yaml', anchors, builtinContext()), 'yaml/alias-limit'],
      [
        'nested exists() over a 1,500-element list in the manifest',
        () => {
          const rules = loadPolicies([{ path: '/ws/p.yaml', text: celPolicy }], '/ws').rules;
          const docs = policyDocuments('/ws/cm.yaml', configMap);
          return checkPolicies(docs, rules, { documents: docs }, {});
        },
        'lists/distinct',
      ],
    ];
    for (const [what, run, rule] of cases) {
      const started = performance.now();
      const findings = run();
      assert.ok(performance.now() - started < 2000, `${what}: ${(performance.now() - started).toFixed(0)} ms`);
      assert.equal(findings.length, 1, `${what}: ${JSON.stringify(findings.map((f) => f.message))}`);
      assert.equal(findings[0]?.ruleId, rule, what);
      assert.equal(findings[0]?.severity, 'error', what);
    }
  });
});
