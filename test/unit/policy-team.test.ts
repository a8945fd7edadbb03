import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPolicies, policyDocuments } from '../../src/core/policy';
import type { Finding } from '../../src/core/findings';
import { celEnvironment, compileCel, parseQuantity, runCel, toCel } from '../../src/core/policy/team/cel';
import { loadPolicies } from '../../src/core/policy/team';
import type { TeamPolicies } from '../../src/core/policy/team';
import { parseFieldPath, kindToResource } from '../../src/core/policy/team/util';
import { firstObjectPath } from '../../src/core/policy/team/vap';

const ROOT = '/repo';

function load(text: string, path = `${ROOT}/policies/policy.yaml`): TeamPolicies {
  return loadPolicies([{ path, text }], ROOT);
}

/** Findings of the team rules on one manifest file (plus any extra documents as context). */
function check(policies: TeamPolicies, manifest: string, path = `${ROOT}/deploy/app.yaml`, context = ''): Finding[] {
  const docs = policyDocuments(path, manifest);
  const extra = context ? policyDocuments(`${ROOT}/deploy/context.yaml`, context) : [];
  return checkPolicies(docs, policies.rules, { documents: [...docs, ...extra] }, { today: '2026-11-23' });
}

const problemsOf = (p: TeamPolicies): Finding[] => [...p.problems.values()].flat();
const cel = (src: string, vars: Record<string, unknown> = {}): unknown => {
  const c = compileCel(celEnvironment(Object.keys(vars)), src);
  if ('error' in c) throw new Error(c.error.message);
  const r = runCel(c.program, Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, toCel(v)])));
  if ('error' in r) throw new Error(r.error);
  return r.value;
};

const DEPLOYMENT = (replicas: number, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app: web${extra}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
        - name: side
          image: registry.example.com/side:1
`;

describe('team policies: CEL as Kubernetes evaluates it', () => {
  it('reads whole YAML numbers as int, so arithmetic on them works', () => {
    assert.equal(cel('object.spec.replicas + 1', { object: { spec: { replicas: 3 } } }), 4n);
    assert.equal(cel('object.x * 2.0', { object: { x: 1.5 } }), 3);
  });

  it('has the Kubernetes library functions admission policies use', () => {
    assert.equal(cel("quantity('1.5Gi').isGreaterThan(quantity('1Gi'))"), true);
    assert.equal(cel("quantity('500m').compareTo(quantity('0.5'))"), 0n);
    assert.equal(cel("isQuantity('12Mi') && !isQuantity('12 Mi')"), true);
    assert.equal(cel("'registry.example.com/app:1'.find('[a-z]+\\\\.example\\\\.com')"), 'registry.example.com');
    assert.deepEqual(cel("'a1b22c333'.findAll('[0-9]+')"), ['1', '22', '333']);
    assert.equal(cel("[1, 2, 3].isSorted() && ![3, 1].isSorted()"), true);
    assert.equal(cel('[1, 2, 3].sum()'), 6n);
    assert.equal(cel("url('https://example.com:8443/a?b=c').getPort()"), '8443');
    assert.equal(cel("'a-b-c'.replace('-', '.', 1)"), 'a.b-c');
  });

  it('parses quantities exactly, rounding up below a nano as Kubernetes does', () => {
    assert.equal(parseQuantity('1Ki')?.nanos, 1024n * 10n ** 9n);
    assert.equal(parseQuantity('100m')?.nanos, 10n ** 8n);
    assert.equal(parseQuantity('1e3')?.nanos, 10n ** 12n);
    assert.equal(parseQuantity('0.5n')?.nanos, 1n);
    assert.equal(parseQuantity('1.5.5'), undefined);
  });

  it('reads field paths as admission policies write them', () => {
    assert.deepEqual(parseFieldPath('.spec.containers[0].image'), ['spec', 'containers', 0, 'image']);
    assert.deepEqual(parseFieldPath("metadata.labels['app.kubernetes.io/name']"), ['metadata', 'labels', 'app.kubernetes.io/name']);
    assert.equal(parseFieldPath('spec..x'), undefined);
    assert.equal(kindToResource('NetworkPolicy'), 'networkpolicies');
    assert.equal(kindToResource('Ingress'), 'ingresses');
  });
});

describe('team policies: the Paved Road Policy format', () => {
  const POLICY = `apiVersion: paved-road.dev/v1
kind: Policy
metadata:
  name: team-standards
spec:
  match:
    - kind: [Deployment, StatefulSet]
      files: deploy/**
  variables:
    - name: labels
      expression: "has(object.metadata.labels) ? object.metadata.labels : {}"
  rules:
    - name: team-label
      title: Workloads name their team
      expression: "'team' in variables.labels"
      message: "{{ object.kind }} {{ object.metadata.name }} has no team label"
      path: metadata.labels
    - name: registry
      severity: warning
      each: containers
      expression: "element.image.startsWith('registry.example.com/')"
      message: "Container {{ element.name }} pulls {{ element.image }} from outside registry.example.com"
      path: image
    - name: max-replicas
      expression: object.spec.replicas <= 10
      messageExpression: "'replicas ' + string(object.spec.replicas) + ' is above 10'"
      path: spec.replicas
`;

  it('turns each rule into a rule with id <policy>/<rule>, run where the policy matches', () => {
    const p = load(POLICY);
    assert.deepEqual(problemsOf(p), []);
    assert.deepEqual(p.rules.map((r) => r.id), ['team-standards/team-label', 'team-standards/registry', 'team-standards/max-replicas']);
    const findings = check(p, DEPLOYMENT(12));
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.severity, f.range.start.line, f.message]),
      [
        ['team-standards/team-label', 'error', 5, 'Deployment web has no team label'],
        ['team-standards/max-replicas', 'error', 8, 'replicas 12 is above 10'],
        ['team-standards/registry', 'warning', 17, 'Container web pulls nginx:1.27 from outside registry.example.com'],
      ],
    );
  });

  it('passes a compliant resource, and skips files and kinds it does not match', () => {
    const p = load(POLICY);
    const good = DEPLOYMENT(3, '\n    team: payments').replace('nginx:1.27', 'registry.example.com/web:2');
    assert.deepEqual(check(p, good), []);
    assert.deepEqual(check(p, DEPLOYMENT(12), `${ROOT}/other/app.yaml`), [], 'files: deploy/** only');
    assert.deepEqual(check(p, DEPLOYMENT(12).replace('kind: Deployment', 'kind: DaemonSet')), []);
  });

  it('honours exemption annotations with the policy-qualified name, and the whole policy', () => {
    const p = load(POLICY);
    const one = DEPLOYMENT(12).replace('metadata:\n  name: web', 'metadata:\n  name: web\n  annotations:\n    paved-road.dev/exempt-team-standards.max-replicas: "batch peak"');
    assert.deepEqual(check(p, one).map((f) => f.ruleId).sort(), ['team-standards/registry', 'team-standards/team-label']);
    const all = DEPLOYMENT(12).replace('metadata:\n  name: web', 'metadata:\n  name: web\n  annotations:\n    paved-road.dev/exempt-team-standards: "legacy"');
    assert.deepEqual(check(p, all), []);
  });

  it('points a CEL syntax error at its column in the policy file, and drops only that rule', () => {
    const p = load(POLICY.replace('expression: object.spec.replicas <= 10', 'expression: object.spec.replicas <= '));
    const [e] = problemsOf(p);
    assert.equal(e?.ruleId, 'policy/invalid-expression');
    assert.match(e?.message ?? '', /Invalid CEL in expression/);
    const line = POLICY.split('\n').findIndex((l) => l.includes('object.spec.replicas <= 10'));
    assert.deepEqual(e?.range.start, { line, character: '      expression: '.length + 'object.spec.replicas <= '.length - 1 });
    assert.equal(p.rules.length, 2);
  });

  it('reports a type error (an unknown variable) rather than failing at check time', () => {
    const p = load(POLICY.replace("'team' in variables.labels", "'team' in labels"));
    assert.match(problemsOf(p)[0]?.message ?? '', /Unknown variable: labels/);
  });

  it('reports a malformed policy on the offending key and runs nothing from it', () => {
    const p = load(POLICY.replace('    - name: registry\n', '    - nmae: registry\n'));
    assert.equal(p.rules.length, 0);
    const [e] = problemsOf(p);
    assert.equal(e?.ruleId, 'policy/invalid-policy');
    assert.match(e?.message ?? '', /does not run/);
  });

  it('refuses names of the built-in families and duplicate rule ids', () => {
    assert.match(problemsOf(load(POLICY.replace('name: team-standards', 'name: k8s')))[0]?.message ?? '', /reserved/);
    const twice = load(`${POLICY}---\n${POLICY}`);
    assert.equal(twice.rules.length, 3);
    assert.match(problemsOf(twice)[0]?.message ?? '', /already defined/);
  });

  it('turns an evaluation error into a finding that says so, not a pass', () => {
    const p = load(POLICY.replace("'team' in variables.labels", "object.spec.strategy.type == 'RollingUpdate'"));
    const f = check(p, DEPLOYMENT(3)).find((x) => x.ruleId === 'team-standards/team-label');
    assert.match(f?.message ?? '', /could not be evaluated on this resource: No such key: strategy/);
    assert.equal(f?.severity, 'warning', 'the resource may be fine: a warning, whatever the rule says');
  });

  it('says when a document of a policy API is not read, next to a policy that is', () => {
    const p = load(`${POLICY}---\napiVersion: paved-road.dev/v2\nkind: Policy\nmetadata: {name: next}\n`);
    assert.equal(p.rules.length, 3);
    const [w] = problemsOf(p);
    assert.equal(w?.ruleId, 'policy/unsupported');
    assert.match(w?.message ?? '', /does not read 'paved-road.dev\/v2' 'Policy': this document does not run/);
  });

  it('says when a file holds no policy at all', () => {
    const p = load('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    assert.match(problemsOf(p)[0]?.message ?? '', /No policy in this file/);
  });
});

describe('team policies: ValidatingAdmissionPolicy, run unchanged (examples from the Kubernetes documentation)', () => {
  const BASIC = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: "demo-policy.example.com"
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - apiGroups:   ["apps"]
      apiVersions: ["v1"]
      operations:  ["CREATE", "UPDATE"]
      resources:   ["deployments"]
  validations:
    - expression: "object.spec.replicas <= 5"
`;

  it('denies what the API server denies, with its default message, and admits the rest', () => {
    const p = load(BASIC);
    assert.deepEqual(p.rules.map((r) => r.id), ['demo-policy.example.com/validation-1']);
    const [f, ...rest] = check(p, DEPLOYMENT(6));
    assert.equal(rest.length, 0);
    assert.equal(f?.message, 'failed expression: object.spec.replicas <= 5');
    assert.equal(f?.severity, 'error');
    assert.deepEqual(check(p, DEPLOYMENT(5)), []);
    assert.deepEqual(check(p, DEPLOYMENT(6).replace('apps/v1', 'apps/v1beta2')), [], 'apiVersions: [v1] only');
  });

  it('scopes by the binding: validationActions set the severity, namespaceSelector uses the Namespace manifest', () => {
    const binding = `---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: "demo-binding-test.example.com"
spec:
  policyName: "demo-policy.example.com"
  validationActions: [Warn]
  matchResources:
    namespaceSelector:
      matchLabels:
        environment: test
`;
    const p = load(BASIC + binding);
    const ns = (env: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    environment: ${env}\n`;
    assert.equal(check(p, DEPLOYMENT(6), undefined, ns('test'))[0]?.severity, 'warning');
    assert.deepEqual(check(p, DEPLOYMENT(6), undefined, ns('prod')), []);
    // without the Namespace manifest its labels are unknown: the policy applies
    assert.equal(check(p, DEPLOYMENT(6)).length, 1);
  });

  it('resolves params through the binding paramRef, with messageExpression', () => {
    const text = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: "deploy-replica-policy.example.com"
spec:
  paramKind:
    apiVersion: rules.example.com/v1
    kind: ReplicaLimit
  matchConstraints:
    resourceRules:
    - apiGroups:   ["apps"]
      apiVersions: ["v1"]
      operations:  ["CREATE", "UPDATE"]
      resources:   ["deployments"]
  validations:
  - expression: "object.spec.replicas <= params.maxReplicas"
    messageExpression: "'object.spec.replicas must be no greater than ' + string(params.maxReplicas)"
    reason: Invalid
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: "replicalimit-binding-test.example.com"
spec:
  policyName: "deploy-replica-policy.example.com"
  validationActions: [Deny]
  paramRef:
    name: "replica-limit-test.example.com"
    namespace: "default"
---
apiVersion: rules.example.com/v1
kind: ReplicaLimit
metadata:
  name: "replica-limit-test.example.com"
  namespace: "default"
maxReplicas: 3
`;
    const p = load(text);
    assert.deepEqual(problemsOf(p), []);
    assert.equal(check(p, DEPLOYMENT(4))[0]?.message, 'object.spec.replicas must be no greater than 3');
    assert.deepEqual(check(p, DEPLOYMENT(3)), []);
    const missing = load(text.replace('name: "replica-limit-test.example.com"\n  namespace', 'name: "other"\n  namespace'));
    assert.equal(missing.rules.length, 0);
    assert.match(problemsOf(missing)[0]?.message ?? '', /parameter resource \(ReplicaLimit 'replica-limit-test.example.com'\) is not in the policy source/);
  });

  it('runs variables and namespaceObject as documented (image-matches-namespace-environment)', () => {
    const text = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: "image-matches-namespace-environment.policy.example.com"
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - apiGroups:   ["apps"]
      apiVersions: ["v1"]
      operations:  ["CREATE", "UPDATE"]
      resources:   ["deployments"]
  variables:
  - name: environment
    expression: "'environment' in namespaceObject.metadata.labels ? namespaceObject.metadata.labels['environment'] : 'prod'"
  - name: exempt
    expression: "'exempt' in object.metadata.labels && object.metadata.labels['exempt'] == 'true'"
  - name: containers
    expression: "object.spec.template.spec.containers"
  - name: containersToCheck
    expression: "variables.containers.filter(c, c.image.contains('example.com/'))"
  validations:
  - expression: "variables.exempt || variables.containersToCheck.all(c, c.image.startsWith(variables.environment + '.'))"
    messageExpression: "'only ' + variables.environment + ' images are allowed in namespace ' + namespaceObject.metadata.name"
`;
    const p = load(text);
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    environment: staging\n';
    assert.equal(check(p, DEPLOYMENT(1), undefined, ns)[0]?.message, 'only staging images are allowed in namespace shop');
    assert.equal(check(p, DEPLOYMENT(1))[0]?.message, 'only prod images are allowed in namespace shop', 'no manifest: labels unknown, environment defaults to prod');
    const staged = DEPLOYMENT(1).replace('registry.example.com/side:1', 'staging.example.com/side:1');
    assert.deepEqual(check(p, staged, undefined, ns), []);
    assert.deepEqual(check(p, DEPLOYMENT(1, '\n    exempt: "true"'), undefined, ns), []);
  });

  it('honours matchConditions and a binding that excludes kube-system (deny-privileged example)', () => {
    const text = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: "example-deny-privileged.static.k8s.io"
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - apiGroups: [""]
      apiVersions: ["v1"]
      operations: ["CREATE", "UPDATE"]
      resources: ["pods"]
  matchConditions:
  - name: 'exclude-kubelet-requests'
    expression: '!("system:nodes" in request.userInfo.groups)'
  variables:
  - name: allContainers
    expression: >-
      object.spec.containers +
      (has(object.spec.initContainers) ? object.spec.initContainers : []) +
      (has(object.spec.ephemeralContainers) ? object.spec.ephemeralContainers : [])
  validations:
  - expression: >-
      !variables.allContainers.exists(c, has(c.securityContext) && has(c.securityContext.privileged) && c.securityContext.privileged == true)
    message: "Privileged containers are not allowed"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: "example-deny-privileged-binding.static.k8s.io"
spec:
  policyName: "example-deny-privileged.static.k8s.io"
  validationActions:
  - Deny
  matchResources:
    namespaceSelector:
      matchExpressions:
      - key: "kubernetes.io/metadata.name"
        operator: NotIn
        values: ["kube-system"]
`;
    const p = load(text);
    assert.deepEqual(problemsOf(p), []);
    const pod = (ns: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: ${ns}\nspec:\n  initContainers:\n  - name: init\n    image: busybox\n    securityContext:\n      privileged: true\n  containers:\n  - name: c\n    image: nginx\n`;
    assert.equal(check(p, pod('shop'))[0]?.message, 'Privileged containers are not allowed');
    assert.deepEqual(check(p, pod('kube-system')), [], 'the binding excludes kube-system by its metadata.name label');
    assert.deepEqual(check(p, pod('shop').replace('privileged: true', 'privileged: false')), []);
  });

  it('places a finding on the first field of object the expression reads', () => {
    assert.equal(check(load(BASIC), DEPLOYMENT(9))[0]?.range.start.line, 8, 'spec.replicas');
    assert.deepEqual(firstObjectPath("object.spec.template.spec.containers.all(c, c.image != '')"), ['spec', 'template', 'spec', 'containers']);
    assert.deepEqual(firstObjectPath("has(object.metadata.labels) && 'env' in object.metadata.labels"), ['metadata', 'labels']);
    assert.equal(firstObjectPath('request.operation == "CREATE"'), undefined);
  });

  it('reports what cannot run before commit on the policy file: authorizer, params without a binding', () => {
    const auth = load(BASIC.replace('"object.spec.replicas <= 5"', '"authorizer.group(\'\').resource(\'pods\').check(\'create\').allowed()"'));
    assert.equal(auth.rules.length, 0);
    assert.equal(problemsOf(auth)[0]?.ruleId, 'policy/unsupported');
    assert.match(problemsOf(auth)[0]?.message ?? '', /authorizer/);
    const params = load(BASIC.replace('  failurePolicy: Fail\n', '  failurePolicy: Fail\n  paramKind:\n    apiVersion: v1\n    kind: ConfigMap\n'));
    assert.match(problemsOf(params)[0]?.message ?? '', /takes parameters \(ConfigMap\)/);
  });

  it('failurePolicy decides what an evaluation error does: Fail reports it, Ignore does not', () => {
    const bad = BASIC.replace('object.spec.replicas <= 5', 'object.spec.paused == false');
    assert.match(check(load(bad), DEPLOYMENT(1))[0]?.message ?? '', /could not be evaluated: No such key: paused/);
    assert.deepEqual(check(load(bad.replace('failurePolicy: Fail', 'failurePolicy: Ignore')), DEPLOYMENT(1)), []);
  });
});

describe('team policies: the realistic fixtures load without problems', () => {
  const dir = join(__dirname, '..', 'fixtures', 'project-schemas', 'paved-road-policy');
  for (const name of readdirSync(dir)) {
    it(name, () => {
      const p = loadPolicies([{ path: join(dir, name), text: readFileSync(join(dir, name), 'utf8') }], dir);
      assert.deepEqual(problemsOf(p), []);
      assert.ok(p.rules.length > 0);
    });
  }
});
