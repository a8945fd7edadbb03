/** CPU and memory requests and limits on every app container (Polaris `*RequestsMissing`/`*LimitsMissing`). */
import { get } from '../kubernetes';
import { HYGIENE, STRICT_ONLY } from '../profiles';
import type { ProfileSeverities, Rule } from '../types';
import { containerRule } from './define';
import { APP_CONTAINERS, containerName, md, within } from './util';

type Kind = 'requests' | 'limits';
type Resource = 'cpu' | 'memory';

function isSet(v: unknown): boolean {
  return (typeof v === 'string' && v.trim() !== '') || typeof v === 'number';
}

function resourceRule(kind: Kind, resource: Resource, info: { id: string; polaris: string; kubeLinter?: string; profiles: ProfileSeverities; description: string; remediation: string }): Rule {
  const what = `${resource === 'cpu' ? 'CPU' : 'memory'} ${kind === 'requests' ? 'request' : 'limit'}`;
  return containerRule(
    {
      id: info.id,
      title: `${what[0]?.toUpperCase()}${what.slice(1)} missing`,
      category: 'kubernetes-efficiency',
      severity: 'warning',
      profiles: info.profiles,
      description: info.description,
      remediation: info.remediation,
      equivalents: { polaris: info.polaris, ...(info.kubeLinter ? { kubeLinter: info.kubeLinter } : {}) },
    },
    { lists: APP_CONTAINERS },
    (c) => {
      const field = ['resources', kind, resource];
      if (isSet(get(c.container, field))) return [];
      // the four rules report once per container: at the same place, merged by the engine into one finding naming what is missing
      const subject = containerName(c);
      return [
        {
          path: within(c.path, c.container, ['resources']),
          field: [...c.path, 'resources'],
          missing: { key: `resources:${c.path.join('/')}`, subject, what, field: `resources.${kind}.${resource}` },
          message: (who) => `${who} has no ${what}: set ${md(`resources.${kind}.${resource}`)}.`,
        },
      ];
    },
  );
}

export const cpuRequestsMissing = resourceRule('requests', 'cpu', {
  id: 'k8s/cpu-requests-missing',
  profiles: HYGIENE,
  polaris: 'cpuRequestsMissing',
  kubeLinter: 'unset-cpu-requirements',
  description: 'Every container should request the CPU it needs: the scheduler places pods by their requests, so a container without one can land on a full node and be starved.',
  remediation: 'Set `resources.requests.cpu` to the CPU the container uses under normal load (e.g. `100m`), measured from its metrics.',
});

export const cpuLimitsMissing = resourceRule('limits', 'cpu', {
  id: 'k8s/cpu-limits-missing',
  // CPU limits throttle a container even when the node has idle cores: many teams set requests only (strict asks for limits too)
  profiles: STRICT_ONLY,
  polaris: 'cpuLimitsMissing',
  description: 'A container without a CPU limit can use every idle core of its node; one busy pod then slows its neighbours.',
  remediation: 'Set `resources.limits.cpu` (e.g. `500m`), at or above the request; leave headroom for bursts.',
});

export const memoryRequestsMissing = resourceRule('requests', 'memory', {
  id: 'k8s/memory-requests-missing',
  profiles: HYGIENE,
  polaris: 'memoryRequestsMissing',
  description: 'Every container should request the memory it needs: without a request the scheduler may overcommit the node and the kubelet evicts the pod first under memory pressure.',
  remediation: 'Set `resources.requests.memory` to the working set the container needs (e.g. `128Mi`).',
});

export const memoryLimitsMissing = resourceRule('limits', 'memory', {
  id: 'k8s/memory-limits-missing',
  profiles: HYGIENE,
  polaris: 'memoryLimitsMissing',
  kubeLinter: 'unset-memory-requirements',
  description: 'A container without a memory limit can take all the memory of its node, and a leak then gets other pods killed instead of this one.',
  remediation: 'Set `resources.limits.memory` (e.g. `256Mi`), at or above the request.',
});

export const RESOURCE_RULES: readonly Rule[] = [cpuRequestsMissing, cpuLimitsMissing, memoryRequestsMissing, memoryLimitsMissing];
