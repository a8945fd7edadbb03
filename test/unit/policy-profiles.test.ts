/**
 * Profiles, the generated rule documentation, one finding per cause, and the
 * golden-path snippets under their own rules.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '../../src/core/findings';
import { checkPolicies, policyDocuments, policyOptionsFor, withoutShadowed } from '../../src/core/policy';
import type { Profile, Rule } from '../../src/core/policy';
import { BASELINE, PROFILES, defaultProfiles, severityIn } from '../../src/core/policy/profiles';
import { BUILTIN_RULES } from '../../src/core/policy/rules';
import { loadPolicies } from '../../src/core/policy/team';
import { loadConfig } from '../../src/core/config';
import { builtinContext, validateText } from '../../src/core/validate';
import { RULE_DOCS_DIR, existingPages, readmeWithTable, renderRulePages } from '../../scripts/generate-rule-docs';

const ROOT = join(__dirname, '..', '..');

function check(text: string, profile?: Profile, rules: readonly Rule[] = BUILTIN_RULES): Finding[] {
  const docs = policyDocuments('/repo/deploy/app.yaml', text);
  return checkPolicies(docs, rules, { documents: docs }, profile ? { profile } : {});
}

/** The Deployment of the Kubernetes documentation (website content/en/examples/controllers/nginx-deployment.yaml). */
const NGINX = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  labels:
    app.kubernetes.io/name: nginx
spec:
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: nginx
  template:
    metadata:
      labels:
        app.kubernetes.io/name: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports:
        - containerPort: 80
`;

describe('policy profiles', () => {
  it('every built-in rule declares its severity per profile, consistent with its severity', () => {
    for (const rule of BUILTIN_RULES) {
      assert.ok(rule.profiles, `${rule.id} declares no profiles`);
      const on = rule.profiles.recommended !== 'off' ? rule.profiles.recommended : rule.profiles.strict;
      assert.equal(rule.severity, on, `${rule.id}: severity ${rule.severity}, recommended ${rule.profiles.recommended}`);
      // minimal: only errors; strict: everything at least a warning
      assert.ok(['error', 'off'].includes(rule.profiles.minimal), `${rule.id} minimal ${rule.profiles.minimal}`);
      assert.ok(['error', 'warning'].includes(rule.profiles.strict), `${rule.id} strict ${rule.profiles.strict}`);
      // a profile further up never weakens a rule
      const rank = { off: 0, info: 1, warning: 2, error: 3 };
      assert.ok(rank[rule.profiles.minimal] <= rank[rule.profiles.recommended] && rank[rule.profiles.recommended] <= rank[rule.profiles.strict], rule.id);
    }
  });

  it('a rule that declares none gets one from its severity; team rules keep theirs in every profile', () => {
    const bare = { id: 'x/y', severity: 'warning' as const, category: 'kubernetes-security' as const };
    assert.deepEqual(PROFILES.map((p) => severityIn(bare, p)), ['off', 'warning', 'warning']);
    assert.equal(defaultProfiles('error'), BASELINE);
    assert.deepEqual(PROFILES.map((p) => severityIn({ ...bare, severity: 'info' }, p)), ['off', 'info', 'warning']);
    assert.deepEqual(PROFILES.map((p) => severityIn({ ...bare, category: 'team-policy' }, p)), ['warning', 'warning', 'warning']);
  });

  it('a valid Deployment from the Kubernetes documentation has no error under the default profile, and some in strict', () => {
    assert.equal(validateText('/repo/nginx.yaml', NGINX, builtinContext()).length, 0);
    const recommended = check(NGINX);
    assert.deepEqual(recommended.filter((f) => f.severity === 'error').map((f) => f.ruleId), []);
    assert.ok(recommended.some((f) => f.ruleId === 'k8s/run-as-non-root' && f.severity === 'warning'));
    assert.deepEqual(check(NGINX, 'minimal'), []);
    const strict = check(NGINX, 'strict');
    assert.ok(strict.some((f) => f.ruleId === 'k8s/run-as-non-root' && f.severity === 'error'));
    assert.ok(strict.every((f) => f.severity !== 'info'));
    assert.ok(strict.length > recommended.filter((f) => f.severity !== 'info').length);
  });

  it('minimal still reports what baseline forbids', () => {
    const privileged = NGINX.replace('        ports:', '        securityContext:\n          privileged: true\n        ports:');
    assert.deepEqual(check(privileged, 'minimal').map((f) => `${f.ruleId} ${f.severity}`), ['k8s/privileged-container error']);
  });

  it('the config file chooses the profile over the setting; overrides apply on top', () => {
    const loc = (text: string) => ({ path: '/repo/.paved-road.yaml', text, config: loadConfig(text).config ?? {} });
    const strictFile = loc('version: 1\npolicies:\n  profile: strict\n  rules:\n    k8s/run-as-non-root: info\n');
    assert.equal(policyOptionsFor('/repo/deploy/a.yaml', [strictFile], 'minimal').profile, 'strict');
    assert.equal(policyOptionsFor('/repo/deploy/a.yaml', [loc('version: 1\n')], 'minimal').profile, 'minimal');
    assert.equal(policyOptionsFor('/elsewhere/a.yaml', [strictFile], 'minimal').profile, 'minimal');
    assert.equal(policyOptionsFor('/elsewhere/a.yaml', [strictFile]).profile, undefined);
    const docs = policyDocuments('/repo/deploy/a.yaml', NGINX);
    const found = checkPolicies(docs, BUILTIN_RULES, { documents: docs }, policyOptionsFor('/repo/deploy/a.yaml', [strictFile]));
    assert.equal(found.find((f) => f.ruleId === 'k8s/run-as-non-root')?.severity, 'info');
    assert.equal(found.find((f) => f.ruleId === 'k8s/privilege-escalation-allowed')?.severity, 'error');
    assert.ok(loadConfig('version: 1\npolicies:\n  profile: lenient\n').findings.some((f) => f.severity === 'error'), 'an unknown profile is a config error');
  });

  it('a profile change with a results cache gives the new severities', () => {
    const docs = policyDocuments('/repo/deploy/a.yaml', NGINX);
    const results = new Map();
    const sev = (profile: Profile) => checkPolicies(docs, BUILTIN_RULES, { documents: docs }, { profile, results }).find((f) => f.ruleId === 'k8s/run-as-non-root')?.severity;
    assert.equal(sev('recommended'), 'warning');
    assert.equal(sev('strict'), 'error');
    assert.equal(sev('minimal'), undefined);
    assert.equal(sev('recommended'), 'warning');
  });
});

describe('one finding per cause', () => {
  it('the four resources rules report once per container, naming what is missing', () => {
    const two = NGINX.replace('        ports:\n        - containerPort: 80\n', '        resources:\n          requests:\n            cpu: 100m\n      - name: sidecar\n        image: busybox:1.36\n');
    const found = check(two, 'strict').filter((f) => f.ruleId.includes('-missing') && /request|limit/.test(f.message));
    assert.deepEqual(
      found.map((f) => f.message),
      [
        "Container 'nginx' has no CPU limit, memory request or memory limit: set resources.limits.cpu, resources.requests.memory and resources.limits.memory.",
        "Container 'sidecar' has no CPU request, CPU limit, memory request or memory limit: set resources.requests.cpu, resources.limits.cpu, resources.requests.memory and resources.limits.memory.",
      ],
    );
    assert.deepEqual(found[1]?.data?.rules, ['k8s/cpu-limits-missing', 'k8s/memory-requests-missing', 'k8s/memory-limits-missing']);
    // recommended leaves CPU limits to strict; a rule turned off is not named
    const recommended = check(two).filter((f) => f.ruleId.startsWith('k8s/cpu') || f.ruleId.startsWith('k8s/memory'));
    assert.match(recommended[0]?.message ?? '', /^Container 'nginx' has no memory request or memory limit: /);
  });

  const file = (path: string) => readFileSync(join(ROOT, path), 'utf8');
  const vap = file('examples/policies/max-replicas.vap.yaml');
  const team = loadPolicies([{ path: join(ROOT, 'examples/policies/max-replicas.vap.yaml'), text: vap }], ROOT).rules;
  const teamIds = new Set(team.map((r) => r.id));
  const all = (path: string, text: string) => {
    const validation = validateText(path, text, builtinContext());
    const docs = policyDocuments(path, text);
    const policy = checkPolicies(docs, [...BUILTIN_RULES, ...team], { documents: docs }, { profile: 'strict' });
    return { validation, policy, kept: withoutShadowed(text, validation, policy, (id) => teamIds.has(id)) };
  };

  it('a team rule is not evaluated on a document the schema rejects: replicas "2" is one error', () => {
    const text = NGINX.replace('replicas: 3', 'replicas: "2"');
    const r = all('/repo/deploy/a.yaml', text);
    assert.deepEqual(r.validation.map((f) => f.ruleId), ['schema/type']);
    assert.ok(r.policy.some((f) => teamIds.has(f.ruleId) && /no such overload/.test(f.message)), 'the CEL finding exists before');
    assert.ok(!r.kept.some((f) => teamIds.has(f.ruleId)));
    // the same policy still runs on a valid document of the same file
    const two = `${text}---\n${NGINX.replace('replicas: 3', 'replicas: 30').replace('nginx-deployment', 'big')}`;
    const r2 = all('/repo/deploy/b.yaml', two);
    assert.equal(r2.kept.filter((f) => teamIds.has(f.ruleId)).length, 1);
  });

  it('no policy finding inside a field the schema reports: a misspelt resources, an empty lifecycle', () => {
    const text = NGINX.replace('        ports:', '        resource:\n          requests:\n            cpu: 100m\n        lifecycle:\n        ports:');
    const r = all('/repo/deploy/a.yaml', text);
    assert.deepEqual(r.validation.map((f) => f.ruleId).sort(), ['schema/additionalProperties', 'schema/type']);
    assert.ok(r.policy.some((f) => f.ruleId === 'k8s/cpu-requests-missing'));
    assert.ok(!r.kept.some((f) => f.ruleId === 'k8s/cpu-requests-missing'), 'the typo is reported once, by the schema');
    assert.ok(r.kept.some((f) => f.ruleId === 'k8s/run-as-non-root'), 'other rules of the container still report');
  });
});

describe('rule documentation', () => {
  it('docs/rules/ holds the current page of every built-in rule (npm run rules:docs)', () => {
    const pages = renderRulePages();
    assert.deepEqual(existingPages(), [...pages.keys()].sort());
    for (const [rel, text] of pages) assert.equal(readFileSync(join(RULE_DOCS_DIR, rel), 'utf8'), text, `${rel} is out of date: npm run rules:docs`);
  });

  it('the README table of profiles is current', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    assert.equal(readmeWithTable(readme), readme, 'README.md is out of date: npm run rules:docs');
  });
});

/** A snippet body with each placeholder's default: ${1:x} → x, ${2|a,b|} → a, $0 → nothing. */
function expand(body: string): string {
  let s = body;
  for (let i = 0; i < 5; i++) s = s.replace(/\$\{\d+:([^${}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1');
  // \${…} is a literal ${…} (Score's placeholders)
  return s.replace(/\$\d+/g, '').replace(/\\\$/g, '$');
}

describe('golden-path snippets', () => {
  const snippets = JSON.parse(readFileSync(join(ROOT, 'snippets', 'yaml.json'), 'utf8')) as Record<string, { body: string[] }>;
  for (const [name, snippet] of Object.entries(snippets)) {
    it(`${name}: expanded with its defaults, valid and without a policy finding under the default profile`, () => {
      const text = expand(snippet.body.join('\n'));
      assert.ok(!/\$\{\d/.test(text), text);
      // the component's docs are where its techdocs-ref says (dir:.): a repository with an mkdocs.yml
      const repo = mkdtempSync(join(tmpdir(), 'pr-snippet-'));
      writeFileSync(join(repo, 'mkdocs.yml'), 'site_name: x\n');
      const path = join(repo, name.includes('catalog-info') ? 'catalog-info.yaml' : 'snippet.yaml');
      assert.deepEqual(validateText(path, text, builtinContext()).map((f) => `${f.ruleId}: ${f.message}`), []);
      const docs = policyDocuments(path, text);
      const found = checkPolicies(docs, BUILTIN_RULES, { documents: docs }).filter((f) => f.severity !== 'info');
      assert.deepEqual(found.map((f) => `${f.ruleId}: ${f.message}`), []);
    });
  }
});
