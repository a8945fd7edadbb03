import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Finding } from '../../src/core/findings';
import { checkPolicies, policyDocuments } from '../../src/core/policy';
import type { Rule } from '../../src/core/policy';
import { loadPolicies } from '../../src/core/policy/team';
import { evaluateOperator, operatorNamed } from '../../src/core/policy/team/kyverno-conditions';
import { evaluateJmesPath, parseJmesPath } from '../../src/core/policy/team/kyverno-jmespath';
import { matchPattern, validateValue } from '../../src/core/policy/team/kyverno-pattern';
import { parseGoDuration, wildcardMatch } from '../../src/core/policy/team/kyverno-values';

const FIXTURES = join(__dirname, '..', 'fixtures', 'policy-kyverno');
const POLICY_PATH = '/repo/policies/policy.yaml';

interface Loaded {
  rules: Rule[];
  problems: Finding[];
}

function load(text: string, path = POLICY_PATH): Loaded {
  const r = loadPolicies([{ path, text }], '/repo');
  return { rules: r.rules, problems: r.problems.get(path) ?? [] };
}

function check(rules: readonly Rule[], manifest: string, extra = ''): Finding[] {
  const docs = policyDocuments('/repo/deploy/app.yaml', manifest);
  const others = extra ? policyDocuments('/repo/deploy/other.yaml', extra) : [];
  return checkPolicies(docs, rules, { documents: [...docs, ...others] }, {});
}

/** 0-based line of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `no line with ${needle}`);
  return i;
}

const pathOf = (f: Finding | undefined): unknown => f?.data?.path;

/** A ClusterPolicy around some rules (YAML indented under `rules:`). */
function policy(rules: string, opts: { name?: string; action?: string; annotations?: string; kind?: string; namespace?: string; spec?: string } = {}): string {
  return `apiVersion: kyverno.io/v1
kind: ${opts.kind ?? 'ClusterPolicy'}
metadata:
  name: ${opts.name ?? 'team'}
${opts.namespace ? `  namespace: ${opts.namespace}\n` : ''}${opts.annotations ? `  annotations:\n${opts.annotations}` : ''}spec:
  validationFailureAction: ${opts.action ?? 'Audit'}
${opts.spec ?? ''}  rules:
${rules}`;
}

const pod = (spec: string, meta = ''): string => `apiVersion: v1
kind: Pod
metadata:
  name: web
${meta}spec:
${spec}`;

const deployment = (podSpec: string, meta = ''): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
${meta}spec:
  replicas: 1
  template:
    metadata:
      labels:
        app: web
    spec:
${podSpec}`;

const IMAGE_RULE = `  - name: no-latest
    match:
      any:
      - resources:
          kinds:
          - Pod
    validate:
      message: "Using a mutable image tag e.g. 'latest' is not allowed."
      pattern:
        spec:
          containers:
          - image: "!*:latest"
`;

describe('Kyverno policies', () => {
  describe('the Kyverno policy library, against its own kyverno-test results', () => {
    const root = join(FIXTURES, 'library');
    for (const name of readdirSync(root).sort()) {
      it(name, () => {
        const dir = join(root, name);
        const test = parse(readFileSync(join(dir, 'kyverno-test.yaml'), 'utf8')) as {
          policies: string[];
          resources: string[];
          results: { policy: string; rule: string; kind: string; resources: string[]; result: string }[];
        };
        const files = test.policies.map((p) => ({ path: join(dir, p), text: readFileSync(join(dir, p), 'utf8') }));
        const loaded = loadPolicies(files, dir);
        assert.deepEqual([...loaded.problems.values()].flat(), [], 'the policy loads without problems');
        const docs = test.resources.flatMap((r) => policyDocuments(join(dir, r), readFileSync(join(dir, r), 'utf8')));
        const findings = docs.flatMap((d) => checkPolicies([d], loaded.rules, { documents: docs }, {}).map((f) => ({ f, d })));
        let compared = 0;
        for (const r of test.results) {
          // Kyverno reports generated rules as autogen-<rule>: they are the rule's own findings here
          const id = `${r.policy}/${r.rule.replace(/^autogen-(cronjob-)?/, '')}`;
          for (const resource of r.resources) {
            const mine = findings.filter(({ f, d }) => f.ruleId === id && d.name === resource && d.kind === r.kind);
            const expected = r.result === 'fail' ? 'fail' : 'pass';
            assert.equal(mine.length > 0 ? 'fail' : 'pass', expected, `${id} on ${r.kind}/${resource}: Kyverno says ${r.result}${mine[0] ? `, got: ${mine[0].f.message}` : ''}`);
            if (mine.length > 0) assert.ok(!/could not be evaluated/.test(mine[0]?.f.message ?? ''), mine[0]?.f.message);
            compared++;
          }
        }
        assert.ok(compared > 0);
      });
    }
  });

  describe('findings sit where Kyverno says, on Pods and on controllers', () => {
    const library = (name: string): string => readFileSync(join(FIXTURES, 'library', name, 'policy.yaml'), 'utf8');

    it('require-labels: a missing label on a Pod, then in a Deployment’s pod template (autogen)', () => {
      const { rules } = load(library('require-labels'));
      const onPod = check(rules, pod('  containers:\n  - name: a\n    image: nginx:1.27\n'));
      assert.equal(onPod.length, 1);
      assert.equal(onPod[0]?.ruleId, 'require-labels/check-for-labels');
      assert.equal(onPod[0]?.severity, 'warning');
      assert.equal(onPod[0]?.message, 'validation error: The label `app.kubernetes.io/name` is required. rule check-for-labels failed at path /metadata/labels/');
      assert.deepEqual(pathOf(onPod[0]), ['metadata', 'labels']);
      assert.equal(onPod[0]?.range.start.line, 2, 'on metadata, the nearest key that exists');

      const manifest = deployment('      containers:\n      - name: a\n        image: nginx:1.27\n', '  labels:\n    app.kubernetes.io/name: web\n');
      const onDeployment = check(rules, manifest);
      assert.equal(onDeployment.length, 1);
      assert.match(onDeployment[0]?.message ?? '', /rule autogen-check-for-labels failed at path \/spec\/template\/metadata\/labels\/app\.kubernetes\.io\/name\/$/);
      assert.deepEqual(pathOf(onDeployment[0]), ['spec', 'template', 'metadata', 'labels', 'app.kubernetes.io/name']);
      assert.equal(onDeployment[0]?.range.start.line, lineOf(manifest, '      labels:'), 'on the template labels, the nearest key that exists');
    });

    it('disallow-latest-tag: the image value, in a Pod and in a CronJob', () => {
      const { rules } = load(library('disallow-latest-tag'));
      const manifest = pod('  containers:\n  - name: a\n    image: nginx:1.27\n  - name: b\n    image: nginx:latest\n');
      const f = check(rules, manifest);
      assert.equal(f.length, 1);
      assert.equal(f[0]?.ruleId, 'disallow-latest-tag/validate-image-tag');
      assert.deepEqual(pathOf(f[0]), ['spec', 'containers', 1, 'image']);
      const line = lineOf(manifest, 'nginx:latest');
      assert.equal(f[0]?.range.start.line, line);
      assert.equal(f[0]?.range.start.character, manifest.split('\n')[line]?.indexOf('nginx:latest'), 'on the value');

      const cron = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 1 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: a
            image: nginx
`;
      const c = check(rules, cron);
      assert.deepEqual(
        c.map((x) => [x.ruleId, pathOf(x)]),
        [['disallow-latest-tag/require-image-tag', ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers', 0, 'image']]],
      );
      assert.match(c[0]?.message ?? '', /rule autogen-cronjob-require-image-tag failed at path \/spec\/jobTemplate\/spec\/template\/spec\/containers\/0\/image\//);
    });

    it('require-pod-requests-limits: the missing limits, under the container', () => {
      const { rules } = load(library('require-pod-requests-limits'));
      const f = check(rules, pod('  containers:\n  - name: a\n    image: nginx:1.27\n    resources:\n      requests: {memory: 1Gi, cpu: 100m}\n'));
      assert.deepEqual(pathOf(f[0]), ['spec', 'containers', 0, 'resources', 'limits']);
      assert.match(f[0]?.message ?? '', /rule validate-resources failed at path \/spec\/containers\/0\/resources\/limits\/$/);
      const ok = check(rules, pod('  containers:\n  - name: a\n    image: nginx:1.27\n    resources:\n      requests: {memory: 1Gi, cpu: 100m}\n      limits: {memory: 1Gi}\n'));
      assert.deepEqual(ok, []);
    });

    it('require-run-as-nonroot (anyPattern): every failed alternative named, the finding on the deepest', () => {
      const { rules } = load(library('require-run-as-nonroot'));
      const f = check(rules, pod('  containers:\n  - name: a\n    image: nginx:1.27\n'));
      assert.equal(f.length, 1);
      assert.match(f[0]?.message ?? '', /^validation error: Running as root is not allowed\..* rule run-as-non-root\[0\] failed at path \/spec\/securityContext\/ rule run-as-non-root\[1\] failed at path \/spec\/containers\/0\/securityContext\/$/);
      assert.deepEqual(pathOf(f[0]), ['spec', 'containers', 0, 'securityContext']);
      assert.deepEqual(check(rules, pod('  securityContext:\n    runAsNonRoot: true\n  containers:\n  - name: a\n')), []);
      assert.deepEqual(check(rules, pod('  containers:\n  - name: a\n    securityContext:\n      runAsNonRoot: true\n')), []);
    });

    it('disallow-privileged-containers and disallow-host-namespaces: the offending value', () => {
      const privileged = load(library('disallow-privileged-containers')).rules;
      const manifest = pod('  containers:\n  - name: a\n    securityContext:\n      privileged: true\n');
      const f = check(privileged, manifest);
      assert.deepEqual(pathOf(f[0]), ['spec', 'containers', 0, 'securityContext', 'privileged']);
      assert.equal(f[0]?.range.start.line, lineOf(manifest, 'privileged: true'));
      const host = load(library('disallow-host-namespaces')).rules;
      assert.deepEqual(pathOf(check(host, pod('  hostIPC: true\n  containers:\n  - name: a\n'))[0]), ['spec', 'hostIPC']);
      assert.deepEqual(check(host, pod('  hostIPC: false\n  containers:\n  - name: a\n')), []);
    });

    it('restrict-image-registries: `|` alternatives with wildcards', () => {
      const { rules } = load(library('restrict-image-registries'));
      const ok = check(rules, pod('  containers:\n  - name: a\n    image: eu.foo.io/app:1\n  - name: b\n    image: bar.io/app:1\n'));
      assert.deepEqual(ok, []);
      const bad = check(rules, pod('  containers:\n  - name: a\n    image: eu.foo.io/app:1\n  - name: b\n    image: docker.io/app:1\n'));
      assert.deepEqual(pathOf(bad[0]), ['spec', 'containers', 1, 'image']);
    });

    it('deny conditions: the value the conditions read, on a Deployment', () => {
      const text = policy(
        `  - name: max-replicas
    match:
      any:
      - resources:
          kinds:
          - Deployment
    validate:
      message: "At most 3 replicas, not {{ request.object.spec.replicas }}."
      deny:
        conditions:
          any:
          - key: "{{ request.object.spec.replicas }}"
            operator: GreaterThan
            value: 3
`,
        { action: 'Enforce' },
      );
      const { rules, problems } = load(text);
      assert.deepEqual(problems, []);
      const manifest = deployment('      containers:\n      - name: a\n').replace('replicas: 1', 'replicas: 5');
      const f = check(rules, manifest);
      assert.equal(f.length, 1);
      assert.equal(f[0]?.severity, 'error', 'Enforce is an error');
      assert.equal(f[0]?.message, 'At most 3 replicas, not 5.');
      assert.deepEqual(pathOf(f[0]), ['spec', 'replicas']);
      assert.equal(f[0]?.range.start.line, lineOf(manifest, 'replicas: 5'));
      assert.deepEqual(check(rules, deployment('      containers:\n      - name: a\n')), []);
    });

    it('deny: {} denies whatever the rule matches; preconditions that do not hold skip it', () => {
      const text = policy(`  - name: no-default-namespace
    match:
      any:
      - resources:
          kinds: [ConfigMap]
          namespaces: [default]
    preconditions:
      all:
      - key: "{{ request.object.metadata.labels.temporary || '' }}"
        operator: NotEquals
        value: "true"
    validate:
      message: "Use a team namespace, not default."
      deny: {}
`);
      const { rules, problems } = load(text);
      assert.deepEqual(problems, []);
      const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: {}\n';
      assert.equal(check(rules, cm)[0]?.message, 'Use a team namespace, not default.');
      assert.deepEqual(check(rules, cm.replace('  name: c\n', '  name: c\n  labels:\n    temporary: "true"\n')), []);
      assert.deepEqual(check(rules, cm.replace('  name: c\n', '  name: c\n  namespace: shop\n')), []);
    });

    it('limit-containers-per-pod: preconditions, a JMESPath pipe and length(), through autogen', () => {
      const { rules } = load(library('limit-containers-per-pod'));
      const five = '      containers: [{name: a}, {name: b}, {name: c}, {name: d}, {name: e}]\n';
      const f = check(rules, deployment(five));
      assert.equal(f[0]?.message, 'Pods can only have a maximum of 4 containers.');
      assert.deepEqual(pathOf(f[0]), ['spec', 'template', 'spec', 'containers']);
      assert.deepEqual(check(rules, deployment('      containers: [{name: a}]\n')), []);
    });

    it('CEL: message and the field the expression reads', () => {
      const { rules } = load(library('require-labels-cel'));
      const f = check(rules, pod('  containers:\n  - name: a\n'));
      assert.equal(f[0]?.message, 'The label `app.kubernetes.io/name` is required.');
      assert.deepEqual(pathOf(f[0]), ['metadata']);
      const d = check(rules, deployment('      containers:\n      - name: a\n', '  labels:\n    app.kubernetes.io/name: web\n'));
      assert.deepEqual(pathOf(d[0]), ['spec', 'template', 'metadata'], 'object.metadata is the template metadata in the generated rule');
    });

    it('CEL: messageExpression, variables, namespaceObject from a Namespace among the checked files', () => {
      const text = policy(`  - name: team-label
    match:
      any:
      - resources:
          kinds:
          - ConfigMap
    validate:
      cel:
        variables:
        - name: team
          expression: "namespaceObject.metadata.?labels.?team.orValue('')"
        expressions:
        - expression: "variables.team != '' && object.metadata.?labels.?team.orValue('') == variables.team"
          messageExpression: "'the ConfigMap must carry team=' + variables.team"
`);
      const { rules, problems } = load(text);
      assert.deepEqual(problems, []);
      const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: shop\n  labels:\n    team: web\ndata: {}\n';
      const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    team: payments\n';
      const f = check(rules, cm, ns);
      assert.equal(f[0]?.message, 'the ConfigMap must carry team=payments');
      assert.deepEqual(check(rules, cm.replace('team: web', 'team: payments'), ns), []);
    });

    it('rule id, exemption names, origin, title, description, remediation', () => {
      const text = policy(IMAGE_RULE, {
        name: 'images',
        annotations: '    policies.kyverno.io/title: Image tags\n    policies.kyverno.io/description: >-\n      Tags must not move.\n',
      });
      const { rules } = load(text);
      const r = rules[0];
      assert.equal(r?.id, 'images/no-latest');
      assert.deepEqual(r?.exemptionNames, ['images.no-latest', 'images']);
      assert.equal(r?.category, 'team-policy');
      assert.equal(r?.title, 'Image tags (no-latest)');
      assert.equal(r?.description, 'Tags must not move.');
      assert.equal(r?.remediation, "Using a mutable image tag e.g. 'latest' is not allowed.");
      assert.equal(r?.origin?.format, 'Kyverno');
      assert.equal(r?.origin?.path, POLICY_PATH);
      assert.equal(r?.origin?.range.start.line, lineOf(text, '- name: no-latest'));
      const manifest = pod('  containers:\n  - image: nginx:latest\n', '  annotations:\n    paved-road.dev/exempt-images.no-latest: "pinned by the base image"\n');
      assert.deepEqual(check(rules, manifest), [], 'exempted on the resource');
    });

    it('severity: Enforce is an error, Audit (and the default) a warning, per-rule failureAction wins', () => {
      assert.equal(load(policy(IMAGE_RULE, { action: 'Enforce' })).rules[0]?.severity, 'error');
      assert.equal(load(policy(IMAGE_RULE, { action: 'enforce' })).rules[0]?.severity, 'error');
      assert.equal(load(policy(IMAGE_RULE, { action: 'Audit' })).rules[0]?.severity, 'warning');
      const noAction = policy(IMAGE_RULE).replace('  validationFailureAction: Audit\n', '');
      assert.equal(load(noAction).rules[0]?.severity, 'warning', "Kyverno's default is Audit");
      const perRule = policy(IMAGE_RULE.replace('      message:', '      failureAction: Enforce\n      message:'), { action: 'Audit' });
      assert.equal(load(perRule).rules[0]?.severity, 'error');
    });
  });

  describe('match and exclude', () => {
    const rule = (match: string, exclude = ''): Rule[] =>
      load(
        policy(`  - name: r
    match:
${match}${exclude ? `    exclude:\n${exclude}` : ''}    validate:
      message: no latest
      pattern:
        metadata:
          name: "!bad*"
`),
      ).rules;
    const cm = (name: string, meta = ''): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${meta}data: {}\n`;
    const fails = (rules: Rule[], manifest: string): boolean => check(rules, manifest).length > 0;

    it('kinds: Kind, group/version/Kind, wildcards, *', () => {
      assert.ok(fails(rule('      any:\n      - resources:\n          kinds: [ConfigMap]\n'), cm('bad1')));
      assert.ok(fails(rule('      any:\n      - resources:\n          kinds: [v1/ConfigMap]\n'), cm('bad1')));
      assert.ok(!fails(rule('      any:\n      - resources:\n          kinds: [apps/v1/ConfigMap]\n'), cm('bad1')));
      const d = deployment('      containers: []\n').replace('name: web', 'name: bad-web');
      assert.ok(fails(rule('      any:\n      - resources:\n          kinds: [apps/*/Deployment]\n'), d));
      assert.ok(fails(rule('      any:\n      - resources:\n          kinds: ["*"]\n'), cm('bad1')));
      assert.ok(!fails(rule('      any:\n      - resources:\n          kinds: [Secret]\n'), cm('bad1')));
    });

    it('the legacy single resources block, names with wildcards, namespaces (no namespace is default)', () => {
      assert.ok(fails(rule('      resources:\n        kinds: [ConfigMap]\n        names: ["bad-*"]\n'), cm('bad-one')));
      assert.ok(!fails(rule('      resources:\n        kinds: [ConfigMap]\n        names: ["bad-?"]\n'), cm('bad-one')));
      assert.ok(fails(rule('      resources:\n        kinds: [ConfigMap]\n        namespaces: [default]\n'), cm('bad')));
      assert.ok(!fails(rule('      resources:\n        kinds: [ConfigMap]\n        namespaces: ["prod-*"]\n'), cm('bad')));
      assert.ok(fails(rule('      resources:\n        kinds: [ConfigMap]\n        namespaces: ["prod-*"]\n'), cm('bad', '  namespace: prod-eu\n')));
    });

    it('selector, annotations and operations', () => {
      const selected = rule('      any:\n      - resources:\n          kinds: [ConfigMap]\n          selector:\n            matchLabels:\n              tier: "front*"\n');
      assert.ok(fails(selected, cm('bad', '  labels:\n    tier: frontend\n')));
      assert.ok(!fails(selected, cm('bad', '  labels:\n    tier: backend\n')));
      const annotated = rule('      any:\n      - resources:\n          kinds: [ConfigMap]\n          annotations:\n            "team.io/*": "on"\n');
      assert.ok(fails(annotated, cm('bad', '  annotations:\n    team.io/checks: "on"\n')));
      assert.ok(!fails(annotated, cm('bad')));
      assert.ok(fails(rule('      any:\n      - resources:\n          kinds: [ConfigMap]\n          operations: [CREATE, UPDATE]\n'), cm('bad')));
      assert.ok(!fails(rule('      any:\n      - resources:\n          kinds: [ConfigMap]\n          operations: [DELETE]\n'), cm('bad')), 'a manifest is a CREATE');
    });

    it('all: every filter must match; exclude any/all', () => {
      assert.ok(!fails(rule('      all:\n      - resources:\n          kinds: [ConfigMap]\n      - resources:\n          kinds: [ConfigMap]\n          names: [other]\n'), cm('bad')));
      const match = '      any:\n      - resources:\n          kinds: [ConfigMap]\n';
      assert.ok(!fails(rule(match, '      any:\n      - resources:\n          namespaces: [kube-system]\n'), cm('bad', '  namespace: kube-system\n')));
      assert.ok(fails(rule(match, '      any:\n      - resources:\n          namespaces: [kube-system]\n'), cm('bad', '  namespace: shop\n')));
      const all = '      all:\n      - resources:\n          namespaces: [kube-system]\n      - resources:\n          names: ["bad*"]\n';
      assert.ok(!fails(rule(match, all), cm('bad', '  namespace: kube-system\n')));
      assert.ok(fails(rule(match, all), cm('bad', '  namespace: shop\n')));
    });

    it('namespaceSelector: the labels of a Namespace among the checked files', () => {
      const rules = rule('      any:\n      - resources:\n          kinds: [ConfigMap]\n          namespaceSelector:\n            matchLabels:\n              env: prod\n');
      const ns = (env: string): string => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    env: ${env}\n`;
      assert.equal(check(rules, cm('bad', '  namespace: shop\n'), ns('prod')).length, 1);
      assert.equal(check(rules, cm('bad', '  namespace: shop\n'), ns('dev')).length, 0);
      assert.equal(check(rules, cm('bad', '  namespace: shop\n')).length, 0, 'unknown namespace labels: not selected (as the Kyverno CLI)');
    });

    it('a namespaced Policy applies to its namespace only', () => {
      const text = policy(IMAGE_RULE, { kind: 'Policy', namespace: 'shop' });
      const { rules } = load(text);
      const latest = '  containers:\n  - image: nginx:latest\n';
      assert.equal(check(rules, pod(latest, '  namespace: shop\n')).length, 1);
      assert.equal(check(rules, pod(latest, '  namespace: other\n')).length, 0);
      assert.equal(check(rules, pod(latest)).length, 0, 'no namespace is default');
    });
  });

  describe('autogen for pod controllers', () => {
    const latest = '      containers:\n      - name: a\n        image: nginx:latest\n';
    const kinds = (rules: Rule[]): string[] => {
      const manifests: Record<string, string> = {
        Deployment: deployment(latest),
        StatefulSet: deployment(latest).replace('kind: Deployment', 'kind: StatefulSet'),
        DaemonSet: deployment(latest).replace('kind: Deployment', 'kind: DaemonSet'),
        ReplicaSet: deployment(latest).replace('kind: Deployment', 'kind: ReplicaSet'),
        Job: deployment(latest).replace('apps/v1\nkind: Deployment', 'batch/v1\nkind: Job'),
        ReplicationController: deployment(latest).replace('apps/v1\nkind: Deployment', 'v1\nkind: ReplicationController'),
        CronJob: `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - image: nginx:latest\n`,
      };
      return Object.entries(manifests)
        .filter(([, m]) => check(rules, m).length > 0)
        .map(([k]) => k);
    };

    it('a Pod rule checks every pod controller, as Kyverno generates it', () => {
      assert.deepEqual(kinds(load(policy(IMAGE_RULE)).rules), ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController', 'CronJob']);
    });

    it('honours pod-policies.kyverno.io/autogen-controllers', () => {
      const with_ = (value: string): Rule[] => load(policy(IMAGE_RULE, { annotations: `    pod-policies.kyverno.io/autogen-controllers: ${value}\n` })).rules;
      assert.deepEqual(kinds(with_('none')), []);
      assert.deepEqual(kinds(with_('Deployment,CronJob')), ['Deployment', 'CronJob']);
      assert.deepEqual(kinds(with_('StatefulSet')), ['StatefulSet']);
    });

    it('no autogen when a filter names resources or selects labels, or mixes Pod with other kinds', () => {
      const named = IMAGE_RULE.replace('          - Pod\n', '          - Pod\n          names: ["web*"]\n');
      assert.deepEqual(kinds(load(policy(named)).rules), []);
      const mixed = IMAGE_RULE.replace('          - Pod\n', '          - Pod\n          - StatefulSet\n');
      assert.deepEqual(kinds(load(policy(mixed)).rules), ['StatefulSet'], 'only the StatefulSet itself (it has no spec.containers)');
    });
  });

  describe('pattern semantics (cases from Kyverno’s own engine tests)', () => {
    const cases = JSON.parse(readFileSync(join(FIXTURES, 'kyverno-engine', 'patterns.json'), 'utf8')) as {
      patterns: { name: string; pattern: unknown; resource: unknown; status: string }[];
      scalars: { value: unknown; pattern: string; result: boolean }[];
    };

    it(`anchors: ${cases.patterns.length} conditional, global, equality and list cases`, () => {
      for (const c of cases.patterns) {
        const r = matchPattern(c.resource, c.pattern);
        if (c.status === 'fail') assert.notEqual(r.status, 'pass', c.name);
        else assert.equal(r.status, c.status, c.name);
      }
    });

    it(`scalars: ${cases.scalars.length} operator, range, quantity and duration cases`, () => {
      for (const c of cases.scalars) assert.equal(validateValue(c.value, c.pattern), c.result, `${JSON.stringify(c.value)} against ${c.pattern}`);
    });

    it('wildcards, ?*, null, | and &, existence and negation anchors, list semantics', () => {
      assert.ok(wildcardMatch('nginx:*', 'nginx:1.2') && !wildcardMatch('nginx:?', 'nginx:') && wildcardMatch('a?c', 'abc'));
      assert.ok(validateValue('x', '?*') && !validateValue('', '?*') && !validateValue(undefined, '?*'));
      assert.ok(validateValue(undefined, null) && validateValue('', null) && validateValue(0, null) && !validateValue('x', null));
      assert.ok(validateValue(5, '>1 & <10') && !validateValue(50, '>1 & <10') && validateValue('b', 'a | b'));
      assert.ok(validateValue('1.5Gi', '<2Gi') && validateValue('90s', '>1m') && validateValue(3, '1-5') && !validateValue(3, '1!-5'));
      const containers = { spec: { containers: [{ name: 'a', image: 'nginx:1' }, { name: 'b', image: 'nginx:latest' }] } };
      assert.deepEqual(matchPattern(containers, { spec: { containers: [{ image: '!*:latest' }] } }), {
        status: 'fail',
        path: ['spec', 'containers', 1, 'image'],
        message: "resource value 'nginx:latest' does not match '!*:latest' at path /spec/containers/1/image/",
      });
      assert.equal(matchPattern(containers, { spec: { '^(containers)': [{ name: 'b' }] } }).status, 'pass');
      assert.equal(matchPattern(containers, { spec: { '^(containers)': [{ name: 'c' }] } }).status, 'fail');
      assert.equal(matchPattern(containers, { spec: { 'X(hostNetwork)': 'null' } }).status, 'pass');
      assert.deepEqual(matchPattern({ spec: { hostNetwork: false } }, { spec: { 'X(hostNetwork)': 'null' } }).status, 'fail');
      assert.equal(matchPattern({ metadata: { labels: { 'app.kubernetes.io/name': 'x' } } }, { metadata: { labels: { 'app.kubernetes.io/*': '?*' } } }).status, 'pass', 'wildcard label keys');
    });
  });

  describe('conditions (Kyverno’s TestEvaluate)', () => {
    const cases = JSON.parse(readFileSync(join(FIXTURES, 'kyverno-engine', 'conditions.json'), 'utf8')) as { key: unknown; operator: string; value: unknown; result: boolean }[];
    it(`all ${cases.length} operator cases give Kyverno's answer`, () => {
      const wrong = cases.filter((c) => {
        const op = operatorNamed(c.operator);
        assert.ok(op, c.operator);
        return evaluateOperator(op, c.key, c.value) !== c.result;
      });
      assert.deepEqual(wrong, []);
    });
  });

  describe('JMESPath variables', () => {
    const ctx = { request: { object: { metadata: { name: 'web', labels: { a: '1' } }, spec: { containers: [{ name: 'a', image: 'x:1' }, { name: 'b', image: 'y' }] } }, oldObject: null, operation: 'CREATE' } };
    const ev = (e: string): unknown => evaluateJmesPath(parseJmesPath(e), ctx);

    it('paths, projections, filters, pipes, functions, literals', () => {
      assert.equal(ev('request.object.metadata.name'), 'web');
      assert.deepEqual(ev('request.object.spec.containers[].name'), ['a', 'b']);
      assert.deepEqual(ev("request.object.spec.containers[?contains(image, ':')].name"), ['a']);
      assert.equal(ev('request.object.spec.containers[] | length(@)'), 2);
      assert.equal(ev("to_upper(request.object.metadata.name)"), 'WEB');
      assert.deepEqual(ev("split('a,b', ',')"), ['a', 'b']);
      assert.equal(ev("regex_match('^x:', request.object.spec.containers[0].image)"), true);
      assert.equal(ev('`3` > `2`'), true);
      assert.equal(ev("request.object.metadata.labels.\"a\""), '1');
      assert.equal(ev('request.oldObject.metadata.name'), null, 'a field of null is null');
    });

    it('a missing key is an error (Kyverno’s fork), unless || or a function absorbs it', () => {
      assert.throws(() => ev('request.object.spec.replicas'), /Unknown key "replicas"/);
      assert.equal(ev("request.object.spec.replicas || `1`"), 1);
      assert.equal(ev('length(request.object.spec.volumes || `[]`)'), 0);
      assert.equal(ev("request.operation || 'BACKGROUND'"), 'CREATE');
    });

    it('a variable that does not resolve: the rule says it could not be evaluated, as a warning', () => {
      const text = policy(`  - name: replicas
    match:
      any:
      - resources:
          kinds: [Deployment]
    validate:
      deny:
        conditions:
          all:
          - key: "{{ request.object.spec.minReadySeconds }}"
            operator: LessThan
            value: 10
`, { action: 'Enforce' });
      const { rules } = load(text);
      const docs = policyDocuments('/repo/d.yaml', deployment('      containers: []\n'));
      const found = rules[0]?.check(docs[0] as (typeof docs)[number], { documents: docs });
      assert.equal(found?.length, 1);
      assert.match(found?.[0]?.message ?? '', /could not be evaluated: deny conditions: Unknown key "minReadySeconds"/);
      assert.equal((found?.[0] as { severity?: string } | undefined)?.severity, 'warning');
    });

    it('durations compare as durations', () => {
      assert.equal(parseGoDuration('1h30m'), 5400);
      assert.equal(parseGoDuration('10'), undefined);
    });
  });

  describe('what does not run is said on the policy file', () => {
    interface Case {
      what: string;
      rule: string;
      id: string;
      severity: string;
      line: string;
      message: RegExp;
      /** The rule still runs (the problem does not stop it). */
      runs?: boolean;
    }
    const head = `  - name: r
    match:
      any:
      - resources:
          kinds: [Pod]
`;
    const validate = (body: string): string => `${head}    validate:\n      message: m\n${body}`;
    const cases: Case[] = [
      { what: 'foreach', rule: validate('      foreach:\n      - list: request.object.spec.containers\n        pattern:\n          image: "*:*"\n'), id: 'policy/unsupported', severity: 'warning', line: 'foreach:', message: /validate\.foreach.*does not run before commit/ },
      { what: 'podSecurity', rule: validate('      podSecurity:\n        level: baseline\n        version: latest\n'), id: 'policy/unsupported', severity: 'warning', line: 'podSecurity:', message: /podSecurity/ },
      { what: 'manifests', rule: validate('      manifests:\n        attestors: []\n'), id: 'policy/unsupported', severity: 'warning', line: 'manifests:', message: /manifests/ },
      { what: 'assert', rule: validate('      assert:\n        object: {}\n'), id: 'policy/unsupported', severity: 'warning', line: 'assert:', message: /assert/ },
      { what: 'mutate', rule: `${head}    mutate:\n      patchStrategicMerge:\n        metadata: {}\n`, id: 'policy/unsupported', severity: 'info', line: 'mutate:', message: /only validate rules run before commit/ },
      { what: 'generate', rule: `${head}    generate:\n      kind: ConfigMap\n      name: x\n`, id: 'policy/unsupported', severity: 'info', line: 'generate:', message: /only validate rules run before commit/ },
      { what: 'verifyImages', rule: `${head}    verifyImages:\n    - imageReferences: ["*"]\n`, id: 'policy/unsupported', severity: 'info', line: 'verifyImages:', message: /only validate rules run before commit/ },
      { what: 'context', rule: `${head}    context:\n    - name: cm\n      configMap:\n        name: x\n        namespace: y\n    validate:\n      deny: {}\n`, id: 'policy/unsupported', severity: 'warning', line: 'context:', message: /Context entries/ },
      { what: 'an unknown rule key', rule: `${head}    validat:\n      deny: {}\n`, id: 'policy/unsupported', severity: 'warning', line: 'validat:', message: /not something Paved Road knows/ },
      { what: 'an unknown validate key', rule: validate('      deny: {}\n      denny: {}\n'), id: 'policy/unsupported', severity: 'warning', line: 'denny:', message: /validate\.denny/ },
      { what: 'subjects in match', rule: `  - name: r\n    match:\n      any:\n      - resources:\n          kinds: [Pod]\n        subjects:\n        - kind: User\n          name: x\n    validate:\n      deny: {}\n`, id: 'policy/unsupported', severity: 'warning', line: 'subjects:', message: /who makes the request/ },
      { what: 'clusterRoles in exclude', rule: `${head}    exclude:\n      any:\n      - clusterRoles: [cluster-admin]\n    validate:\n      deny: {}\n`, id: 'policy/unsupported', severity: 'warning', line: 'clusterRoles:', message: /who makes the request/ },
      { what: 'request.userInfo', rule: validate('      deny:\n        conditions:\n          any:\n          - key: "{{ request.userInfo.username }}"\n            operator: Equals\n            value: admin\n'), id: 'policy/unsupported', severity: 'warning', line: 'request.userInfo', message: /request\.userInfo/ },
      { what: 'a context variable', rule: validate('      deny:\n        conditions:\n          any:\n          - key: "{{ allowed.data.x }}"\n            operator: Equals\n            value: admin\n'), id: 'policy/unsupported', severity: 'warning', line: 'allowed.data', message: /variable 'allowed' is not defined/ },
      { what: 'an unknown function', rule: validate('      deny:\n        conditions:\n          any:\n          - key: "{{ time_now_utc() }}"\n            operator: Equals\n            value: x\n'), id: 'policy/unsupported', severity: 'warning', line: 'time_now_utc', message: /time_now_utc\(\)/ },
      { what: 'the images variable', rule: validate('      deny:\n        conditions:\n          any:\n          - key: "{{ images.containers.*.registry }}"\n            operator: AnyIn\n            value: [docker.io]\n'), id: 'policy/unsupported', severity: 'warning', line: 'images.containers', message: /images/ },
      { what: 'the +() anchor', rule: validate('      pattern:\n        metadata:\n          +(labels): {}\n'), id: 'policy/unsupported', severity: 'warning', line: '+(labels)', message: /mutate rules/ },
      { what: 'a $() reference', rule: validate('      pattern:\n        spec:\n          containers:\n          - name: "$(./../image)"\n'), id: 'policy/unsupported', severity: 'warning', line: '$(./../image)', message: /reference/ },
      { what: 'CEL paramKind', rule: validate('      cel:\n        paramKind:\n          apiVersion: v1\n          kind: ConfigMap\n        expressions:\n        - expression: "true"\n'), id: 'policy/unsupported', severity: 'warning', line: 'paramKind:', message: /paramKind/ },
      { what: 'CEL authorizer', rule: validate('      cel:\n        expressions:\n        - expression: "authorizer.requestResource.check(\'get\').allowed()"\n'), id: 'policy/unsupported', severity: 'warning', line: 'authorizer', message: /authorizer/ },
      // malformed: errors on the key at fault
      { what: 'a rule without a name', rule: `  - match:\n      any:\n      - resources:\n          kinds: [Pod]\n    validate:\n      deny: {}\n`, id: 'policy/invalid-policy', severity: 'error', line: '  - match:', message: /needs a name/ },
      { what: 'validate without a form', rule: validate(''), id: 'policy/invalid-policy', severity: 'error', line: '    validate:', message: /needs one of pattern, anyPattern, deny, cel/ },
      { what: 'two forms', rule: validate('      deny: {}\n      pattern: {}\n'), id: 'policy/invalid-policy', severity: 'error', line: '    validate:', message: /only one of pattern, deny/ },
      { what: 'a rule without match', rule: `  - name: r\n    validate:\n      deny: {}\n`, id: 'policy/invalid-policy', severity: 'error', line: '- name: r', message: /needs 'match'/ },
      { what: 'match without kinds', rule: `  - name: r\n    match:\n      any:\n      - resources:\n          names: [x]\n    validate:\n      deny: {}\n`, id: 'policy/invalid-policy', severity: 'error', line: '      any:', message: /requires 'kinds'/ },
      { what: 'an unknown operator', rule: validate('      deny:\n        conditions:\n          any:\n          - key: a\n            operator: Equalz\n            value: b\n'), id: 'policy/invalid-policy', severity: 'error', line: 'Equalz', message: /Unknown condition operator 'Equalz'/ },
      { what: 'a bad failure action (the rule runs with the policy’s)', rule: validate('      failureAction: Deny\n      deny: {}\n'), id: 'policy/invalid-policy', severity: 'error', line: 'failureAction: Deny', message: /not a failure action/, runs: true },
      { what: 'a bad regular expression', rule: validate("      deny:\n        conditions:\n          any:\n          - key: \"{{ regex_match('(', request.object.metadata.name) }}\"\n            operator: Equals\n            value: true\n"), id: 'policy/invalid-policy', severity: 'error', line: 'regex_match', message: /invalid regular expression '\('/i },
      { what: 'an empty list in a pattern', rule: validate('      pattern:\n        spec:\n          containers: []\n'), id: 'policy/invalid-policy', severity: 'error', line: 'containers: []', message: /empty list/ },
    ];
    for (const c of cases) {
      it(c.what, () => {
        const text = policy(c.rule);
        const { rules, problems } = load(text);
        assert.equal(rules.length, c.runs ? 1 : 0, c.runs ? 'the rule runs' : 'the rule is skipped');
        assert.equal(problems.length, 1, problems.map((p) => p.message).join('\n'));
        const p = problems[0] as Finding;
        assert.equal(p.ruleId, c.id);
        assert.equal(p.severity, c.severity);
        assert.match(p.message, c.message);
        assert.equal(p.range.start.line, lineOf(text, c.line), `${p.message} at line ${p.range.start.line}`);
      });
    }

    it('a JMESPath syntax error points at its column', () => {
      const text = policy(validate('      deny:\n        conditions:\n          any:\n          - key: "{{ request.object.metadata.name ||| x }}"\n            operator: Equals\n            value: b\n'));
      const { problems } = load(text);
      assert.equal(problems[0]?.ruleId, 'policy/invalid-expression');
      const line = lineOf(text, '|||');
      assert.equal(problems[0]?.range.start.line, line);
      assert.ok((problems[0]?.range.start.character ?? 0) > (text.split('\n')[line]?.indexOf('{{') ?? 0), 'inside the expression');
    });

    it('a CEL compile error points at its column', () => {
      const text = policy(validate('      cel:\n        expressions:\n        - expression: "object.spec.replicas >"\n'));
      const { rules, problems } = load(text);
      assert.equal(rules.length, 0);
      assert.equal(problems[0]?.ruleId, 'policy/invalid-expression');
      assert.equal(problems[0]?.range.start.line, lineOf(text, 'object.spec.replicas >'));
    });

    it('policy-level problems: no rules, a bad name, unknown spec keys, overrides', () => {
      const empty = load('apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: p\nspec:\n  rules: []\n');
      assert.equal(empty.problems[0]?.ruleId, 'policy/invalid-policy');
      assert.match(empty.problems[0]?.message ?? '', /no spec\.rules/);
      const badName = load(policy(IMAGE_RULE, { name: 'Team_Policy' }));
      assert.equal(badName.rules.length, 0);
      assert.match(badName.problems[0]?.message ?? '', /not a policy name/);
      const unknown = load(policy(IMAGE_RULE, { spec: '  validationFailureActionOverrides:\n  - action: Enforce\n    namespaces: [prod]\n  frobnicate: true\n' }));
      assert.equal(unknown.rules.length, 1, 'the rules still run');
      assert.deepEqual(unknown.problems.map((p) => [p.ruleId, p.severity]), [
        ['policy/unsupported', 'warning'],
        ['policy/unsupported', 'warning'],
      ]);
    });

    it('never a crash on shapes that are not a policy', () => {
      for (const spec of ['spec: []', 'spec:\n  rules: x', 'spec:\n  rules: [5, null, "x"]', 'spec:\n  rules:\n  - name: r\n    match: 5\n    validate: 5']) {
        const r = load(`apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: p\n${spec}\n`);
        assert.equal(r.rules.length, 0, spec);
        assert.ok(r.problems.length > 0 && r.problems.every((p) => p.ruleId === 'policy/invalid-policy'), spec);
      }
    });

    it('a message with a variable that cannot be filled in: the rule runs, the message is shown as written', () => {
      const text = policy(IMAGE_RULE.replace(`message: "Using a mutable image tag e.g. 'latest' is not allowed."`, 'message: "{{ request.userInfo.username }} may not use latest"'));
      const { rules, problems } = load(text);
      assert.equal(rules.length, 1);
      assert.deepEqual(problems.map((p) => [p.ruleId, p.severity, p.range.start.line]), [['policy/unsupported', 'warning', lineOf(text, 'request.userInfo')]]);
      assert.match(problems[0]?.message ?? '', /the message is shown as written/);
      const f = check(rules, pod('  containers:\n  - image: nginx:latest\n'));
      assert.match(f[0]?.message ?? '', /^validation error: \{\{ request\.userInfo\.username \}\} may not use latest\. rule no-latest failed/);
    });

    it('CEL: a field named params or authorizer is not the variable', () => {
      const text = policy(validate('      cel:\n        expressions:\n        - expression: "!has(object.spec.params) || object.spec.authorizer == 1"\n'));
      const { rules, problems } = load(text);
      assert.deepEqual(problems, []);
      assert.equal(rules.length, 1);
    });

    it('the rest of a policy still runs when one rule cannot', () => {
      const text = policy(`${IMAGE_RULE}${validate('      foreach:\n      - list: x\n        deny: {}\n').replace('- name: r', '- name: other')}`);
      const { rules, problems } = load(text);
      assert.deepEqual(rules.map((r) => r.id), ['team/no-latest']);
      assert.equal(problems.length, 1);
    });
  });
});
