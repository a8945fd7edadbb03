/** HorizontalPodAutoscalers: a real range to scale in, at least two replicas, and a target that exists. */
import { get } from '../kubernetes';
import type { Rule } from '../types';
import { docsNamed, int, isHpa, md, sameNamespace, str, within } from './util';
import { ADVICE, HYGIENE } from '../profiles';

export const hpaMaxReplicas = {
  id: 'k8s/hpa-max-replicas',
  title: 'HPA maxReplicas not above minReplicas',
  category: 'kubernetes-reliability',
  severity: 'warning',
  profiles: HYGIENE,
  description: 'An HPA whose `maxReplicas` equals `minReplicas` can never scale, and one whose `maxReplicas` is below `minReplicas` is refused by the API server.',
  remediation: 'Set `maxReplicas` above `minReplicas`, to the most replicas the workload (and its dependencies) can take.',
  equivalents: { polaris: 'hpaMaxAvailability' },
  appliesTo: (doc) => isHpa(doc),
  check(doc) {
    const max = int(get(doc.value, ['spec', 'maxReplicas']));
    const min = int(get(doc.value, ['spec', 'minReplicas'])) ?? 1;
    if (max === undefined || max > min) return [];
    const message =
      max < min
        ? `${md(`maxReplicas: ${max}`)} is below ${md(`minReplicas: ${min}`)}: the API server refuses this autoscaler.`
        : `${md(`maxReplicas: ${max}`)} equals ${md('minReplicas')}: the autoscaler can never scale.`;
    return [{ path: ['spec', 'maxReplicas'], target: 'value', message }];
  },
} satisfies Rule;

export const hpaMinReplicas = {
  id: 'k8s/hpa-min-replicas',
  title: 'HPA minReplicas below 2',
  category: 'kubernetes-reliability',
  severity: 'info',
  profiles: ADVICE,
  description: 'An HPA with `minReplicas` below 2 (the default is 1) scales the workload down to a single pod at quiet times, which then goes down on every drain, eviction or crash.',
  remediation: 'Set `spec.minReplicas` to at least 2 (3 across zones).',
  equivalents: { polaris: 'hpaMinAvailability' },
  appliesTo: (doc) => isHpa(doc),
  check(doc) {
    const raw = get(doc.value, ['spec', 'minReplicas']);
    const min = raw === undefined || raw === null ? 1 : int(raw);
    if (min === undefined || min >= 2) return [];
    const set = raw !== undefined && raw !== null;
    return [{ path: set ? ['spec', 'minReplicas'] : within([], doc.value, ['spec']), ...(set ? { target: 'value' as const } : {}), message: `The autoscaler may scale down to ${min} replica${set ? '' : ' (the default)'}: set ${md('minReplicas')} to at least 2.` }];
  },
} satisfies Rule;

export const hpaDangling = {
  id: 'k8s/hpa-dangling',
  title: 'HPA target not found',
  category: 'kubernetes-reliability',
  severity: 'warning',
  profiles: HYGIENE,
  description: 'An HPA whose `scaleTargetRef` names no workload among the checked manifests scales nothing, usually because the workload was renamed.',
  remediation: 'Point `spec.scaleTargetRef` (`kind`, `name`, `apiVersion`) at the workload it should scale, or delete the autoscaler.',
  equivalents: { kubeLinter: 'dangling-horizontalpodautoscaler' },
  appliesTo: (doc) => isHpa(doc),
  check(doc, ctx) {
    const kind = str(get(doc.value, ['spec', 'scaleTargetRef', 'kind']));
    const name = str(get(doc.value, ['spec', 'scaleTargetRef', 'name']));
    if (!kind || !name) return [];
    if (docsNamed(ctx, kind, name).some((d) => sameNamespace(d, doc))) return [];
    return [{ path: ['spec', 'scaleTargetRef', 'name'], target: 'value', message: `No ${kind} ${md(name)} among the checked manifests: the autoscaler scales nothing.` }];
  },
} satisfies Rule;

export const HPA_RULES: readonly Rule[] = [hpaMaxReplicas, hpaMinReplicas, hpaDangling];
