/** Network exposure: pods no NetworkPolicy isolates, Ingresses without TLS. */
import { get, isWorkload } from '../kubernetes';
import type { PolicyDocument, Rule } from '../types';
import { arr, describeDoc, docsOfKind, documentPath, isKind, podLabels, podLabelsPath, sameNamespace, selectorMatches, within } from './util';

/**
 * Whether a NetworkPolicy limits the ingress of the pods it selects: its
 * policyTypes lists Ingress, or, without policyTypes, always (Kubernetes then
 * takes Ingress, plus Egress when the policy has egress rules).
 */
export function isolatesIngress(np: PolicyDocument): boolean {
  const types = get(np.value, ['spec', 'policyTypes']);
  if (!Array.isArray(types)) return true;
  return types.some((t) => typeof t === 'string' && t.toLowerCase() === 'ingress');
}

export const missingNetworkPolicy = {
  id: 'k8s/missing-network-policy',
  title: 'No NetworkPolicy selects the pods',
  category: 'kubernetes-networking',
  severity: 'warning',
  description: 'Pods that no NetworkPolicy selects for ingress accept connections from every pod in the cluster: one compromised pod can reach them all. A policy whose policyTypes lists only Egress does not count; one with an empty `podSelector` in the namespace does.',
  remediation: 'Add a NetworkPolicy in the namespace whose `podSelector` matches the pod labels and allows only the ingress (and egress) the workload needs; a default-deny policy (`podSelector: {}`) plus specific allows is the usual pattern.',
  equivalents: { polaris: 'missingNetworkPolicy', kubeLinter: 'non-isolated-pod' },
  appliesTo: (doc) => isWorkload(doc) && podLabelsPath(doc) !== undefined,
  check(doc, ctx) {
    const labels = podLabels(doc);
    let egressOnly = false;
    const selected = docsOfKind(ctx, 'NetworkPolicy').some((np) => {
      if (!isKind(np, 'NetworkPolicy', ['networking.k8s.io']) || !sameNamespace(np, doc)) return false;
      const sel = get(np.value, ['spec', 'podSelector']);
      if (!(sel === undefined || sel === null || selectorMatches(sel, labels))) return false;
      if (isolatesIngress(np)) return true;
      egressOnly = true;
      return false;
    });
    if (selected) return [];
    const message = egressOnly
      ? `The NetworkPolicies that select the pods of ${describeDoc(doc)} limit only egress (policyTypes has no Ingress): the pods accept traffic from any pod in the cluster.`
      : `No NetworkPolicy among the checked manifests selects the pods of ${describeDoc(doc)}: they accept traffic from any pod in the cluster.`;
    return [{ path: documentPath(doc), target: 'value', message }];
  },
} satisfies Rule;

export const ingressTls = {
  id: 'k8s/ingress-tls',
  title: 'Ingress without TLS',
  category: 'kubernetes-networking',
  severity: 'warning',
  description: 'An Ingress without `spec.tls` serves its hosts over plain HTTP: credentials and session cookies cross the network in clear text.',
  remediation: 'Add `spec.tls` with the hosts and a `secretName` holding the certificate (e.g. issued by cert-manager via the `cert-manager.io/cluster-issuer` annotation).',
  equivalents: { polaris: 'tlsSettingsMissing' },
  appliesTo: (doc) => isKind(doc, 'Ingress', ['networking.k8s.io', 'extensions']),
  check(doc) {
    if (arr(get(doc.value, ['spec', 'tls'])).length > 0) return [];
    return [{ path: within([], doc.value, ['spec', 'tls']), message: `${describeDoc(doc)} has no ${'`spec.tls`'}: its hosts are served over plain HTTP.` }];
  },
} satisfies Rule;

export const NETWORK_RULES: readonly Rule[] = [missingNetworkPolicy, ingressTls];
