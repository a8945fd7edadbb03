/** PodDisruptionBudgets: present for replicated workloads, and allowing at least one voluntary disruption. */
import { get } from '../kubernetes';
import type { PolicyDocument, Rule, RuleFinding } from '../types';
import { describeDoc, documentPath, int, isPdb, isReplicated, md, nearestCopies, pdbsFor, podLabelsIn, podOwners, replicaRange, sameNamespace, selectorMatches, str, text, within } from './util';
import { ADVICE, HYGIENE } from '../profiles';

function isZero(v: unknown): boolean {
  return v === 0 || (typeof v === 'string' && /^0+%?$/.test(v.trim()));
}

export const pdbMaxUnavailableZero = {
  id: 'k8s/pdb-max-unavailable-zero',
  title: 'PodDisruptionBudget allows no disruption (maxUnavailable 0)',
  category: 'kubernetes-reliability',
  severity: 'warning',
  profiles: HYGIENE,
  description: 'A PodDisruptionBudget with `maxUnavailable: 0` never lets a pod be evicted voluntarily: node drains, cluster upgrades and autoscaler scale-downs hang until someone deletes the budget.',
  remediation: 'Set `maxUnavailable: 1` (or a percentage that rounds up to at least one pod), and run enough replicas to stay available with one gone.',
  equivalents: { polaris: 'pdbDisruptionsIsZero', kubeLinter: 'pdb-max-unavailable' },
  appliesTo: (doc) => isPdb(doc),
  check(doc) {
    const v = get(doc.value, ['spec', 'maxUnavailable']);
    return isZero(v) ? [{ path: ['spec', 'maxUnavailable'], target: 'value', message: `${md(`maxUnavailable: ${text(v)}`)} allows no voluntary eviction: node drains and upgrades will hang.` }] : [];
  },
} satisfies Rule;

/** How many pods of `replicas` the budget keeps: an integer, or a percentage rounded up (as the disruption controller does). */
function keeps(minAvailable: unknown, replicas: number): number | undefined {
  const n = int(minAvailable);
  if (n !== undefined) return n;
  const m = /^(\d+)%$/.exec(str(minAvailable)?.trim() ?? '');
  return m ? Math.ceil((replicas * Number(m[1])) / 100) : undefined;
}

export const pdbMinAvailableAll = {
  id: 'k8s/pdb-min-available-all',
  title: 'PodDisruptionBudget allows no disruption (minAvailable)',
  category: 'kubernetes-reliability',
  severity: 'warning',
  profiles: HYGIENE,
  description: 'A PodDisruptionBudget whose `minAvailable` is `100%`, or at least the replica count of a workload it selects (the HPA\'s `minReplicas` when one scales it), never lets a pod be evicted voluntarily: drains and upgrades hang.',
  remediation: 'Lower `minAvailable` below the replica count (e.g. replicas − 1), use `maxUnavailable: 1` instead, or raise the replicas.',
  equivalents: { polaris: 'pdbMinAvailableGreaterThanHPAMinReplicas', kubeLinter: 'pdb-min-available' },
  appliesTo: (doc) => isPdb(doc),
  check(doc, ctx) {
    const min = get(doc.value, ['spec', 'minAvailable']);
    if (min === undefined || min === null) return [];
    const path = ['spec', 'minAvailable'];
    if (typeof min === 'string' && min.trim() === '100%') return [{ path, target: 'value', message: `${md('minAvailable: 100%')} allows no voluntary eviction: node drains and upgrades will hang.` }];
    const out: RuleFinding[] = [];
    const selector = get(doc.value, ['spec', 'selector']);
    const selected = podOwners(ctx).filter((w) => isReplicated(w) && sameNamespace(w, doc) && selectorMatches(selector, podLabelsIn(ctx, w)));
    for (const w of nearestCopies(doc, selected)) {
      const range = replicaRange(w, ctx);
      if (!range) continue;
      const kept = keeps(min, range.min);
      if (kept === undefined || kept < range.min) continue;
      const what = range.hpa ? `its HPA's ${md(`minReplicas: ${range.min}`)}` : `its ${range.min} replica${range.min === 1 ? '' : 's'}`;
      out.push({ path, target: 'value', message: `${md(`minAvailable: ${text(min)}`)} keeps all of ${describeDoc(w)} (${what}): no pod can ever be evicted voluntarily.` });
    }
    return out;
  },
} satisfies Rule;

const PDB_KINDS = new Set(['Deployment', 'StatefulSet']);

export const pdbMissing = {
  id: 'k8s/pdb-missing',
  title: 'PodDisruptionBudget missing',
  category: 'kubernetes-reliability',
  severity: 'info',
  profiles: ADVICE,
  description: 'A Deployment or StatefulSet with 2 or more replicas (or an HPA `minReplicas` of 2 or more) and no PodDisruptionBudget selecting its pods may lose all of them at once in a node drain or cluster upgrade.',
  remediation: 'Add a PodDisruptionBudget in the same namespace with `selector.matchLabels` equal to the pod labels and `maxUnavailable: 1` (or `minAvailable` below the replica count).',
  equivalents: { polaris: 'missingPodDisruptionBudget' },
  appliesTo: (doc: PolicyDocument) => isReplicated(doc) && PDB_KINDS.has(doc.kind ?? ''),
  check(doc, ctx) {
    const range = replicaRange(doc, ctx);
    if (!range || range.min < 2 || pdbsFor(doc, ctx).length > 0) return [];
    const count = range.hpa ? `at least ${range.min} replicas (HPA)` : `${range.min} replicas`;
    return [{ path: documentPath(doc), target: 'value', message: `${describeDoc(doc)} runs ${count} and no PodDisruptionBudget selects its pods: a node drain may evict them all at once.` }];
  },
} satisfies Rule;

export const pdbUnhealthyPodEvictionPolicy = {
  id: 'k8s/pdb-unhealthy-pod-eviction-policy',
  title: 'PodDisruptionBudget does not set unhealthyPodEvictionPolicy',
  category: 'kubernetes-reliability',
  severity: 'info',
  profiles: ADVICE,
  description: 'Without spec.unhealthyPodEvictionPolicy a PodDisruptionBudget uses IfHealthyBudget: pods that run but are not ready cannot be evicted while the budget is not met, so a node drain can hang on a crash-looping pod. AlwaysAllow lets them go.',
  remediation: 'Set spec.unhealthyPodEvictionPolicy: AlwaysAllow (Kubernetes 1.27 and later), or IfHealthyBudget to keep today\'s behaviour on purpose.',
  equivalents: { kubeLinter: 'pdb-unhealthy-pod-eviction-policy' },
  appliesTo: (doc) => isPdb(doc),
  check(doc) {
    if (get(doc.value, ['spec', 'unhealthyPodEvictionPolicy']) !== undefined) return [];
    return [{ path: within([], doc.value, ['spec']), message: 'The PodDisruptionBudget does not set spec.unhealthyPodEvictionPolicy: a pod that runs but is not ready can block node drains; set it to AlwaysAllow.' }];
  },
} satisfies Rule;

export const PDB_RULES: readonly Rule[] = [pdbMaxUnavailableZero, pdbMinAvailableAll, pdbMissing, pdbUnhealthyPodEvictionPolicy];
