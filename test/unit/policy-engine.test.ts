import { strict as assert } from 'node:assert';
import { checkFileSet, checkPolicies, policyDocuments, policyOptionsFor } from '../../src/core/policy';
import { BUILTIN_RULES } from '../../src/core/policy/rules';
import { loadConfig } from '../../src/core/config';
import { ruleMetadata } from '../../src/core/report/rules';
import type { PolicyParseCache } from '../../src/core/policy/engine';
import { podSpecOf } from '../../src/core/policy/kubernetes';
import type { Rule } from '../../src/core/policy';

const privileged: Rule = {
  id: 'k8s/privileged-container',
  title: 'Privileged container',
  category: 'kubernetes-security',
  severity: 'error',
  description: 'Privileged containers can do anything the host can.',
  remediation: "Remove 'securityContext.privileged: true'.",
  equivalents: { polaris: 'runAsPrivileged', kubeLinter: 'privileged-container' },
  appliesTo: (doc) => podSpecOf(doc) !== undefined,
  check: (doc) =>
    (podSpecOf(doc)?.containers ?? [])
      .filter((c) => (c.container.securityContext as { privileged?: unknown } | undefined)?.privileged === true)
      .map((c) => ({ path: [...c.path, 'securityContext', 'privileged'], target: 'value' as const, message: `Container '${c.name}' is privileged.` })),
};

const dangling: Rule = {
  id: 'k8s/dangling-service',
  title: 'Service selects no workload',
  category: 'kubernetes-networking',
  severity: 'warning',
  description: 'A Service whose selector matches no pod template sends traffic nowhere.',
  remediation: 'Fix the selector.',
  appliesTo: (doc) => doc.kind === 'Service',
  check: (doc, ctx) => {
    const selector = ((doc.value as { spec?: { selector?: Record<string, string> } }).spec?.selector ?? {});
    const matches = ctx.documents.some((d) => {
      const labels = ((d.value as { spec?: { template?: { metadata?: { labels?: Record<string, string> } } } }).spec?.template?.metadata?.labels ?? {});
      return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
    });
    return matches ? [] : [{ path: ['spec', 'selector'], message: 'No workload matches this selector.' }];
  },
};

const deployment = (extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
${extra}spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          securityContext:
            privileged: true
`;

describe('policy engine', () => {
  it('places findings on the exact value, with the remediation as detail', () => {
    const docs = policyDocuments('/repo/d.yaml', deployment());
    const [f] = checkPolicies(docs, [privileged], { documents: docs });
    assert.equal(f?.ruleId, 'k8s/privileged-container');
    assert.equal(f?.severity, 'error');
    assert.deepEqual([f?.range.start.line, f?.range.start.character], [13, 24]);
    assert.equal(f?.detail, "Remove 'securityContext.privileged: true'.");
  });

  it('honours exemptions written on the resource: its own, Polaris and kube-linter annotations', () => {
    for (const annotation of ['paved-road.dev/exempt-privileged-container: "needs the GPU driver"', 'polaris.fairwinds.com/runAsPrivileged-exempt: "true"', 'ignore-check.kube-linter.io/privileged-container: "legacy"']) {
      const docs = policyDocuments('/repo/d.yaml', deployment(`  annotations:\n    ${annotation}\n`).replace('  name: web\n  annotations', '  name: web\n  annotations'));
      assert.deepEqual(checkPolicies(docs, [privileged], { documents: docs }), [], annotation);
    }
  });

  it('honours the Polaris exemption of each Polaris check a rule stands for (RoleBinding to a Role or a ClusterRole)', () => {
    const rule = BUILTIN_RULES.find((r) => r.id === 'k8s/rolebinding-cluster-admin');
    assert.ok(rule);
    const role = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: { name: all, namespace: ns }\nrules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }]\n';
    const binding = (annotation: string) =>
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: b\n  namespace: ns\n${annotation ? `  annotations: { ${annotation} }\n` : ''}roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: all }\nsubjects: [{ kind: User, name: u }]\n`;
    const findings = (annotation: string) => {
      const docs = policyDocuments('/repo/rbac.yaml', `${role}---\n${binding(annotation)}`);
      return checkPolicies(docs, [rule], { documents: docs });
    };
    assert.equal(findings('').length, 1);
    assert.deepEqual(findings('polaris.fairwinds.com/rolebindingClusterAdminRole-exempt: "true"'), []);
    assert.deepEqual(findings('polaris.fairwinds.com/rolebindingClusterAdminClusterRole-exempt: "true"'), []);
  });

  it('applies severity overrides of the nearest config, and turns rules off', () => {
    const docs = policyDocuments('/repo/svc/d.yaml', deployment());
    assert.equal(checkPolicies(docs, [privileged], { documents: docs }, { overrides: { 'k8s/privileged-container': 'warning' } })[0]?.severity, 'warning');
    assert.deepEqual(checkPolicies(docs, [privileged], { documents: docs }, { overrides: { 'k8s/privileged-container': 'off' } }), []);
    const configs = [
      { path: '/repo/.paved-road.yaml', config: { policies: { rules: { 'k8s/privileged-container': 'info' as const } } } },
      { path: '/repo/svc/.paved-road.yaml', config: { policies: { rules: { 'k8s/privileged-container': 'off' as const } } } },
    ];
    assert.deepEqual(policyOptionsFor('/repo/svc/d.yaml', configs).overrides, { 'k8s/privileged-container': 'off' });
    assert.deepEqual(policyOptionsFor('/repo/other/d.yaml', configs).overrides, { 'k8s/privileged-container': 'info' });
  });

  it('gives rules across documents the whole file set as context', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec:\n  selector: { app: web }\n  ports: [{ port: 80 }]\n';
    const alone = checkFileSet(new Map([['/repo/svc.yaml', svc]]), [dangling], []);
    assert.equal(alone.get('/repo/svc.yaml')?.length, 1);
    const together = checkFileSet(new Map([['/repo/svc.yaml', svc], ['/repo/d.yaml', deployment()]]), [dangling], []);
    assert.deepEqual(together.get('/repo/svc.yaml'), []);
  });

  it('reports a rule that throws on the document, and keeps running the others', () => {
    const broken: Rule = { ...privileged, id: 'k8s/broken', check: () => { throw new Error('boom'); } };
    const docs = policyDocuments('/repo/d.yaml', deployment());
    const out = checkPolicies(docs, [broken, privileged], { documents: docs });
    assert.deepEqual(out.map((f) => f.ruleId).sort(), ['k8s/broken', 'k8s/privileged-container']);
    assert.match(out.find((f) => f.ruleId === 'k8s/broken')?.message ?? '', /failed on this document: boom/);
  });

  it('reuses parsed documents across edits and keeps ranges right when lines move', () => {
    const cache: PolicyParseCache = new Map();
    const text = `${deployment()}---\n${deployment()}`;
    const first = checkPolicies(policyDocuments('/repo/d.yaml', text, {}, cache), [privileged], { documents: [] });
    assert.equal(cache.size, 2, 'one parse per document text');
    const moved = checkPolicies(policyDocuments('/repo/d.yaml', `# comment\n${text}`, {}, cache), [privileged], { documents: [] });
    assert.deepEqual(moved.map((f) => f.range.start.line), first.map((f) => f.range.start.line + 1));
  });
});

describe('exemptions in .paved-road.yaml', () => {
  it('exempt a rule by resource and path glob until their expiry date', () => {
    const docs = policyDocuments('/repo/legacy/d.yaml', deployment());
    const base = { rule: 'k8s/privileged-container', reason: 'GPU driver needs it' };
    const run = (exemptions: object[], today = '2026-11-23') =>
      checkPolicies(docs, [privileged], { documents: docs }, { exemptions: exemptions as never, baseDir: '/repo', today }).length;
    assert.equal(run([]), 1);
    assert.equal(run([base]), 0);
    assert.equal(run([{ ...base, resource: 'Deployment/web' }]), 0);
    assert.equal(run([{ ...base, resource: 'Deployment/other' }]), 1);
    assert.equal(run([{ ...base, paths: ['legacy/**'] }]), 0);
    assert.equal(run([{ ...base, paths: ['services/**'] }]), 1);
    assert.equal(run([{ ...base, expires: '2026-12-31' }]), 0);
    assert.equal(run([{ ...base, expires: '2026-11-01' }]), 1, 'an expired exemption no longer applies');
  });

  it('an expired exemption is itself a finding, on its date', () => {
    const text = 'policies:\n  exemptions:\n    - rule: k8s/privileged-container\n      resource: Deployment/web\n      reason: GPU driver needs it\n      expires: 2026-01-31\n';
    const { findings } = loadConfig(text, { today: '2026-11-23' });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.ruleId, 'policy/expired-exemption');
    assert.equal(findings[0]?.severity, 'warning');
    assert.deepEqual([findings[0]?.range.start.line, findings[0]?.range.start.character], [5, 15]);
    assert.match(findings[0]?.message ?? '', /expired on 2026-01-31/);
    assert.deepEqual(loadConfig(text, { today: '2026-01-30' }).findings, []);
  });
});

describe('policy rules in reports', () => {
  it('SARIF metadata of a policy rule comes from the rule module: title, description, fix, severity', () => {
    const meta = ruleMetadata('k8s/privileged-container');
    assert.equal(meta.defaultSeverity, 'error');
    assert.match(meta.shortDescription, /Privileged container/);
    assert.match(meta.fullDescription, /Polaris `runAsPrivileged`/);
    assert.ok(meta.help.length > 10);
  });
});
