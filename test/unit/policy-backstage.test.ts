import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Finding } from '../../src/core/findings';
import { checkPolicies, policyDocuments } from '../../src/core/policy';
import type { PolicyDocument, Rule } from '../../src/core/policy';
import type { PolicyResultCache } from '../../src/core/policy/engine';
import { get } from '../../src/core/policy/kubernetes';
import { BACKSTAGE_RULES } from '../../src/core/policy/rules/backstage';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'policy-backstage');

const byId = (id: string): Rule => {
  const rule = BACKSTAGE_RULES.find((r) => r.id === id);
  assert.ok(rule, `no rule ${id}`);
  return rule;
};

function load(...files: string[]): PolicyDocument[] {
  return files.flatMap((f) => policyDocuments(f, readFileSync(f, 'utf8')));
}

interface Hit {
  doc: PolicyDocument;
  finding: Finding;
}

/** Runs one rule through the engine, document by document (to know which document a finding is on), with the whole set as context. */
function run(rule: Rule, docs: readonly PolicyDocument[]): Hit[] {
  return docs.flatMap((doc) => checkPolicies([doc], [rule], { documents: docs }).map((finding) => ({ doc, finding })));
}

/** 'spec.owner', '#1 spec.providesApis[1]'; '#2 (document)' for the whole document. */
function fmt(hit: Hit): string {
  const p = (hit.finding.data?.path ?? []).map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i ? '.' : ''}${s}`)).join('') || '(document)';
  return hit.doc.index ? `#${hit.doc.index} ${p}` : p;
}

/** For each rule: the findings of its 'fail.yaml' (document index and path); 'pass.yaml' gives none. */
const EXPECTED: Record<string, string[]> = {
  'backstage/owner-missing': ['spec', '#1 spec.owner', '#2 (document)'],
  'backstage/owner-unresolved': ['spec.owner', '#1 spec.owner', '#2 spec.owner', '#3 spec.owner'],
  'backstage/system-unresolved': ['spec.system', '#1 spec.system'],
  'backstage/api-unresolved': ['spec.providesApis[1]', 'spec.consumesApis[0]'],
  'backstage/dependency-unresolved': ['spec.dependsOn[1]', 'spec.dependsOn[2]', 'spec.dependsOn[3]'],
  'backstage/lifecycle-missing': ['spec', '#1 spec'],
  'backstage/production-slo': ['metadata.annotations', '#1 metadata.annotations'],
  'backstage/production-runbook': ['metadata.links', '#1 metadata.annotations'],
  'backstage/production-on-call': ['metadata.annotations', '#1 metadata'],
  'backstage/production-project-slug': ['metadata.annotations'],
};

const fixtureDir = (id: string) => path.join(FIXTURES, id.slice(id.indexOf('/') + 1));

describe('policy rules: Backstage platform readiness', () => {
  it('documents every rule: backstage/ id, title, short description, remediation, severity, category', () => {
    const ids = BACKSTAGE_RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const r of BACKSTAGE_RULES) {
      assert.match(r.id, /^backstage\/[a-z0-9-]+$/);
      assert.equal(r.category, 'platform-readiness');
      assert.ok(r.title.trim(), `${r.id}: title`);
      assert.ok(r.description.trim().length > 40, `${r.id}: description`);
      assert.ok(r.remediation.trim().length > 20, `${r.id}: remediation`);
      assert.equal(r.severity, r.id === 'backstage/owner-missing' ? 'error' : /^backstage\/production-/.test(r.id) ? 'info' : 'warning', r.id);
      const sentences = r.description.split(/(?<=[.!?])\s+(?=[A-Z'])/).length;
      assert.ok(sentences <= 2, `${r.id}: description has ${sentences} sentences`);
    }
    assert.match(byId('backstage/owner-unresolved').description, /only when the set holds at least one Group or User/);
  });

  for (const [id, expected] of Object.entries(EXPECTED)) {
    describe(id, () => {
      it('reports the failing fixture at the expected paths', () => {
        const hits = run(byId(id), load(path.join(fixtureDir(id), 'fail.yaml')));
        assert.deepEqual(hits.map(fmt).sort(), [...expected].sort());
        for (const h of hits) {
          assert.equal(h.finding.severity, byId(id).severity);
          assert.notEqual(get(h.doc.value, h.finding.data?.path ?? []), undefined, `${fmt(h)} does not exist`);
          assert.ok(h.finding.range.start.line >= 0);
          assert.match(h.finding.message, /^[A-Z'].*[.)]$/s, h.finding.message);
          if (h.doc.name) assert.ok(h.finding.message.includes(`'${h.doc.name}'`), `${h.finding.message} names ${h.doc.name}`);
        }
      });

      it('accepts the passing fixture', () => {
        const docs = load(path.join(fixtureDir(id), 'pass.yaml'));
        assert.ok(docs.some((d) => byId(id).appliesTo(d)), 'the passing fixture has a document the rule looks at');
        assert.deepEqual(run(byId(id), docs).map((h) => `${fmt(h)}: ${h.finding.message}`), []);
      });
    });
  }

  describe('messages', () => {
    const messages = (id: string) => run(byId(id), load(path.join(fixtureDir(id), 'fail.yaml'))).map((h) => h.finding.message);

    it('names the entity and why it counts as production', () => {
      assert.ok(messages('backstage/production-on-call').includes("Component 'cart' is in production but has no on-call annotation (PagerDuty or Opsgenie)."));
      assert.ok(messages('backstage/production-runbook').some((m) => m.startsWith("Component 'cart' is tier 1 but has no runbook")));
    });

    it('explains unresolved references', () => {
      const owner = messages('backstage/owner-unresolved');
      assert.ok(owner.includes("Component 'checkout-api': the owner 'group:team-checkot' names no Group among the checked entities."), owner.join('\n'));
      assert.ok(owner.some((m) => m.includes("'jdoe'") && m.includes("'user:jdoe'")), 'a kindless owner that is a User gets a hint');
      assert.ok(owner.some((m) => m.includes("must name a Group or a User, not 'component'")));
      const deps = messages('backstage/dependency-unresolved');
      assert.ok(deps.some((m) => m.includes("'payments' has no kind")));
    });
  });

  describe('references are judged only against kinds the set holds', () => {
    const component = (spec: string) => `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: checkout-api }\nspec: { type: service, lifecycle: experimental, ${spec} }\n`;

    it('does not report owners, systems, APIs or dependencies when the set has no entity of that kind', () => {
      const docs = policyDocuments('/w/catalog-info.yaml', component('owner: team-x, system: nowhere, providesApis: [nothing], consumesApis: [api:none], dependsOn: [resource:missing]'));
      for (const id of ['backstage/owner-unresolved', 'backstage/system-unresolved', 'backstage/api-unresolved', 'backstage/dependency-unresolved']) assert.deepEqual(run(byId(id), docs), [], id);
    });

    it('resolves references across files of the set', () => {
      const docs = [
        ...policyDocuments('/w/a/catalog-info.yaml', component('owner: team-x, system: shop')),
        ...policyDocuments('/w/org/groups.yaml', 'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: { name: team-x }\nspec: { type: team, children: [] }\n'),
        ...policyDocuments('/w/systems.yaml', 'apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata: { name: shop }\nspec: { owner: team-x }\n'),
      ];
      assert.deepEqual(run(byId('backstage/owner-unresolved'), docs), []);
      assert.deepEqual(run(byId('backstage/system-unresolved'), docs), []);
      // the Group goes away: the owner no longer resolves, even with the same text of the Component (no stale cached result)
      const results: PolicyResultCache = new Map();
      const without = docs.filter((d) => d.kind !== 'Group');
      const user = policyDocuments('/w/org/users.yaml', 'apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata: { name: jdoe }\nspec: { memberOf: [] }\n');
      assert.equal(checkPolicies(docs.slice(0, 1), [byId('backstage/owner-unresolved')], { documents: docs }, { results }).length, 0);
      assert.equal(checkPolicies(docs.slice(0, 1), [byId('backstage/owner-unresolved')], { documents: [...without, ...user] }, { results }).length, 1);
    });
  });

  describe('files next to the catalog file', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'paved-road-backstage-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const catalog = (annotations: string, lifecycle = 'experimental') =>
      `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: checkout-api\n  annotations:\n${annotations}\nspec:\n  type: service\n  lifecycle: ${lifecycle}\n  owner: team-checkout\n`;

    it('backstage/techdocs-dir: wants mkdocs.yml (or mkdocs.yaml) in the folder of dir:<path>', () => {
      const file = path.join(dir, 'catalog-info.yaml');
      writeFileSync(file, catalog('    backstage.io/techdocs-ref: dir:.'));
      const rule = byId('backstage/techdocs-dir');
      const results: PolicyResultCache = new Map();
      const check = () => {
        const docs = load(file);
        return checkPolicies(docs, [rule], { documents: docs }, { results });
      };
      const missing = check();
      assert.equal(missing.length, 1);
      assert.deepEqual(missing[0]?.data?.path, ['metadata', 'annotations', 'backstage.io/techdocs-ref']);
      assert.equal(missing[0]?.message, "Component 'checkout-api': the TechDocs folder '.' has no 'mkdocs.yml', so TechDocs cannot build its documentation.");
      // the same text is checked again once the file exists: the result is not cached by text
      writeFileSync(path.join(dir, 'mkdocs.yml'), 'site_name: checkout-api\n');
      assert.deepEqual(check(), []);

      writeFileSync(file, catalog('    backstage.io/techdocs-ref: dir:./docs-site'));
      assert.match(check()[0]?.message ?? '', /the TechDocs folder '\.\/docs-site' does not exist/);
      mkdirSync(path.join(dir, 'docs-site'));
      assert.match(check()[0]?.message ?? '', /has no 'mkdocs\.yml'/);
      writeFileSync(path.join(dir, 'docs-site', 'mkdocs.yaml'), 'site_name: checkout-api\n');
      assert.deepEqual(check(), []);

      // other references (a URL) are not looked at
      writeFileSync(file, catalog('    backstage.io/techdocs-ref: url:https://github.com/example-org/docs/tree/main'));
      assert.deepEqual(check(), []);
    });

    it('backstage/production-slo: accepts paved-road.dev/slo-file naming a file next to the catalog file', () => {
      const file = path.join(dir, 'catalog-info.yaml');
      writeFileSync(file, catalog('    paved-road.dev/slo-file: slo/checkout-api.yaml', 'production'));
      const rule = byId('backstage/production-slo');
      const check = () => {
        const docs = load(file);
        return checkPolicies(docs, [rule], { documents: docs });
      };
      const missing = check();
      assert.equal(missing.length, 1);
      assert.deepEqual(missing[0]?.data?.path, ['metadata', 'annotations', 'paved-road.dev/slo-file']);
      assert.match(missing[0]?.message ?? '', /^Component 'checkout-api' names the SLO file 'slo\/checkout-api\.yaml', which does not exist/);
      mkdirSync(path.join(dir, 'slo'));
      writeFileSync(path.join(dir, 'slo', 'checkout-api.yaml'), 'version: prometheus/v1\nservice: checkout-api\nslos: []\n');
      assert.deepEqual(check(), []);
    });
  });

  it('accepts examples/catalog-info.yaml with its Sloth SLO (a production Component)', () => {
    const docs = load(path.join(ROOT, 'examples', 'catalog-info.yaml'), path.join(ROOT, 'examples', 'slo', 'checkout-api.sloth.yaml'));
    assert.ok(docs.some((d) => byId('backstage/production-on-call').appliesTo(d)), 'the example is a production Component');
    const hits = BACKSTAGE_RULES.flatMap((rule) => run(rule, docs).map((h) => `${rule.id} ${fmt(h)}: ${h.finding.message}`));
    // 'backstage.io/techdocs-ref: dir:.` wants examples/mkdocs.yml, which the example does not have (yet)
    const expected = existsSync(path.join(ROOT, 'examples', 'mkdocs.yml')) || existsSync(path.join(ROOT, 'examples', 'mkdocs.yaml'))
      ? []
      : ["backstage/techdocs-dir metadata.annotations.backstage.io/techdocs-ref: Component 'checkout-api': the TechDocs folder '.' has no 'mkdocs.yml', so TechDocs cannot build its documentation."];
    assert.deepEqual(hits, expected);
  });

  it('never throws on odd documents', () => {
    const odd = [
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: 3, annotations: [], links: "x" }\nspec: { owner: [], system: {}, providesApis: "x", dependsOn: [null, 1, ":", "/"], lifecycle: 7 }\n',
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: null\nspec: null\n',
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: x, annotations: { paved-road.dev/tier: 1, backstage.io/techdocs-ref: "dir:", paved-road.dev/slo-file: "" } }\nspec: { lifecycle: production, owner: "group:", consumesApis: ["api:"] }\n',
      'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: { name: g }\n',
      'apiVersion: backstage.io/v1alpha1\nkind: System\n',
      'version: prometheus/v1\nservice: [x]\n',
      '- a list\n',
    ].join('---\n');
    const docs = policyDocuments('/nowhere/odd.yaml', odd);
    const failures = checkPolicies(docs, BACKSTAGE_RULES, { documents: docs }).filter((f) => f.message.includes('failed on this document'));
    assert.deepEqual(failures.map((f) => f.message), []);
  });
});
