import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseSlice, splitDocuments } from '../../src/core/manifest';
import { polarisChecks } from '../../src/core/policy/engine';
import { get, isObject } from '../../src/core/policy/kubernetes';
import { BUILTIN_RULES } from '../../src/core/policy/rules';

/** The Kubernetes rules this file covers (the Backstage rules have their own tests). */
const K8S_RULES = BUILTIN_RULES.filter((r) => r.id.startsWith('k8s/'));
import type { PolicyDocument, Rule, RuleFinding } from '../../src/core/policy/types';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'policy');

/** PolicyDocuments from YAML text, the way the engine builds them. */
function documentsOf(text: string, file: string): PolicyDocument[] {
  return splitDocuments(text).map((slice) => {
    const parsed = parseSlice(slice);
    const value = parsed.value;
    const meta = isObject(value) && isObject(value.metadata) ? value.metadata : {};
    const s = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return {
      path: file,
      index: slice.index,
      value,
      apiVersion: isObject(value) ? s(value.apiVersion) : undefined,
      kind: isObject(value) ? s(value.kind) : undefined,
      name: s(meta.name),
      namespace: s(meta.namespace),
      locate: (p, target) => parsed.locate(p, target),
    };
  });
}

function load(file: string): PolicyDocument[] {
  return documentsOf(readFileSync(file, 'utf8'), file);
}

interface Hit {
  doc: PolicyDocument;
  finding: RuleFinding;
}

function run(rule: Rule, docs: readonly PolicyDocument[]): Hit[] {
  return docs.flatMap((doc) => (rule.appliesTo(doc) ? rule.check(doc, { documents: docs }).map((finding) => ({ doc, finding })) : []));
}

/** 'spec.template.spec.containers[0].image'; '#2 spec.selector' for the third document of a file. */
function fmt(hit: Hit): string {
  const p = hit.finding.path.map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_][\w-]*$/.test(s) ? `${i ? '.' : ''}${s}` : `[${JSON.stringify(s)}]`)).join('');
  return hit.doc.index ? `#${hit.doc.index} ${p}` : p;
}

const D = 'spec.template.spec';
const DC = `${D}.containers`;
const CJ = 'spec.jobTemplate.spec.template.spec';

/** For each rule: the findings its 'fail.yaml' must give (document index and path); 'pass.yaml' must give none. */
const EXPECTED: Record<string, string[]> = {
  'k8s/run-as-non-root': [`${D}.initContainers[0].securityContext.runAsUser`, `${DC}[0]`, `${DC}[1].securityContext.runAsNonRoot`, '#1 spec.securityContext.runAsUser', `#2 ${CJ}.containers[0].securityContext`],
  'k8s/privileged-container': [`${DC}[0].securityContext.privileged`, `#1 ${D}.initContainers[0].securityContext.privileged`],
  'k8s/privilege-escalation-allowed': [`${DC}[0].securityContext.allowPrivilegeEscalation`, `${DC}[1]`, `${DC}[2].securityContext`],
  'k8s/read-only-root-filesystem': [`${DC}[0].securityContext.readOnlyRootFilesystem`, '#1 spec.containers[0]'],
  'k8s/seccomp-profile': [D, '#1 spec.securityContext.seccompProfile.type', '#2 spec.containers[0].securityContext.seccompProfile.type', '#3 spec.securityContext'],
  'k8s/proc-mount': ['spec.containers[0].securityContext.procMount'],
  'k8s/host-process': ['spec.securityContext.windowsOptions.hostProcess', `#1 ${DC}[0].securityContext.windowsOptions.hostProcess`],
  'k8s/capabilities-drop-all': [`${DC}[0]`, `${DC}[1].securityContext.capabilities.drop`, `${DC}[2].securityContext.capabilities`],
  'k8s/dangerous-capabilities': [`${DC}[0].securityContext.capabilities.add[1]`, `${DC}[0].securityContext.capabilities.add[2]`, `${DC}[1].securityContext.capabilities.add[0]`],
  'k8s/net-raw-capability': [`${DC}[0]`, `${DC}[1].securityContext.capabilities.add[0]`, `${DC}[2].securityContext.capabilities.drop`],
  'k8s/host-network': [`${D}.hostNetwork`, `#1 ${CJ}.hostNetwork`],
  'k8s/host-pid': [`${D}.hostPID`, `#1 ${CJ}.hostPID`],
  'k8s/host-ipc': [`${D}.hostIPC`, `#1 ${CJ}.hostIPC`],
  'k8s/host-port': [`${DC}[0].ports[0].hostPort`],
  'k8s/unsafe-sysctls': ['spec.securityContext.sysctls[0].name', 'spec.securityContext.sysctls[2].name'],
  'k8s/host-path-volume': [`${D}.volumes[0].hostPath`],
  'k8s/sensitive-host-mount': [`${D}.volumes[0].hostPath.path`, `${D}.volumes[1].hostPath.path`, `${D}.volumes[2].hostPath.path`, `${D}.volumes[6].hostPath.path`],
  'k8s/docker-socket': [`${D}.volumes[0].hostPath.path`, `${D}.volumes[1].hostPath.path`],
  'k8s/writable-host-mount': [`${DC}[0].volumeMounts[0]`, `${DC}[1].volumeMounts[1].readOnly`],
  'k8s/privileged-port': ['spec.containers[0].ports[0].containerPort', 'spec.containers[0].ports[2].containerPort'],
  'k8s/ssh-port': [`${DC}[0].ports[0].containerPort`],
  'k8s/automount-service-account-token': [D, '#2 spec.automountServiceAccountToken'],
  'k8s/default-service-account': [D, '#1 spec.serviceAccountName'],
  'k8s/deprecated-service-account-field': ['spec.serviceAccount', `#1 ${D}.serviceAccount`],
  'k8s/env-var-secret': [`${DC}[0].env[0].value`, `${DC}[0].env[3].value`, `${DC}[0].env[5].value`, `${DC}[0].env[7].value`],
  'k8s/duplicate-env-var': ['spec.containers[0].env[2].name'],
  'k8s/configmap-sensitive-content': ['data.AWS_SECRET_ACCESS_KEY', 'data.DB_PASSWORD', 'data["tls.key"]', 'data["app.properties"]'],
  'k8s/rbac-wildcard': ['rules[0].apiGroups[0]', 'rules[0].resources[0]', 'rules[0].verbs[0]', '#1 rules[0].verbs[1]'],
  'k8s/role-pod-exec-attach': ['rules[0].resources[1]', 'rules[1].resources[0]'],
  'k8s/clusterrole-pod-exec-attach': ['rules[1].resources[0]'],
  'k8s/rbac-secrets-access': ['rules[0].resources[1]', '#1 rules[0].resources[0]'],
  'k8s/cluster-admin-binding': ['roleRef.name', '#2 roleRef.name', '#4 roleRef.name'],
  'k8s/rolebinding-cluster-admin': ['roleRef.name', '#2 roleRef.name'],
  'k8s/cpu-requests-missing': [`${DC}[0]`, `${DC}[1].resources`, `${DC}[2].resources`, `#1 ${CJ}.containers[0].resources`],
  'k8s/cpu-limits-missing': [`${DC}[0]`, `${DC}[1].resources`, `${DC}[2].resources`, `#1 ${CJ}.containers[0].resources`],
  'k8s/memory-requests-missing': [`${DC}[0]`, `${DC}[1].resources`, `${DC}[2].resources`, `#1 ${CJ}.containers[0].resources`],
  'k8s/memory-limits-missing': [`${DC}[0]`, `${DC}[1].resources`, `${DC}[2].resources`, `#1 ${CJ}.containers[0].resources`],
  'k8s/liveness-probe-missing': [`${DC}[0]`, '#1 spec.containers[0]'],
  'k8s/readiness-probe-missing': [`${DC}[0]`, '#1 spec.containers[0]'],
  'k8s/liveness-probe-port': [`${DC}[0].livenessProbe.httpGet.port`, `${DC}[1].livenessProbe.tcpSocket.port`],
  'k8s/readiness-probe-port': ['spec.containers[0].readinessProbe.httpGet.port', 'spec.containers[1].readinessProbe.grpc.port'],
  'k8s/startup-probe-port': [`${DC}[0].startupProbe.httpGet.port`],
  'k8s/image-tag': [`${DC}[0].image`, `${DC}[1].image`, `${DC}[2].image`],
  'k8s/image-pull-policy': [`${DC}[0].image`, `${DC}[1].imagePullPolicy`, `${DC}[2].imagePullPolicy`],
  'k8s/production-replicas': ['spec.replicas', '#1 spec'],
  'k8s/anti-affinity': [D, `#1 ${D}`, `#3 ${D}.affinity`, `#4 ${D}.affinity.podAntiAffinity`, `#5 ${D}.affinity.podAntiAffinity`],
  'k8s/priority-class': [D],
  'k8s/pdb-max-unavailable-zero': ['spec.maxUnavailable', '#1 spec.maxUnavailable'],
  'k8s/pdb-min-available-all': ['spec.minAvailable', '#2 spec.minAvailable', '#5 spec.minAvailable'],
  'k8s/pdb-missing': ['metadata.name', '#1 metadata.name'],
  'k8s/hpa-max-replicas': ['spec.maxReplicas', '#1 spec.maxReplicas'],
  'k8s/hpa-min-replicas': ['spec.minReplicas', '#1 spec'],
  'k8s/hpa-dangling': ['#1 spec.scaleTargetRef.name'],
  'k8s/dangling-service': ['#1 spec.selector'],
  'k8s/service-target-port': ['#1 spec.ports[0].targetPort'],
  'k8s/mismatching-selector': ['spec.selector.matchLabels.app', 'spec.selector.matchLabels.tier', '#1 spec.selector.matchExpressions'],
  'k8s/missing-network-policy': ['metadata.name', '#3 metadata.name'],
  'k8s/ingress-tls': ['spec'],
  'k8s/deprecated-api-version': ['apiVersion', '#1 apiVersion', '#2 apiVersion', '#3 apiVersion'],
  'k8s/job-ttl': ['spec', '#1 spec.jobTemplate.spec.ttlSecondsAfterFinished'],
  'k8s/default-namespace': ['metadata.namespace'],
  'k8s/dangling-ingress': ['#1 spec.rules[0].http.paths[0].backend.service.name', '#1 spec.rules[0].http.paths[1].backend.service.name', '#2 spec.defaultBackend.service.name'],
  'k8s/dangling-network-policy': ['#1 spec.podSelector', '#2 spec.podSelector'],
  'k8s/dangling-network-policy-peer': ['#1 spec.ingress[0].from[0].podSelector', '#1 spec.egress[0].to[1].podSelector'],
  'k8s/dangling-service-monitor': ['#1 spec.selector', '#2 spec.selector'],
  'k8s/pdb-unhealthy-pod-eviction-policy': ['spec'],
  'k8s/non-existent-service-account': [`#1 ${D}.serviceAccountName`, `#2 ${D}.serviceAccount`],
  'k8s/env-value-from': [`#2 ${DC}[0].env[0].valueFrom.secretKeyRef.key`, `#2 ${DC}[0].env[1].valueFrom.configMapKeyRef.key`, `#2 ${DC}[0].env[2].valueFrom.secretKeyRef.name`],
  'k8s/rbac-create-pods': ['#1 roleRef.name', '#3 roleRef.name'],
};

/** Rules whose 'appliesTo' is the very condition they report. */
const CONDITION_SCOPED = new Set(['k8s/deprecated-api-version', 'k8s/default-namespace']);

const fixtureDir = (rule: Rule) => path.join(FIXTURES, rule.id.replace(/\//g, '-'));

describe('policy rules: the built-in set', () => {
  it('has at least 40 rules with unique, well-formed ids', () => {
    assert.ok(K8S_RULES.length >= 40, `${K8S_RULES.length} rules`);
    const ids = K8S_RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'duplicate rule ids');
    for (const id of ids) assert.match(id, /^k8s\/[a-z0-9-]+$/);
  });

  it('documents every rule: title, one-to-two-sentence description, remediation, severity, category', () => {
    for (const r of K8S_RULES) {
      assert.ok(r.title.trim(), `${r.id}: title`);
      assert.ok(r.description.trim().length > 40, `${r.id}: description`);
      assert.ok(r.remediation.trim().length > 20, `${r.id}: remediation`);
      assert.ok(['error', 'warning', 'info'].includes(r.severity), `${r.id}: severity`);
      assert.ok(r.category.startsWith('kubernetes-') || r.category === 'platform-readiness', `${r.id}: category`);
      const sentences = r.description.split(/(?<=[.!?])\s+(?=[A-Z'])/).length;
      assert.ok(sentences <= 2, `${r.id}: description has ${sentences} sentences`);
    }
  });

  it('names real Polaris checks and kube-linter checks as equivalents', () => {
    // the check names of Polaris (pkg/config/checks) and kube-linter (docs/generated/checks.md)
    const polaris = new Set(
      'deploymentMissingReplicas priorityClassNotSet tagNotSpecified pullPolicyNotAlways readinessProbeMissing livenessProbeMissing metadataAndInstanceMismatched pdbDisruptionsIsZero missingPodDisruptionBudget topologySpreadConstraint hpaMaxAvailability hpaMinAvailability pdbMinAvailableGreaterThanHPAMinReplicas cpuRequestsMissing cpuLimitsMissing memoryRequestsMissing memoryLimitsMissing automountServiceAccountToken hostPathSet hostProcess linuxHardening missingNetworkPolicy notReadOnlyRootFilesystem procMount insecureCapabilities hostPortSet tlsSettingsMissing hostIPCSet hostPIDSet hostNetworkSet privilegeEscalationAllowed runAsRootAllowed runAsPrivileged dangerousCapabilities sensitiveContainerEnvVar sensitiveConfigmapContent clusterrolePodExecAttach rolePodExecAttach clusterrolebindingPodExecAttach rolebindingClusterRolePodExecAttach rolebindingRolePodExecAttach clusterrolebindingClusterAdmin rolebindingClusterAdminClusterRole rolebindingClusterAdminRole'.split(' '),
    );
    const kubeLinter = new Set(
      'access-to-create-pods access-to-secrets cluster-admin-role-binding dangling-horizontalpodautoscaler dangling-ingress dangling-networkpolicy dangling-networkpolicypeer-podselector dangling-service dangling-servicemonitor default-service-account deprecated-service-account-field dnsconfig-options docker-sock drop-net-raw-capability duplicate-env-var env-value-from env-var-secret exposed-services host-ipc host-network host-pid hpa-minimum-three-replicas invalid-target-ports job-ttl-seconds-after-finished latest-tag liveness-port minimum-three-replicas mismatching-selector no-anti-affinity no-extensions-v1beta no-liveness-probe no-node-affinity no-read-only-root-fs no-readiness-probe no-rolling-update-strategy non-existent-service-account non-isolated-pod pdb-max-unavailable pdb-min-available pdb-unhealthy-pod-eviction-policy priority-class-name privilege-escalation-container privileged-container privileged-ports read-secret-from-env-var readiness-port required-annotation-email required-label-owner restart-policy run-as-non-root scc-deny-privileged-container schema-validation sensitive-host-mounts sorted-keys ssh-port startup-port unsafe-proc-mount unsafe-sysctls unset-cpu-requirements unset-memory-requirements use-namespace wildcard-in-rules writable-host-mount'.split(' '),
    );
    for (const r of K8S_RULES) {
      for (const check of polarisChecks(r)) assert.ok(polaris.has(check), `${r.id}: Polaris ${check}`);
      if (r.equivalents?.kubeLinter) assert.ok(kubeLinter.has(r.equivalents.kubeLinter), `${r.id}: kube-linter ${r.equivalents.kubeLinter}`);
    }
    // no two rules claim the same Polaris check
    const claimed = K8S_RULES.flatMap((r) => polarisChecks(r));
    assert.equal(new Set(claimed).size, claimed.length);
  });

  it('has a fixture pair and expected findings for every rule, and nothing else', () => {
    for (const r of K8S_RULES) {
      assert.ok(existsSync(path.join(fixtureDir(r), 'fail.yaml')), `${r.id}: fail.yaml`);
      assert.ok(existsSync(path.join(fixtureDir(r), 'pass.yaml')), `${r.id}: pass.yaml`);
      assert.ok(EXPECTED[r.id], `${r.id}: expected findings`);
    }
    const ids = new Set(K8S_RULES.map((r) => r.id.replace(/\//g, '-')));
    for (const dir of readdirSync(FIXTURES)) assert.ok(ids.has(dir), `fixture directory without a rule: ${dir}`);
    for (const id of Object.keys(EXPECTED)) assert.ok(K8S_RULES.some((r) => r.id === id), `expectation without a rule: ${id}`);
  });
});

describe('policy rules: fixtures', () => {
  for (const rule of K8S_RULES) {
    describe(rule.id, () => {
      it('reports the failing fixture at the expected paths', () => {
        const docs = load(path.join(fixtureDir(rule), 'fail.yaml'));
        const hits = run(rule, docs);
        assert.deepEqual(hits.map(fmt).sort(), [...(EXPECTED[rule.id] ?? [])].sort());
        for (const h of hits) {
          // the path exists (a missing field is reported on its closest existing parent) …
          assert.notEqual(get(h.doc.value, h.finding.path), undefined, `${fmt(h)} does not exist`);
          // … can be placed in the file …
          const range = h.doc.locate(h.finding.path, h.finding.target);
          assert.ok(range.start.line >= h.doc.index, `${fmt(h)}: range`);
          // … and the message is a sentence; container findings name the container
          assert.match(h.finding.message, /^[A-Z'].*[.)]$/s, h.finding.message);
          const list = h.finding.path.findIndex((s) => s === 'containers' || s === 'initContainers');
          if (list >= 0 && typeof h.finding.path[list + 1] === 'number') {
            const c = get(h.doc.value, h.finding.path.slice(0, list + 2)) as { name: string };
            assert.ok(h.finding.message.includes(`'${c.name}'`), `${h.finding.message} names ${c.name}`);
          }
        }
      });

      it('accepts the passing fixture', () => {
        const docs = load(path.join(fixtureDir(rule), 'pass.yaml'));
        // rules scoped by the condition they report (a removed apiVersion, the default namespace) apply to nothing here
        if (!CONDITION_SCOPED.has(rule.id)) assert.ok(docs.some((d) => rule.appliesTo(d)), 'the passing fixture has a document the rule looks at');
        assert.deepEqual(run(rule, docs).map((h) => `${fmt(h)}: ${h.finding.message}`), []);
      });
    });
  }
});

describe('policy rules: messages', () => {
  const byId = (id: string) => K8S_RULES.find((r) => r.id === id) as Rule;
  const fixture = (id: string) => load(path.join(FIXTURES, id.replace(/\//g, '-'), 'fail.yaml'));

  it('names the container and the fix', () => {
    const hits = run(byId('k8s/run-as-non-root'), fixture('k8s/run-as-non-root'));
    const api = hits.find((h) => fmt(h) === `${DC}[0]`);
    assert.equal(api?.finding.message, "Container 'api' may run as root: set 'securityContext.runAsNonRoot: true'.");
    const init = hits.find((h) => fmt(h).includes('initContainers'));
    assert.match(init?.finding.message ?? '', /^Init container 'migrate' runs as root/);
  });

  it('reports a pod-level setting once, naming every container that inherits it', () => {
    const hits = run(byId('k8s/run-as-non-root'), fixture('k8s/run-as-non-root')).filter((h) => h.doc.index === 1);
    assert.equal(hits.length, 1);
    assert.match(hits[0]?.finding.message ?? '', /^Containers 'a', 'b' run as root \(/);
    const seccomp = run(byId('k8s/seccomp-profile'), fixture('k8s/seccomp-profile')).filter((h) => h.doc.index === 0);
    assert.match(seccomp[0]?.finding.message ?? '', /containers 'a', 'b'/);
  });

  it('says why a PodDisruptionBudget blocks disruption, with the workload and its replicas', () => {
    const msgs = run(byId('k8s/pdb-min-available-all'), fixture('k8s/pdb-min-available-all')).map((h) => h.finding.message);
    assert.ok(msgs.some((m) => m.includes("Deployment 'web'") && m.includes('3 replicas')), msgs.join('\n'));
    assert.ok(msgs.some((m) => m.includes("Deployment 'api'") && m.includes('minReplicas: 2')), msgs.join('\n'));
  });

  it('names the removal release and the replacement of a removed API', () => {
    const msgs = run(byId('k8s/deprecated-api-version'), fixture('k8s/deprecated-api-version')).map((h) => h.finding.message);
    assert.ok(msgs.includes("'extensions/v1beta1' Deployment is no longer served since Kubernetes 1.16: use 'apiVersion: apps/v1'."), msgs.join('\n'));
    assert.ok(msgs.some((m) => m.includes('autoscaling/v2beta2') && m.includes('1.26') && m.includes('autoscaling/v2')));
  });

  it('tells a moving tag from a missing tag', () => {
    const msgs = run(byId('k8s/image-tag'), fixture('k8s/image-tag')).map((h) => h.finding.message);
    assert.ok(msgs.some((m) => m.startsWith("Container 'a' uses image 'nginx' without a tag")));
    assert.ok(msgs.some((m) => m.startsWith("Container 'b' uses ':latest'")));
  });
});

describe('policy rules: the example workspace', () => {
  it('raises no error on examples/deploy (a well-configured Deployment and Service)', () => {
    const dir = path.join(ROOT, 'examples', 'deploy');
    const docs = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .flatMap((f) => load(path.join(dir, f)));
    assert.ok(docs.length >= 2);
    const hits = K8S_RULES.flatMap((rule) => run(rule, docs).map((h) => ({ rule, ...h })));
    const errors = hits.filter((h) => h.rule.severity === 'error').map((h) => `${h.rule.id} ${fmt(h)}: ${h.finding.message}`);
    assert.deepEqual(errors, []);
  });
});

describe('policy rules: across files', () => {
  const byId = (id: string) => K8S_RULES.find((r) => r.id === id) as Rule;
  const deployment = (replicas: number) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  replicas: ${replicas}\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec: { containers: [{ name: web, image: "web:1.0.0" }] }\n`;
  const pdb = 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: { name: web }\nspec: { minAvailable: 2, selector: { matchLabels: { app: web } } }\n';

  it('pairs a document with the nearest copy of a same-named object (Kustomize base and overlay)', () => {
    // the overlay runs 3 replicas and its PDB keeps 2: fine; the base's single replica is another copy of the same Deployment
    const docs = [...documentsOf(`${deployment(3)}---\n${pdb}`, '/w/overlays/prod/web.yaml'), ...documentsOf(deployment(1), '/w/base/web.yaml')];
    assert.deepEqual(run(byId('k8s/pdb-min-available-all'), docs), []);
    // and the base's own PDB is judged against the base
    const base = [...documentsOf(deployment(3), '/w/overlays/prod/web.yaml'), ...documentsOf(`${deployment(1)}---\n${pdb}`, '/w/base/web.yaml')];
    assert.deepEqual(run(byId('k8s/pdb-min-available-all'), base).map((h) => `${h.doc.path} ${fmt(h)}`), ['/w/base/web.yaml #1 spec.minAvailable']);
  });

  it('finds Services, HPAs and PDBs in other files of the set', () => {
    const docs = [
      ...documentsOf(deployment(3), '/w/deploy/deployment.yaml'),
      ...documentsOf('apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { selector: { app: web }, ports: [{ port: 80 }] }\n', '/w/deploy/service.yaml'),
      ...documentsOf(pdb, '/w/deploy/pdb.yaml'),
      ...documentsOf('apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: web }\nspec: { scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }, minReplicas: 3, maxReplicas: 6 }\n', '/w/deploy/hpa.yaml'),
    ];
    for (const id of ['k8s/dangling-service', 'k8s/pdb-missing', 'k8s/hpa-dangling', 'k8s/pdb-min-available-all']) assert.deepEqual(run(byId(id), docs), [], id);
  });
});

describe('policy rules: references into the set', () => {
  const byId = (id: string) => K8S_RULES.find((r) => r.id === id) as Rule;
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  serviceAccountName: runner\n  containers:\n    - name: app\n      image: app:1.0.0\n      env:\n        - { name: A, valueFrom: { secretKeyRef: { name: creds, key: a } } }\n        - { name: B, valueFrom: { configMapKeyRef: { name: settings, key: b } } }\n';

  it('reports a missing ServiceAccount, Secret or ConfigMap only when the set holds objects of its kind', () => {
    const alone = documentsOf(pod, '/w/pod.yaml');
    assert.deepEqual(run(byId('k8s/non-existent-service-account'), alone), []);
    assert.deepEqual(run(byId('k8s/env-value-from'), alone), []);
    const others = documentsOf(`${pod}---\napiVersion: v1\nkind: ServiceAccount\nmetadata: { name: other }\n---\napiVersion: v1\nkind: Secret\nmetadata: { name: other }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: other }\n`, '/w/pod.yaml');
    assert.deepEqual(run(byId('k8s/non-existent-service-account'), others).map(fmt), ['spec.serviceAccountName']);
    assert.deepEqual(run(byId('k8s/env-value-from'), others).map(fmt), ['spec.containers[0].env[0].valueFrom.secretKeyRef.name', 'spec.containers[0].env[1].valueFrom.configMapKeyRef.name']);
  });

  it('finds the referenced objects in other files, and a SealedSecret for the Secret', () => {
    const docs = [
      ...documentsOf(pod, '/w/pod.yaml'),
      ...documentsOf('apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: runner }\n', '/w/sa.yaml'),
      ...documentsOf('apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: { name: creds }\nspec: { encryptedData: { a: AgB= } }\n---\napiVersion: v1\nkind: Secret\nmetadata: { name: unrelated }\n', '/w/secrets.yaml'),
      ...documentsOf('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { b: "1" }\n', '/w/cm.yaml'),
    ];
    assert.deepEqual(run(byId('k8s/non-existent-service-account'), docs), []);
    assert.deepEqual(run(byId('k8s/env-value-from'), docs), []);
  });
});

describe('policy rules: robustness', () => {
  it('never throws on odd documents (wrong types, nulls, empty documents)', () => {
    const odd = [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: x }\nspec: { template: { spec: { containers: [null, 1, { name: 3, securityContext: [], ports: {}, env: "x" }] } } }\n',
      'apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: "3"\n  selector: { matchLabels: [], matchExpressions: [{ key: 1 }] }\n  template:\n    metadata: { labels: null }\n    spec: { volumes: [{ hostPath: null }, { name: v, hostPath: { path: 7 } }], securityContext: { sysctls: [null, {}] }, containers: [] }\n',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: { name: r }\nrules: [null, { verbs: "*" }, { apiGroups: [1], resources: [null], verbs: [{}] }]\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\ndata: { a: 1, b: null, c: [] }\n',
      'apiVersion: policy/v1\nkind: PodDisruptionBudget\nspec: { minAvailable: [], selector: "x" }\n',
      'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec: { scaleTargetRef: 5, minReplicas: "2", maxReplicas: {} }\n',
      'apiVersion: v1\nkind: Service\nspec: { selector: [] }\n',
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nspec: { defaultBackend: { service: { name: 1, port: [] } }, rules: [null, { http: { paths: [{ backend: { service: { name: x, port: { number: "80" } } } }, 3] } }] }\n',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nspec: { podSelector: [], policyTypes: "Ingress", ingress: [{ from: "x" }, null, { from: [null, { podSelector: 1 }] }], egress: {} }\n',
      'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nspec: { selector: [], namespaceSelector: { matchNames: "x", any: 1 } }\n',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nroleRef: { kind: Role, name: r }\n',
      'apiVersion: apps/v1\nkind: Deployment\nspec: { template: { spec: { serviceAccountName: [], affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [null, { namespaces: "x", topologyKey: 1 }] } }, containers: [{ name: c, env: [{ valueFrom: { secretKeyRef: { name: [], key: 1 } } }, { valueFrom: "x" }] }] } } }\n',
      '--- \n# nothing\n',
      '- just\n- a list\n',
      'apiVersion: __proto__\nkind: toString\n',
    ].join('---\n');
    const docs = documentsOf(odd, 'odd.yaml');
    for (const rule of K8S_RULES) assert.doesNotThrow(() => run(rule, docs), rule.id);
  });
});
