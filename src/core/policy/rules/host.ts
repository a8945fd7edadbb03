/** Sharing the node's namespaces and kernel settings: hostNetwork, hostPID, hostIPC, hostPort, unsafe sysctls. */
import { isObject } from '../kubernetes';
import type { Rule } from '../types';
import { containerRule, podRule } from './define';
import type { ContainerIssue } from './define';
import { arr, md, str } from './util';
import { BASELINE } from '../profiles';

function hostNamespaceRule(field: 'hostNetwork' | 'hostPID' | 'hostIPC', info: { id: string; title: string; what: string; description: string; polaris: string; kubeLinter: string }): Rule {
  return podRule(
    {
      id: info.id,
      title: info.title,
      category: 'kubernetes-security',
      severity: 'error',
      profiles: BASELINE,
      description: info.description,
      remediation: `Remove \`${field}: true\` from the pod spec; the baseline Pod Security Standard refuses it.`,
      equivalents: { polaris: info.polaris, kubeLinter: info.kubeLinter },
    },
    {},
    (pod) => (pod.spec[field] === true ? [{ path: [...pod.path, field], target: 'value', message: `The pod shares the node's ${info.what} (${md(`${field}: true`)}).` }] : []),
  );
}

export const hostNetwork = hostNamespaceRule('hostNetwork', {
  id: 'k8s/host-network',
  title: 'Host network namespace shared',
  what: 'network namespace',
  description: 'With `hostNetwork` the pod sees every interface of the node, can bind any node port and sniff or reach services bound to localhost, bypassing NetworkPolicies.',
  polaris: 'hostNetworkSet',
  kubeLinter: 'host-network',
});

export const hostPid = hostNamespaceRule('hostPID', {
  id: 'k8s/host-pid',
  title: 'Host PID namespace shared',
  what: 'process namespace',
  description: 'With `hostPID` the pod sees every process on the node and, running as root, can signal or ptrace them and read their environment (secrets included).',
  polaris: 'hostPIDSet',
  kubeLinter: 'host-pid',
});

export const hostIpc = hostNamespaceRule('hostIPC', {
  id: 'k8s/host-ipc',
  title: 'Host IPC namespace shared',
  what: 'IPC namespace',
  description: 'With `hostIPC` the pod shares System V IPC and POSIX message queues with every process on the node, and can read or tamper with their shared memory.',
  polaris: 'hostIPCSet',
  kubeLinter: 'host-ipc',
});

export const hostPort = containerRule(
  {
    id: 'k8s/host-port',
    title: 'Host port used',
    category: 'kubernetes-security',
    severity: 'error',
    profiles: BASELINE,
    description: 'A `hostPort` binds the port on the node itself: it bypasses Services and NetworkPolicies, limits the pod to one replica per node and fails scheduling when the port is taken.',
    remediation: 'Remove `hostPort` and expose the container through a Service (NodePort or LoadBalancer if it must be reachable from outside).',
    equivalents: { polaris: 'hostPortSet' },
  },
  {},
  (c) =>
    arr(c.container.ports).flatMap((p, j): ContainerIssue[] =>
      isObject(p) && typeof p.hostPort === 'number' && p.hostPort !== 0
        ? [{ path: [...c.path, 'ports', j, 'hostPort'], target: 'value', message: (who) => `${who} binds port ${md(p.hostPort as number)} on the node (${md('hostPort')}).` }]
        : [],
    ),
);

/** Sysctls the baseline Pod Security Standard allows (namespaced and isolated per pod). */
export const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

export const unsafeSysctls = podRule(
  {
    id: 'k8s/unsafe-sysctls',
    title: 'Unsafe sysctl',
    category: 'kubernetes-security',
    severity: 'error',
    profiles: BASELINE,
    description: 'Sysctls outside the safe set are not isolated per pod or can starve the node; the kubelet refuses pods that set them unless the node explicitly allows them, and the baseline Pod Security Standard refuses them.',
    remediation: 'Remove the sysctl from `securityContext.sysctls`, or tune it on the nodes (and allow it with `--allowed-unsafe-sysctls` only on a dedicated node pool).',
    equivalents: { kubeLinter: 'unsafe-sysctls' },
  },
  {},
  (pod) =>
    arr(isObject(pod.spec.securityContext) ? pod.spec.securityContext.sysctls : undefined).flatMap((s, i) => {
      const name = isObject(s) ? str(s.name) : undefined;
      if (name === undefined || SAFE_SYSCTLS.has(name)) return [];
      return [{ path: [...pod.path, 'securityContext', 'sysctls', i, 'name'], target: 'value' as const, message: `Sysctl ${md(name)} is not in the safe set: the kubelet refuses the pod unless the node allows it.` }];
    }),
);

export const HOST_RULES: readonly Rule[] = [hostNetwork, hostPid, hostIpc, hostPort, unsafeSysctls];
