/** Label selectors that select nothing: Services without pods, workloads whose selector misses their own template. */
import { get, isObject, isWorkload } from '../kubernetes';
import type { PolicyDocument, Rule, RuleFinding } from '../types';
import { arr, docsOfKind, isKind, labelsAt, md, podOwnersSelectedBy, sameNamespace, selectorMatches, text } from './util';
import { BASELINE, HYGIENE } from '../profiles';

export const danglingService = {
  id: 'k8s/dangling-service',
  title: 'Service selects no pods',
  category: 'kubernetes-networking',
  severity: 'warning',
  profiles: HYGIENE,
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
  profiles: BASELINE,
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

export const danglingServiceMonitor = {
  id: 'k8s/dangling-service-monitor',
  title: 'ServiceMonitor selects no Service',
  category: 'kubernetes-reliability',
  severity: 'warning',
  profiles: HYGIENE,
  description: 'A Prometheus Operator ServiceMonitor whose selector and namespaceSelector match the labels of no Service among the checked manifests scrapes nothing, so the metrics and alerts built on it stay silent. Without a namespaceSelector it looks in its own namespace.',
  remediation: 'Make spec.selector match the Service\'s metadata.labels (not its pod selector), and list the Service\'s namespace in spec.namespaceSelector.matchNames when it lives elsewhere.',
  equivalents: { kubeLinter: 'dangling-servicemonitor' },
  appliesTo: (doc) => isKind(doc, 'ServiceMonitor', ['monitoring.coreos.com']),
  check(doc, ctx) {
    const spec = get(doc.value, ['spec']);
    if (!isObject(spec)) return [];
    const selector = isObject(spec.selector) ? spec.selector : {};
    const ns = isObject(spec.namespaceSelector) ? spec.namespaceSelector : {};
    const names = arr(ns.matchNames).filter((n): n is string => typeof n === 'string');
    const inNamespace = (s: PolicyDocument) => ns.any === true || (names.length > 0 ? s.namespace === undefined || names.includes(s.namespace) : sameNamespace(s, doc));
    const found = docsOfKind(ctx, 'Service').some((s) => isKind(s, 'Service', ['']) && inNamespace(s) && selectorMatches(selector, labelsAt(s.value, ['metadata', 'labels'])));
    if (found) return [];
    const where = ns.any === true ? 'in any namespace' : names.length > 0 ? `in namespace ${names.join(', ')}` : 'in its namespace';
    return [{ path: isObject(spec.selector) ? ['spec', 'selector'] : ['spec'], message: `No Service among the checked manifests ${where} has labels this ServiceMonitor selects: it scrapes nothing.` }];
  },
} satisfies Rule;

export const SELECTOR_RULES: readonly Rule[] = [danglingService, mismatchingSelector, danglingServiceMonitor];
