/** A Service's named targetPort that no container of the pods it selects declares. */
import { get, isObject, podSpecOf } from '../kubernetes';
import type { PolicyDocument, Rule, RuleFinding } from '../types';
import { podOwnersSelectedBy, sameNamespace } from './util';
import { BASELINE } from '../profiles';

/** The container port names of a pod owner (a built-in workload, or a custom resource with spec.template). */
function portNames(doc: PolicyDocument): string[] {
  const spec = podSpecOf(doc)?.spec ?? get(doc.value, ['spec', 'template', 'spec']);
  if (!isObject(spec)) return [];
  const out: string[] = [];
  for (const list of ['initContainers', 'containers'] as const) {
    for (const c of Array.isArray(spec[list]) ? spec[list] : []) {
      if (!isObject(c) || !Array.isArray(c.ports)) continue;
      for (const p of c.ports) if (isObject(p) && typeof p.name === 'string') out.push(p.name);
    }
  }
  return out;
}

export const serviceTargetPort = {
  id: 'k8s/service-target-port',
  title: 'Service targetPort names no container port',
  category: 'kubernetes-networking',
  severity: 'error',
  // connections to the port fail at run time
  profiles: BASELINE,
  description:
    'A Service port whose targetPort is a name reaches a pod only through a container port of that name: when none of the selected workloads among the checked manifests declares it, the endpoints get no port for it and connections fail. Services whose selector matches no workload in the set are left to k8s/dangling-service.',
  remediation: 'Name the container port (spec.template.spec.containers[].ports[].name) as the targetPort says, or set targetPort to the port number or the existing name.',
  appliesTo: (doc) => doc.kind === 'Service' && doc.apiVersion === 'v1',
  check(doc, ctx) {
    const spec = get(doc.value, ['spec']);
    if (!isObject(spec) || spec.type === 'ExternalName' || !isObject(spec.selector) || Object.keys(spec.selector).length === 0 || !Array.isArray(spec.ports)) return [];
    const selected = podOwnersSelectedBy(ctx, spec.selector).filter((w) => sameNamespace(w, doc));
    if (selected.length === 0) return [];
    const names = new Set(selected.flatMap((w) => portNames(w)));
    const out: RuleFinding[] = [];
    spec.ports.forEach((port, i) => {
      if (!isObject(port) || typeof port.targetPort !== 'string' || names.has(port.targetPort)) return;
      const who = selected.map((w) => `${w.kind ?? ''} ${w.name ?? ''}`.trim()).join(', ');
      out.push({
        path: ['spec', 'ports', i, 'targetPort'],
        target: 'value',
        message: `The targetPort ${port.targetPort} names no container port of the pods this Service selects (${who}): the Service forwards that port nowhere. Known port names: ${[...names].sort().join(', ') || 'none'}.`,
      });
    });
    return out;
  },
} satisfies Rule;

export const SERVICE_PORT_RULES: readonly Rule[] = [serviceTargetPort];
