// Seeded corpus for the validation benchmark (`npm run bench:validate`).
//
//   node bench/validate/corpus.mjs [--seed 42] [--out .bench/corpus] [--error-rate 0.03]
//
// Writes three sets under --out, and manifest.json, which lists every document a
// mistake was injected into (exactly one mistake per invalid document):
//   k8s/all.yaml            one file, 3,000 Kubernetes documents separated by `---`
//                           (Deployments, Services, ConfigMaps, HPAs, Ingresses, CronJobs)
//   catalog/**/catalog-info.yaml   2,000 Backstage files (Components, APIs, Systems, Groups;
//                           some files hold a Component and its API as two documents)
//   platform/services/<svc>/…      2,000 files: deploy/deployment.yaml, deploy/service.yaml,
//                           slo/<svc>.sloth.yaml (Sloth prometheus/v1), score.yaml (score.dev/v1b1)
// Same seed → byte-identical files. The mistakes are the realistic kinds: wrong type,
// unknown field (typo), invalid enum value, missing required field, wrong nesting.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LineCounter, isMap, isSeq, parseDocument, stringify } from 'yaml';
import { Rng } from './lib/prng.mjs';
import { deleteIn, formatPath, getIn, insertIn, renameIn, setIn, toPointer } from './lib/paths.mjs';
import { REPO, documentKey } from './lib/schemas.mjs';

export const CORPUS_VERSION = 1;
export const DEFAULT_SEED = 42;
export const DEFAULT_OUT = join(REPO, '.bench/corpus');
const K8S_DOCS = 3000;
const CATALOG_FILES = 2000;
const PLATFORM_FILES = 2000;

// ---- vocabulary ----------------------------------------------------------------
const DOMAINS = ['commerce', 'payments', 'identity', 'logistics', 'search', 'media', 'analytics', 'platform', 'messaging', 'growth'];
const NOUNS = ['checkout', 'cart', 'orders', 'billing', 'invoices', 'ledger', 'accounts', 'auth', 'profile', 'sessions', 'shipping', 'tracking', 'warehouse', 'inventory', 'pricing', 'recommendations', 'reviews', 'notifications', 'email', 'sms', 'images', 'video', 'reports', 'events', 'metrics', 'gateway', 'search', 'indexer', 'catalog', 'ratings', 'coupons', 'loyalty', 'fraud', 'refunds', 'payouts', 'tax', 'quotes', 'returns', 'wishlist', 'feeds'];
const SUFFIXES = ['api', 'worker', 'service', 'gateway', 'consumer', 'scheduler', 'web', 'grpc', 'sync', 'exporter'];
const TEAMS = ['checkout', 'payments', 'identity', 'fulfilment', 'discovery', 'media', 'data', 'platform', 'messaging', 'growth', 'risk', 'finance'].map((t) => `team-${t}`);
const SIDECARS = [
  { name: 'envoy', image: 'envoyproxy/envoy:v1.31.2', port: 15001 },
  { name: 'fluent-bit', image: 'fluent/fluent-bit:3.1.9', port: 2020 },
  { name: 'otel-collector', image: 'otel/opentelemetry-collector-contrib:0.112.0', port: 4317 },
  { name: 'statsd-exporter', image: 'prom/statsd-exporter:v0.27.1', port: 9102 },
];
const SCHEDULES = ['*/5 * * * *', '0 * * * *', '15 2 * * *', '0 3 * * 0', '30 */6 * * *', '0 0 1 * *'];

// ---- document generators -------------------------------------------------------
// Each returns { doc, injections }: `injections` are the mistakes that can be made in
// that document; each mutates `doc` and returns { path, reason, locate } where `path` is
// the JSON path of the mistake and `locate` ('path' | 'parent') says where its line is.

/** A service-like name, unique within `used` (a numeric suffix from the second use on). */
function names(rng, used) {
  const base = `${rng.pick(NOUNS)}-${rng.pick(SUFFIXES)}`;
  const n = (used.get(base) ?? 0) + 1;
  used.set(base, n);
  return n === 1 ? base : `${base}-${n}`;
}

function version(rng) {
  return `${rng.int(0, 4)}.${rng.int(0, 30)}.${rng.int(0, 20)}`;
}

function k8sMeta(ctx, extraLabels = {}) {
  return {
    name: ctx.name,
    namespace: ctx.namespace,
    labels: {
      'app.kubernetes.io/name': ctx.app,
      'app.kubernetes.io/part-of': ctx.system,
      'app.kubernetes.io/version': ctx.version,
      'app.kubernetes.io/managed-by': 'paved-road',
      'paved-road.dev/team': ctx.team,
      ...extraLabels,
    },
  };
}

function envVars(rng, ctx) {
  const env = [
    { name: 'PORT', value: '8080' },
    { name: 'LOG_LEVEL', value: rng.pick(['info', 'debug', 'warn']) },
    { name: 'LOG_FORMAT', value: 'json' },
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://localhost:4317' },
    { name: 'OTEL_SERVICE_NAME', value: ctx.app },
    { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: `${ctx.app}-db`, key: 'url' } } },
    { name: 'REDIS_ADDR', value: `${ctx.app}-redis.${ctx.namespace}.svc.cluster.local:6379` },
    { name: 'FEATURE_FLAGS_URL', value: 'http://flags.platform.svc.cluster.local' },
    { name: 'HTTP_TIMEOUT', value: `${rng.int(2, 30)}s` },
    { name: 'API_KEY', valueFrom: { secretKeyRef: { name: `${ctx.app}-secrets`, key: 'api-key', optional: true } } },
    { name: 'MAX_CONNECTIONS', value: String(rng.int(10, 200)) },
  ];
  return [env[0], ...rng.sample(env.slice(1), rng.int(3, 8))];
}

function probe(rng, path, initial) {
  return {
    httpGet: { path, port: 'http' },
    initialDelaySeconds: initial,
    periodSeconds: rng.pick([5, 10, 15]),
    ...(rng.bool(0.3) ? { timeoutSeconds: rng.pick([2, 3]) } : {}),
  };
}

function appContainer(rng, ctx) {
  const c = {
    name: 'app',
    image: `ghcr.io/acme/${ctx.app}:${ctx.version}`,
    imagePullPolicy: 'IfNotPresent',
    args: ['--port=8080', '--metrics-port=9090', `--config=/etc/${ctx.app}/config.yaml`],
    ports: [
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
    ],
    env: envVars(rng, ctx),
    envFrom: [{ configMapRef: { name: `${ctx.app}-config` } }],
    resources: {
      requests: { cpu: rng.pick(['50m', '100m', '250m', '500m']), memory: rng.pick(['64Mi', '128Mi', '256Mi', '512Mi']) },
      limits: { cpu: rng.pick(['500m', '1', '2']), memory: rng.pick(['256Mi', '512Mi', '1Gi', '2Gi']) },
    },
    readinessProbe: probe(rng, '/readyz', 5),
    livenessProbe: probe(rng, '/healthz', 15),
    volumeMounts: [
      { name: 'config', mountPath: `/etc/${ctx.app}`, readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ],
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
  };
  if (rng.bool(0.3)) c.startupProbe = { ...probe(rng, '/healthz', 0), failureThreshold: 30 };
  return c;
}

function sidecar(rng, s) {
  return {
    name: s.name,
    image: s.image,
    imagePullPolicy: 'IfNotPresent',
    ports: [{ name: s.name.slice(0, 15), containerPort: s.port }],
    resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
  };
}

function podSpec(rng, ctx, containers, extra = {}) {
  const spec = {
    serviceAccountName: ctx.app,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    terminationGracePeriodSeconds: rng.pick([30, 45, 60]),
    ...extra,
    containers,
    volumes: [
      { name: 'config', configMap: { name: `${ctx.app}-config` } },
      { name: 'tmp', emptyDir: {} },
    ],
  };
  if (rng.bool(0.25)) spec.nodeSelector = { 'kubernetes.io/arch': 'amd64', 'node.kubernetes.io/pool': rng.pick(['general', 'compute', 'memory']) };
  if (rng.bool(0.2)) spec.tolerations = [{ key: 'dedicated', operator: 'Equal', value: ctx.team, effect: 'NoSchedule' }];
  return spec;
}

/** Index of the container a mistake goes into. */
const anyContainer = (rng, doc, podPath) => rng.int(0, getIn(doc, [...podPath, 'containers']).length - 1);

function deployment(rng, ctx) {
  const containers = [appContainer(rng, ctx), ...rng.sample(SIDECARS, rng.weighted([[0, 5], [1, 4], [2, 1]])).map((s) => sidecar(rng, s))];
  const initContainers = rng.bool(0.3)
    ? { initContainers: [{ name: 'migrate', image: `ghcr.io/acme/${ctx.app}-migrations:${ctx.version}`, args: ['migrate', 'up'], envFrom: [{ secretRef: { name: `${ctx.app}-db` } }] }] }
    : {};
  const doc = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { ...k8sMeta(ctx), annotations: { 'paved-road.dev/owner': ctx.team, 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' } },
    spec: {
      replicas: rng.int(1, 6),
      revisionHistoryLimit: 5,
      selector: { matchLabels: { 'app.kubernetes.io/name': ctx.app } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': ctx.app, 'app.kubernetes.io/version': ctx.version }, annotations: { 'checksum/config': rng.hex(64) } },
        spec: podSpec(rng, ctx, containers, initContainers),
      },
    },
  };
  const pod = ['spec', 'template', 'spec'];
  const c = (d) => [...pod, 'containers', anyContainer(rng, d, pod)];
  const injections = [
    ['wrong-type', (d) => { setIn(d, ['spec', 'replicas'], String(d.spec.replicas)); return { path: ['spec', 'replicas'], reason: 'replicas is the string "N", must be an integer' }; }],
    ['wrong-type', (d) => { const p = [...c(d), 'ports', 0, 'containerPort']; setIn(d, p, String(getIn(d, p))); return { path: p, reason: 'containerPort is a string, must be an integer' }; }],
    ['wrong-type', (d) => { const p = [...pod, 'containers', 0, 'env', 0, 'value']; setIn(d, p, 8080); return { path: p, reason: 'env value is the number 8080, must be a string' }; }],
    ['unknown-field', (d) => { renameIn(d, ['spec', 'replicas'], 'replica'); return { path: ['spec', 'replica'], reason: 'typo: replica (for replicas)' }; }],
    ['unknown-field', (d) => { const p = [...c(d), 'imagePullPolicy']; renameIn(d, p, 'imagePulPolicy'); return { path: [...p.slice(0, -1), 'imagePulPolicy'], reason: 'typo: imagePulPolicy (for imagePullPolicy)' }; }],
    ['unknown-field', (d) => { const p = [...pod, 'containers', 0, 'readinessProbe', 'initialDelaySeconds']; renameIn(d, p, 'initialDelaySecond'); return { path: [...p.slice(0, -1), 'initialDelaySecond'], reason: 'typo: initialDelaySecond (for initialDelaySeconds)' }; }],
    ['invalid-enum', (d) => { const p = [...c(d), 'imagePullPolicy']; setIn(d, p, 'IfNotPresnt'); return { path: p, reason: 'imagePullPolicy "IfNotPresnt" is not one of Always, IfNotPresent, Never' }; }],
    ['invalid-enum', (d) => { insertIn(d, pod, 'restartPolicy', 'Sometimes', 'terminationGracePeriodSeconds'); return { path: [...pod, 'restartPolicy'], reason: 'restartPolicy "Sometimes" is not one of Always, Never, OnFailure' }; }],
    ['invalid-enum', (d) => { setIn(d, ['spec', 'strategy', 'type'], 'Rolling'); return { path: ['spec', 'strategy', 'type'], reason: 'strategy.type "Rolling" is not one of Recreate, RollingUpdate' }; }],
    ['missing-required', (d) => { deleteIn(d, ['spec', 'selector']); return { path: ['spec', 'selector'], locate: 'parent', reason: 'spec.selector is required' }; }],
    ['missing-required', (d) => { const p = [...c(d), 'name']; deleteIn(d, p); return { path: p, locate: 'parent', reason: 'container name is required' }; }],
    ['wrong-nesting', (d) => { const r = [...pod, 'containers', 0, 'resources']; const cpu = getIn(d, [...r, 'requests', 'cpu']); deleteIn(d, [...r, 'requests', 'cpu']); insertIn(d, r, 'cpu', cpu, undefined); return { path: [...r, 'cpu'], reason: 'cpu directly under resources (belongs under resources.requests)' }; }],
    ['wrong-nesting', (d) => { const env = getIn(d, [...pod, 'containers', 0, 'env']); deleteIn(d, [...pod, 'containers', 0, 'env']); insertIn(d, pod, 'env', env, 'serviceAccountName'); return { path: [...pod, 'env'], reason: 'env on the pod spec (belongs on a container)' }; }],
    ['wrong-nesting', (d) => { const pr = [...pod, 'containers', 0, 'livenessProbe']; const path = getIn(d, [...pr, 'httpGet', 'path']); deleteIn(d, [...pr, 'httpGet', 'path']); insertIn(d, pr, 'path', path, 'httpGet'); return { path: [...pr, 'path'], reason: 'probe path beside httpGet (belongs under httpGet)' }; }],
  ];
  return { doc, injections };
}

function service(rng, ctx) {
  const doc = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: k8sMeta(ctx),
    spec: {
      type: rng.weighted([['ClusterIP', 8], ['LoadBalancer', 1], ['NodePort', 1]]),
      selector: { 'app.kubernetes.io/name': ctx.app },
      ports: [
        { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
        ...(rng.bool(0.6) ? [{ name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' }] : []),
      ],
      ...(rng.bool(0.2) ? { sessionAffinity: 'None' } : {}),
    },
  };
  const injections = [
    ['wrong-type', (d) => { setIn(d, ['spec', 'ports', 0, 'port'], '80'); return { path: ['spec', 'ports', 0, 'port'], reason: 'port is the string "80", must be an integer' }; }],
    ['unknown-field', (d) => { renameIn(d, ['spec', 'ports', 0, 'targetPort'], 'targetport'); return { path: ['spec', 'ports', 0, 'targetport'], reason: 'typo: targetport (for targetPort)' }; }],
    ['invalid-enum', (d) => { setIn(d, ['spec', 'type'], 'LoadBalancr'); return { path: ['spec', 'type'], reason: 'type "LoadBalancr" is not one of ClusterIP, ExternalName, LoadBalancer, NodePort' }; }],
    ['invalid-enum', (d) => { setIn(d, ['spec', 'ports', 0, 'protocol'], 'HTTP'); return { path: ['spec', 'ports', 0, 'protocol'], reason: 'protocol "HTTP" is not one of SCTP, TCP, UDP' }; }],
    ['missing-required', (d) => { deleteIn(d, ['spec', 'ports', 0, 'port']); return { path: ['spec', 'ports', 0, 'port'], locate: 'parent', reason: 'ports[].port is required' }; }],
    ['wrong-nesting', (d) => { const labels = d.metadata.labels; deleteIn(d, ['metadata', 'labels']); insertIn(d, ['spec'], 'labels', labels, 'type'); return { path: ['spec', 'labels'], reason: 'labels under spec (belong under metadata)' }; }],
  ];
  return { doc, injections };
}

function configMap(rng, ctx) {
  const data = {
    LOG_LEVEL: rng.pick(['info', 'debug']),
    HTTP_PORT: '8080',
    FEATURE_NEW_CHECKOUT: rng.pick(['true', 'false']),
    CACHE_TTL: `${rng.int(1, 60)}m`,
    UPSTREAM_URL: `http://${rng.pick(NOUNS)}-api.${ctx.namespace}.svc.cluster.local`,
    'config.yaml': `server:\n  port: 8080\n  readTimeout: ${rng.int(1, 30)}s\nlogging:\n  level: info\n  format: json\ntracing:\n  enabled: true\n  sampleRate: 0.${rng.int(1, 9)}\n`,
  };
  if (rng.bool(0.5)) data['rules.json'] = JSON.stringify({ version: 2, limits: { rps: rng.int(10, 500), burst: rng.int(10, 100) } });
  const doc = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...k8sMeta(ctx), name: `${ctx.app}-config` }, data };
  const injections = [
    ['wrong-type', (d) => { setIn(d, ['data', 'HTTP_PORT'], 8080); return { path: ['data', 'HTTP_PORT'], reason: 'data value is the number 8080, must be a string' }; }],
    ['wrong-type', (d) => { setIn(d, ['data', 'FEATURE_NEW_CHECKOUT'], true); return { path: ['data', 'FEATURE_NEW_CHECKOUT'], reason: 'data value is the boolean true, must be a string' }; }],
    ['unknown-field', (d) => { renameIn(d, ['metadata', 'labels'], 'lables'); return { path: ['metadata', 'lables'], reason: 'typo: lables (for labels)' }; }],
    ['wrong-nesting', (d) => { const v = d.data.LOG_LEVEL; deleteIn(d, ['data', 'LOG_LEVEL']); insertIn(d, [], 'LOG_LEVEL', v, 'metadata'); return { path: ['LOG_LEVEL'], reason: 'a data key at the top level (belongs under data)' }; }],
  ];
  return { doc, injections };
}

function hpa(rng, ctx) {
  const doc = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: k8sMeta(ctx),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: ctx.app },
      minReplicas: rng.int(1, 3),
      maxReplicas: rng.int(4, 20),
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: rng.pick([60, 70, 75, 80]) } } },
        ...(rng.bool(0.5) ? [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: rng.pick(['256Mi', '512Mi']) } } }] : []),
      ],
      ...(rng.bool(0.4)
        ? { behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] } } }
        : {}),
    },
  };
  const injections = [
    ['wrong-type', (d) => { setIn(d, ['spec', 'maxReplicas'], String(d.spec.maxReplicas)); return { path: ['spec', 'maxReplicas'], reason: 'maxReplicas is a string, must be an integer' }; }],
    ['wrong-type', (d) => { const p = ['spec', 'metrics', 0, 'resource', 'target', 'averageUtilization']; setIn(d, p, `${getIn(d, p)}%`); return { path: p, reason: 'averageUtilization is "70%", must be an integer' }; }],
    ['unknown-field', (d) => { renameIn(d, ['spec', 'minReplicas'], 'minReplica'); return { path: ['spec', 'minReplica'], reason: 'typo: minReplica (for minReplicas)' }; }],
    ['missing-required', (d) => { deleteIn(d, ['spec', 'scaleTargetRef', 'name']); return { path: ['spec', 'scaleTargetRef', 'name'], locate: 'parent', reason: 'scaleTargetRef.name is required' }; }],
    ['missing-required', (d) => { deleteIn(d, ['spec', 'maxReplicas']); return { path: ['spec', 'maxReplicas'], locate: 'parent', reason: 'spec.maxReplicas is required' }; }],
    ['wrong-nesting', (d) => { insertIn(d, ['spec'], 'targetCPUUtilizationPercentage', 70, 'maxReplicas'); return { path: ['spec', 'targetCPUUtilizationPercentage'], reason: 'autoscaling/v1 field in an autoscaling/v2 spec (belongs in metrics[].resource.target)' }; }],
  ];
  return { doc, injections };
}

function ingress(rng, ctx) {
  const host = `${ctx.app}.${rng.pick(['acme.example', 'internal.acme.example', 'api.acme.example'])}`;
  const doc = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { ...k8sMeta(ctx), annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt', 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' } },
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: [host], secretName: `${ctx.app}-tls` }],
      rules: [{
        host,
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: ctx.app, port: { name: 'http' } } } },
            ...(rng.bool(0.5) ? [{ path: '/metrics', pathType: 'Exact', backend: { service: { name: ctx.app, port: { number: 9090 } } } }] : []),
          ],
        },
      }],
    },
  };
  const p0 = ['spec', 'rules', 0, 'http', 'paths', 0];
  const injections = [
    ['invalid-enum', (d) => { setIn(d, [...p0, 'pathType'], 'Regex'); return { path: [...p0, 'pathType'], reason: 'pathType "Regex" is not one of Exact, ImplementationSpecific, Prefix' }; }],
    ['missing-required', (d) => { deleteIn(d, [...p0, 'pathType']); return { path: [...p0, 'pathType'], locate: 'parent', reason: 'paths[].pathType is required' }; }],
    ['missing-required', (d) => { deleteIn(d, [...p0, 'backend', 'service', 'name']); return { path: [...p0, 'backend', 'service', 'name'], locate: 'parent', reason: 'backend.service.name is required' }; }],
    ['unknown-field', (d) => { renameIn(d, ['spec', 'ingressClassName'], 'ingressClass'); return { path: ['spec', 'ingressClass'], reason: 'typo: ingressClass (for ingressClassName)' }; }],
    ['wrong-nesting', (d) => { setIn(d, [...p0, 'backend'], { serviceName: ctx.app, servicePort: 80 }); return { path: [...p0, 'backend', 'serviceName'], reason: 'networking/v1beta1 backend (serviceName/servicePort) in networking/v1 (belongs under backend.service)' }; }],
    ['wrong-type', (d) => { setIn(d, [...p0, 'backend', 'service', 'port'], { number: '80' }); return { path: [...p0, 'backend', 'service', 'port', 'number'], reason: 'port.number is the string "80", must be an integer' }; }],
  ];
  return { doc, injections };
}

function cronJob(rng, ctx) {
  const container = {
    name: 'job',
    image: `ghcr.io/acme/${ctx.app}:${ctx.version}`,
    imagePullPolicy: 'IfNotPresent',
    args: [rng.pick(['cleanup', 'reindex', 'export', 'reconcile', 'send-digest']), `--batch-size=${rng.int(100, 5000)}`],
    env: envVars(rng, ctx).slice(0, rng.int(2, 4)),
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
  };
  const doc = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: k8sMeta(ctx),
    spec: {
      schedule: rng.pick(SCHEDULES),
      timeZone: 'Etc/UTC',
      concurrencyPolicy: rng.pick(['Forbid', 'Replace', 'Allow']),
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        spec: {
          backoffLimit: rng.int(0, 6),
          activeDeadlineSeconds: rng.pick([600, 1800, 3600]),
          ttlSecondsAfterFinished: 86400,
          template: {
            metadata: { labels: { 'app.kubernetes.io/name': ctx.app } },
            spec: {
              restartPolicy: 'OnFailure',
              serviceAccountName: ctx.app,
              securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [container],
            },
          },
        },
      },
    },
  };
  const job = ['spec', 'jobTemplate', 'spec'];
  const pod = [...job, 'template', 'spec'];
  const injections = [
    ['wrong-type', (d) => { setIn(d, ['spec', 'successfulJobsHistoryLimit'], '3'); return { path: ['spec', 'successfulJobsHistoryLimit'], reason: 'successfulJobsHistoryLimit is the string "3", must be an integer' }; }],
    ['wrong-type', (d) => { insertIn(d, ['spec'], 'suspend', 'false', 'concurrencyPolicy'); return { path: ['spec', 'suspend'], reason: 'suspend is the string "false", must be a boolean' }; }],
    ['invalid-enum', (d) => { setIn(d, ['spec', 'concurrencyPolicy'], 'Sometimes'); return { path: ['spec', 'concurrencyPolicy'], reason: 'concurrencyPolicy "Sometimes" is not one of Allow, Forbid, Replace' }; }],
    ['invalid-enum', (d) => { setIn(d, [...pod, 'restartPolicy'], 'Sometimes'); return { path: [...pod, 'restartPolicy'], reason: 'restartPolicy "Sometimes" is not one of Always, Never, OnFailure' }; }],
    ['missing-required', (d) => { deleteIn(d, ['spec', 'schedule']); return { path: ['spec', 'schedule'], locate: 'parent', reason: 'spec.schedule is required' }; }],
    ['unknown-field', (d) => { renameIn(d, ['spec', 'startingDeadlineSeconds'], 'startingDeadlineSecond'); return { path: ['spec', 'startingDeadlineSecond'], reason: 'typo: startingDeadlineSecond (for startingDeadlineSeconds)' }; }],
    ['unknown-field', (d) => { renameIn(d, [...job, 'backoffLimit'], 'backOffLimit'); return { path: [...job, 'backOffLimit'], reason: 'typo: backOffLimit (for backoffLimit)' }; }],
    ['wrong-nesting', (d) => { deleteIn(d, [...pod, 'restartPolicy']); insertIn(d, job, 'restartPolicy', 'OnFailure', 'backoffLimit'); return { path: [...job, 'restartPolicy'], reason: 'restartPolicy on the job spec (belongs on the pod template spec)' }; }],
  ];
  return { doc, injections };
}

// ---- Backstage -----------------------------------------------------------------
function bsMeta(rng, ctx, description) {
  const meta = {
    name: ctx.name,
    title: ctx.name.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join(' '),
    description,
    annotations: {
      'github.com/project-slug': `acme/${ctx.repo}`,
      'backstage.io/techdocs-ref': 'dir:.',
      ...(rng.bool(0.6) ? { 'backstage.io/kubernetes-id': ctx.name } : {}),
      ...(rng.bool(0.4) ? { 'pagerduty.com/service-id': `P${rng.hex(6).toUpperCase()}` } : {}),
      ...(rng.bool(0.3) ? { 'sonarqube.org/project-key': `acme_${ctx.name.replace(/-/g, '_')}` } : {}),
    },
    tags: rng.sample(['java', 'go', 'typescript', 'python', 'grpc', 'rest', 'kafka', 'postgres', 'redis', 'critical', 'pci'], rng.int(1, 4)),
    links: [
      { url: `https://runbooks.acme.example/${ctx.name}`, title: 'Runbook', icon: 'docs' },
      ...(rng.bool(0.5) ? [{ url: `https://grafana.acme.example/d/${rng.hex(8)}`, title: 'Dashboard', icon: 'dashboard', type: 'dashboard' }] : []),
    ],
  };
  return meta;
}

/** Mistakes any Backstage entity can get. */
function bsCommonInjections() {
  return [
    ['wrong-type', (d) => { setIn(d, ['metadata', 'tags'], d.metadata.tags.join(', ')); return { path: ['metadata', 'tags'], reason: 'tags is a comma-separated string, must be an array' }; }],
    ['missing-required', (d) => { deleteIn(d, ['metadata', 'links', 0, 'url']); return { path: ['metadata', 'links', 0, 'url'], locate: 'parent', reason: 'links[].url is required' }; }],
    ['wrong-nesting', (d) => { const a = d.metadata.annotations; deleteIn(d, ['metadata', 'annotations']); insertIn(d, [], 'annotations', a, 'metadata'); return { path: ['annotations'], reason: 'annotations at the top level (belong under metadata)' }; }],
    ['invalid-enum', (d) => { setIn(d, ['apiVersion'], 'backstage.io/v1'); return { path: ['apiVersion'], reason: 'apiVersion "backstage.io/v1" is not one of backstage.io/v1alpha1, backstage.io/v1beta1' }; }],
  ];
}

function bsComponent(rng, ctx) {
  const doc = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: bsMeta(rng, ctx, `The ${ctx.name} ${rng.pick(['service', 'worker', 'website'])} of the ${ctx.system} system.`),
    spec: {
      type: rng.weighted([['service', 7], ['website', 2], ['library', 1]]),
      lifecycle: rng.weighted([['production', 6], ['experimental', 3], ['deprecated', 1]]),
      owner: `group:${ctx.team}`,
      system: ctx.system,
      ...(ctx.api ? { providesApis: [ctx.api] } : {}),
      consumesApis: rng.sample(ctx.otherApis, rng.int(0, 3)),
      dependsOn: rng.sample([`resource:${ctx.name}-db`, `resource:${ctx.name}-cache`, `component:${rng.pick(NOUNS)}-api`], rng.int(0, 2)),
    },
  };
  if (doc.spec.consumesApis.length === 0) delete doc.spec.consumesApis;
  if (doc.spec.dependsOn.length === 0) delete doc.spec.dependsOn;
  const injections = [
    ...bsCommonInjections(),
    ['missing-required', (d) => { deleteIn(d, ['spec', 'owner']); return { path: ['spec', 'owner'], locate: 'parent', reason: 'spec.owner is required for a Component' }; }],
    ['missing-required', (d) => { deleteIn(d, ['spec', 'lifecycle']); return { path: ['spec', 'lifecycle'], locate: 'parent', reason: 'spec.lifecycle is required for a Component' }; }],
    ['unknown-field', (d) => { renameIn(d, ['spec', 'lifecycle'], 'lifecyle'); return { path: ['spec', 'lifecyle'], alsoAt: ['spec'], reason: 'typo: lifecyle (for lifecycle); the schema reports spec.lifecycle missing' }; }],
    ['wrong-type', (d) => { setIn(d, ['spec', 'providesApis'], ctx.api ?? `${ctx.name}-api`); return { path: ['spec', 'providesApis'], reason: 'providesApis is a string, must be an array' }; }],
    ['wrong-nesting', (d) => { const o = d.spec.owner; deleteIn(d, ['spec', 'owner']); insertIn(d, ['metadata'], 'owner', o, 'description'); return { path: ['metadata', 'owner'], alsoAt: ['spec'], reason: 'owner under metadata (belongs under spec); spec.owner is then missing' }; }],
  ];
  return { doc, injections };
}

function bsApi(rng, ctx) {
  const type = rng.weighted([['openapi', 6], ['grpc', 2], ['asyncapi', 1], ['graphql', 1]]);
  const definition = type === 'openapi'
    ? `openapi: 3.0.3\ninfo:\n  title: ${ctx.api}\n  version: ${version(rng)}\npaths:\n  /v1/${ctx.name}:\n    get:\n      summary: List ${ctx.name}\n      responses:\n        '200':\n          description: OK\n`
    : type === 'grpc'
      ? `syntax = "proto3";\npackage acme.${ctx.name.replace(/-/g, '_')}.v1;\nservice Api {\n  rpc Get (GetRequest) returns (GetResponse);\n}\n`
      : `# ${type} definition of ${ctx.api}\n`;
  const doc = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: bsMeta(rng, { ...ctx, name: ctx.api }, `The ${type} API of ${ctx.name}.`),
    spec: { type, lifecycle: rng.pick(['production', 'experimental']), owner: `group:${ctx.team}`, system: ctx.system, definition },
  };
  const injections = [
    ...bsCommonInjections(),
    ['missing-required', (d) => { deleteIn(d, ['spec', 'definition']); return { path: ['spec', 'definition'], locate: 'parent', reason: 'spec.definition is required for an API' }; }],
    ['missing-required', (d) => { deleteIn(d, ['spec', 'type']); return { path: ['spec', 'type'], locate: 'parent', reason: 'spec.type is required for an API' }; }],
  ];
  return { doc, injections };
}

function bsSystem(rng, ctx) {
  const doc = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: bsMeta(rng, ctx, `The ${ctx.name} system of the ${ctx.domain} domain.`),
    spec: { owner: `group:${ctx.team}`, domain: ctx.domain, type: rng.pick(['product', 'service', 'feature-set']) },
  };
  const injections = [
    ...bsCommonInjections(),
    ['missing-required', (d) => { deleteIn(d, ['spec', 'owner']); return { path: ['spec', 'owner'], locate: 'parent', reason: 'spec.owner is required for a System' }; }],
  ];
  return { doc, injections };
}

function bsGroup(rng, ctx) {
  const doc = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: ctx.name, title: ctx.name.replace('team-', 'Team ').replace(/-/g, ' '), description: `The ${ctx.name} group.`, links: [{ url: `https://wiki.acme.example/teams/${ctx.name}`, title: 'Team page' }], tags: [ctx.domain] },
    spec: {
      type: ctx.parent ? 'team' : 'business-unit',
      profile: { displayName: ctx.name, email: `${ctx.name}@acme.example`, picture: `https://avatars.acme.example/${ctx.name}.png` },
      ...(ctx.parent ? { parent: ctx.parent } : {}),
      children: ctx.children,
      members: Array.from({ length: rng.int(0, 8) }, () => `user:${rng.pick(['alex', 'sam', 'kim', 'noor', 'li', 'ana', 'joe', 'eva', 'raj', 'mia'])}.${rng.hex(4)}`),
    },
  };
  const injections = [
    ['wrong-type', (d) => { setIn(d, ['metadata', 'tags'], d.metadata.tags.join(', ')); return { path: ['metadata', 'tags'], reason: 'tags is a string, must be an array' }; }],
    ['missing-required', (d) => { deleteIn(d, ['spec', 'children']); return { path: ['spec', 'children'], locate: 'parent', reason: 'spec.children is required for a Group (may be [])' }; }],
    ['wrong-type', (d) => { setIn(d, ['spec', 'children'], d.spec.children.length ? d.spec.children.join(',') : 'none'); return { path: ['spec', 'children'], reason: 'children is a string, must be an array' }; }],
    ['missing-required', (d) => { deleteIn(d, ['metadata', 'links', 0, 'url']); return { path: ['metadata', 'links', 0, 'url'], locate: 'parent', reason: 'links[].url is required' }; }],
  ];
  return { doc, injections };
}

// ---- Sloth and Score -----------------------------------------------------------
function sloth(rng, ctx) {
  const metric = rng.pick(['http_requests_total', 'http_server_requests_seconds_count', 'grpc_server_handled_total']);
  const errSel = metric.startsWith('grpc') ? 'grpc_code!="OK"' : 'code=~"5.."';
  const slos = [{
    name: 'requests-availability',
    objective: rng.pick([99, 99.5, 99.9, 99.95]),
    description: `${ctx.app} requests succeed.`,
    sli: { events: {
      error_query: `sum(rate(${metric}{service="${ctx.app}",${errSel}}[{{.window}}]))`,
      total_query: `sum(rate(${metric}{service="${ctx.app}"}[{{.window}}]))`,
    } },
    alerting: {
      name: `${ctx.app.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase())}HighErrorRate`,
      labels: { category: 'availability' },
      annotations: { summary: `High error rate on ${ctx.app} requests` },
      page_alert: { labels: { severity: 'page', routing_key: ctx.team } },
      ticket_alert: { labels: { severity: 'ticket', slack_channel: `#${ctx.team}-alerts` } },
    },
  }];
  if (rng.bool(0.6)) {
    slos.push({
      name: 'requests-latency',
      objective: rng.pick([95, 99, 99.5]),
      description: `${ctx.app} requests are faster than 300ms.`,
      sli: { raw: { error_ratio_query: `1 - (sum(rate(http_request_duration_seconds_bucket{service="${ctx.app}",le="0.3"}[{{.window}}])) / sum(rate(http_request_duration_seconds_count{service="${ctx.app}"}[{{.window}}])))` } },
      alerting: { name: `${ctx.app.replace(/-/g, '')}Latency`, page_alert: { disable: true }, ticket_alert: { labels: { severity: 'ticket' } } },
    });
  }
  const doc = { version: 'prometheus/v1', service: ctx.app, labels: { owner: ctx.team, tier: rng.pick(['1', '2', '3']) }, slos };
  const injections = [
    ['wrong-type', (d) => { setIn(d, ['slos', 0, 'objective'], `${d.slos[0].objective}`); return { path: ['slos', 0, 'objective'], reason: 'objective is a string, must be a number' }; }],
    ['unknown-field', (d) => { renameIn(d, ['slos', 0, 'alerting', 'page_alert'], 'page_alerts'); return { path: ['slos', 0, 'alerting', 'page_alerts'], reason: 'typo: page_alerts (for page_alert)' }; }],
    ['unknown-field', (d) => { renameIn(d, ['slos', 0, 'description'], 'descripton'); return { path: ['slos', 0, 'descripton'], reason: 'typo: descripton (for description)' }; }],
    ['missing-required', (d) => { deleteIn(d, ['service']); return { path: ['service'], locate: 'parent', reason: 'service is required' }; }],
    ['missing-required', (d) => { deleteIn(d, ['slos', 0, 'sli', 'events', 'total_query']); return { path: ['slos', 0, 'sli', 'events', 'total_query'], locate: 'parent', reason: 'sli.events.total_query is required' }; }],
    ['wrong-nesting', (d) => { setIn(d, ['slos', 0, 'sli'], d.slos[0].sli.events); return { path: ['slos', 0, 'sli', 'error_query'], reason: 'queries directly under sli (belong under sli.events)' }; }],
  ];
  return { doc, injections };
}

function score(rng, ctx) {
  const doc = {
    apiVersion: 'score.dev/v1b1',
    metadata: { name: ctx.app, annotations: { 'paved-road.dev/team': ctx.team } },
    containers: {
      main: {
        image: `ghcr.io/acme/${ctx.app}:${ctx.version}`,
        args: ['--port=8080'],
        variables: {
          PORT: '8080',
          LOG_LEVEL: rng.pick(['info', 'debug']),
          DB_HOST: '${resources.db.host}',
          DB_NAME: '${resources.db.name}',
          DB_USER: '${resources.db.username}',
          DB_PASSWORD: '${resources.db.password}',
          ...(rng.bool(0.5) ? { REDIS_HOST: '${resources.cache.host}' } : {}),
        },
        resources: { requests: { cpu: rng.pick(['100m', '250m']), memory: '128Mi' }, limits: { cpu: '1', memory: rng.pick(['256Mi', '512Mi']) } },
        livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
        readinessProbe: { httpGet: { path: '/readyz', port: 8080 } },
      },
    },
    service: { ports: { web: { port: 80, targetPort: 8080 } } },
    resources: {
      db: { type: 'postgres' },
      ...(rng.bool(0.5) ? { cache: { type: 'redis' } } : {}),
      dns: { type: 'dns' },
      route: { type: 'route', params: { host: '${resources.dns.host}', path: '/', port: 80 } },
    },
  };
  const main = ['containers', 'main'];
  const injections = [
    ['wrong-type', (d) => { setIn(d, ['service', 'ports', 'web', 'port'], '80'); return { path: ['service', 'ports', 'web', 'port'], reason: 'port is the string "80", must be an integer' }; }],
    ['wrong-type', (d) => { setIn(d, [...main, 'variables', 'PORT'], 8080); return { path: [...main, 'variables', 'PORT'], reason: 'variable value is the number 8080, must be a string' }; }],
    ['invalid-enum', (d) => { setIn(d, ['service', 'ports', 'web', 'protocol'], 'HTTP'); return { path: ['service', 'ports', 'web', 'protocol'], reason: 'protocol "HTTP" is not one of TCP, UDP' }; }],
    ['missing-required', (d) => { deleteIn(d, [...main, 'image']); return { path: [...main, 'image'], locate: 'parent', reason: 'containers.*.image is required' }; }],
    ['missing-required', (d) => { deleteIn(d, ['resources', 'db', 'type']); setIn(d, ['resources', 'db', 'class'], 'default'); return { path: ['resources', 'db', 'type'], locate: 'parent', reason: 'resources.*.type is required' }; }],
    ['unknown-field', (d) => { renameIn(d, [...main, 'variables'], 'varibles'); return { path: [...main, 'varibles'], reason: 'typo: varibles (for variables)' }; }],
    ['wrong-nesting', (d) => { insertIn(d, main, 'ports', { web: { port: 8080 } }, 'args'); return { path: [...main, 'ports'], reason: 'ports under a container (belong under service.ports)' }; }],
  ];
  return { doc, injections };
}

// ---- writing -------------------------------------------------------------------
const YAML_OPTIONS = { lineWidth: 0, minContentWidth: 0 };

/**
 * Picks exactly round(rate × N) documents (at least 1) and applies one injection to each.
 * Returns the invalid entries (without line numbers).
 */
function inject(rng, docs, rate) {
  const count = Math.max(1, Math.round(docs.length * rate));
  const chosen = new Set(rng.sample(docs.map((_, i) => i), count));
  const out = [];
  docs.forEach((d, i) => {
    if (!chosen.has(i)) return;
    const [error, apply] = rng.pick(d.injections);
    const r = apply(d.doc);
    d.invalid = { error, path: r.path, reason: r.reason, locate: r.locate ?? 'path', alsoAt: r.alsoAt };
    out.push(d);
  });
  return out;
}

/** 1-based line of the mistake: the key at `path` (or at its parent when `locate` is 'parent'; the document's first line for the root). */
function mistakeLine(docText, firstLine, { path, locate }) {
  const lc = new LineCounter();
  const parsed = parseDocument(docText, { lineCounter: lc, keepSourceTokens: false });
  const target = locate === 'parent' ? path.slice(0, -1) : path;
  let node = parsed.contents;
  let offset = node?.range?.[0] ?? 0;
  for (const seg of target) {
    if (isMap(node)) {
      const pair = node.items.find((p) => p.key?.value === seg);
      if (!pair) break;
      offset = pair.key.range[0];
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[seg];
      if (!item) break;
      offset = item.range[0];
      node = item;
    } else break;
  }
  return firstLine + lc.linePos(offset).line; // linePos is 1-based
}

/** Serializes a file's documents; records each document's first line (0-based). */
function renderFile(docs, { markers, comment }) {
  let text = '';
  let line = 0;
  for (const d of docs) {
    let head = '';
    if (markers) head += '---\n';
    if (comment) head += `# Source: ${comment(d)}\n`;
    const body = stringify(d.doc, YAML_OPTIONS);
    d.text = body;
    d.bodyLine = line + head.split('\n').length - 1; // 0-based line where the body starts
    text += head + body;
    line += (head + body).split('\n').length - 1;
  }
  return text;
}

function writeSet({ out, id, title, dir, files, rng, rate }) {
  const allDocs = files.flatMap((f) => f.docs.map((d, index) => Object.assign(d, { file: f.path, index })));
  const invalidDocs = inject(rng, allDocs, rate);
  let bytes = 0;
  for (const f of files) {
    const text = renderFile(f.docs, f.render ?? {});
    const abs = join(out, dir, f.path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    bytes += Buffer.byteLength(text);
  }
  const invalid = invalidDocs.map((d) => ({
    file: d.file,
    documentIndex: d.index,
    kind: d.doc.kind ?? (d.doc.version ? `sloth ${d.doc.version}` : d.doc.apiVersion),
    error: d.invalid.error,
    path: formatPath(d.invalid.path),
    pointer: toPointer(d.invalid.path),
    reason: d.invalid.reason,
    line: mistakeLine(d.text, d.bodyLine, d.invalid),
    // where a schema validator reports it when that is elsewhere (e.g. a typo in a lenient
    // object shows up as the real key missing, reported at the parent)
    ...(d.invalid.alsoAt ? { alsoLine: mistakeLine(d.text, d.bodyLine, { path: d.invalid.alsoAt, locate: 'path' }) } : {}),
  }));
  const needed = [...new Set(allDocs.map((d) => documentKey(d.doc)))].sort();
  return {
    id,
    title,
    dir,
    files: files.map((f) => ({ path: f.path, documents: f.docs.length })),
    fileCount: files.length,
    documents: allDocs.length,
    bytes,
    needed,
    invalid,
  };
}

function k8sSet(rng, rate, out) {
  const used = new Map();
  const gens = [[deployment, 13], [service, 29], [configMap, 18], [hpa, 15], [ingress, 14], [cronJob, 11]];
  const docs = [];
  while (docs.length < K8S_DOCS) {
    const app = names(rng, used);
    const ctx = { app, name: app, namespace: rng.pick(DOMAINS), system: `${app.split('-')[0]}-system`, team: rng.pick(TEAMS), version: version(rng) };
    const gen = rng.weighted(gens);
    docs.push({ ...gen(rng, ctx), chart: app });
  }
  const files = [{ path: 'all.yaml', docs, render: { markers: true, comment: (d) => `${d.chart}/templates/${d.doc.kind.toLowerCase()}.yaml` } }];
  return writeSet({ out, id: 'kubernetes', title: `${K8S_DOCS.toLocaleString('en')} Kubernetes documents in one file`, dir: 'k8s', files, rng, rate });
}

function catalogSet(rng, rate, out) {
  const used = new Map();
  const files = [];
  const apis = [];
  // groups: a few business units with teams under them
  const units = DOMAINS.slice(0, 6).map((d) => `bu-${d}`);
  for (const unit of units) {
    const children = TEAMS.filter((_, i) => i % units.length === units.indexOf(unit));
    files.push({ path: `org/${unit}/catalog-info.yaml`, docs: [bsGroup(rng, { name: unit, domain: unit.slice(3), children })] });
    for (const team of children) files.push({ path: `org/${unit}/${team}/catalog-info.yaml`, docs: [bsGroup(rng, { name: team, domain: unit.slice(3), parent: unit, children: [] })] });
  }
  while (files.length < CATALOG_FILES) {
    const domain = rng.pick(DOMAINS);
    const system = `${rng.pick(NOUNS)}-system`;
    const team = rng.pick(TEAMS);
    const sysName = names(rng, used);
    files.push({ path: `systems/${domain}/${sysName}/catalog-info.yaml`, docs: [bsSystem(rng, { name: sysName, repo: sysName, domain, team, system })] });
    const n = rng.int(3, 12);
    for (let i = 0; i < n && files.length < CATALOG_FILES; i++) {
      const name = names(rng, used);
      const withApi = rng.bool(0.35);
      const ctx = { name, repo: name, domain, team, system: sysName, api: withApi ? `${name}-api` : undefined, otherApis: rng.sample(apis, 3) };
      const docs = [bsComponent(rng, ctx)];
      if (withApi) {
        docs.push(bsApi(rng, ctx));
        apis.push(ctx.api);
      }
      files.push({ path: `systems/${domain}/${sysName}/${name}/catalog-info.yaml`, docs, render: { markers: docs.length > 1 } });
    }
  }
  for (const f of files) f.render ??= {};
  return writeSet({ out, id: 'backstage', title: `${CATALOG_FILES.toLocaleString('en')} catalog-info.yaml files`, dir: 'catalog', files: files.slice(0, CATALOG_FILES), rng, rate });
}

function platformSet(rng, rate, out) {
  const used = new Map();
  const files = [];
  while (files.length < PLATFORM_FILES) {
    const app = names(rng, used);
    const ctx = { app, name: app, namespace: rng.pick(DOMAINS), system: `${app.split('-')[0]}-system`, team: rng.pick(TEAMS), version: version(rng) };
    const base = `services/${app}`;
    if (rng.bool(0.55)) {
      files.push({ path: `${base}/deploy/deployment.yaml`, docs: [deployment(rng, ctx)] });
      files.push({ path: `${base}/deploy/service.yaml`, docs: [service(rng, ctx)] });
    } else {
      files.push({ path: `${base}/score.yaml`, docs: [score(rng, ctx)] });
    }
    if (rng.bool(0.6)) files.push({ path: `${base}/slo/${app}.sloth.yaml`, docs: [sloth(rng, ctx)] });
  }
  return writeSet({ out, id: 'platform', title: `${PLATFORM_FILES.toLocaleString('en')} platform manifests (Deployments, Services, Sloth SLOs, Score workloads)`, dir: 'platform', files: files.slice(0, PLATFORM_FILES), rng, rate });
}

export function generateCorpus({ seed = DEFAULT_SEED, out = DEFAULT_OUT, errorRate = 0.03 } = {}) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  // one stream per set, so changing one set does not reshuffle the others
  const sets = [
    k8sSet(new Rng(seed * 3 + 1), errorRate, out),
    catalogSet(new Rng(seed * 3 + 2), errorRate, out),
    platformSet(new Rng(seed * 3 + 3), errorRate, out),
  ];
  const manifest = { version: CORPUS_VERSION, seed, errorRate, generator: 'bench/validate/corpus.mjs', sets };
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { seed: { type: 'string' }, out: { type: 'string' }, 'error-rate': { type: 'string' } },
  });
  const started = performance.now();
  const manifest = generateCorpus({
    seed: values.seed !== undefined ? Number(values.seed) : DEFAULT_SEED,
    out: values.out !== undefined ? resolve(values.out) : DEFAULT_OUT,
    errorRate: values['error-rate'] !== undefined ? Number(values['error-rate']) : 0.03,
  });
  for (const s of manifest.sets) {
    console.log(`${s.id.padEnd(10)} ${String(s.fileCount).padStart(5)} files ${String(s.documents).padStart(5)} docs ${(s.bytes / 1048576).toFixed(2).padStart(6)} MB  ${s.invalid.length} invalid`);
  }
  console.log(`corpus (seed ${manifest.seed}) written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
