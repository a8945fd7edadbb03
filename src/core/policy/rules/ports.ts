/** Container ports: privileged ports and SSH. */
import { isObject } from '../kubernetes';
import type { Rule } from '../types';
import { containerRule } from './define';
import type { ContainerIssue } from './define';
import { arr, md } from './util';
import { ADVICE, HYGIENE } from '../profiles';

export const privilegedPort = containerRule(
  {
    id: 'k8s/privileged-port',
    title: 'Privileged port',
    category: 'kubernetes-security',
    severity: 'info',
    profiles: ADVICE,
    description: 'Listening on a port below 1024 needs root or NET_BIND_SERVICE inside the container, so it usually means the container cannot run as non-root with all capabilities dropped (port 22 is left to `k8s/ssh-port`).',
    remediation: 'Listen on a port ≥ 1024 (e.g. 8080) in the container and map the well-known port in the Service (`port: 80`, `targetPort: 8080`).',
    equivalents: { kubeLinter: 'privileged-ports' },
  },
  {},
  (c) =>
    arr(c.container.ports).flatMap((p, j): ContainerIssue[] =>
      isObject(p) && typeof p.containerPort === 'number' && p.containerPort > 0 && p.containerPort < 1024 && p.containerPort !== 22
        ? [{ path: [...c.path, 'ports', j, 'containerPort'], target: 'value', message: (who) => `${who} listens on privileged port ${md(p.containerPort as number)}: use a port ≥ 1024 and map it in the Service.` }]
        : [],
    ),
);

export const sshPort = containerRule(
  {
    id: 'k8s/ssh-port',
    title: 'SSH port exposed',
    category: 'kubernetes-security',
    severity: 'warning',
    profiles: HYGIENE,
    description: 'Port 22 is SSH: an SSH server in a container is an unaudited way in that bypasses `kubectl exec` and its RBAC.',
    remediation: 'Remove the SSH server and port; use `kubectl exec` or `kubectl debug` for access. If another service really uses port 22, move it.',
    equivalents: { kubeLinter: 'ssh-port' },
  },
  {},
  (c) =>
    arr(c.container.ports).flatMap((p, j): ContainerIssue[] =>
      isObject(p) && p.containerPort === 22 && (p.protocol === undefined || p.protocol === 'TCP')
        ? [{ path: [...c.path, 'ports', j, 'containerPort'], target: 'value', message: (who) => `${who} exposes port ${md(22)} (SSH).` }]
        : [],
    ),
);

export const PORT_RULES: readonly Rule[] = [privilegedPort, sshPort];
