/**
 * Evaluation budgets and linear-time matching (issue 8, item 7): nothing a
 * schema, a policy or the manifest under check contains makes a check run
 * until it is killed. Each case asserts the answer (a budget finding, or the
 * right verdict reached on RE2), and that it came quickly.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import picomatch from 'picomatch';
import type { Finding } from '../../src/core/findings';
import { parseManifest } from '../../src/core/manifest';
import { checkPolicies, policyDocuments } from '../../src/core/policy';
import type { Rule } from '../../src/core/policy';
import { loadPolicies } from '../../src/core/policy/team';
import { celEnvironment, compileCel, runCel, toCel } from '../../src/core/policy/team/cel';
import { evaluateJmesPath, parseJmesPath } from '../../src/core/policy/team/kyverno-jmespath';
import { matchPattern } from '../../src/core/policy/team/kyverno-pattern';
import { wildcardMatch } from '../../src/core/policy/team/kyverno-values';
import { subSchemas } from '../../src/core/editing/navigate';
import { associate } from '../../src/core/schema/associate';
import { standaloneValidator } from '../../src/core/schema/precompile';
import { instantiateValidator } from '../../src/core/schema/precompiled';
import { SchemaRegistry } from '../../src/core/schema/registry';
import { SchemaValidator, compiledSize } from '../../src/core/schema/validator';
import { validateText } from '../../src/core/validate';
import type { ValidationContext } from '../../src/core/validate';
import { BudgetExceeded, charge, withBudget } from '../../src/core/util/budget';
import { globMatcher } from '../../src/core/util/glob';
import { backtrackingIsSafe, bundledRegExp, re2, re2FromJs, schemaRegExp } from '../../src/core/util/regexp';
import { mulberry32 } from './helpers/prng';

/** Runs `fn` and asserts it took less than `ms` (generous: the point is "not minutes"). */
function quick<T>(what: string, fn: () => T, ms = 2000): T {
  const started = performance.now();
  const out = fn();
  const took = performance.now() - started;
  assert.ok(took < ms, `${what} took ${took.toFixed(0)} ms`);
  return out;
}

/** `$defs` a0 … a(n-1), each an anyOf of two $refs to the next: 2^n paths to a string. */
function fanOut(n: number): object {
  const defs: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) defs[`a${i}`] = { anyOf: [{ $ref: `#/$defs/a${i + 1}` }, { $ref: `#/$defs/a${i + 1}` }] };
  defs[`a${n}`] = { type: 'string' };
  return { $defs: defs, $ref: '#/$defs/a0' };
}

const CATASTROPHIC = 'a'.repeat(40) + '!';

describe('budgets: regular expressions on RE2', () => {
  it('runs ^(a+)+$ on a long non-matching string at once, with the answer JavaScript would give', () => {
    const r = quick('RE2', () => re2('^(a+)+$').test(CATASTROPHIC), 200);
    assert.equal(r, false);
    assert.equal(re2('^(a+)+$').test('aaaa'), true);
    assert.equal(schemaRegExp('^(a+)+$', 'u').test(CATASTROPHIC), false);
  });

  it('reads JavaScript syntax in schema patterns (\\u escapes, named groups)', () => {
    assert.equal(schemaRegExp('^\\u00e9+$', 'u').test('éé'), true);
    assert.equal(schemaRegExp('^(?<x>a)b$', 'u').test('ab'), true);
  });

  it('reads schema patterns as JavaScript does: 3,000 random patterns and texts agree with RegExp (white space, dot, classes)', () => {
    const r = mulberry32(31);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
    const atoms = ['a', 'b', '.', '\\s', '\\S', '\\d', '\\w', '\\W', '[ab]', '[^a]', '[\\s,]', '[^\\s]', '[]', '[^]', '\\.', '\\u00e9', 'é', '(a|b)', '(?:\\s|x)'];
    const quants = ['', '', '*', '+', '?', '{1,2}'];
    const chars = ['a', 'b', ' ', '\u00a0', '\u2028', '\r', '\n', '\v', '\u3000', '1', '_', 'é', '.', ',', 'x'];
    let compared = 0;
    for (let i = 0; i < 3000; i++) {
      const body = Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick(atoms) + pick(quants)).join('');
      const pattern = `${r() < 0.5 ? '^' : ''}${body}${r() < 0.5 ? '$' : ''}`;
      const text = Array.from({ length: Math.floor(r() * 6) }, () => pick(chars)).join('');
      let js: RegExp;
      try {
        js = new RegExp(pattern, 'u');
      } catch {
        continue;
      }
      assert.equal(schemaRegExp(pattern, 'u').test(text), js.test(text), `${pattern} against ${JSON.stringify(text)}`);
      compared++;
    }
    assert.ok(compared > 2500, `compared ${compared}`);
  });

  it('runs a pattern RE2 cannot only when backtracking is safe for it, and refuses the others with a message naming it', () => {
    assert.equal(backtrackingIsSafe('^(?!\\.\\.?$)[a-zA-Z0-9._-]+$'), true, 'the Helm chart name pattern');
    assert.equal(schemaRegExp('^(?!\\.\\.?$)[a-zA-Z0-9._-]+$', 'u').test('..'), false);
    assert.equal(schemaRegExp('^(?!\\.\\.?$)[a-zA-Z0-9._-]+$', 'u').test('chart'), true);
    for (const p of ['^(?!x)(a+)+$', '(?=a)(a|a)*b', '^(?=.)a?a?a?a?$', '(a)\\1']) assert.equal(backtrackingIsSafe(p), false, p);
    assert.throws(() => schemaRegExp('^(?!x)(a+)+$', 'u'), /pattern \^\(\?!x\)\(a\+\)\+\$ cannot run on RE2.*not used/);
  });

  it('validates a workspace schema with a catastrophic pattern quickly, with the pattern error', () => {
    const v = new SchemaValidator({ validatorsDir: null });
    v.add('p', { type: 'object', properties: { name: { type: 'string', pattern: '^(a+)+$' } } });
    const issues = quick('validation', () => v.validateValue('p', { name: CATASTROPHIC }), 500);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.ruleId, 'schema/pattern');
  });

  it('the bundled schemas: every pattern runs on RE2 but these, reviewed to backtrack at most polynomially', () => {
    // a new pattern RE2 cannot run fails here until it is reviewed and listed
    const reviewed = new Map<string, string>([
      // Helm chart name: a one-character lookahead, then one quantifier over one class
      ['^(?!\\.\\.?$)[a-zA-Z0-9._-]+$', 'one unbounded quantifier'],
      // git URL of a policy source: one-character lookaheads; each branch starts with a different literal, and each of its
      // quantified classes ends where a character it excludes (/, @, :) must follow, so a failing string is tried in O(n²)
      [
        '^(https:\\/\\/(?!-)[^\\s/?#]+[^\\s]*|ssh:\\/\\/(?!-)([^\\s@/]+@)?(?!-)[^\\s@/]+\\/[^\\s]*|([A-Za-z0-9._~+-]+@)?[A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9]:(?![:-])[^\\s]+)$',
        'disjoint branches',
      ],
      // git ref: anchored at the start, so each lookahead scans the string once (.* then a literal: O(n)), then one class
      ['^(?!-)(?!.*\\.\\.)(?!.*@\\{)[^\\s~^:?*[\\\\]+$', 'lookaheads at the start only'],
    ]);
    const found = new Set<string>();
    const walk = (dir: string): void => {
      for (const f of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, f.name);
        if (f.isDirectory()) walk(p);
        else if (f.name.endsWith('.json')) collect(JSON.parse(readFileSync(p, 'utf8')) as unknown);
      }
    };
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          const patterns = k === 'pattern' && typeof v === 'string' ? [v] : k === 'patternProperties' && v && typeof v === 'object' ? Object.keys(v as object) : [];
          for (const p of patterns) {
            try {
              re2FromJs(p);
            } catch {
              found.add(p);
            }
          }
          collect(v);
        }
      }
    };
    walk(join(__dirname, '..', '..', 'schemas'));
    assert.deepEqual([...found].sort(), [...reviewed.keys()].sort());
    // and they take no time on long hostile strings
    for (const p of found) {
      const test = bundledRegExp(p, 'u');
      for (const text of [`${'a'.repeat(5000)}!`, `https://${'-a'.repeat(3000)} `, `${'a.'.repeat(3000)}:`, `ssh://${'a@'.repeat(3000)}`, `${'a.'.repeat(3000)}.`]) {
        quick(p, () => test.test(text), 200);
      }
    }
  });

  it('the editor (hover, completion) matches patternProperties on RE2 too', () => {
    const root = { type: 'object', patternProperties: { '^(a+)+$': { description: 'all a' } } };
    assert.deepEqual(
      quick('patternProperties', () => subSchemas(root, [CATASTROPHIC]), 200),
      [],
    );
    assert.equal(subSchemas(root, ['aaa'])[0]?.description, 'all a');
  });

  it('precompiled validators (ajv standalone) run patterns on the same engine and charge the same budget', () => {
    const code = standaloneValidator({ type: 'string', pattern: '^(a+)+$' });
    assert.match(code, /require\("paved-road\/runtime"\)\.bundledRegExp/);
    const validate = instantiateValidator(code);
    assert.equal(quick('standalone', () => validate(CATASTROPHIC), 500), false);
    assert.equal(validate('aaa'), true);
    const fan = instantiateValidator(standaloneValidator(fanOut(30)));
    const r = quick('standalone fan-out', () => withBudget(100_000, 'schema validation', () => fan(5)));
    assert.ok('exceeded' in r, 'the standalone validator charged the budget');
  });
});

describe('budgets: schemas', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'paved-road-budgets-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function ctxWith(schema: object): ValidationContext {
    const path = join(dir, `schema-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, JSON.stringify(schema));
    return {
      registry: new SchemaRegistry(),
      validator: new SchemaValidator({ validatorsDir: null }),
      rules: [{ files: ['**/*.yaml'], baseDir: dir, schema: path, source: 'config', origin: join(dir, '.paved-road.yaml') }],
      root: dir,
    };
  }

  it('an anyOf fan-out through $ref chains is one error finding naming the schema, not a hang', () => {
    const ctx = ctxWith(fanOut(40));
    const findings = quick('fan-out', () => validateText(join(dir, 'thing.yaml'), 'a: 1\n', ctx));
    assert.equal(findings.length, 1, JSON.stringify(findings));
    assert.equal(findings[0]?.ruleId, 'schema/budget-exceeded');
    assert.equal(findings[0]?.severity, 'error');
    assert.match(findings[0]?.message ?? '', /schema-.*\.json.*exceeded its budget of [\d,]+ steps.*not validated/);
  });

  it('a schema whose $refs repeat a large definition is refused before ajv generates its code', () => {
    const props = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`p${i}`, { type: 'string', minLength: 1 }]));
    const schema = (n: number): object => ({ $defs: { L: { type: 'object', properties: props } }, allOf: Array.from({ length: n }, () => ({ $ref: '#/$defs/L' })) });
    assert.equal(compiledSize(schema(1)), 2008);
    assert.equal(compiledSize(schema(100)), 101_305, 'each inlined $ref counts its target again');
    const findings = quick('amplified compile', () => validateText(join(dir, 'thing.yaml'), 'a: 1\n', ctxWith(schema(100))), 1000);
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.severity]),
      [['schema/budget-exceeded', 'error']],
    );
    assert.match(findings[0]?.message ?? '', /is not used: compiling it would exceed its budget \(50,000 schema nodes/);
  });

  it('a small fan-out still validates, with its message', () => {
    const findings = validateText(join(dir, 'thing.yaml'), 'a: 1\n', ctxWith(fanOut(6)));
    assert.ok(findings.some((f) => f.ruleId === 'schema/type'), JSON.stringify(findings));
    assert.ok(!findings.some((f) => f.ruleId === 'schema/budget-exceeded'));
  });

  it('a CRD pattern from the workspace runs on RE2: the custom resource gets its pattern error at once', () => {
    const registry = new SchemaRegistry();
    registry.setCrds([
      {
        group: 'example.com',
        version: 'v1',
        kind: 'Widget',
        source: 'crds/widget.yaml',
        schema: { type: 'object', properties: { spec: { type: 'object', properties: { name: { type: 'string', pattern: '^(a+)+$' } } } } },
      },
    ]);
    const ctx: ValidationContext = { registry, validator: new SchemaValidator({ validatorsDir: null }), root: dir };
    const text = `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  name: "${CATASTROPHIC}"\n`;
    const findings = quick('CRD pattern', () => validateText(join(dir, 'w.yaml'), text, ctx), 1000);
    assert.deepEqual(
      findings.map((f) => f.ruleId),
      ['schema/pattern'],
    );
  });
});

describe('budgets: YAML anchors', () => {
  it('a document of 20,000 anchors and aliases is one finding, quickly', () => {
    let text = 'a:\n';
    for (let i = 0; i < 10_000; i++) text += `  k${i}: &a${i} v\n  j${i}: *a${i}\n`;
    const parsed = quick('parse', () => parseManifest(text), 3000);
    const findings = parsed.documents.flatMap((d) => d.findings);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.ruleId, 'yaml/alias-limit');
    assert.match(findings[0]?.message ?? '', /more than 1,000 anchors and aliases/);
  });

  it('a policy file of 20,000 anchors and aliases is one error on that file, quickly', () => {
    let text = 'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: anchors\nspec:\n  rules:\n  - name: r\n    match:\n      any:\n      - resources:\n          kinds: [Pod]\n    validate:\n      pattern:\n';
    for (let i = 0; i < 10_000; i++) text += `        k${i}: &a${i} v\n        j${i}: *a${i}\n`;
    const loaded = quick('policy load', () => loadPolicies([{ path: '/repo/policies/anchors.yaml', text }], '/repo'), 3000);
    const problems = loaded.problems.get('/repo/policies/anchors.yaml') ?? [];
    assert.deepEqual(
      problems.map((f) => [f.ruleId, f.severity]),
      [['yaml/alias-limit', 'error']],
    );
    assert.equal(loaded.rules.length, 0);
  });

  it('a few hundred anchors are read as before', () => {
    let text = 'a:\n';
    for (let i = 0; i < 200; i++) text += `  k${i}: &a${i} v${i}\n  j${i}: *a${i}\n`;
    const doc = parseManifest(text).documents[0];
    assert.equal(doc?.ok, true);
    assert.equal((doc?.value as { a: Record<string, string> }).a.j199, 'v199');
  });
});

describe('budgets: wildcards and globs in linear time', () => {
  it('Kyverno wildcards give the answers of the regular expression they replace', () => {
    const cases: [string, string][] = [
      ['*', ''],
      ['?', ''],
      ['a*b', 'ab'],
      ['a*b', 'axxbc'],
      ['*a*a*b', 'aab'],
      ['?', '😀'],
      ['??', '😀'],
      ['nginx:*', 'nginx:1.25'],
      ['*.example.com', 'x.example.com'],
      ['a**', 'a'],
      ['*b*', 'abc'],
    ];
    for (const [p, t] of cases) {
      const re = new RegExp(`^${[...p].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.+()[\]{}|]/g, '\\$&'))).join('')}$`, 'su');
      assert.equal(wildcardMatch(p, t), re.test(t), `${p} against ${t}`);
    }
  });

  it('*a*a*a*a*b against a 300-character image, and 50 stars against 100,000 characters, answer at once', () => {
    assert.equal(quick('wildcard', () => wildcardMatch('*a*a*a*a*b', 'a'.repeat(300)), 100), false);
    assert.equal(quick('wildcard', () => wildcardMatch(`${'*a'.repeat(50)}*b`, `${'a'.repeat(100_000)}b`), 500), true);
  });

  it('globs answer as picomatch does, in linear time', () => {
    const globs = ['!foo*', 'apps/*', 'deploy/**/*.yaml', '**/*.{yml,yaml}', 'a/**', '[abc]*', '+(a|b)', 'v?', '*/v1', '**', '*', 'team-*', '{a,b}/c'];
    const texts = ['', 'foo', 'foobar', 'apps/v1', 'apps', 'apps/x/y', 'deploy/a.yaml', 'deploy/x/y/a.yaml', 'x.yml', 'a', 'a/b', 'ab', 'v1', 'batch/v1', 'team-a', 'b/c', '.hidden', 'a/.b/c'];
    for (const g of globs) {
      const mine = globMatcher(g, { dot: true });
      const theirs = picomatch(g, { dot: true });
      for (const t of texts) assert.equal(mine(t), theirs(t), `${g} against ${JSON.stringify(t)}`);
    }
    assert.equal(quick('glob', () => globMatcher('**/*a*a*a*a*a*a*b*', { dot: true })('a'.repeat(5000)), 100), false);
    assert.throws(() => globMatcher('!(a|b)'), /glob !\(a\|b\) is not supported/);
  });
});

describe('budgets: schema associations', () => {
  it('a schemas: glob from the config against a long file name answers at once', () => {
    const root = '/repo';
    const path = `/repo/${'a'.repeat(200)}.yaml`;
    const rules = [{ files: ['*a*a*a*a*a*a*a*b*.yaml'], baseDir: root, schema: '/repo/s.json', source: 'config' as const, origin: '/repo/.paved-road.yaml' }];
    const found = quick('association', () => associate(path, 'a: 1\n', { a: 1 }, { registry: new SchemaRegistry(), rules, root }), 200);
    assert.notEqual(found?.type, 'schema');
  });
});

describe('budgets: the meter', () => {
  it('stops at the limit and reports it even when the evaluator swallowed the error', () => {
    const r = withBudget(10, 'test evaluation', () => {
      for (let i = 0; i < 100; i++) {
        try {
          charge();
        } catch {
          // an evaluator that turns errors into values
        }
      }
      return 'done';
    });
    assert.ok('exceeded' in r);
    assert.ok(r.exceeded instanceof BudgetExceeded);
    assert.match(r.exceeded.message, /test evaluation exceeded its budget of 10 steps/);
    // no meter: charging is free and never throws
    charge(1e12);
  });

  it('JMESPath charges a step per node', () => {
    const data = { l: Array.from({ length: 1000 }, (_, i) => ({ a: i })) };
    const ok = withBudget(100_000, 'JMESPath evaluation', () => evaluateJmesPath(parseJmesPath('length(l[*].a)'), data));
    assert.deepEqual(ok, { value: 1000 });
    const r = withBudget(500, 'JMESPath evaluation', () => evaluateJmesPath(parseJmesPath('length(l[*].a)'), data));
    assert.ok('exceeded' in r);
  });

  it('Kyverno patterns charge a step per element', () => {
    const resource = { l: Array.from({ length: 1000 }, () => ({ a: 'x' })) };
    assert.deepEqual(withBudget(100_000, 'Kyverno pattern', () => matchPattern(resource, { l: [{ a: 'x' }] }).status), { value: 'pass' });
    assert.ok('exceeded' in withBudget(500, 'Kyverno pattern', () => matchPattern(resource, { l: [{ a: 'x' }] })));
  });

  it('CEL charges the elements a macro iterates (nested all() over 1,000 elements runs out), and matches() runs on RE2', () => {
    const env = celEnvironment(['object']);
    const object = toCel({ l: Array.from({ length: 1000 }, (_, i) => i), s: CATASTROPHIC });
    const run = (src: string, limit = 1_000_000): unknown => {
      const c = compileCel(env, src);
      assert.ok('program' in c, src);
      return withBudget(limit, 'CEL evaluation', () => runCel(c.program, { object }));
    };
    assert.deepEqual(run('object.l.all(x, x >= 0)'), { value: { value: true } });
    assert.ok('exceeded' in (quick('nested all', () => run('object.l.all(x, object.l.all(y, x >= y || y >= x))')) as object));
    assert.deepEqual(quick('matches', () => run('object.s.matches("^(a+)+$")'), 200), { value: { value: false } });
    assert.deepEqual(quick('find', () => run('object.s.find("(a|a)*!")'), 200), { value: { value: CATASTROPHIC } });
    assert.deepEqual(run('object.s.findAll("a", 2)'), { value: { value: ['a', 'a'] } });
    // what a call returns is charged by its size
    assert.ok('exceeded' in (run('object.l.map(x, string(x)).join(",").size() > 0', 100) as object));
  });
});

describe('budgets: policies on the content under check', () => {
  const POLICY = '/repo/policies/p.yaml';
  const load = (text: string): Rule[] => {
    const r = loadPolicies([{ path: POLICY, text }], '/repo');
    assert.deepEqual([...r.problems.values()].flat(), [], 'the policy loads');
    return r.rules;
  };
  const check = (rules: readonly Rule[], manifest: string): Finding[] => {
    const docs = policyDocuments('/repo/deploy/app.yaml', manifest);
    return checkPolicies(docs, rules, { documents: docs }, {});
  };
  const kyverno = (rule: string): string => `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: team
spec:
  validationFailureAction: Enforce
  rules:
  - name: r
    match:
      any:
      - resources:
          kinds: [Pod]
${rule}`;

  it('a Kyverno image wildcard *a*a*a*a*b against a 300-character image: the verdict at once', () => {
    const rules = load(
      kyverno(`    validate:
      message: images end in b
      pattern:
        spec:
          containers:
          - image: "*a*a*a*a*b"
`),
    );
    const findings = quick('pattern', () => check(rules, `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: ${'a'.repeat(300)}\n`));
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /images end in b/);
  });

  it('a wildcard in the manifest own name against a policy value (Equals matches both ways): at once', () => {
    const rules = load(
      kyverno(`    validate:
      message: not that name
      deny:
        conditions:
          any:
          - key: "{{ request.object.metadata.name }}"
            operator: Equals
            value: "${'a'.repeat(300)}"
`),
    );
    const findings = quick('condition', () => check(rules, `apiVersion: v1\nkind: Pod\nmetadata:\n  name: "*a*a*a*a*a*a*b"\nspec:\n  containers: []\n`));
    assert.deepEqual(findings, []);
  });

  it('Kyverno regex_match runs on RE2', () => {
    const rules = load(
      kyverno(`    validate:
      message: the name is all a
      deny:
        conditions:
          any:
          - key: "{{ regex_match('^(a+)+$', '{{ request.object.metadata.annotations.x }}') }}"
            operator: Equals
            value: false
`),
    );
    const findings = quick('regex_match', () => check(rules, `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    x: "${CATASTROPHIC}"\nspec:\n  containers: []\n`));
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /the name is all a/);
  });

  it('a CEL rule with nested all() over a 1,000-element list in the manifest: an error finding naming the rule and the budget', () => {
    const rules = load(`apiVersion: paved-road.dev/v1
kind: Policy
metadata:
  name: lists
spec:
  match:
    - kind: ConfigMap
  rules:
    - name: distinct
      expression: "object.data.l.split(',').all(x, object.data.l.split(',').all(y, x == y || x != y))"
      message: the list has duplicates
`);
    const list = Array.from({ length: 1000 }, (_, i) => String(i)).join(',');
    const findings = quick('CEL budget', () => check(rules, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  l: "${list}"\n`));
    assert.equal(findings.length, 1, JSON.stringify(findings));
    assert.equal(findings[0]?.severity, 'error');
    assert.equal(findings[0]?.ruleId, 'lists/distinct');
    assert.match(findings[0]?.message ?? '', /rule lists\/distinct was stopped.*its CEL evaluation exceeded the budget of 1,000,000 steps/);
  });

  it('a CEL matches() on the manifest with a catastrophic pattern: the verdict at once', () => {
    const rules = load(`apiVersion: paved-road.dev/v1
kind: Policy
metadata:
  name: names
spec:
  match:
    - kind: ConfigMap
  rules:
    - name: all-a
      expression: "object.data.x.matches('^(a+)+$')"
      message: x is not all a
`);
    const findings = quick('CEL matches', () => check(rules, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  x: "${CATASTROPHIC}"\n`));
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /x is not all a/);
  });
});
