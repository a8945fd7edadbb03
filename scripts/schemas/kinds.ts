/**
 * Which Kubernetes kinds get a bundled schema, where their reference docs live,
 * and which npm package each comes from. Deprecated API versions are left out on purpose.
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

function builtin(apiVersion: string, kind: string, section: string): KindSpec {
  const version = apiVersion.split('/').pop() as string;
  return { apiVersion, kind, docs: `${K8S_DOCS}/${section}/${kebab(kind)}-${version}/` };
}

export const BUILTIN: SourceSpec = {
  package: 'kubernetes-models',
  dir: `v${KUBERNETES_VERSION}`,
  title: `Kubernetes ${KUBERNETES_VERSION}`,
  kinds: [
    builtin('v1', 'Pod', 'workload-resources'),
    builtin('apps/v1', 'Deployment', 'workload-resources'),
    builtin('apps/v1', 'StatefulSet', 'workload-resources'),
    builtin('apps/v1', 'DaemonSet', 'workload-resources'),
    builtin('apps/v1', 'ReplicaSet', 'workload-resources'),
    builtin('batch/v1', 'Job', 'workload-resources'),
    builtin('batch/v1', 'CronJob', 'workload-resources'),
    builtin('autoscaling/v2', 'HorizontalPodAutoscaler', 'workload-resources'),
    builtin('scheduling.k8s.io/v1', 'PriorityClass', 'workload-resources'),
    builtin('v1', 'Service', 'service-resources'),
    builtin('networking.k8s.io/v1', 'Ingress', 'service-resources'),
    builtin('networking.k8s.io/v1', 'IngressClass', 'service-resources'),
    builtin('v1', 'ConfigMap', 'config-and-storage-resources'),
    builtin('v1', 'Secret', 'config-and-storage-resources'),
    builtin('v1', 'PersistentVolumeClaim', 'config-and-storage-resources'),
    builtin('v1', 'PersistentVolume', 'config-and-storage-resources'),
    builtin('storage.k8s.io/v1', 'StorageClass', 'config-and-storage-resources'),
    builtin('v1', 'ServiceAccount', 'authentication-resources'),
    builtin('rbac.authorization.k8s.io/v1', 'Role', 'authorization-resources'),
    builtin('rbac.authorization.k8s.io/v1', 'RoleBinding', 'authorization-resources'),
    builtin('rbac.authorization.k8s.io/v1', 'ClusterRole', 'authorization-resources'),
    builtin('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'authorization-resources'),
    builtin('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', 'extend-resources'),
    builtin('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicyBinding', 'extend-resources'),
    builtin('networking.k8s.io/v1', 'NetworkPolicy', 'policy-resources'),
    builtin('policy/v1', 'PodDisruptionBudget', 'policy-resources'),
    builtin('v1', 'LimitRange', 'policy-resources'),
    builtin('v1', 'ResourceQuota', 'policy-resources'),
    builtin('v1', 'Namespace', 'cluster-resources'),
  ],
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
