/** hostPath volumes: any at all, sensitive host directories, the container runtime socket, writable mounts. */
import type { PathSegment } from '../../findings';
import { get, isObject } from '../kubernetes';
import type { PodSpecAt } from '../kubernetes';
import type { Rule, RuleFinding } from '../types';
import { containerRule, podRule } from './define';
import type { ContainerIssue } from './define';
import { arr, md, str } from './util';
import { BASELINE, HYGIENE } from '../profiles';

interface HostPathVolume {
  index: number;
  name: string;
  /** The host path, normalised (`//etc/` → `/etc`). */
  hostPath: string;
  /** Path of the volume in the document. */
  path: PathSegment[];
}

function normalise(p: string): string {
  const n = p.trim().replace(/\/+/g, '/');
  return n.length > 1 ? n.replace(/\/$/, '') : n;
}

export function hostPathVolumes(pod: PodSpecAt): HostPathVolume[] {
  return arr(pod.spec.volumes).flatMap((v, index) => {
    if (!isObject(v) || !isObject(v.hostPath)) return [];
    return [{ index, name: str(v.name) ?? `#${index}`, hostPath: normalise(str(v.hostPath.path) ?? ''), path: [...pod.path, 'volumes', index] }];
  });
}

export const hostPathVolume = podRule(
  {
    id: 'k8s/host-path-volume',
    title: 'hostPath volume',
    category: 'kubernetes-security',
    severity: 'error',
    profiles: BASELINE,
    description: 'A hostPath volume gives the pod files of the node it happens to run on: it ties the pod to that node\'s state and is a common path to node compromise; the baseline Pod Security Standard refuses it.',
    remediation: 'Use an `emptyDir`, a ConfigMap/Secret, or a PersistentVolumeClaim instead; keep hostPath to vetted node agents (log shippers, CSI drivers) and mount it `readOnly`.',
    equivalents: { polaris: 'hostPathSet' },
  },
  {},
  (pod) => hostPathVolumes(pod).map((v): RuleFinding => ({ path: [...v.path, 'hostPath'], message: `Volume ${md(v.name)} mounts ${md(v.hostPath || '?')} from the node (${md('hostPath')}).` })),
);

/** Host directories whose exposure gives away the node; exact paths. */
export const SENSITIVE_HOST_DIRS = new Set(['/', '/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/lib64', '/proc', '/root', '/run', '/sbin', '/sys', '/usr', '/var', '/var/lib', '/var/run', '/var/lib/docker', '/var/lib/containerd']);
/** Host directories sensitive with everything below them (credentials and kubelet state). */
export const SENSITIVE_HOST_TREES = ['/root', '/etc/kubernetes', '/var/lib/kubelet', '/etc/ssh', '/etc/shadow', '/etc/sudoers'];

export function isSensitiveHostPath(p: string): boolean {
  return SENSITIVE_HOST_DIRS.has(p) || SENSITIVE_HOST_TREES.some((t) => p === t || p.startsWith(`${t}/`));
}

export const sensitiveHostMount = podRule(
  {
    id: 'k8s/sensitive-host-mount',
    title: 'Sensitive host directory mounted',
    category: 'kubernetes-security',
    severity: 'error',
    profiles: BASELINE,
    description: 'Mounting a system directory of the node (`/`, `/etc`, `/proc`, `/sys`, `/dev`, `/var/run`, `/root`, `/var/lib/kubelet`, `/etc/kubernetes`, …) exposes host credentials and kernel interfaces; write access to most of them is root on the node.',
    remediation: 'Remove the hostPath volume; mount only the specific file the container needs (read-only), or get the data through the Kubernetes API.',
    equivalents: { kubeLinter: 'sensitive-host-mounts' },
  },
  {},
  (pod) =>
    hostPathVolumes(pod)
      .filter((v) => isSensitiveHostPath(v.hostPath))
      .map((v): RuleFinding => ({ path: [...v.path, 'hostPath', 'path'], target: 'value', message: `Volume ${md(v.name)} mounts the node's ${md(v.hostPath)}.` })),
);

/** Container runtime sockets (and the directories that hold them): whoever can talk to them controls the node. */
const RUNTIME_SOCKET = /(^|\/)(docker|containerd|crio|cri-dockerd|podman|dockershim)\.sock$/;
const RUNTIME_SOCKET_DIRS = new Set(['/var/run/docker', '/run/docker', '/var/run/containerd', '/run/containerd', '/var/run/crio', '/run/crio']);

export const dockerSocket = podRule(
  {
    id: 'k8s/docker-socket',
    title: 'Container runtime socket mounted',
    category: 'kubernetes-security',
    severity: 'error',
    profiles: BASELINE,
    description: 'A container that can reach the Docker, containerd or CRI-O socket can start privileged containers on the node: it owns the node and every pod on it.',
    remediation: 'Remove the volume and its mount; build images with a daemonless builder (BuildKit rootless, kaniko, buildah) and get container information from the Kubernetes API.',
    equivalents: { kubeLinter: 'docker-sock' },
  },
  {},
  (pod) =>
    hostPathVolumes(pod)
      .filter((v) => RUNTIME_SOCKET.test(v.hostPath) || RUNTIME_SOCKET_DIRS.has(v.hostPath))
      .map((v): RuleFinding => ({ path: [...v.path, 'hostPath', 'path'], target: 'value', message: `Volume ${md(v.name)} mounts the container runtime socket ${md(v.hostPath)}: the pod can control the node.` })),
);

export const writableHostMount = containerRule(
  {
    id: 'k8s/writable-host-mount',
    title: 'Writable hostPath mount',
    category: 'kubernetes-security',
    severity: 'warning',
    profiles: HYGIENE,
    description: 'A hostPath volume mounted read-write lets the container change files on the node, which other pods and the kubelet trust.',
    remediation: 'Set `readOnly: true` on the volume mount (or stop using hostPath).',
    equivalents: { kubeLinter: 'writable-host-mount' },
  },
  {},
  (c, pod) => {
    const hostPaths = new Map(hostPathVolumes(pod).map((v) => [v.name, v.hostPath]));
    if (hostPaths.size === 0) return [];
    return arr(c.container.volumeMounts).flatMap((m, j): ContainerIssue[] => {
      if (!isObject(m) || typeof m.name !== 'string' || !hostPaths.has(m.name) || m.readOnly === true) return [];
      const hp = hostPaths.get(m.name) ?? '';
      const path: PathSegment[] = get(m, ['readOnly']) === false ? [...c.path, 'volumeMounts', j, 'readOnly'] : [...c.path, 'volumeMounts', j];
      return [{ path, ...(m.readOnly === false ? { target: 'value' as const } : {}), message: (who) => `${who} mounts the node's ${md(hp || '?')} writable: set ${md('readOnly: true')}.` }];
    });
  },
);

export const HOST_MOUNT_RULES: readonly Rule[] = [hostPathVolume, sensitiveHostMount, dockerSocket, writableHostMount];
