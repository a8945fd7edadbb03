/** API versions that Kubernetes no longer serves, with the release that removed them and what to use instead. */
import type { Rule } from '../types';
import { md } from './util';
import { BASELINE } from '../profiles';

interface Removal {
  /** Kubernetes minor release that stopped serving it. */
  removedIn: string;
  /** apiVersion to use instead; undefined when the API is gone without a successor. */
  replacement?: string;
  /** What to do when there is no replacement apiVersion. */
  note?: string;
}

/** `apiVersion` → kind → removal. `*` stands for every kind of that apiVersion. */
export const REMOVED_APIS: Record<string, Record<string, Removal>> = {
  'extensions/v1beta1': {
    Deployment: { removedIn: '1.16', replacement: 'apps/v1' },
    DaemonSet: { removedIn: '1.16', replacement: 'apps/v1' },
    ReplicaSet: { removedIn: '1.16', replacement: 'apps/v1' },
    NetworkPolicy: { removedIn: '1.16', replacement: 'networking.k8s.io/v1' },
    PodSecurityPolicy: { removedIn: '1.16', note: 'PodSecurityPolicy was removed in 1.25; use Pod Security Admission (namespace labels `pod-security.kubernetes.io/*`)' },
    Ingress: { removedIn: '1.22', replacement: 'networking.k8s.io/v1' },
  },
  'apps/v1beta1': { '*': { removedIn: '1.16', replacement: 'apps/v1' } },
  'apps/v1beta2': { '*': { removedIn: '1.16', replacement: 'apps/v1' } },
  'networking.k8s.io/v1beta1': { '*': { removedIn: '1.22', replacement: 'networking.k8s.io/v1' } },
  'rbac.authorization.k8s.io/v1beta1': { '*': { removedIn: '1.22', replacement: 'rbac.authorization.k8s.io/v1' } },
  'rbac.authorization.k8s.io/v1alpha1': { '*': { removedIn: '1.22', replacement: 'rbac.authorization.k8s.io/v1' } },
  'apiextensions.k8s.io/v1beta1': { '*': { removedIn: '1.22', replacement: 'apiextensions.k8s.io/v1' } },
  'admissionregistration.k8s.io/v1beta1': { '*': { removedIn: '1.22', replacement: 'admissionregistration.k8s.io/v1' } },
  'apiregistration.k8s.io/v1beta1': { '*': { removedIn: '1.22', replacement: 'apiregistration.k8s.io/v1' } },
  'certificates.k8s.io/v1beta1': { '*': { removedIn: '1.22', replacement: 'certificates.k8s.io/v1' } },
  'coordination.k8s.io/v1beta1': { '*': { removedIn: '1.22', replacement: 'coordination.k8s.io/v1' } },
  'scheduling.k8s.io/v1beta1': { '*': { removedIn: '1.22', replacement: 'scheduling.k8s.io/v1' } },
  'scheduling.k8s.io/v1alpha1': { '*': { removedIn: '1.22', replacement: 'scheduling.k8s.io/v1' } },
  'storage.k8s.io/v1beta1': {
    CSIStorageCapacity: { removedIn: '1.27', replacement: 'storage.k8s.io/v1' },
    '*': { removedIn: '1.22', replacement: 'storage.k8s.io/v1' },
  },
  'policy/v1beta1': {
    PodDisruptionBudget: { removedIn: '1.25', replacement: 'policy/v1' },
    PodSecurityPolicy: { removedIn: '1.25', note: 'use Pod Security Admission (namespace labels `pod-security.kubernetes.io/*`) or a policy engine' },
  },
  'batch/v1beta1': { CronJob: { removedIn: '1.25', replacement: 'batch/v1' } },
  'batch/v2alpha1': { CronJob: { removedIn: '1.21', replacement: 'batch/v1' } },
  'autoscaling/v2beta1': { HorizontalPodAutoscaler: { removedIn: '1.25', replacement: 'autoscaling/v2' } },
  'autoscaling/v2beta2': { HorizontalPodAutoscaler: { removedIn: '1.26', replacement: 'autoscaling/v2' } },
  'discovery.k8s.io/v1beta1': { EndpointSlice: { removedIn: '1.25', replacement: 'discovery.k8s.io/v1' } },
  'events.k8s.io/v1beta1': { Event: { removedIn: '1.25', replacement: 'events.k8s.io/v1' } },
  'node.k8s.io/v1beta1': { RuntimeClass: { removedIn: '1.25', replacement: 'node.k8s.io/v1' } },
  'node.k8s.io/v1alpha1': { RuntimeClass: { removedIn: '1.22', replacement: 'node.k8s.io/v1' } },
  'flowcontrol.apiserver.k8s.io/v1beta1': { '*': { removedIn: '1.26', replacement: 'flowcontrol.apiserver.k8s.io/v1' } },
  'flowcontrol.apiserver.k8s.io/v1beta2': { '*': { removedIn: '1.29', replacement: 'flowcontrol.apiserver.k8s.io/v1' } },
  'flowcontrol.apiserver.k8s.io/v1beta3': { '*': { removedIn: '1.32', replacement: 'flowcontrol.apiserver.k8s.io/v1' } },
};

export function removalOf(apiVersion: string | undefined, kind: string | undefined): Removal | undefined {
  if (!apiVersion || !kind || !Object.hasOwn(REMOVED_APIS, apiVersion)) return undefined;
  const byKind = REMOVED_APIS[apiVersion] ?? {};
  return Object.hasOwn(byKind, kind) ? byKind[kind] : byKind['*'];
}

export const deprecatedApiVersion = {
  id: 'k8s/deprecated-api-version',
  title: 'Removed API version',
  category: 'kubernetes-reliability',
  severity: 'error',
  profiles: BASELINE,
  description: 'The apiVersion is no longer served by Kubernetes (e.g. `extensions/v1beta1`, `apps/v1beta2`, `policy/v1beta1`, `batch/v1beta1`, `autoscaling/v2beta2`): applying the manifest to a current cluster fails.',
  remediation: 'Change `apiVersion` to the replacement named in the finding and adapt the fields that changed (see the Kubernetes deprecated API migration guide).',
  equivalents: { kubeLinter: 'no-extensions-v1beta' },
  appliesTo: (doc) => removalOf(doc.apiVersion, doc.kind) !== undefined,
  check(doc) {
    const r = removalOf(doc.apiVersion, doc.kind);
    if (!r) return [];
    const instead = r.replacement ? `use ${md(`apiVersion: ${r.replacement}`)}` : (r.note ?? 'it has no successor');
    return [{ path: ['apiVersion'], target: 'value', message: `${md(`${doc.apiVersion ?? ''}`)} ${doc.kind ?? ''} is no longer served since Kubernetes ${r.removedIn}: ${instead}.` }];
  },
} satisfies Rule;

export const API_VERSION_RULES: readonly Rule[] = [deprecatedApiVersion];
