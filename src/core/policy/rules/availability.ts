/** Availability of replicated workloads: replicas in production, spreading across nodes, scheduling priority. */
import { get, isObject } from '../kubernetes';
import type { PolicyDocument, Rule } from '../types';
import { podRule } from './define';
import type { Labels } from './util';
import { arr, describeDoc, podLabels, selectorMatches, hpasFor, isProduction, isReplicated, md, replicaRange, replicasOf, str, within, workloadPod } from './util';
import { ADVICE, HYGIENE } from '../profiles';

export const productionReplicas = {
  id: 'k8s/production-replicas',
  title: 'Single replica in production',
  category: 'kubernetes-reliability',
  severity: 'warning',
  profiles: HYGIENE,
  description:
    'A production Deployment, StatefulSet or ReplicaSet with fewer than 2 replicas (and no HPA in the set, see `k8s/hpa-min-replicas`) goes down on every node drain, eviction or crash. Production means a namespace that is or has a segment `prod`, `production` or `prd` (`checkout-prod`), or an `environment`, `env`, `stage`, `app.kubernetes.io/environment` or `tags.datadoghq.com/env` label on the workload or its pods saying so.',
  remediation: 'Set `spec.replicas` to at least 2 (3 across zones), or scale it with a HorizontalPodAutoscaler whose `minReplicas` is at least 2.',
  equivalents: { polaris: 'deploymentMissingReplicas' },
  appliesTo: (doc) => isReplicated(doc),
  check(doc, ctx) {
    if (!isProduction(doc) || hpasFor(doc, ctx).length > 0) return [];
    const n = replicasOf(doc);
    if (n === undefined || n >= 2) return [];
    const set = get(doc.value, ['spec', 'replicas']) !== undefined;
    return [
      {
        path: set ? ['spec', 'replicas'] : within([], doc.value, ['spec']),
        ...(set ? { target: 'value' as const } : {}),
        message: `${describeDoc(doc)} runs ${n} replica${set ? '' : ' (the default)'} in production: set ${md('spec.replicas')} to at least 2.`,
      },
    ];
  },
} satisfies Rule;

/**
 * Whether a pod anti-affinity term (or a topology spread constraint) keeps the
 * workload's own pods apart: a topology key, a label selector that selects the
 * pod labels, and, for a term, namespaces that include the workload's (a term
 * without namespaces or with a namespaceSelector is taken to cover it).
 */
function spreadsOwnPods(term: unknown, doc: PolicyDocument, labels: Labels, constraint = false): boolean {
  if (!isObject(term) || typeof term.topologyKey !== 'string' || term.topologyKey === '') return false;
  if (!constraint && !isObject(term.namespaceSelector)) {
    const namespaces = arr(term.namespaces);
    if (namespaces.length > 0 && !(doc.namespace !== undefined && namespaces.includes(doc.namespace))) return false;
  }
  return selectorMatches(term.labelSelector, labels);
}

export const antiAffinity = {
  id: 'k8s/anti-affinity',
  title: 'Replicas not spread across nodes',
  category: 'kubernetes-reliability',
  severity: 'info',
  profiles: ADVICE,
  description: 'A workload with 2 or more replicas (or an HPA that can scale it past 1) but no pod anti-affinity term or topology spread constraint that selects its own pods may have all its replicas on one node, which then takes the whole service down.',
  remediation:
    'Add `topologySpreadConstraints` (e.g. `maxSkew: 1`, `topologyKey: kubernetes.io/hostname` or `topology.kubernetes.io/zone`, `whenUnsatisfiable: ScheduleAnyway`, a `labelSelector` matching the pods), or a `preferredDuringSchedulingIgnoredDuringExecution` pod anti-affinity on the same labels.',
  equivalents: { polaris: 'topologySpreadConstraint', kubeLinter: 'no-anti-affinity' },
  appliesTo: (doc) => isReplicated(doc),
  check(doc, ctx) {
    const pod = workloadPod(doc);
    const range = replicaRange(doc, ctx);
    if (!pod || !range || range.max < 2) return [];
    const anti = get(pod.spec, ['affinity', 'podAntiAffinity']);
    const terms = [
      ...arr(get(anti, ['preferredDuringSchedulingIgnoredDuringExecution'])).map((t) => get(t, ['podAffinityTerm'])),
      ...arr(get(anti, ['requiredDuringSchedulingIgnoredDuringExecution'])),
    ];
    const spreads = arr(pod.spec.topologySpreadConstraints);
    const labels = podLabels(doc);
    if (terms.some((t) => spreadsOwnPods(t, doc, labels)) || spreads.some((t) => spreadsOwnPods(t, doc, labels, true))) return [];
    const count = range.hpa ? `up to ${range.max} replicas` : `${range.max} replicas`;
    if (terms.length > 0 || spreads.length > 0) {
      return [{ path: within(pod.path, pod.spec, terms.length > 0 ? ['affinity', 'podAntiAffinity'] : ['topologySpreadConstraints']), message: `${describeDoc(doc)} runs ${count}, but no anti-affinity term or topology spread constraint selects its own pods (in its namespace, with a topology key): they may all land on one node.` }];
    }
    return [{ path: within(pod.path, pod.spec, ['affinity']), message: `${describeDoc(doc)} runs ${count} with no pod anti-affinity or topology spread constraints: they may all land on one node.` }];
  },
} satisfies Rule;

export const priorityClass = podRule(
  {
    id: 'k8s/priority-class',
    title: 'Priority class not set',
    category: 'kubernetes-reliability',
    severity: 'info',
    profiles: ADVICE,
    description: 'Without `priorityClassName` a pod gets the cluster\'s default priority, so under resource pressure the scheduler may preempt it in favour of less important work, or let it starve critical pods.',
    remediation: 'Set `priorityClassName` in the pod spec to one of your cluster\'s PriorityClasses that matches the workload\'s importance.',
    equivalents: { polaris: 'priorityClassNotSet' },
  },
  {},
  (pod) => (str(pod.spec.priorityClassName) ? [] : [{ path: pod.path, message: `The pod has no ${md('priorityClassName')}: set one so the scheduler knows what to preempt first.` }]),
);

export const AVAILABILITY_RULES: readonly Rule[] = [productionReplicas, antiAffinity, priorityClass];
