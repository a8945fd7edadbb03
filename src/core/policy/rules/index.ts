/**
 * The built-in Kubernetes workload hygiene rules, at parity with the core of
 * Polaris and kube-linter. Each rule names its equivalents in those tools.
 */
import type { Rule } from '../types';
import { API_VERSION_RULES } from './api-versions';
import { AVAILABILITY_RULES } from './availability';
import { CAPABILITY_RULES } from './capabilities';
import { HOST_MOUNT_RULES } from './host-mounts';
import { HOST_RULES } from './host';
import { HPA_RULES } from './hpa';
import { HYGIENE_RULES } from './hygiene';
import { IMAGE_RULES } from './images';
import { NETWORK_RULES } from './network';
import { PDB_RULES } from './pdb';
import { PORT_RULES } from './ports';
import { PROBE_RULES } from './probes';
import { RBAC_RULES } from './rbac';
import { RESOURCE_RULES } from './resources';
import { SECRET_RULES } from './secrets';
import { BACKSTAGE_RULES } from './backstage';
import { SECURITY_CONTEXT_RULES } from './security-context';
import { SELECTOR_RULES } from './selectors';
import { SERVICE_ACCOUNT_RULES } from './service-accounts';
import { SERVICE_PORT_RULES } from './service-ports';

export const BUILTIN_RULES: readonly Rule[] = [
  ...SECURITY_CONTEXT_RULES,
  ...CAPABILITY_RULES,
  ...HOST_RULES,
  ...HOST_MOUNT_RULES,
  ...PORT_RULES,
  ...SERVICE_ACCOUNT_RULES,
  ...SECRET_RULES,
  ...RBAC_RULES,
  ...RESOURCE_RULES,
  ...PROBE_RULES,
  ...IMAGE_RULES,
  ...AVAILABILITY_RULES,
  ...PDB_RULES,
  ...HPA_RULES,
  ...SELECTOR_RULES,
  ...SERVICE_PORT_RULES,
  ...NETWORK_RULES,
  ...API_VERSION_RULES,
  ...HYGIENE_RULES,
  // spec.owner is required by the Backstage schemas: validation reports a missing owner once, so its rule does not run again
  ...BACKSTAGE_RULES.filter((r) => r.id !== 'backstage/owner-missing'),
];
