/** Linux capabilities: drop them all, add back nothing dangerous, never keep NET_RAW. */
import { get } from '../kubernetes';
import type { ContainerAt } from '../kubernetes';
import type { Rule } from '../types';
import { containerRule } from './define';
import type { ContainerIssue } from './define';
import { arr, md, within } from './util';
import { BASELINE, RESTRICTED, STRICT_ONLY } from '../profiles';
import { hardening } from './security-context';

/** `cap_net_raw` → `NET_RAW`. */
function capName(v: unknown): string | undefined {
  return typeof v === 'string' ? v.trim().toUpperCase().replace(/^CAP_/, '') : undefined;
}

function capList(c: ContainerAt, which: 'add' | 'drop'): Array<{ name: string; index: number }> {
  return arr(get(c.container, ['securityContext', 'capabilities', which])).flatMap((v, index) => {
    const name = capName(v);
    return name ? [{ name, index }] : [];
  });
}

const DROP_PATH = ['securityContext', 'capabilities', 'drop'];

export const capabilitiesDropAll = containerRule(
  {
    id: 'k8s/capabilities-drop-all',
    title: 'Capabilities not dropped',
    category: 'kubernetes-security',
    severity: 'warning',
    profiles: RESTRICTED,
    description: 'Containers start with a default set of Linux capabilities (CHOWN, SETUID, NET_RAW, …) that most applications never use; each one is attack surface. The restricted Pod Security Standard requires dropping ALL.',
    remediation: 'Set `securityContext.capabilities.drop: [ALL]` and add back only what the container needs (usually nothing, or `NET_BIND_SERVICE`).',
    equivalents: { polaris: 'insecureCapabilities' },
  },
  { linuxOnly: true },
  (c) =>
    capList(c, 'drop').some((d) => d.name === 'ALL')
      ? []
      : [{ path: within(c.path, c.container, DROP_PATH), missing: hardening(c, 'capability drop', 'securityContext.capabilities.drop: [ALL]'), message: (who) => `${who} keeps the default Linux capabilities: set ${md('securityContext.capabilities.drop: [ALL]')}.` }],
);

/** Capabilities that amount to (near) root on the node. */
export const DANGEROUS_CAPABILITIES = new Set(['ALL', 'SYS_ADMIN', 'NET_ADMIN', 'SYS_MODULE', 'SYS_PTRACE', 'SYS_RAWIO', 'SYS_BOOT', 'BPF', 'PERFMON', 'DAC_READ_SEARCH']);

export const dangerousCapabilities = containerRule(
  {
    id: 'k8s/dangerous-capabilities',
    title: 'Dangerous capability added',
    category: 'kubernetes-security',
    severity: 'error',
    profiles: BASELINE,
    description: 'Capabilities such as SYS_ADMIN, NET_ADMIN, SYS_MODULE, SYS_PTRACE, BPF or ALL give a container (near) root power over the node; the baseline Pod Security Standard refuses every capability beyond the runtime defaults.',
    remediation: 'Remove the capability from `securityContext.capabilities.add`; if a feature truly needs it, run that part as a separate, reviewed node agent.',
    equivalents: { polaris: 'dangerousCapabilities' },
  },
  {},
  (c) =>
    capList(c, 'add')
      .filter((a) => DANGEROUS_CAPABILITIES.has(a.name))
      .map((a): ContainerIssue => ({ path: [...c.path, 'securityContext', 'capabilities', 'add', a.index], target: 'value', message: (who) => `${who} adds capability ${md(a.name)}, which gives near-root power over the node.` })),
);

export const netRawCapability = containerRule(
  {
    id: 'k8s/net-raw-capability',
    title: 'NET_RAW not dropped',
    category: 'kubernetes-security',
    severity: 'warning',
    profiles: STRICT_ONLY,
    description: 'NET_RAW (granted by default) lets a container craft raw packets: ARP and DNS spoofing of its neighbours on the node.',
    remediation: 'Drop it: `securityContext.capabilities.drop: [ALL]` (or at least `[NET_RAW]`), and do not add it back.',
    equivalents: { kubeLinter: 'drop-net-raw-capability' },
  },
  { linuxOnly: true },
  (c) => {
    const added = capList(c, 'add').find((a) => a.name === 'NET_RAW');
    if (added) return [{ path: [...c.path, 'securityContext', 'capabilities', 'add', added.index], target: 'value', message: (who) => `${who} adds ${md('NET_RAW')}: it can craft raw packets.` }];
    if (capList(c, 'drop').some((d) => d.name === 'ALL' || d.name === 'NET_RAW')) return [];
    return [{ path: within(c.path, c.container, DROP_PATH), message: (who) => `${who} keeps ${md('NET_RAW')}: add ${md('ALL')} (or ${md('NET_RAW')}) to ${md('securityContext.capabilities.drop')}.` }];
  },
);

export const CAPABILITY_RULES: readonly Rule[] = [capabilitiesDropAll, dangerousCapabilities, netRawCapability];
