import { strict as assert } from 'node:assert';
import { removalOf } from '../../src/core/policy/rules/api-versions';
import { isSensitiveHostPath } from '../../src/core/policy/rules/host-mounts';
import { isMutableTag, parseImage } from '../../src/core/policy/rules/images';
import { isKubernetesDocument, isProduction, isSensitiveName, isTrivialValue, secretAssignmentInText, secretInValue, selectorMatches } from '../../src/core/policy/rules/util';
import type { PolicyDocument } from '../../src/core/policy/types';

function doc(value: Record<string, unknown>): PolicyDocument {
  const meta = (value.metadata ?? {}) as { name?: string; namespace?: string };
  return {
    path: 'x.yaml',
    index: 0,
    value,
    apiVersion: value.apiVersion as string,
    kind: value.kind as string,
    name: meta.name,
    namespace: meta.namespace,
    locate: () => ({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }),
  };
}

describe('policy rule helpers', () => {
  it('splits image references: registry ports are not tags, digests win', () => {
    assert.deepEqual(parseImage('nginx'), { name: 'nginx' });
    assert.deepEqual(parseImage('nginx:1.27'), { name: 'nginx', tag: '1.27' });
    assert.deepEqual(parseImage('localhost:5000/org/app'), { name: 'localhost:5000/org/app' });
    assert.deepEqual(parseImage('localhost:5000/org/app:2.0.0'), { name: 'localhost:5000/org/app', tag: '2.0.0' });
    assert.deepEqual(parseImage('app:latest@sha256:abc'), { name: 'app', tag: 'latest', digest: 'sha256:abc' });
  });

  it('treats full versions, commit ids and digests as fixed, everything else as moving', () => {
    for (const fixed of ['app:1.4.2', 'app:v2.0.0-rc.1', 'app:1.25.3-alpine', 'app:3f2c1ab', 'app:sha-3f2c1ab9d0e1', 'app:main@sha256:abc']) assert.equal(isMutableTag(parseImage(fixed)), false, fixed);
    for (const moving of ['app', 'app:latest', 'app:main', 'app:1.4', 'app:3', 'app:stable']) assert.equal(isMutableTag(parseImage(moving)), true, moving);
  });

  it('recognises production by namespace segment or environment label', () => {
    const dep = (ns: string | undefined, labels?: Record<string, string>) =>
      doc({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', ...(ns ? { namespace: ns } : {}), ...(labels ? { labels } : {}) }, spec: { template: { metadata: { labels: {} } } } });
    assert.ok(isProduction(dep('prod')));
    assert.ok(isProduction(dep('checkout-prod')));
    assert.ok(isProduction(dep('production-eu')));
    assert.ok(isProduction(dep(undefined, { environment: 'Production' })));
    assert.ok(isProduction(dep(undefined, { 'app.kubernetes.io/environment': 'prd' })));
    assert.ok(!isProduction(dep('product')));
    assert.ok(!isProduction(dep('staging', { env: 'staging' })));
    assert.ok(!isProduction(dep(undefined)));
  });

  it('evaluates label selectors like Kubernetes', () => {
    const labels = { app: 'web', tier: 'frontend' };
    assert.ok(selectorMatches({}, labels), 'empty selector selects everything');
    assert.ok(!selectorMatches(undefined, labels), 'no selector selects nothing');
    assert.ok(selectorMatches({ matchLabels: { app: 'web' } }, labels));
    assert.ok(!selectorMatches({ matchLabels: { app: 'api' } }, labels));
    assert.ok(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['frontend', 'edge'] }] }, labels));
    assert.ok(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, labels));
    assert.ok(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, labels));
    assert.ok(!selectorMatches({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels));
    assert.ok(!selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] }, labels));
  });

  it('recognises credential names, but not names that only refer to one', () => {
    for (const n of ['DB_PASSWORD', 'db.password', 'API_TOKEN', 'CLIENT_SECRET', 'SIGNING_KEY', 'APIKEY', 'AWS_SECRET_ACCESS_KEY', 'AZURE_STORAGE_KEY', 'REDIS_PASS', 'BASIC_AUTH'])
      assert.ok(isSensitiveName(n), n);
    for (const n of ['LOG_LEVEL', 'DB_PASSWORD_FILE', 'TOKEN_TTL', 'SECRET_NAME', 'CACHE_KEY_PREFIX', 'PASSWORD_MIN_LENGTH', 'KEYCLOAK_URL', 'MONKEY', 'AWS_ACCESS_KEY_ID'])
      assert.ok(!isSensitiveName(n), n);
    for (const v of ['', 'yes', '3600', '30s', '${DB_PASSWORD}', '$(TOKEN)', '{{ .Values.token }}', '<your-token>', '/run/secrets/token', 'changeme'])
      assert.ok(isTrivialValue(v), v);
    assert.ok(!isTrivialValue('hunter2-but-longer'));
  });

  it('recognises credentials by their shape', () => {
    assert.equal(secretInValue('-----BEGIN OPENSSH PRIVATE KEY-----\nabc'), 'a private key');
    assert.equal(secretInValue('AKIAIOSFODNN7EXAMPLE'), 'an AWS access key id');
    assert.equal(secretInValue(`ghp_${'a'.repeat(36)}`), 'a GitHub token');
    assert.equal(secretInValue('https://user:pa55word@example.com/repo'), 'a URL with a password');
    assert.equal(secretInValue('https://user:${PASSWORD}@example.com/repo'), undefined);
    assert.equal(secretInValue('https://example.com'), undefined);
    assert.equal(secretAssignmentInText('a: 1\npassword: "s3cr3t-value"\n'), 'password');
    assert.equal(secretAssignmentInText('password: ${DB_PASSWORD}\ntoken=\n'), undefined);
  });

  it('knows which API versions were removed, and when', () => {
    assert.deepEqual(removalOf('extensions/v1beta1', 'Ingress'), { removedIn: '1.22', replacement: 'networking.k8s.io/v1' });
    assert.deepEqual(removalOf('apps/v1beta2', 'StatefulSet'), { removedIn: '1.16', replacement: 'apps/v1' });
    assert.equal(removalOf('policy/v1beta1', 'PodSecurityPolicy')?.replacement, undefined);
    assert.equal(removalOf('apps/v1', 'Deployment'), undefined);
    assert.equal(removalOf('batch/v1beta1', 'Job'), undefined, 'only the kinds that were served there');
    assert.equal(removalOf('__proto__', 'toString'), undefined);
  });

  it('knows the sensitive host paths, exactly or as trees', () => {
    for (const p of ['/', '/etc', '/proc', '/var/run', '/root', '/root/.kube', '/var/lib/kubelet/pods', '/etc/kubernetes/pki']) assert.ok(isSensitiveHostPath(p), p);
    for (const p of ['/var/log', '/etc/ssl/certs', '/data', '/var/run/app', '/etc/localtime']) assert.ok(!isSensitiveHostPath(p), p);
  });

  it('tells Kubernetes objects from Backstage entities and other manifests', () => {
    assert.ok(isKubernetesDocument(doc({ apiVersion: 'v1', kind: 'Service' })));
    assert.ok(isKubernetesDocument(doc({ apiVersion: 'apps/v1', kind: 'Deployment' })));
    assert.ok(isKubernetesDocument(doc({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' })));
    assert.ok(!isKubernetesDocument(doc({ apiVersion: 'backstage.io/v1alpha1', kind: 'Component' })));
    assert.ok(!isKubernetesDocument(doc({ apiVersion: 'scaffolder.backstage.io/v1beta3', kind: 'Template' })));
    assert.ok(!isKubernetesDocument(doc({ apiVersion: 'openslo/v1', kind: 'SLO' })));
  });
});
