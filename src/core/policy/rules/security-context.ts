/** Container security context: root, privileged mode, privilege escalation, root filesystem, seccomp, /proc, Windows host processes. */
import type { PathSegment } from '../../findings';
import { get, isObject } from '../kubernetes';
import type { ContainerAt, PodSpecAt } from '../kubernetes';
import type { MissingSetting, PolicyDocument, Rule } from '../types';
import { containerRule } from './define';
import { containerName, effective, lowerFirst, md, podLabelsPath, str, text, within } from './util';
import { ADVICE, BASELINE, RESTRICTED } from '../profiles';

/**
 * A security setting the container does not set at all: the rules of the same
 * severity that lack one report once per container (see mergeMissing in ../engine.ts).
 */
export function hardening(c: ContainerAt, what: string, field: string): MissingSetting {
  return { key: `security-context:${c.path.join('/')}`, subject: containerName(c), what, field };
}

export const runAsNonRoot = containerRule(
  {
    id: 'k8s/run-as-non-root',
    title: 'Container may run as root',
    category: 'kubernetes-security',
    severity: 'warning',
    profiles: RESTRICTED,
    description: 'A container that may run as UID 0 is root on the node as soon as it escapes its namespaces (a kernel or runtime bug); the restricted Pod Security Standard refuses such pods.',
    remediation: 'Set `securityContext.runAsNonRoot: true` (pod or container level) and, if the image has no numeric non-root `USER`, `runAsUser` to a non-zero UID; never set `runAsUser: 0`.',
    equivalents: { polaris: 'runAsRootAllowed', kubeLinter: 'run-as-non-root' },
  },
  { linuxOnly: true },
  (c, pod) => {
    const user = effective(pod, c, 'runAsUser');
    if (typeof user.value === 'number' && user.value > 0) return [];
    if (user.value === 0 && user.path) {
      return [{ path: user.path, target: 'value', message: (who, many) => `${who} ${many ? 'run' : 'runs'} as root (${md('runAsUser: 0')}): set ${md('runAsUser')} to a non-zero UID and ${md('runAsNonRoot: true')}.` }];
    }
    const nonRoot = effective(pod, c, 'runAsNonRoot');
    if (nonRoot.value === true) return [];
    if (nonRoot.value === false && nonRoot.path) {
      return [{ path: nonRoot.path, target: 'value', message: (who) => `${who} may run as root: set ${md('securityContext.runAsNonRoot: true')}.` }];
    }
    return [{ path: within(c.path, c.container, ['securityContext']), missing: hardening(c, 'non-root setting', 'securityContext.runAsNonRoot: true'), message: (who) => `${who} may run as root: set ${md('securityContext.runAsNonRoot: true')}.` }];
  },
);

export const privilegedContainer = containerRule(
  {
    id: 'k8s/privileged-container',
    title: 'Privileged container',
    category: 'kubernetes-security',
    severity: 'error',
    profiles: BASELINE,
    description: 'A privileged container has every capability and access to all host devices: it is root on the node. The baseline Pod Security Standard refuses it.',
    remediation: 'Remove `securityContext.privileged: true`; add only the specific capability the container needs, or move node-level work to a vetted DaemonSet in a dedicated namespace.',
    equivalents: { polaris: 'runAsPrivileged', kubeLinter: 'privileged-container' },
  },
  {},
  (c) =>
    get(c.container, ['securityContext', 'privileged']) === true
      ? [{ path: [...c.path, 'securityContext', 'privileged'], target: 'value', message: (who) => `${who} runs privileged (full access to the node): remove ${md('securityContext.privileged: true')}.` }]
      : [],
);

export const privilegeEscalation = containerRule(
  {
    id: 'k8s/privilege-escalation-allowed',
    title: 'Privilege escalation allowed',
    category: 'kubernetes-security',
    severity: 'warning',
    profiles: RESTRICTED,
    description: 'Unless `allowPrivilegeEscalation` is false, a process in the container can gain more privileges than its parent (setuid binaries, file capabilities); the restricted Pod Security Standard requires it to be false.',
    remediation: 'Set `securityContext.allowPrivilegeEscalation: false` on the container.',
    equivalents: { polaris: 'privilegeEscalationAllowed', kubeLinter: 'privilege-escalation-container' },
  },
  { linuxOnly: true },
  (c) => {
    const v = get(c.container, ['securityContext', 'allowPrivilegeEscalation']);
    if (v === false) return [];
    if (v === true) {
      return [{ path: [...c.path, 'securityContext', 'allowPrivilegeEscalation'], target: 'value', message: (who) => `${who} allows privilege escalation: set ${md('allowPrivilegeEscalation: false')}.` }];
    }
    return [{ path: within(c.path, c.container, ['securityContext']), missing: hardening(c, 'privilege escalation ban', 'securityContext.allowPrivilegeEscalation: false'), message: (who) => `${who} does not forbid privilege escalation: set ${md('securityContext.allowPrivilegeEscalation: false')}.` }];
  },
);

export const readOnlyRootFilesystem = containerRule(
  {
    id: 'k8s/read-only-root-filesystem',
    title: 'Root filesystem is writable',
    category: 'kubernetes-security',
    severity: 'info',
    profiles: ADVICE,
    description: 'A writable root filesystem lets an attacker (or a bug) change the container\'s binaries and configuration; a read-only one keeps the image as built.',
    remediation: 'Set `securityContext.readOnlyRootFilesystem: true` and mount an `emptyDir` volume at each path the application writes to (e.g. `/tmp`).',
    equivalents: { polaris: 'notReadOnlyRootFilesystem', kubeLinter: 'no-read-only-root-fs' },
  },
  { linuxOnly: true },
  (c) => {
    const v = get(c.container, ['securityContext', 'readOnlyRootFilesystem']);
    if (v === true) return [];
    if (v === false) {
      return [{ path: [...c.path, 'securityContext', 'readOnlyRootFilesystem'], target: 'value', message: (who) => `${who} has a writable root filesystem: set ${md('readOnlyRootFilesystem: true')}.` }];
    }
    return [{ path: within(c.path, c.container, ['securityContext']), missing: hardening(c, 'read-only root filesystem', 'securityContext.readOnlyRootFilesystem: true'), message: (who) => `${who} has a writable root filesystem: set ${md('securityContext.readOnlyRootFilesystem: true')}.` }];
  },
);

/** The pod template's annotations (a Pod's own). */
function podAnnotations(doc: PolicyDocument): Record<string, unknown> {
  const labels = podLabelsPath(doc);
  const a = labels ? get(doc.value, [...labels.slice(0, -1), 'annotations']) : undefined;
  return isObject(a) ? a : {};
}

const GOOD_SECCOMP = new Set(['RuntimeDefault', 'Localhost']);

/** The pre-1.19 seccomp annotations, still honoured by older clusters. */
function legacySeccompOk(doc: PolicyDocument, c: ContainerAt): boolean {
  const a = podAnnotations(doc);
  const v = str(a[`container.seccomp.security.alpha.kubernetes.io/${c.name}`]) ?? str(a['seccomp.security.alpha.kubernetes.io/pod']);
  return v !== undefined && (v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/'));
}

const GOOD_APPARMOR = new Set(['RuntimeDefault', 'Localhost']);

/**
 * Another Linux hardening Polaris' linuxHardening accepts in place of seccomp:
 * an AppArmor profile (the container's annotation on the pod template, or
 * securityContext.appArmorProfile of type RuntimeDefault or Localhost) or
 * SELinux options (seLinuxOptions with at least one field), on the container or the pod.
 */
function otherHardening(doc: PolicyDocument, pod: PodSpecAt, c: ContainerAt): boolean {
  const annotation = str(podAnnotations(doc)[`container.apparmor.security.beta.kubernetes.io/${c.name}`]);
  if (annotation !== undefined && annotation !== '' && annotation !== 'unconfined') return true;
  const apparmor = get(effective(pod, c, 'appArmorProfile').value, ['type']);
  if (typeof apparmor === 'string' && GOOD_APPARMOR.has(apparmor)) return true;
  const selinux = effective(pod, c, 'seLinuxOptions').value;
  return isObject(selinux) && Object.keys(selinux).length > 0;
}

export const seccompProfile = containerRule(
  {
    id: 'k8s/seccomp-profile',
    title: 'No seccomp, AppArmor or SELinux profile',
    category: 'kubernetes-security',
    severity: 'warning',
    profiles: RESTRICTED,
    description: 'Without a seccomp profile (or with `Unconfined`), an AppArmor profile or SELinux options, a container can make every system call, including the rarely used ones most kernel exploits need; the restricted Pod Security Standard requires seccomp `RuntimeDefault` or `Localhost`.',
    remediation: 'Set `securityContext.seccompProfile.type: RuntimeDefault` in the pod spec (it applies to every container), or `Localhost` with a profile of your own; an AppArmor profile or SELinux options also satisfy this rule.',
    equivalents: { polaris: 'linuxHardening' },
  },
  { linuxOnly: true },
  (c, pod, doc) => {
    const profile = effective(pod, c, 'seccompProfile');
    const type = get(profile.value, ['type']);
    if (typeof type === 'string' && GOOD_SECCOMP.has(type)) return [];
    if (otherHardening(doc, pod, c)) return [];
    if (type !== undefined && profile.path) {
      return [{ path: [...profile.path, 'type'], target: 'value', message: (who, many) => `${who} ${many ? 'run' : 'runs'} with seccomp profile ${md(text(type))}: use ${md('RuntimeDefault')}.` }];
    }
    if (legacySeccompOk(doc, c)) return [];
    return [{ path: within(pod.path, pod.spec, ['securityContext']), message: (who) => `No seccomp, AppArmor or SELinux profile for ${lowerFirst(who)}: set securityContext.seccompProfile.type: RuntimeDefault in the pod spec.` }];
  },
);

export const procMount = containerRule(
  {
    id: 'k8s/proc-mount',
    title: 'Unmasked /proc',
    category: 'kubernetes-security',
    severity: 'error',
    profiles: BASELINE,
    description: '`procMount: Unmasked` removes the runtime\'s masks on `/proc`, exposing kernel interfaces that let a container read host information or escape; the baseline Pod Security Standard refuses it.',
    remediation: 'Remove `securityContext.procMount` (or set it to `Default`).',
    equivalents: { polaris: 'procMount', kubeLinter: 'unsafe-proc-mount' },
  },
  {},
  (c) => {
    const v = get(c.container, ['securityContext', 'procMount']);
    if (v === undefined || v === null || v === 'Default') return [];
    return [{ path: [...c.path, 'securityContext', 'procMount'], target: 'value', message: (who) => `${who} sets ${md(`procMount: ${text(v)}`)}: the host's /proc is not masked. Use ${md('Default')}.` }];
  },
);

function hostProcessAt(pod: PodSpecAt, c: ContainerAt): { value: unknown; path: PathSegment[] } {
  const own = get(c.container, ['securityContext', 'windowsOptions', 'hostProcess']);
  if (own !== undefined) return { value: own, path: [...c.path, 'securityContext', 'windowsOptions', 'hostProcess'] };
  return { value: get(pod.spec, ['securityContext', 'windowsOptions', 'hostProcess']), path: [...pod.path, 'securityContext', 'windowsOptions', 'hostProcess'] };
}

export const hostProcess = containerRule(
  {
    id: 'k8s/host-process',
    title: 'Windows HostProcess container',
    category: 'kubernetes-security',
    severity: 'error',
    profiles: BASELINE,
    description: 'A Windows HostProcess container runs directly on the node with the node\'s network and file system, outside any container isolation; the baseline Pod Security Standard refuses it.',
    remediation: 'Remove `securityContext.windowsOptions.hostProcess: true`; keep HostProcess containers to vetted node agents in a dedicated namespace.',
    equivalents: { polaris: 'hostProcess' },
  },
  {},
  (c, pod) => {
    const hp = hostProcessAt(pod, c);
    return hp.value === true ? [{ path: hp.path, target: 'value', message: (who, many) => `${who} ${many ? 'run as Windows HostProcess containers' : 'runs as a Windows HostProcess container'} (no isolation from the node).` }] : [];
  },
);

export const SECURITY_CONTEXT_RULES: readonly Rule[] = [runAsNonRoot, privilegedContainer, privilegeEscalation, readOnlyRootFilesystem, seccompProfile, procMount, hostProcess];
