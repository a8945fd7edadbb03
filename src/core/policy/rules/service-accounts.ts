/** Service accounts: token automounting, the shared `default` account, the deprecated `serviceAccount` field. */
import { get } from '../kubernetes';
import type { Rule } from '../types';
import { podRule } from './define';
import { docsNamed, docsOfKind, isKind, md, nearestCopies, sameNamespace, str } from './util';
import { ADVICE, HYGIENE } from '../profiles';

export const automountServiceAccountToken = podRule(
  {
    id: 'k8s/automount-service-account-token',
    title: 'Service account token automounted',
    category: 'kubernetes-security',
    severity: 'info',
    profiles: ADVICE,
    description: 'Unless the pod or its ServiceAccount sets `automountServiceAccountToken: false`, every container gets a Kubernetes API token; most applications never call the API, and a compromised container can use the token against the cluster.',
    remediation: 'Set `automountServiceAccountToken: false` in the pod spec (or on the ServiceAccount); pods that call the API can set it back to `true` explicitly.',
    equivalents: { polaris: 'automountServiceAccountToken' },
  },
  {},
  (pod, doc, ctx) => {
    const own = pod.spec.automountServiceAccountToken;
    if (own === false) return [];
    if (own === true) {
      return [{ path: [...pod.path, 'automountServiceAccountToken'], target: 'value', message: `The pod mounts a Kubernetes API token (${md('automountServiceAccountToken: true')}): set it to ${md('false')} unless the application calls the API.` }];
    }
    const saName = str(pod.spec.serviceAccountName) || str(pod.spec.serviceAccount) || 'default';
    const sa = nearestCopies(doc, docsNamed(ctx, 'ServiceAccount', saName).filter((d) => isKind(d, 'ServiceAccount', ['']) && sameNamespace(d, doc)))[0];
    if (sa && get(sa.value, ['automountServiceAccountToken']) === false) return [];
    return [
      {
        path: pod.path,
        message: `The pod mounts a Kubernetes API token for service account ${md(saName)}: set ${md('automountServiceAccountToken: false')} in the pod spec${sa ? ' or on the ServiceAccount' : ''} unless the application calls the API.`,
      },
    ];
  },
);

export const defaultServiceAccount = podRule(
  {
    id: 'k8s/default-service-account',
    title: 'Default service account used',
    category: 'kubernetes-security',
    severity: 'info',
    profiles: ADVICE,
    description: 'Pods that use the namespace\'s `default` service account share one identity with every other such pod, so any permission granted to one is granted to all. Not reported when the pod does not mount a token (`automountServiceAccountToken: false`).',
    remediation: 'Create a ServiceAccount for the workload and set `serviceAccountName` to it; grant it only the Roles it needs.',
    equivalents: { kubeLinter: 'default-service-account' },
  },
  {},
  (pod) => {
    if (pod.spec.automountServiceAccountToken === false) return [];
    const name = str(pod.spec.serviceAccountName) || str(pod.spec.serviceAccount) || '';
    if (name !== '' && name !== 'default') return [];
    const explicit = pod.spec.serviceAccountName === 'default' ? 'serviceAccountName' : pod.spec.serviceAccount === 'default' ? 'serviceAccount' : undefined;
    return [{ path: explicit ? [...pod.path, explicit] : pod.path, ...(explicit ? { target: 'value' as const } : {}), message: `The pod runs as the namespace's ${md('default')} service account: set ${md('serviceAccountName')} to a dedicated one.` }];
  },
);

export const deprecatedServiceAccountField = podRule(
  {
    id: 'k8s/deprecated-service-account-field',
    title: 'Deprecated serviceAccount field',
    category: 'kubernetes-reliability',
    severity: 'warning',
    profiles: HYGIENE,
    description: '`serviceAccount` is a deprecated alias of `serviceAccountName`; when both are set and differ, which one wins is confusing to readers and tools.',
    remediation: 'Rename `serviceAccount` to `serviceAccountName` (or remove it when `serviceAccountName` already says the same).',
    equivalents: { kubeLinter: 'deprecated-service-account-field' },
  },
  {},
  (pod) => {
    const sa = str(pod.spec.serviceAccount);
    const san = str(pod.spec.serviceAccountName);
    if (!sa || sa === san) return [];
    return [
      {
        path: [...pod.path, 'serviceAccount'],
        message: san
          ? `${md(`serviceAccount: ${sa}`)} differs from ${md(`serviceAccountName: ${san}`)}; ${md('serviceAccount')} is deprecated: remove it.`
          : `${md('serviceAccount')} is deprecated: use ${md('serviceAccountName')}.`,
      },
    ];
  },
);

export const nonExistentServiceAccount = podRule(
  {
    id: 'k8s/non-existent-service-account',
    title: 'Service account not found',
    category: 'kubernetes-reliability',
    severity: 'warning',
    profiles: HYGIENE,
    description: 'A pod whose serviceAccountName (or serviceAccount) names a ServiceAccount that is not among the checked manifests, in its namespace, is refused when it is created (the controller retries forever) unless the account exists in the cluster. Reported only when the set holds ServiceAccounts (otherwise they are evidently made elsewhere); the default account always exists.',
    remediation: 'Add the ServiceAccount to the manifests (same namespace), or correct the name.',
    equivalents: { kubeLinter: 'non-existent-service-account' },
  },
  {},
  (pod, doc, ctx) => {
    const field = str(pod.spec.serviceAccountName) ? 'serviceAccountName' : str(pod.spec.serviceAccount) ? 'serviceAccount' : undefined;
    const name = field ? str(pod.spec[field]) : undefined;
    if (!field || !name || name === 'default' || docsOfKind(ctx, 'ServiceAccount').length === 0) return [];
    if (docsNamed(ctx, 'ServiceAccount', name).some((d) => isKind(d, 'ServiceAccount', ['']) && sameNamespace(d, doc))) return [];
    return [{ path: [...pod.path, field], target: 'value', message: `No ServiceAccount named ${name} among the checked manifests${doc.namespace ? ` in namespace ${doc.namespace}` : ''}: the pods are refused unless it exists in the cluster.` }];
  },
);

export const SERVICE_ACCOUNT_RULES: readonly Rule[] = [automountServiceAccountToken, defaultServiceAccount, deprecatedServiceAccountField, nonExistentServiceAccount];
