import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../src/core/findings';
import { SchemaRegistry } from '../../src/core/schema/registry';
import { SchemaValidator } from '../../src/core/schema/validator';
import { validateText } from '../../src/core/validate';

const FIXTURES = join(__dirname, '..', 'fixtures');
const show = (fs: Finding[]) => fs.map((f) => `${f.range.start.line + 1} ${f.severity} ${f.ruleId} ${f.message}`);
const errors = (path: string) => validateText(path, readFileSync(path, 'utf8')).filter((f) => f.severity === 'error');
const yamlIn = (dir: string) => readdirSync(join(FIXTURES, dir)).filter((f) => f.endsWith('.yaml')).map((f) => join(FIXTURES, dir, f));

describe('what Kubernetes and Backstage accept, on inputs written elsewhere', () => {
  const KUBECONFORM_INVALID = new Set(['invalid.yaml', 'extra_property.yaml', 'multi_invalid.yaml', 'list_invalid.yaml', 'same-kind-different-api.yaml']);

  it('gives no error on the valid manifests of kubeconform and of the Kubernetes documentation', () => {
    const files = [...yamlIn('kubeconform').filter((f) => !KUBECONFORM_INVALID.has(f.split('/').pop() ?? '')), ...yamlIn('kubernetes-examples')];
    assert.ok(files.length >= 20);
    for (const file of files) assert.deepEqual(show(errors(file)), [], file);
  });

  it("reports kubeconform's invalid manifests, a List's items included, at their lines", () => {
    const at = (name: string) => show(errors(join(FIXTURES, 'kubeconform', name))).map((s) => s.split(' ').slice(0, 3).join(' '));
    assert.deepEqual(at('invalid.yaml'), ['6 error schema/type', '9 error schema/additionalProperties']);
    assert.deepEqual(at('list_invalid.yaml'), ['26 error schema/type', '29 error schema/additionalProperties']);
    assert.deepEqual(at('extra_property.yaml'), ['7 error schema/additionalProperties']);
    assert.deepEqual(at('multi_invalid.yaml'), ['12 error schema/type']);
    assert.deepEqual(show(errors(join(FIXTURES, 'kubeconform', 'same-kind-different-api.yaml'))), [
      '29 error schema/unknown-api-version Kubernetes stopped serving Deployment in apps/v1beta1 in release 1.16; use apps/v1 (Kubernetes Deprecated API Migration Guide).',
    ]);
  });

  it("gives no error on Backstage's example entities, and refuses its invalid one as the catalog does", () => {
    const dir = 'backstage-examples';
    for (const file of yamlIn(dir).filter((f) => !f.endsWith('invalid-component.yaml'))) assert.deepEqual(show(errors(file)), [], file);
    assert.deepEqual(show(errors(join(FIXTURES, dir, 'invalid-component.yaml'))), [
      '4 error backstage/entity-format The Backstage catalog refuses the entity: "metadata.name" is not valid; expected a string that is sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total but found "invalid component" (FieldFormatEntityPolicy).',
      '11 error backstage/entity-format The Backstage catalog refuses the entity: "tags.1" is not valid; expected a string that is sequences of [a-z0-9+#] separated by [-], at most 63 characters in total but found "go 1.15.3" (FieldFormatEntityPolicy).',
    ]);
  });
});

describe('every kind of the Kubernetes API', () => {
  const registry = new SchemaRegistry();

  it('has a schema for every built-in kind, deprecated-but-served ones and lists included', () => {
    for (const [apiVersion, kind] of [
      ['v1', 'Endpoints'],
      ['v1', 'ComponentStatus'],
      ['v1', 'ReplicationController'],
      ['v1', 'PodTemplate'],
      ['v1', 'Binding'],
      ['discovery.k8s.io/v1', 'EndpointSlice'],
      ['autoscaling/v1', 'HorizontalPodAutoscaler'],
      ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
      ['admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration'],
      ['admissionregistration.k8s.io/v1', 'MutatingAdmissionPolicy'],
      ['coordination.k8s.io/v1', 'Lease'],
      ['resource.k8s.io/v1', 'ResourceClaim'],
      ['storage.k8s.io/v1', 'VolumeAttributesClass'],
      ['networking.k8s.io/v1', 'ServiceCIDR'],
      ['apps/v1', 'DeploymentList'],
    ] as const) {
      assert.equal(registry.forKind(apiVersion, kind)?.origin, 'kubernetes', `${apiVersion} ${kind}`);
    }
    const none = validateText('/r/x.yaml', 'apiVersion: v1\nkind: ComponentStatus\nmetadata: { name: etcd-0 }\nconditions: [{ type: Healthy, status: "True" }]\n');
    assert.deepEqual(show(none), []);
  });

  it('names the release that stopped serving an API version and what serves the kind now', () => {
    const f = validateText('/r/x.yaml', 'apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: { name: x }\n');
    assert.deepEqual(show(f), ['1 error schema/unknown-api-version Kubernetes stopped serving CronJob in batch/v1beta1 in release 1.25; use batch/v1 (Kubernetes Deprecated API Migration Guide).']);
    assert.deepEqual(f[0]?.data, { path: ['apiVersion'], suggestion: 'batch/v1', allowed: ['batch/v1'] });
  });

  it('takes a custom resource whose kind shares a name with a built-in one for a custom resource', () => {
    for (const kind of ['Service', 'CronJob', 'Deployment']) {
      const f = validateText('/r/x.yaml', `apiVersion: platform.example.com/v1\nkind: ${kind}\nmetadata: { name: x }\nspec: { anything: 1 }\n`);
      assert.deepEqual(show(f), [`1 info schema/no-schema No schema for the custom resource ${kind} (platform.example.com/v1): the document is not validated.`]);
    }
    // a group without a dot cannot be a CRD's: still the likely typo
    assert.deepEqual(validateText('/r/x.yaml', 'apiVersion: app/v1\nkind: Deployment\n').map((f) => `${f.severity} ${f.ruleId}`), ['error schema/unknown-api-version']);
    // no CRD can add a kind to a group of the Kubernetes API
    assert.deepEqual(show(validateText('/r/x.yaml', 'apiVersion: v1\nkind: Widget\n')), ['2 warning schema/unknown-kind Kubernetes 1.36 serves no kind Widget in v1: the document is not validated.']);
    // a pre-release version of a Kubernetes group is served, only not bundled
    assert.deepEqual(validateText('/r/x.yaml', 'apiVersion: resource.k8s.io/v1beta2\nkind: ResourceClaim\n').map((f) => `${f.severity} ${f.ruleId}`), ['info schema/no-schema']);
  });
});

describe("the API server's own checks", () => {
  const errorsOf = (text: string) => show(validateText('/r/x.yaml', text).filter((f) => f.ruleId.startsWith('apiserver/')));
  const deployment = (patch: { name?: string; container?: string; labels?: string; extra?: string }) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${patch.name ?? 'web'}
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: ${patch.labels ?? '{ app: web }'}
    spec:
      containers:
${patch.container ?? '        - name: web\n          image: nginx'}
${patch.extra ?? ''}`;

  it('accepts what the API server accepts', () => {
    assert.deepEqual(errorsOf(deployment({ name: 'web.v2-a', labels: '{ app: web, "example.com/Tier_1": "Front.end-1", empty: "" }' })), []);
  });

  it('cites the rule for names, by kind', () => {
    assert.deepEqual(errorsOf(deployment({ name: 'Web_1' })), [
      "4 error apiserver/name metadata.name \"Web_1\" is rejected by the Kubernetes API server: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com').",
    ]);
    assert.match(errorsOf('apiVersion: v1\nkind: Service\nmetadata: { name: 1web }\n')[0] ?? '', /a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character/);
    assert.match(errorsOf('apiVersion: v1\nkind: Namespace\nmetadata: { name: a.b }\n')[0] ?? '', /a lowercase RFC 1123 label must consist/);
    assert.match(errorsOf(`apiVersion: batch/v1\nkind: CronJob\nmetadata: { name: ${'a'.repeat(53)} }\n`)[0] ?? '', /must be no more than 52 characters/);
    // RBAC names are path segments: colons are fine
    assert.deepEqual(errorsOf('apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: { name: "system:controller:x" }\n'), []);
  });

  it('checks label keys and values, annotation keys and selectors', () => {
    const out = errorsOf(deployment({ labels: '{ app: web, "-bad": x, tier: "front end" }', extra: '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations: { "a/b/c": x }\n' }));
    assert.deepEqual(
      out.map((s) => s.split(' is rejected')[0]),
      ['10 error apiserver/label spec.template.metadata.labels["-bad"] key "-bad"', '10 error apiserver/label spec.template.metadata.labels.tier value "front end"', '20 error apiserver/annotation metadata.annotations["a/b/c"] key "a/b/c"'],
    );
    assert.match(out[1] ?? '', /a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'/);
    const selector = errorsOf('apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: { name: r }\nspec:\n  selector:\n    matchExpressions: [{ key: app, operator: In }]\n  template: { metadata: { labels: { app: a } }, spec: { containers: [{ name: a, image: a }] } }\n');
    assert.match(selector[0] ?? '', /values must be specified when operator is 'In' or 'NotIn'/);
  });

  it('checks containers: names, ports, environment variable names, volume mounts', () => {
    const out = errorsOf(
      deployment({
        container: [
          '        - name: Web',
          '          image: nginx',
          '          ports: [{ name: http-metrics-port, containerPort: 70000 }, { name: http, containerPort: 80 }]',
          '          env: [{ name: "A=B", value: x }]',
          '          volumeMounts: [{ name: config, mountPath: /c }]',
          '        - name: side',
          '          image: nginx',
          '          ports: [{ name: http, containerPort: 81 }]',
        ].join('\n'),
      }),
    ).map((s) => s.replace(/ is rejected by the Kubernetes API server: /, ' | '));
    assert.deepEqual(out, [
      "13 error apiserver/container-name spec.template.spec.containers[0].name \"Web\" | a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc').",
      '15 error apiserver/port spec.template.spec.containers[0].ports[0].name "http-metrics-port" | must be no more than 15 characters.',
      '15 error apiserver/port spec.template.spec.containers[0].ports[0].containerPort 70000 | must be between 1 and 65535, inclusive.',
      "16 error apiserver/env-name spec.template.spec.containers[0].env[0].name \"A=B\" | a valid environment variable name must consist only of printable ASCII characters other than '='.",
      '17 error apiserver/volume spec.template.spec.containers[0].volumeMounts[0].name "config" | Not found: no volume of the pod has this name (spec.volumes).',
      '20 error apiserver/port spec.template.spec.containers[1].ports[0].name "http" | Duplicate value: each named port in a pod must have a unique name.',
    ]);
  });

  it("checks a Service's ports (a targetPort of 0 is defaulted to the port, so accepted)", () => {
    const service = 'apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec:\n  selector: { app: web }\n  ports:\n    - { port: 80, targetPort: http_x }\n    - { name: b, port: 0 }\n    - { name: c, port: 81, targetPort: 0 }\n';
    assert.deepEqual(
      errorsOf(service).map((s) => s.split(' is rejected')[0]),
      ['7 error apiserver/service-port spec.ports[0]', '7 error apiserver/service-port spec.ports[0].targetPort "http_x"', '8 error apiserver/service-port spec.ports[1].port 0'],
    );
  });

  it('validates the items of a kubectl List as documents', () => {
    const list = 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: { name: Bad }\n  - apiVersion: v1\n    kind: Secret\n    metadata: { name: s }\n    type: 3\n';
    const f = validateText('/r/x.yaml', list);
    assert.deepEqual(f.map((x) => `${x.range.start.line + 1} ${x.ruleId}`), ['6 apiserver/name', '10 schema/type']);
    assert.deepEqual(f[1]?.data?.path, ['items', 1, 'type']);
  });
});

describe('large files, document by document', () => {
  it('validates every document of a file over the old 5 MB limit, and reports a single oversized document alone', function () {
    this.timeout(60_000);
    const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c-${i}\ndata:\n  k: "${'x'.repeat(10_000)}"\n`;
    const docs = Array.from({ length: 700 }, (_, i) => doc(i));
    docs[699] = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: Bad }\n';
    const text = docs.join('---\n');
    assert.ok(Buffer.byteLength(text) > 6 * 1024 * 1024);
    assert.deepEqual(validateText('/r/big.yaml', text).map((f) => f.ruleId), ['apiserver/name']);

    const huge = `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: big }\ndata:\n  k: "${'x'.repeat(2048)}"\n---\napiVersion: v1\nkind: Service\nmetadata: { name: 1x }\n`;
    const small = validateText('/r/b.yaml', huge, { registry: new SchemaRegistry(), validator: new SchemaValidator(), limits: { maxDocumentBytes: 1024 } });
    assert.deepEqual(small.map((f) => `${f.range.start.line + 1} ${f.ruleId}`), ['1 yaml/too-large', '9 apiserver/name']);
    assert.match(small[0]?.message ?? '', /Document is too large to validate: 2 KB, the limit per document is 1 KB; the other documents of the file are validated\./);
  });
});
