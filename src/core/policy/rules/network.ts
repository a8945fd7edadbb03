/** Network exposure: pods no NetworkPolicy isolates, Ingresses without TLS. */
import type { PathSegment } from '../../findings';
import { get, isObject, isWorkload } from '../kubernetes';
import type { PolicyContext, PolicyDocument, Rule, RuleFinding } from '../types';
import { arr, describeDoc, docsNamed, docsOfKind, documentPath, int, isKind, podLabels, podLabelsIn, podLabelsPath, podOwners, sameNamespace, selectorMatches, str, within } from './util';
import { ADVICE, HYGIENE } from '../profiles';

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
  severity: 'info',
  profiles: ADVICE,
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
  profiles: HYGIENE,
  description: 'An Ingress without `spec.tls` serves its hosts over plain HTTP: credentials and session cookies cross the network in clear text.',
  remediation: 'Add `spec.tls` with the hosts and a `secretName` holding the certificate (e.g. issued by cert-manager via the `cert-manager.io/cluster-issuer` annotation).',
  equivalents: { polaris: 'tlsSettingsMissing' },
  appliesTo: (doc) => isKind(doc, 'Ingress', ['networking.k8s.io', 'extensions']),
  check(doc) {
    if (arr(get(doc.value, ['spec', 'tls'])).length > 0) return [];
    return [{ path: within([], doc.value, ['spec', 'tls']), message: `${describeDoc(doc)} has no 'spec.tls': its hosts are served over plain HTTP.` }];
  },
} satisfies Rule;

interface BackendAt {
  path: PathSegment[];
  name: string;
  /** The Service port it names: a number or a port name (undefined: not given). */
  port?: number | string;
}

/** The Service backends of an Ingress (networking.k8s.io/v1 and the older serviceName/servicePort form); resource backends are not Services. */
function ingressBackends(doc: PolicyDocument): BackendAt[] {
  const out: BackendAt[] = [];
  const add = (backend: unknown, path: PathSegment[]) => {
    if (!isObject(backend)) return;
    const svc = backend.service;
    if (isObject(svc) && typeof svc.name === 'string') {
      const port = isObject(svc.port) ? (int(svc.port.number) ?? str(svc.port.name)) : undefined;
      out.push({ path: [...path, 'service', 'name'], name: svc.name, ...(port !== undefined ? { port } : {}) });
    } else if (typeof backend.serviceName === 'string') {
      const port = int(backend.servicePort) ?? str(backend.servicePort);
      out.push({ path: [...path, 'serviceName'], name: backend.serviceName, ...(port !== undefined ? { port } : {}) });
    }
  };
  const spec = get(doc.value, ['spec']);
  if (!isObject(spec)) return out;
  add(spec.defaultBackend, ['spec', 'defaultBackend']);
  add(spec.backend, ['spec', 'backend']);
  arr(spec.rules).forEach((rule, i) => {
    arr(get(rule, ['http', 'paths'])).forEach((p, j) => add(get(p, ['backend']), ['spec', 'rules', i, 'http', 'paths', j, 'backend']));
  });
  return out;
}

function servesPort(service: PolicyDocument, port: number | string | undefined): boolean {
  if (port === undefined) return true;
  return arr(get(service.value, ['spec', 'ports'])).some((p) => isObject(p) && (p.port === port || (typeof port === 'string' && p.name === port)));
}

export const danglingIngress = {
  id: 'k8s/dangling-ingress',
  title: 'Ingress backend names no Service',
  category: 'kubernetes-networking',
  severity: 'warning',
  profiles: HYGIENE,
  description: 'An Ingress backend whose Service (by name, in the namespace) or Service port is not among the checked manifests sends its traffic nowhere: the controller answers 503. Resource backends are not checked.',
  remediation: 'Make the backend name a Service of the same namespace and one of its ports (its number or its name).',
  equivalents: { kubeLinter: 'dangling-ingress' },
  appliesTo: (doc) => isKind(doc, 'Ingress', ['networking.k8s.io', 'extensions']),
  check(doc, ctx) {
    return ingressBackends(doc).flatMap((b): RuleFinding[] => {
      const services = docsNamed(ctx, 'Service', b.name).filter((s) => isKind(s, 'Service', ['']) && sameNamespace(s, doc));
      if (services.some((s) => servesPort(s, b.port))) return [];
      const message = services.length > 0
        ? `Service ${b.name} has no port ${String(b.port)}: this Ingress backend sends its traffic nowhere.`
        : `No Service named ${b.name} among the checked manifests: this Ingress backend sends its traffic nowhere.`;
      return [{ path: b.path, target: 'value', message }];
    });
  },
} satisfies Rule;

const isNetworkPolicy = (doc: PolicyDocument) => isKind(doc, 'NetworkPolicy', ['networking.k8s.io']);

/** Whether a label selector of a NetworkPolicy selects the pods of some workload in the set, in the policy's namespace. */
function selectsPods(selector: unknown, np: PolicyDocument, ctx: PolicyContext): boolean {
  return podOwners(ctx).some((w) => sameNamespace(w, np) && selectorMatches(selector, podLabelsIn(ctx, w)));
}

/** An empty selector ({}) selects every pod of the namespace: a namespace-wide policy, not one for some workload. */
function isEmptySelector(selector: unknown): boolean {
  return isObject(selector) && arr(selector.matchExpressions).length === 0 && !(isObject(selector.matchLabels) && Object.keys(selector.matchLabels).length > 0);
}

export const danglingNetworkPolicy = {
  id: 'k8s/dangling-network-policy',
  title: 'NetworkPolicy selects no pods',
  category: 'kubernetes-networking',
  severity: 'warning',
  profiles: HYGIENE,
  description: 'A NetworkPolicy whose podSelector matches the pod labels of no workload among the checked manifests (in its namespace) protects nothing, and the pods it was written for are left open. Policies with an empty podSelector (the whole namespace) are not checked.',
  remediation: 'Make spec.podSelector match the labels of the workload\'s pod template, in the same namespace.',
  equivalents: { kubeLinter: 'dangling-networkpolicy' },
  appliesTo: isNetworkPolicy,
  check(doc, ctx) {
    const selector = get(doc.value, ['spec', 'podSelector']);
    if (!isObject(selector) || isEmptySelector(selector) || selectsPods(selector, doc, ctx)) return [];
    return [{ path: ['spec', 'podSelector'], message: `No workload among the checked manifests has pods this NetworkPolicy selects: it protects nothing.` }];
  },
} satisfies Rule;

export const danglingNetworkPolicyPeer = {
  id: 'k8s/dangling-network-policy-peer',
  title: 'NetworkPolicy rule allows pods that do not exist',
  category: 'kubernetes-networking',
  severity: 'warning',
  profiles: HYGIENE,
  description: 'An ingress from or egress to peer of a NetworkPolicy whose podSelector matches the pod labels of no workload among the checked manifests (in the policy\'s namespace) allows nothing, so the traffic it was written for is blocked. Peers with a namespaceSelector, and empty podSelectors, are not checked.',
  remediation: 'Make the peer\'s podSelector match the labels of the pods that should be allowed, or add a namespaceSelector when they live in another namespace.',
  equivalents: { kubeLinter: 'dangling-networkpolicypeer-podselector' },
  appliesTo: isNetworkPolicy,
  check(doc, ctx) {
    const out: RuleFinding[] = [];
    for (const [direction, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
      arr(get(doc.value, ['spec', direction])).forEach((rule, i) => {
        arr(get(rule, [peers])).forEach((peer, j) => {
          if (!isObject(peer) || !isObject(peer.podSelector) || peer.namespaceSelector !== undefined || isEmptySelector(peer.podSelector)) return;
          if (selectsPods(peer.podSelector, doc, ctx)) return;
          out.push({ path: ['spec', direction, i, peers, j, 'podSelector'], message: `No workload among the checked manifests has pods this ${direction} peer selects: the rule allows nothing.` });
        });
      });
    }
    return out;
  },
} satisfies Rule;

export const NETWORK_RULES: readonly Rule[] = [missingNetworkPolicy, ingressTls, danglingIngress, danglingNetworkPolicy, danglingNetworkPolicyPeer];
