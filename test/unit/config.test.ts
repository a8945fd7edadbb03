import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_SCHEMA_ID, ConfigSchema, isConfigFile, loadConfig } from '../../src/core/config';
import { STARTER_CONFIG } from '../../src/core/config/starter';
import { SchemaValidator } from '../../src/core/schema/validator';
import { validateText } from '../../src/core/validate';
import { CONFIG_SCHEMA_FILE, POLICY_SCHEMA_FILE, renderConfigSchema, renderPolicySchema } from '../../scripts/generate-config-schema';

const REPO = join(__dirname, '..', '..');

describe('platform config (.paved-road.yaml)', () => {
  it("the committed JSON Schema is the one generated from the zod model (run 'npm run schema')", () => {
    assert.equal(readFileSync(CONFIG_SCHEMA_FILE, 'utf8'), renderConfigSchema(), "schemas/paved-road-config.schema.json is out of date: run 'npm run schema'");
    assert.equal(readFileSync(POLICY_SCHEMA_FILE, 'utf8'), renderPolicySchema(), "schemas/project/paved-road-policy.json is out of date: run 'npm run schema'");
  });

  it('the generated schema compiles in ajv strict mode', () => {
    const v = new SchemaValidator({ strict: true });
    v.add(CONFIG_SCHEMA_ID, JSON.parse(readFileSync(CONFIG_SCHEMA_FILE, 'utf8')) as object, true); // bundled: its patterns are trusted
    assert.deepEqual(v.validateValue(CONFIG_SCHEMA_ID, {}), []);
  });

  it('reads the example workspace config into the typed model', () => {
    const { config, findings } = loadConfig(readFileSync(join(REPO, 'examples', '.paved-road.yaml'), 'utf8'));
    assert.deepEqual(findings, []);
    assert.equal(config?.version, 1);
    assert.equal(config?.environments?.production?.kubernetes?.namespace, 'checkout');
    assert.equal(config?.policies?.rules?.['k8s/job-ttl'], 'off');
  });

  it('the starter config written by "Create Platform Config" is valid', () => {
    const { config, findings } = loadConfig(STARTER_CONFIG);
    assert.deepEqual(findings, []);
    assert.deepEqual(config?.schemas, []);
  });

  it('an empty file is an empty config; a second document is an error on that document', () => {
    assert.deepEqual(loadConfig('').config, {});
    assert.deepEqual(loadConfig('# nothing yet\n').config, {});
    const two = loadConfig('version: 1\n---\nversion: 1\n');
    assert.equal(two.findings[0]?.ruleId, 'config/one-document');
    assert.equal(two.findings[0]?.range.start.line, 2);
  });

  it('puts each problem on the key or value it is about', () => {
    const text = [
      'version: 1',
      'schemas:',
      '  - files: "deploy/**"',
      '    schema: ""',
      'policies:',
      '  sources:',
      '    - pth: ./policies',
      '  rules:',
      '    k8s/run-as-non-root: erorr',
      'github:',
      '  apiUrl: github.com',
      'environments:',
      '  prod:',
      '    kubernetes: { contxt: a }',
      '',
    ].join('\n');
    const got = validateText('.paved-road.yaml', text).map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.character + 1} ${f.ruleId} ${f.message}`);
    assert.deepEqual(got, [
      "4:13-15 schema/minLength 'schemas[0].schema' must not be empty.",
      "7:7-10 schema/additionalProperties Unknown property 'pth' — did you mean 'path'?",
      `9:26-31 schema/enum 'policies.rules["k8s/run-as-non-root"]' must be one of 'error', 'warning', 'info' or 'off', got the string "erorr". Did you mean 'error'?`,
      `11:11-21 schema/pattern 'github.apiUrl' must be an http:// or https:// URL, got the string "github.com".`,
      "14:19-25 schema/additionalProperties Unknown property 'contxt' — did you mean 'context'?",
    ]);
  });

  it('the JSON Schema (editor diagnostics) and the zod model (typed config) agree on valid and invalid configs', () => {
    const samples: unknown[] = [
      {},
      { version: 1 },
      { version: 2 },
      { schemas: [{ files: 'a/**', schema: 'x.json' }] },
      { schemas: [{ files: [], schema: 'x.json' }] },
      { schemas: [{ files: ['a', 'b'], schema: 'https://x.example/s.json', description: 'd' }] },
      { policies: { sources: [{ path: 'p' }, { git: 'git@github.com:o/r.git', ref: 'main', path: 'x' }, { url: 'https://x.example/p' }] } },
      { policies: { sources: [{ path: 'p', git: 'https://x' }] } },
      { policies: { sources: [{ url: 'http://insecure.example' }] } },
      { policies: { rules: { a: 'off', b: 'warning' } } },
      { policies: { rules: { a: 'never' } } },
      { policies: { rules: { '': 'off' } } },
      { templates: { sources: [] } },
      { github: { apiUrl: 'https://ghe.example.com/api/v3' } },
      { github: { apiUrl: 'ghe.example.com' } },
      { environments: { prod: { prometheus: { url: 'http://127.0.0.1:9090' }, kubernetes: { context: 'c', namespace: 'n' } } } },
      { environments: { prod: { kubernetes: { namespace: '' } } } },
      { environments: { prod: null } },
      { extra: true },
      [],
      'text',
    ];
    const v = new SchemaValidator({ strict: true });
    v.add(CONFIG_SCHEMA_ID, JSON.parse(readFileSync(CONFIG_SCHEMA_FILE, 'utf8')) as object, true); // bundled: its patterns are trusted
    for (const sample of samples) {
      const bySchema = v.validateValue(CONFIG_SCHEMA_ID, sample).length === 0;
      const byModel = ConfigSchema.safeParse(sample).success;
      assert.equal(bySchema, byModel, `schema says ${bySchema ? 'valid' : 'invalid'}, model says ${byModel ? 'valid' : 'invalid'} for ${JSON.stringify(sample)}`);
    }
  });

  it('recognises config files by name only', () => {
    assert.equal(isConfigFile('/repo/.paved-road.yaml'), true);
    assert.equal(isConfigFile('C:\\repo\\.paved-road.yml'), true);
    assert.equal(isConfigFile('/repo/paved-road.yaml'), false);
    assert.deepEqual(validateText('/repo/notes.txt', 'not: [valid'), []);
  });
});
