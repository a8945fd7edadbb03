import { strict as assert } from 'node:assert';
import { buildAll, readCommitted } from '../../scripts/schemas/build';
import { formatPath } from '../../src/core/schema/messages';
import { SchemaValidator } from '../../src/core/schema/validator';

/** A manifest: apiVersion and kind pick its schema. */
type Manifest = { apiVersion: string; kind: string; [key: string]: unknown };

/** The committed generated files (relative to schemas/) as parsed JSON. */
const committed = readCommitted();
const json = (path: string): Record<string, unknown> => {
  const text = committed.get(path);
  if (text === undefined) throw new Error(`schemas/${path} is missing: run npx tsx scripts/schemas/build.ts`);
  return JSON.parse(text) as Record<string, unknown>;
};

type IndexEntry = { apiVersion: string; kind: string; file: string; docs: string };
const k8sIndex = json('kubernetes/index.json') as { kubernetesVersion: string; kinds: Record<string, IndexEntry> };
const backstageIndex = json('backstage/index.json') as { kinds: Record<string, IndexEntry> };

/** One strict validator for all bundled schemas, registered by their index key. */
const validator = new SchemaValidator({ strict: true });
for (const [key, entry] of Object.entries(k8sIndex.kinds)) validator.add(`k8s:${key}`, json(`kubernetes/${entry.file}`));
for (const [key, entry] of Object.entries(backstageIndex.kinds)) validator.add(`backstage:${key}`, json(`backstage/${entry.file}`));

/** Issues for `doc` against the schema of its own apiVersion/kind, or of `schemaKey` when given. */
function check(doc: Manifest, family: 'k8s' | 'backstage' = 'k8s', schemaKey = `${doc.apiVersion}/${doc.kind}`) {
  return validator.validateValue(`${family}:${schemaKey}`, doc).map((i) => ({ rule: i.ruleId, path: formatPath(i.path), message: i.message }));
}

const meta = { name: 'web', namespace: 'shop', labels: { app: 'web' } };
const podSpec = {
  containers: [
    {
      name: 'web',
      image: 'nginx:1.27',
      ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
      resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: 0.25, memory: '128Mi' } },
      env: [{ name: 'MODE', value: 'prod' }, { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
      readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
      livenessProbe: { tcpSocket: { port: 8080 } },
      securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      volumeMounts: [{ name: 'config', mountPath: '/etc/web' }],
    },
  ],
  volumes: [{ name: 'config', configMap: { name: 'web' } }],
};
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { ...meta, creationTimestamp: null, annotations: { 'example.com/owner': 'team-a' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
    template: { metadata: { labels: { app: 'web' } }, spec: podSpec },
  },
  status: {},
};

function withSpec(spec: Record<string, unknown>) {
  return { ...deployment, spec: { ...deployment.spec, ...spec } };
}
function withContainer(patch: Record<string, unknown>) {
  return withSpec({ template: { metadata: { labels: { app: 'web' } }, spec: { ...podSpec, containers: [{ ...podSpec.containers[0], ...patch }] } } });
}

const VALID: Record<string, Manifest> = {
  Deployment: deployment,
  Service: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta,
    spec: {
      type: 'ClusterIP',
      selector: { app: 'web' },
      ports: [
        { name: 'http', port: 80, targetPort: 'http' },
        { name: 'metrics', port: 9090, targetPort: 8080, protocol: 'TCP' },
      ],
    },
  },
  CronJob: {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta,
    spec: {
      schedule: '*/5 * * * *',
      concurrencyPolicy: 'Forbid',
      jobTemplate: { spec: { backoffLimit: 2, template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'job', image: 'busybox', command: ['sh', '-c', 'date'] }] } } } },
    },
  },
  HorizontalPodAutoscaler: {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta,
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] } },
    },
  },
  Ingress: {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { ...meta, annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' } },
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: ['shop.example.com'], secretName: 'web-tls' }],
      rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] } }],
    },
  },
  NetworkPolicy: {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta,
    spec: {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 'dns', protocol: 'UDP' }] }],
    },
  },
  PodDisruptionBudget: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta, spec: { minAvailable: '50%', selector: { matchLabels: { app: 'web' } } } },
  Role: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: meta,
    rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
  },
  RoleBinding: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'web' },
    subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }],
  },
  Certificate: {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: meta,
    spec: {
      secretName: 'web-tls',
      dnsNames: ['shop.example.com'],
      duration: '2160h',
      renewBefore: '360h',
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer', group: 'cert-manager.io' },
    },
  },
  ServiceMonitor: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: meta,
    spec: {
      selector: { matchLabels: { app: 'web' } },
      namespaceSelector: { matchNames: ['shop'] },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s', scheme: 'http' }],
    },
  },
  PrometheusRule: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: meta,
    spec: { groups: [{ name: 'web', rules: [{ alert: 'WebDown', expr: 'up{job="web"} == 0', for: '5m', labels: { severity: 'page' }, annotations: { summary: 'web is down' } }] }] },
  },
  HTTPRoute: {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: meta,
    spec: {
      parentRefs: [{ name: 'public', namespace: 'gateways' }],
      hostnames: ['shop.example.com'],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/api' } }],
          filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { add: [{ name: 'X-Env', value: 'prod' }] } }],
          backendRefs: [{ name: 'web', port: 80, weight: 90 }],
        },
      ],
    },
  },
  ScaledObject: {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: meta,
    spec: {
      scaleTargetRef: { name: 'web' },
      minReplicaCount: 1,
      maxReplicaCount: 20,
      triggers: [
        { type: 'prometheus', metadata: { serverAddress: 'http://prometheus:9090', query: 'sum(rate(http_requests_total[1m]))', threshold: '100' } },
        { type: 'cpu', metricType: 'Utilization', metadata: { value: '60' } },
      ],
    },
  },
  Application: {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'web', namespace: 'argocd', finalizers: ['resources-finalizer.argocd.argoproj.io'] },
    spec: {
      project: 'default',
      source: { repoURL: 'https://github.com/example/deploy.git', targetRevision: 'HEAD', path: 'apps/web', helm: { valueFiles: ['values-prod.yaml'], valuesObject: { replicas: 3, image: { tag: '1.2.3' } } } },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
    },
  },
};

const BACKSTAGE_VALID: Record<string, Manifest> = {
  Component: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'web', annotations: { 'backstage.io/techdocs-ref': 'dir:.', 'github.com/project-slug': 'example/web' }, tags: ['node'], customField: 'allowed' },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a', system: 'shop', providesApis: ['web-api'] },
  },
  API: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'web-api' },
    spec: { type: 'openapi', lifecycle: 'production', owner: 'team-a', definition: 'openapi: "3.0.0"' },
  },
  Group: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-a' },
    spec: { type: 'team', profile: { displayName: 'Team A' }, children: [], members: ['jane'] },
  },
  System: { apiVersion: 'backstage.io/v1alpha1', kind: 'System', metadata: { name: 'shop' }, spec: { owner: 'team-a', domain: 'commerce' } },
  Template: {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'node-service', title: 'Node.js service' },
    spec: {
      owner: 'team-a',
      type: 'service',
      parameters: [{ title: 'Service', required: ['name'], properties: { name: { type: 'string', title: 'Name' } } }],
      steps: [
        { id: 'fetch', name: 'Fetch skeleton', action: 'fetch:template', input: { url: './skeleton', values: { name: '${{ parameters.name }}' } } },
        { id: 'publish', name: 'Publish', action: 'publish:github', if: '${{ parameters.publish }}', input: { repoUrl: 'github.com?owner=example&repo=x' } },
      ],
      output: { links: [{ title: 'Repository', url: '${{ steps.publish.output.remoteUrl }}' }] },
    },
  },
};

describe('bundled schemas', function () {
  this.timeout(120_000);

  it('index every generated kind file, with a Kubernetes version and docs links', () => {
    assert.match(k8sIndex.kubernetesVersion, /^1\.(3[0-9]|[4-9][0-9])$/);
    const files = new Set([...committed.keys()]);
    for (const entry of Object.values(k8sIndex.kinds)) {
      assert.ok(files.has(`kubernetes/${entry.file}`), entry.file);
      assert.match(entry.docs, /^https:\/\//);
    }
    for (const entry of Object.values(backstageIndex.kinds)) assert.ok(files.has(`backstage/${entry.file}`), entry.file);
    const required = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Service', 'ConfigMap', 'Secret', 'ServiceAccount', 'Ingress', 'NetworkPolicy', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'PersistentVolumeClaim', 'Namespace', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'];
    const kinds = new Set(Object.values(k8sIndex.kinds).map((e) => e.kind));
    for (const k of required) assert.ok(kinds.has(k), k);
    assert.ok(k8sIndex.kinds['autoscaling/v2/HorizontalPodAutoscaler']);
    assert.equal(k8sIndex.kinds['extensions/v1beta1/Ingress'], undefined);
    for (const k of ['Component', 'API', 'Resource', 'System', 'Domain', 'Group', 'User', 'Location']) assert.ok(backstageIndex.kinds[`backstage.io/v1alpha1/${k}`], k);
    assert.ok(backstageIndex.kinds['scaffolder.backstage.io/v1beta3/Template']);
  });

  it('compile in ajv strict mode, every one of them', () => {
    for (const key of Object.keys(k8sIndex.kinds)) validator.validateValue(`k8s:${key}`, {});
    for (const key of Object.keys(backstageIndex.kinds)) validator.validateValue(`backstage:${key}`, {});
  });

  it('keep no vendor extension or format keyword that strict ajv would reject', () => {
    const offending: string[] = [];
    /** Walks schema objects; the values of `properties`/`definitions` maps are schemas, their keys are names. */
    const walk = (node: unknown, where: string, namesMap: boolean): void => {
      if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${where}/${i}`, false));
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (!namesMap && (k.startsWith('x-') || k === 'format')) offending.push(`${where}/${k}`);
          if (!namesMap && (k === 'examples' || k === 'default' || k === 'const' || k === 'enum')) continue;
          walk(v, `${where}/${k}`, !namesMap && (k === 'properties' || k === 'definitions' || k === 'patternProperties'));
        }
      }
    };
    for (const [path, text] of committed) if (!path.endsWith('index.json') && !path.endsWith('annotations.json')) walk(JSON.parse(text), path, false);
    assert.deepEqual(offending, []);
  });

  for (const [name, doc] of Object.entries(VALID)) {
    it(`accept a valid ${name}`, () => assert.deepEqual(check(doc), []));
  }
  for (const [name, doc] of Object.entries(BACKSTAGE_VALID)) {
    it(`accept a valid Backstage ${name}`, () => assert.deepEqual(check(doc, 'backstage'), []));
  }

  describe('report typical Kubernetes mistakes', () => {
    it('a string where an integer belongs', () => {
      assert.deepEqual(check(withSpec({ replicas: '3' })), [
        { rule: 'schema/type', path: 'spec.replicas', message: `'spec.replicas' must be an integer, got the string "3".` },
      ]);
    });

    it('a misspelt field, with the likely one', () => {
      const { replicas: _r, ...spec } = deployment.spec;
      const out = check({ ...deployment, spec: { ...spec, replica: 3 } });
      assert.equal(out.length, 1);
      assert.equal(out[0]?.rule, 'schema/additionalProperties');
      assert.equal(out[0]?.path, 'spec.replica');
      assert.match(out[0]?.message ?? '', /did you mean 'replicas'/);
    });

    it('unknown fields in metadata and deep in the pod template', () => {
      assert.deepEqual(
        check({ ...deployment, metadata: { ...meta, label: { a: 'b' } } }).map((i) => [i.rule, i.path]),
        [['schema/additionalProperties', 'metadata.label']],
      );
      const out = check(withContainer({ imagePullPolicy: 'Always', imagePolicy: 'x' }));
      assert.deepEqual(out.map((i) => [i.rule, i.path]), [['schema/additionalProperties', 'spec.template.spec.containers[0].imagePolicy']]);
    });

    it('resource quantities: 500m and 1.5 are fine, "abc" is not', () => {
      const resources = (cpu: unknown) => withContainer({ resources: { limits: { cpu } } });
      assert.deepEqual(check(resources('500m')), []);
      assert.deepEqual(check(resources(1.5)), []);
      assert.deepEqual(check(resources('1.5')), []);
      assert.deepEqual(check(resources('2Gi')), []);
      const out = check(resources('abc'));
      assert.equal(out.length, 1);
      assert.equal(out[0]?.rule, 'schema/pattern');
      assert.equal(out[0]?.path, 'spec.template.spec.containers[0].resources.limits.cpu');
      assert.match(out[0]?.message ?? '', /Kubernetes quantity/);
    });

    it("int-or-string ports: 'http' and 8080 are fine, a list is not", () => {
      const svc = (targetPort: unknown): Manifest => ({ ...(VALID.Service as Manifest), spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort }] } });
      assert.deepEqual(check(svc('http')), []);
      assert.deepEqual(check(svc(8080)), []);
      assert.deepEqual(check(svc([1])), [
        { rule: 'schema/type', path: 'spec.ports[0].targetPort', message: "'spec.ports[0].targetPort' must be an integer or a string, got a list." },
      ]);
    });

    it('enums, missing required fields and the wrong kind', () => {
      const out = check(withContainer({ imagePullPolicy: 'Allways' }));
      assert.equal(out[0]?.rule, 'schema/enum');
      assert.match(out[0]?.message ?? '', /Did you mean 'Always'/);
      const { selector: _s, ...noSelector } = deployment.spec;
      assert.deepEqual(check({ ...deployment, spec: noSelector }).map((i) => [i.rule, i.path]), [['schema/required', 'spec']]);
      assert.deepEqual(check({ ...deployment, apiVersion: 'extensions/v1beta1' }, 'k8s', 'apps/v1/Deployment').map((i) => i.rule), ['schema/const']);
    });

    it('Secret data must be base64, stringData may be anything', () => {
      const secret = (data: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: meta, type: 'Opaque', ...data });
      assert.deepEqual(check(secret({ data: { password: 'c2VjcmV0' }, stringData: { token: 'plain text' } })), []);
      assert.deepEqual(check(secret({ data: { password: 'not base64!' } })).map((i) => i.rule), ['schema/pattern']);
    });

    it('CRDs are strict too', () => {
      const cert = VALID.Certificate as Manifest;
      const out = check({ ...cert, spec: { ...(cert.spec as object), dnsName: ['x'] } });
      assert.ok(out.some((i) => i.rule === 'schema/additionalProperties' && i.path === 'spec.dnsName' && /did you mean 'dnsNames'/.test(i.message)), JSON.stringify(out));
    });
  });

  describe('report typical Backstage mistakes', () => {
    it('a Component without spec.owner', () => {
      const c = BACKSTAGE_VALID.Component as Manifest;
      const { owner: _o, ...spec } = c.spec as Record<string, unknown>;
      assert.deepEqual(check({ ...c, spec }, 'backstage'), [
        { rule: 'schema/required', path: 'spec', message: "Missing required property 'owner' in 'spec'." },
      ]);
    });

    it('an unknown top-level field, but extra metadata is fine', () => {
      const out = check({ ...(BACKSTAGE_VALID.System as Manifest), specs: {} }, 'backstage');
      assert.ok(out.some((i) => i.rule === 'schema/additionalProperties' && i.path === 'specs'), JSON.stringify(out));
    });

    it('an MCP server API is checked against its own shape', () => {
      const mcp = { apiVersion: 'backstage.io/v1alpha1', kind: 'API', metadata: { name: 'mcp' }, spec: { type: 'mcp-server', lifecycle: 'production', owner: 'team-a', remotes: [{ type: 'streamable-http', url: 'https://mcp.example.com' }] } };
      assert.deepEqual(check(mcp, 'backstage'), []);
      assert.deepEqual(check({ ...mcp, spec: { ...mcp.spec, remotes: [] } }, 'backstage').map((i) => [i.rule, i.path]), [['schema/minItems', 'spec.remotes']]);
    });
  });

  it('annotations carry a description and a docs link each', () => {
    const { annotations } = json('backstage/annotations.json') as { annotations: Record<string, { description: string; docs: string }> };
    for (const name of ['backstage.io/techdocs-ref', 'backstage.io/kubernetes-id', 'backstage.io/kubernetes-label-selector', 'backstage.io/kubernetes-namespace', 'github.com/project-slug', 'backstage.io/source-location', 'backstage.io/managed-by-location', 'pagerduty.com/service-id', 'pagerduty.com/integration-key', 'opsgenie.com/component-selector', 'backstage.io/view-url', 'backstage.io/edit-url', 'sonarqube.org/project-key', 'jenkins.io/job-full-name', 'argocd/app-name']) {
      const a = annotations[name];
      assert.ok(a, name);
      assert.ok(a.description.length > 10, name);
      assert.match(a.docs, /^https:\/\//, name);
    }
  });

  it('are exactly what scripts/schemas/build.ts generates (no drift from the packages)', async () => {
    const generated = await buildAll();
    assert.deepEqual([...generated.keys()], [...committed.keys()].sort());
    for (const [path, text] of generated) assert.ok(committed.get(path) === text, `schemas/${path} differs: run npx tsx scripts/schemas/build.ts`);
  });
});
