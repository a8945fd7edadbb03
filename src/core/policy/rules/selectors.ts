/** Label selectors that select nothing: Services without pods, workloads whose selector misses their own template. */
import { get, isObject, isWorkload } from '../kubernetes';
import type { Rule, RuleFinding } from '../types';
import { isKind, labelsAt, md, podOwnersSelectedBy, sameNamespace, selectorMatches, text } from './util';

export const danglingService = {
  id: 'k8s/dangling-service',
  title: 'Service selects no pods',
  category: 'kubernetes-networking',
  severity: 'warning',
  description: 'A Service whose selector matches the pod labels of no workload among the checked manifests has no endpoints: clients get connection errors. Services without a selector (manual endpoints) and ExternalName Services are not checked.',
  remediation: 'Make `spec.selector` equal to labels of the workload\'s pod template (`spec.template.metadata.labels`), in the same namespace.',
  equivalents: { kubeLinter: 'dangling-service' },
  appliesTo: (doc) => isKind(doc, 'Service', ['']),
  check(doc, ctx) {
    const spec = get(doc.value, ['spec']);
    if (!isObject(spec) || spec.type === 'ExternalName' || !isObject(spec.selector) || Object.keys(spec.selector).length === 0) return [];
    const selector = spec.selector;
    if (podOwnersSelectedBy(ctx, selector).some((w) => sameNamespace(w, doc))) return [];
    const pairs = Object.entries(selector).map(([k, v]) => md(`${k}: ${text(v)}`)).join(', ');
    return [{ path: ['spec', 'selector'], message: `No workload among the checked manifests has pods labelled ${pairs}: the Service has no endpoints.` }];
  },
} satisfies Rule;

const SELECTOR_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

export const mismatchingSelector = {
  id: 'k8s/mismatching-selector',
  title: 'Selector does not match pod template labels',
  category: 'kubernetes-reliability',
  severity: 'error',
  description: 'A workload\'s `spec.selector` must select the pods of its own template; otherwise the API server refuses it (`selector does not match template labels`).',
  remediation: 'Make every `spec.selector.matchLabels` pair (and `matchExpressions`) hold for `spec.template.metadata.labels`; remember that the selector of an existing Deployment cannot be changed.',
  equivalents: { kubeLinter: 'mismatching-selector' },
  appliesTo: (doc) => isWorkload(doc) && SELECTOR_KINDS.has(doc.kind ?? ''),
  check(doc) {
    const selector = get(doc.value, ['spec', 'selector']);
    if (!isObject(selector)) return [];
    const labels = labelsAt(doc.value, ['spec', 'template', 'metadata', 'labels']);
    const out: RuleFinding[] = [];
    if (isObject(selector.matchLabels)) {
      for (const [k, v] of Object.entries(selector.matchLabels)) {
        if (labels[k] === text(v)) continue;
        const actual = labels[k] === undefined ? 'has no such label' : `has ${md(`${k}: ${labels[k]}`)}`;
        out.push({ path: ['spec', 'selector', 'matchLabels', k], target: 'value', message: `The selector requires ${md(`${k}: ${text(v)}`)} but the pod template ${actual}: the API server refuses this ${doc.kind ?? 'workload'}.` });
      }
    }
    if (out.length === 0 && !selectorMatches({ matchExpressions: selector.matchExpressions }, labels)) {
      out.push({ path: ['spec', 'selector', 'matchExpressions'], message: `The selector's ${md('matchExpressions')} do not hold for the pod template labels: the API server refuses this ${doc.kind ?? 'workload'}.` });
    }
    return out;
  },
} satisfies Rule;

export const SELECTOR_RULES: readonly Rule[] = [danglingService, mismatchingSelector];
