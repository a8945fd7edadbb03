/**
 * Where "not trusted" notes sit, and that messages carry no absolute path of the
 * user's machine (issue 8, item 6): paths are shown relative to the workspace.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/core/config';
import { SchemaRegistry } from '../../src/core/schema/registry';
import { SchemaValidator } from '../../src/core/schema/validator';
import { validateText } from '../../src/core/validate';
import { crdsFromConfigs, rulesFromConfigs, untrustedConfigNotes } from '../../src/core/validate/context';
import { loadAllTeamPolicies } from '../../src/core/policy/team/load';
import { shownPath } from '../../src/core/util/text';

const CONFIG = `# the team's platform config
version: 1
schemas:
  - files: "release.yaml"
    schema: ./schemas/missing.json
  - files: "remote.yaml"
    schema: https://schemas.example.test/r.json
crds:
  - ./crds/missing.yaml
policies:
  sources:
    - path: ./policies
    - git: https://github.com/example-org/policies.git
      ref: v1
`;

describe('messages: where they sit and which paths they show', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'pr-paths-'));
    mkdirSync(join(root, 'schemas'));
    writeFileSync(join(root, '.paved-road.yaml'), CONFIG);
  });

  it('untrusted: one note on each schemas and crds entry of the config, none on the documents they name', () => {
    const result = loadConfig(CONFIG);
    assert.ok(result.config);
    const notes = untrustedConfigNotes(result);
    assert.deepEqual(
      notes.map((n) => `${n.range.start.line}:${n.range.start.character} ${n.severity} ${n.message.split(':')[0] ?? ''}`),
      ['4:12 info Not used', '6:12 info Not fetched', '8:4 info Not read'],
    );
    const ctx = { registry: new SchemaRegistry(), validator: new SchemaValidator(), rules: rulesFromConfigs([{ path: join(root, '.paved-road.yaml'), config: result.config }]), workspaceSchemas: false, root };
    assert.deepEqual(validateText(join(root, 'release.yaml'), 'a: 1\n', ctx), []);
    assert.deepEqual(validateText(join(root, 'remote.yaml'), 'a: 1\n', ctx), []);
  });

  it('untrusted: the team policy sources are noted on their own entries (git, path), not at the top of the file', async () => {
    const config = loadConfig(CONFIG).config;
    assert.ok(config);
    const path = join(root, '.paved-road.yaml');
    const all = await loadAllTeamPolicies([{ path, config }], () => CONFIG, { trusted: false, cacheDir: join(root, '.cache') });
    const problems = all.problems.get(path) ?? [];
    assert.deepEqual(problems.map((p) => `${p.range.start.line}:${p.range.start.character} ${p.severity}`).sort(), ['11:12 info', '12:11 info']);
  });

  it('no absolute path in the messages of a missing or unreadable schema file and a missing CRD', () => {
    const result = loadConfig(CONFIG);
    assert.ok(result.config);
    const configs = [{ path: join(root, '.paved-road.yaml'), config: result.config }];
    const ctx = { registry: new SchemaRegistry(), validator: new SchemaValidator(), rules: rulesFromConfigs(configs), root };
    const findings = validateText(join(root, 'release.yaml'), 'a: 1\n', ctx);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.message, 'The schema ./schemas/missing.json (.paved-road.yaml) does not exist; the document is not validated against it.');
    const { problems } = crdsFromConfigs(configs, { root });
    assert.deepEqual(problems, ['./crds/missing.yaml (.paved-road.yaml) cannot be read (it does not exist)']);
    // a schema file that exists but cannot be read (a directory): the error in words, the path relative
    mkdirSync(join(root, 'schemas', 'dir.json'), { recursive: true });
    const dirConfig = loadConfig('version: 1\nschemas:\n  - files: "d.yaml"\n    schema: ./schemas/dir.json\n').config;
    assert.ok(dirConfig);
    const dirCtx = { registry: new SchemaRegistry(), validator: new SchemaValidator(), rules: rulesFromConfigs([{ path: join(root, '.paved-road.yaml'), config: dirConfig }]), root };
    const unreadable = validateText(join(root, 'd.yaml'), 'a: 1\n', dirCtx);
    assert.equal(unreadable.length, 1);
    for (const m of [...findings.map((f) => f.message), ...unreadable.map((f) => f.message), ...problems]) assert.ok(!m.includes(root) && !m.includes(tmpdir()), m);
  });

  it('shownPath: relative inside the root with / separators, as given outside it', () => {
    assert.equal(shownPath('/work/repo/a/b.yaml', '/work/repo'), 'a/b.yaml');
    assert.equal(shownPath('/work/repo', '/work/repo'), '.');
    assert.equal(shownPath('/etc/hostname', '/work/repo'), '/etc/hostname');
    assert.equal(shownPath('./x.json', '/work/repo'), './x.json');
    assert.equal(shownPath('/work/repo/x.json', undefined), '/work/repo/x.json');
  });
});
