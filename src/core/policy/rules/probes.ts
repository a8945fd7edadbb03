/** Liveness and readiness probes: present on long-running containers, and aimed at a port the container declares. */
import type { PathSegment } from '../../findings';
import { get, isObject } from '../kubernetes';
import type { ContainerAt } from '../kubernetes';
import type { Rule } from '../types';
import { containerRule } from './define';
import type { ContainerIssue } from './define';
import { APP_CONTAINERS, arr, md, str } from './util';
import { ADVICE, HYGIENE } from '../profiles';

/** Jobs run to completion: probes there are optional. */
const RUN_TO_COMPLETION = ['Job', 'CronJob'];

export const livenessProbeMissing = containerRule(
  {
    id: 'k8s/liveness-probe-missing',
    title: 'Liveness probe missing',
    category: 'kubernetes-reliability',
    severity: 'info',
    profiles: ADVICE,
    description: 'Without a liveness probe the kubelet restarts a container only when its process exits; a hung server (deadlock, exhausted pool) keeps receiving traffic forever.',
    remediation: 'Add `livenessProbe` (an `httpGet` on a cheap health endpoint, or `tcpSocket`/`exec`/`grpc`) that fails only when a restart would help; give it a generous `failureThreshold`.',
    equivalents: { polaris: 'livenessProbeMissing', kubeLinter: 'no-liveness-probe' },
  },
  { lists: APP_CONTAINERS, skipKinds: RUN_TO_COMPLETION },
  (c) => (isObject(c.container.livenessProbe) ? [] : [{ path: c.path, message: (who) => `${who} has no liveness probe: add ${md('livenessProbe')} so a hung process is restarted.` }]),
);

export const readinessProbeMissing = containerRule(
  {
    id: 'k8s/readiness-probe-missing',
    title: 'Readiness probe missing',
    category: 'kubernetes-reliability',
    severity: 'warning',
    profiles: HYGIENE,
    description: 'Without a readiness probe a pod receives traffic as soon as its container starts, before the application can serve it, and keeps receiving it while it is overloaded or shutting down.',
    remediation: 'Add `readinessProbe` (usually an `httpGet` on a readiness endpoint that checks the dependencies the service cannot work without).',
    equivalents: { polaris: 'readinessProbeMissing', kubeLinter: 'no-readiness-probe' },
  },
  { lists: APP_CONTAINERS, skipKinds: RUN_TO_COMPLETION },
  (c) => (isObject(c.container.readinessProbe) ? [] : [{ path: c.path, message: (who) => `${who} has no readiness probe: add ${md('readinessProbe')} so it only gets traffic when it can serve it.` }]),
);

/** Ports a container declares (TCP only: probes use TCP), by number and by name. */
function declaredPorts(c: ContainerAt): { numbers: Set<number>; names: Set<string>; any: boolean } {
  const numbers = new Set<number>();
  const names = new Set<string>();
  let any = false;
  for (const p of arr(c.container.ports)) {
    if (!isObject(p)) continue;
    any = true;
    if (p.protocol !== undefined && p.protocol !== 'TCP') continue;
    if (typeof p.containerPort === 'number') numbers.add(p.containerPort);
    const name = str(p.name);
    if (name) names.add(name);
  }
  return { numbers, names, any };
}

type ProbeField = 'livenessProbe' | 'readinessProbe' | 'startupProbe';

/**
 * Named probe ports must be declared by the container (else the probe always
 * fails); a numbered port is reported only when the container declares ports
 * and not that one (probes on undeclared numbered ports work, but usually
 * mean the port changed and the probe did not).
 */
function probePortIssues(c: ContainerAt, field: ProbeField, label: string): ContainerIssue[] {
  const probe = c.container[field];
  if (!isObject(probe)) return [];
  const ports = declaredPorts(c);
  const issues: ContainerIssue[] = [];
  for (const handler of ['httpGet', 'tcpSocket', 'grpc'] as const) {
    const port = get(probe, [handler, 'port']);
    if (port === undefined || port === null) continue;
    const path: PathSegment[] = [...c.path, field, handler, 'port'];
    const asNumber = typeof port === 'number' ? port : typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : undefined;
    if (asNumber === undefined && typeof port === 'string') {
      if (!ports.names.has(port)) {
        issues.push({ path, target: 'value', message: (who) => `${who}'s ${label} probe uses port ${md(port)}, which the container does not declare: the probe always fails. Add a port named ${md(port)} to ${md('ports')} or use its number.` });
      }
    } else if (asNumber !== undefined && ports.any && !ports.numbers.has(asNumber)) {
      issues.push({ path, target: 'value', message: (who) => `${who}'s ${label} probe uses port ${md(asNumber)}, which is not among the container's declared ports.` });
    }
  }
  return issues;
}

function probePortRule(field: ProbeField, id: string, label: string, kubeLinter: string): Rule {
  return containerRule(
    {
      id,
      title: `${label[0]?.toUpperCase()}${label.slice(1)} probe port not exposed`,
      category: 'kubernetes-reliability',
      severity: 'warning',
      profiles: HYGIENE,
      description: `A ${label} probe must target a port the container serves: a probe on an undeclared named port always fails (${label === 'readiness' ? 'the pod never gets traffic' : label === 'liveness' ? 'the container is restarted forever' : 'the container never starts'}).`,
      remediation: `Point \`${field}\` at a port listed in the container's \`ports\` (by name or number), or declare the port.`,
      equivalents: { kubeLinter },
    },
    { lists: APP_CONTAINERS },
    (c) => probePortIssues(c, field, label),
  );
}

export const livenessProbePort = probePortRule('livenessProbe', 'k8s/liveness-probe-port', 'liveness', 'liveness-port');
export const readinessProbePort = probePortRule('readinessProbe', 'k8s/readiness-probe-port', 'readiness', 'readiness-port');
export const startupProbePort = probePortRule('startupProbe', 'k8s/startup-probe-port', 'startup', 'startup-port');

export const PROBE_RULES: readonly Rule[] = [livenessProbeMissing, readinessProbeMissing, livenessProbePort, readinessProbePort, startupProbePort];
