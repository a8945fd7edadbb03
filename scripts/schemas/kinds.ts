/**
 * Which Kubernetes kinds get a bundled schema, where their reference docs live,
 * and which npm package each comes from. The built-in kinds are all those of the release
 * (builtinKinds); the CRDs are a chosen set of common ones.
 */

export interface KindSpec {
  apiVersion: string;
  kind: string;
  /** Reference documentation for hovers. */
  docs: string;
}

export interface SourceSpec {
  /** npm package that carries the models (a devDependency). */
  package: string;
  /** Folder under schemas/kubernetes/. */
  dir: string;
  /** Human name used in the index. */
  title: string;
  kinds: KindSpec[];
}

/**
 * The Kubernetes release the built-in kinds describe. kubernetes-models does not state it in its
 * metadata (its README badge is stale); its GA API fields match the models @kubernetes/client-node
 * 2.0.1 generates from the release-1.36 OpenAPI spec (e.g. PodSpec's `schedulingGroup`).
 * Update this when upgrading kubernetes-models.
 */
export const KUBERNETES_VERSION = '1.36';

const K8S_DOCS = 'https://kubernetes.io/docs/reference/kubernetes-api';

/** `HorizontalPodAutoscaler` → `horizontal-pod-autoscaler`, as in the kubernetes.io reference URLs. */
function kebab(kind: string): string {
  return kind.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}


/**
 * The section of the kubernetes.io API reference each built-in kind is documented in
 * (https://kubernetes.io/docs/reference/kubernetes-api/). A kind without one links to the
 * one-page generated reference of the release instead.
 */
const SECTIONS: Record<string, string> = {
  ...Object.fromEntries(
    ['Pod', 'PodTemplate', 'ReplicationController', 'ReplicaSet', 'Deployment', 'StatefulSet', 'ControllerRevision', 'DaemonSet', 'Job', 'CronJob', 'HorizontalPodAutoscaler', 'PriorityClass', 'DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'].map((k) => [k, 'workload-resources']),
  ),
  ...Object.fromEntries(['Service', 'Endpoints', 'EndpointSlice', 'Ingress', 'IngressClass'].map((k) => [k, 'service-resources'])),
  ...Object.fromEntries(
    ['ConfigMap', 'Secret', 'CSIDriver', 'CSINode', 'CSIStorageCapacity', 'PersistentVolumeClaim', 'PersistentVolume', 'StorageClass', 'VolumeAttachment', 'VolumeAttributesClass'].map((k) => [k, 'config-and-storage-resources']),
  ),
  ...Object.fromEntries(['ServiceAccount', 'TokenRequest', 'TokenReview', 'CertificateSigningRequest', 'SelfSubjectReview'].map((k) => [k, 'authentication-resources'])),
  ...Object.fromEntries(
    ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'].map((k) => [k, 'authorization-resources']),
  ),
  ...Object.fromEntries(['FlowSchema', 'LimitRange', 'ResourceQuota', 'NetworkPolicy', 'PodDisruptionBudget', 'PriorityLevelConfiguration'].map((k) => [k, 'policy-resources'])),
  ...Object.fromEntries(
    ['CustomResourceDefinition', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding'].map((k) => [k, 'extend-resources']),
  ),
  ...Object.fromEntries(['APIService', 'ComponentStatus', 'Event', 'IPAddress', 'Lease', 'Namespace', 'Node', 'RuntimeClass', 'ServiceCIDR'].map((k) => [k, 'cluster-resources'])),
};

function builtin(apiVersion: string, kind: string): KindSpec {
  const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['core', apiVersion];
  const section = SECTIONS[kind];
  const docs = section
    ? `${K8S_DOCS}/${section}/${kebab(kind)}-${version}/`
    : `https://kubernetes.io/docs/reference/generated/kubernetes-api/v${KUBERNETES_VERSION}/#${kind.toLowerCase()}-${version}-${group.replace(/\./g, '-')}`;
  return { apiVersion, kind, docs };
}

/**
 * API versions kubernetes-models still declares that Kubernetes no longer serves, with the release
 * that stopped serving them (the Deprecated API Migration Guide,
 * https://kubernetes.io/docs/reference/using-api/deprecation-guide/). Every kind of every other
 * version kubernetes-models declares is served at KUBERNETES_VERSION and gets a schema.
 */
export const REMOVED_API_VERSIONS: Record<string, { removedIn: string; kinds?: Record<string, string> }> = {
  'extensions/v1beta1': { removedIn: '1.16', kinds: { Ingress: '1.22' } },
  'apps/v1beta1': { removedIn: '1.16' },
  'apps/v1beta2': { removedIn: '1.16' },
  'admissionregistration.k8s.io/v1beta1': { removedIn: '1.22' },
  'apiextensions.k8s.io/v1beta1': { removedIn: '1.22' },
  'apiregistration.k8s.io/v1beta1': { removedIn: '1.22' },
  'authentication.k8s.io/v1beta1': { removedIn: '1.22' },
  'authorization.k8s.io/v1beta1': { removedIn: '1.22' },
  'certificates.k8s.io/v1beta1': { removedIn: '1.22' },
  'coordination.k8s.io/v1beta1': { removedIn: '1.22' },
  'networking.k8s.io/v1beta1': { removedIn: '1.22' },
  'rbac.authorization.k8s.io/v1beta1': { removedIn: '1.22' },
  'scheduling.k8s.io/v1beta1': { removedIn: '1.22' },
  'storage.k8s.io/v1beta1': { removedIn: '1.22', kinds: { CSIStorageCapacity: '1.27' } },
  'batch/v1beta1': { removedIn: '1.25' },
  'discovery.k8s.io/v1beta1': { removedIn: '1.25' },
  'events.k8s.io/v1beta1': { removedIn: '1.25' },
  'autoscaling/v2beta1': { removedIn: '1.25' },
  'node.k8s.io/v1beta1': { removedIn: '1.25' },
  'policy/v1beta1': { removedIn: '1.25' },
  'autoscaling/v2beta2': { removedIn: '1.26' },
  'flowcontrol.apiserver.k8s.io/v1beta1': { removedIn: '1.26' },
  'flowcontrol.apiserver.k8s.io/v1beta2': { removedIn: '1.29' },
  'flowcontrol.apiserver.k8s.io/v1beta3': { removedIn: '1.32' },
};

export interface RemovedKind {
  apiVersion: string;
  kind: string;
  removedIn: string;
  /** The served API versions of the same kind. */
  use: string[];
}

/**
 * Every kind kubernetes-models declares for the release, split into the served ones (each gets a
 * schema, as kubeconform has one for every kind of the release's OpenAPI document) and the removed
 * ones (a clear error instead of "no schema"). `*List` kinds are served too: their schema checks the
 * list and that each item is an object (each item's own kind is not looked up there).
 */
export function builtinKinds(declared: ReadonlyArray<{ apiVersion: string; kind: string }>): { served: KindSpec[]; removed: RemovedKind[] } {
  const served: KindSpec[] = [];
  const removed: Array<{ apiVersion: string; kind: string; removedIn: string }> = [];
  for (const { apiVersion, kind } of declared) {
    const gone = REMOVED_API_VERSIONS[apiVersion];
    if (gone) removed.push({ apiVersion, kind, removedIn: gone.kinds?.[kind] ?? gone.removedIn });
    else served.push(builtin(apiVersion, kind));
  }
  for (const known of Object.keys(REMOVED_API_VERSIONS)) {
    if (!declared.some((d) => d.apiVersion === known)) throw new Error(`REMOVED_API_VERSIONS names ${known}, which ${BUILTIN.package} does not declare`);
  }
  const order = (a: { apiVersion: string; kind: string }, b: { apiVersion: string; kind: string }): number =>
    a.apiVersion < b.apiVersion ? -1 : a.apiVersion > b.apiVersion ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
  return {
    served: served.sort(order),
    removed: removed
      .map((r) => ({ ...r, use: replacements(r.apiVersion, served.filter((s) => s.kind === r.kind).map((s) => s.apiVersion)) }))
      .sort(order),
  };
}

/** The served API versions of a removed kind, the likeliest first: its own group, then the newest version. */
function replacements(removed: string, served: string[]): string[] {
  const group = (v: string): string => (v.includes('/') ? v.slice(0, v.lastIndexOf('/')) : '');
  const own = (v: string): number => (group(v) === group(removed) ? 0 : 1);
  return served.sort((a, b) => own(a) - own(b) || (a < b ? 1 : a > b ? -1 : 0));
}

/** The built-in kinds: every kind kubernetes-models declares (see builtinKinds), filled in by the build. */
export const BUILTIN: SourceSpec = {
  package: 'kubernetes-models',
  dir: `v${KUBERNETES_VERSION}`,
  title: `Kubernetes ${KUBERNETES_VERSION}`,
  kinds: [],
};

export const CRDS: SourceSpec[] = [
  {
    package: '@kubernetes-models/argo-cd',
    dir: 'argo-cd',
    title: 'Argo CD',
    kinds: [
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', docs: 'https://argo-cd.readthedocs.io/en/stable/user-guide/application-specification/' },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', docs: 'https://argo-cd.readthedocs.io/en/stable/user-guide/projects/' },
    ],
  },
  {
    package: '@kubernetes-models/cert-manager',
    dir: 'cert-manager',
    title: 'cert-manager',
    kinds: [
      { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', docs: 'https://cert-manager.io/docs/reference/api-docs/#cert-manager.io/v1.Certificate' },
      { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', docs: 'https://cert-manager.io/docs/reference/api-docs/#cert-manager.io/v1.Issuer' },
      { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', docs: 'https://cert-manager.io/docs/reference/api-docs/#cert-manager.io/v1.ClusterIssuer' },
    ],
  },
  {
    package: '@kubernetes-models/prometheus-operator',
    dir: 'prometheus-operator',
    title: 'Prometheus Operator',
    kinds: [
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', docs: 'https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.ServiceMonitor' },
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', docs: 'https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PodMonitor' },
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', docs: 'https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PrometheusRule' },
    ],
  },
  {
    package: '@kubernetes-models/gateway-api',
    dir: 'gateway-api',
    title: 'Gateway API',
    kinds: [
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', docs: 'https://gateway-api.sigs.k8s.io/reference/spec/#gateway' },
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', docs: 'https://gateway-api.sigs.k8s.io/reference/spec/#gatewayclass' },
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', docs: 'https://gateway-api.sigs.k8s.io/reference/spec/#httproute' },
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GRPCRoute', docs: 'https://gateway-api.sigs.k8s.io/reference/spec/#grpcroute' },
    ],
  },
  {
    package: '@kubernetes-models/keda',
    dir: 'keda',
    title: 'KEDA',
    kinds: [
      { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', docs: 'https://keda.sh/docs/latest/reference/scaledobject-spec/' },
      { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledJob', docs: 'https://keda.sh/docs/latest/reference/scaledjob-spec/' },
      { apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication', docs: 'https://keda.sh/docs/latest/authentication-providers/' },
    ],
  },
];
