/**
 * The validators compiled at build time (src/core/schema/precompile.ts) give
 * exactly the findings of the validators ajv compiles at run time: the same
 * documents — the examples, and thousands of seeded mutations of their values
 * (wrong types, misspelt and unknown keys, missing required keys, values out of
 * enums) — through both, compared finding by finding.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifest } from '../../src/core/manifest';
import { precompileValidators } from '../../src/core/schema/precompile';
import { SchemaRegistry, defaultSchemasDir } from '../../src/core/schema/registry';
import { SchemaValidator } from '../../src/core/schema/validator';
import { validateText } from '../../src/core/validate';
import type { ValidationContext } from '../../src/core/validate';
import { mulberry32 } from './helpers/prng';

const REPO = join(__dirname, '..', '..');
const SCHEMAS = [
  'paved-road-config.schema.json',
  'kubernetes/v1.36/apps.v1.Deployment.json',
  'kubernetes/v1.36/batch.v1.CronJob.json',
  'kubernetes/v1.36/core.v1.Service.json',
  'kubernetes/v1.36/networking.k8s.io.v1.NetworkPolicy.json',
  'kubernetes/v1.36/policy.v1.PodDisruptionBudget.json',
  'kubernetes/v1.36/core.v1.ServiceAccount.json',
  'backstage/Component.v1alpha1.json',
  'project/sloth-v1.json',
  'project/github-workflow.json',
];
const FILES = [
  'examples/.paved-road.yaml',
  'examples/deploy/deployment.yaml',
  'examples/deploy/service.yaml',
  'examples/deploy/networkpolicy.yaml',
  'examples/deploy/pdb.yaml',
  'examples/deploy/serviceaccount.yaml',
  'examples/mistakes/deployment.yaml',
  'examples/mistakes/insecure-deployment.yaml',
  'examples/catalog-info.yaml',
  'examples/mistakes/catalog-info.yaml',
  'examples/slo/checkout-api.sloth.yaml',
];

const WORDS = ['name', 'image', 'replicas', 'spec', 'metadata', 'labels', 'ports', 'owner', 'type', 'x-extra'];
const VALUES: unknown[] = ['', 'yes', 'Always', '500m', '2', 2, -1, 1.5, true, null, [], {}, ['a'], { a: 1 }];

/** One seeded change somewhere in a value: a type swap, a misspelt, unknown or dropped key, a value out of place. */
function mutate(value: unknown, r: () => number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  if (Array.isArray(value)) {
    const list = value as unknown[];
    if (list.length === 0 || r() < 0.2) return [...list, pick(VALUES)];
    const i = Math.floor(r() * list.length);
    return list.map((v, j) => (j === i ? mutate(v, r) : v));
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const roll = r();
    if (entries.length === 0 || roll < 0.1) return { ...value, [pick(WORDS)]: pick(VALUES) };
    const i = Math.floor(r() * entries.length);
    const [key, v] = entries[i] as [string, unknown];
    if (roll < 0.2) return Object.fromEntries(entries.filter((_, j) => j !== i)); // dropped
    if (roll < 0.3) return Object.fromEntries(entries.map(([k, x], j) => (j === i ? [`${k.slice(0, -1)}${k.slice(-1) === 's' ? '' : 's'}`, x] : [k, x]))); // misspelt
    if (roll < 0.45) return { ...value, [key]: pick(VALUES) }; // replaced
    return { ...value, [key]: mutate(v, r) };
  }
  return pick(VALUES);
}

describe('validators compiled at build time', function () {
  this.timeout(120_000);
  let dir: string;
  let precompiled: SchemaValidator;
  let runtime: SchemaValidator;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'paved-road-validators-'));
    const { generated } = precompileValidators({ schemasDir: defaultSchemasDir(), outDir: dir, only: (f) => SCHEMAS.includes(f) });
    assert.equal(generated, SCHEMAS.length);
    precompiled = new SchemaValidator({ validatorsDir: dir });
    runtime = new SchemaValidator({ validatorsDir: null });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('are used for the schemas they were compiled from, and only for those', () => {
    const schema = (f: string) => JSON.parse(readFileSync(join(REPO, 'schemas', f), 'utf8')) as object;
    const v = new SchemaValidator({ validatorsDir: dir });
    v.add('deployment', schema('kubernetes/v1.36/apps.v1.Deployment.json'));
    assert.equal((v as unknown as { instance?: unknown }).instance, undefined, 'ajv compiled nothing');
    const changed = { ...schema('kubernetes/v1.36/apps.v1.Deployment.json'), description: 'changed' };
    v.add('changed', changed);
    assert.notEqual((v as unknown as { instance?: unknown }).instance, undefined, 'a changed schema is compiled at run time');
    assert.deepEqual(v.validateValue('changed', { apiVersion: 'apps/v1', kind: 'Deployment', spec: 1 }), v.validateValue('deployment', { apiVersion: 'apps/v1', kind: 'Deployment', spec: 1 }));
  });

  it('give the same findings as run-time compiled validators, on the examples and 3,000 mutations of them', () => {
    const registry = new SchemaRegistry();
    const contexts: ValidationContext[] = [
      { registry, validator: precompiled },
      { registry, validator: runtime },
    ];
    const texts = FILES.map((f) => ({ path: join(REPO, f), text: readFileSync(join(REPO, f), 'utf8') }));
    for (const { path, text } of texts) {
      const [a, b] = contexts.map((ctx) => validateText(path, text, ctx));
      assert.deepEqual(a, b, path);
    }
    // values: every schema, against every document of its kind, mutated
    const r = mulberry32(11);
    const docs = texts.flatMap(({ path, text }) => parseManifest(text).documents.filter((d) => d.ok).map((d) => ({ path, value: d.value })));
    let differing = 0;
    let withIssues = 0;
    for (let i = 0; i < 3000; i++) {
      const base = docs[i % docs.length]!;
      let value = base.value;
      for (let n = 1 + Math.floor(r() * 3); n > 0; n--) value = mutate(value, r);
      const text = `# mutated ${i}\n${JSON.stringify(value)}\n`;
      const [a, b] = contexts.map((ctx) => validateText(base.path, text, ctx));
      if (a!.length > 0) withIssues++;
      if (JSON.stringify(a) !== JSON.stringify(b)) {
        differing++;
        assert.deepEqual(a, b, `${base.path}, mutation ${i}`);
      }
    }
    assert.equal(differing, 0);
    assert.ok(withIssues > 1000, `many mutations have findings (${withIssues})`);
    assert.equal((precompiled as unknown as { instance?: unknown }).instance, undefined, 'every schema came precompiled');
  });
});

describe('validators of schemas compiled at run time, kept between runs', function () {
  this.timeout(60_000);
  const team = {
    type: 'object',
    required: ['name', 'tier'],
    additionalProperties: false,
    properties: { name: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' }, tier: { enum: ['gold', 'silver'] }, replicas: { type: 'integer', minimum: 1 } },
  };
  const values: unknown[] = [{ name: 'api', tier: 'gold' }, { name: 'Api', tier: 'bronze', replicas: 0, extra: 1 }, { tier: 'gold' }, 'text', { name: 'a', tier: 'silver', replicas: '2' }];
  const instanceOf = (v: SchemaValidator) => (v as unknown as { instance?: unknown }).instance;

  it('compile a schema once: the next run loads its validator from the cache, with the same findings', () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'paved-road-vcache-'));
    try {
      const first = new SchemaValidator({ validatorsDir: null, cacheDir });
      first.add('team', team);
      const expected = values.map((v) => first.validateValue('team', v));
      assert.notEqual(instanceOf(first), undefined, 'the first run compiles the schema');
      assert.equal(readdirSync(cacheDir).filter((f) => f.endsWith('.js')).length, 1, 'and keeps its validator');

      const second = new SchemaValidator({ validatorsDir: null, cacheDir });
      second.add('team', team);
      assert.deepEqual(values.map((v) => second.validateValue('team', v)), expected);
      assert.equal(instanceOf(second), undefined, 'the second run compiled nothing');

      // another schema is not answered by the cached validator
      const third = new SchemaValidator({ validatorsDir: null, cacheDir });
      third.add('other', { ...team, required: ['name'] });
      assert.notEqual(instanceOf(third), undefined);
      assert.deepEqual(third.validateValue('other', { name: 'api' }), []);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('compile again when the cached file is broken or not a file, and never fail because of the cache', () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'paved-road-vcache-'));
    try {
      const first = new SchemaValidator({ validatorsDir: null, cacheDir });
      first.add('team', team);
      const expected = values.map((v) => first.validateValue('team', v));
      const [file] = readdirSync(cacheDir).filter((f) => f.endsWith('.js'));
      writeFileSync(join(cacheDir, file as string), 'module.exports = 42; throw new Error("broken")');
      const second = new SchemaValidator({ validatorsDir: null, cacheDir });
      second.add('team', team);
      assert.deepEqual(values.map((v) => second.validateValue('team', v)), expected);
      assert.notEqual(instanceOf(second), undefined, 'a broken cached validator is compiled again');
      // and written again, correct this time
      const third = new SchemaValidator({ validatorsDir: null, cacheDir });
      third.add('team', team);
      assert.deepEqual(values.map((v) => third.validateValue('team', v)), expected);
      assert.equal(instanceOf(third), undefined);
      // a cache folder that cannot be written: validation works as without one
      const blocked = join(cacheDir, 'not-a-folder');
      writeFileSync(blocked, '');
      const fourth = new SchemaValidator({ validatorsDir: null, cacheDir: blocked });
      fourth.add('team', team);
      assert.deepEqual(values.map((v) => fourth.validateValue('team', v)), expected);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
