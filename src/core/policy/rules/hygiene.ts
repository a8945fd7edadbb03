/** Housekeeping: finished Jobs cleaned up, nothing in the `default` namespace. */
import { get } from '../kubernetes';
import type { Rule } from '../types';
import { isKind, isKubernetesDocument, md, within } from './util';
import { ADVICE, HYGIENE } from '../profiles';

export const jobTtl = {
  id: 'k8s/job-ttl',
  title: 'Job never cleaned up',
  category: 'kubernetes-efficiency',
  severity: 'warning',
  profiles: HYGIENE,
  description: 'A standalone Job without `ttlSecondsAfterFinished` stays (with its pods and logs) until someone deletes it; a Job made by a CronJob should not set it, because the CronJob\'s history limits already clean up and the two fight.',
  remediation: 'Set `spec.ttlSecondsAfterFinished` on standalone Jobs (e.g. `86400`); on CronJobs, remove it from `jobTemplate.spec` and use `successfulJobsHistoryLimit`/`failedJobsHistoryLimit`.',
  equivalents: { kubeLinter: 'job-ttl-seconds-after-finished' },
  appliesTo: (doc) => isKind(doc, 'Job', ['batch']) || isKind(doc, 'CronJob', ['batch']),
  check(doc) {
    if (doc.kind === 'Job') {
      const ttl = get(doc.value, ['spec', 'ttlSecondsAfterFinished']);
      return ttl === undefined || ttl === null ? [{ path: within([], doc.value, ['spec']), message: `The Job has no ${md('ttlSecondsAfterFinished')}: it and its pods stay until deleted by hand.` }] : [];
    }
    const ttl = get(doc.value, ['spec', 'jobTemplate', 'spec', 'ttlSecondsAfterFinished']);
    return ttl === undefined || ttl === null
      ? []
      : [{ path: ['spec', 'jobTemplate', 'spec', 'ttlSecondsAfterFinished'], message: `Jobs of a CronJob should not set ${md('ttlSecondsAfterFinished')}: it conflicts with the CronJob's history limits.` }];
  },
} satisfies Rule;

export const defaultNamespace = {
  id: 'k8s/default-namespace',
  title: 'Object in the default namespace',
  category: 'platform-readiness',
  severity: 'info',
  profiles: ADVICE,
  description: 'Objects in the `default` namespace share it with everything else deployed without thought: no boundary for RBAC, quotas, NetworkPolicies or Pod Security. Objects that leave the namespace out are not reported (it is usually set at deploy time).',
  remediation: 'Deploy to a namespace of the team or service: set `metadata.namespace` (or leave it out and set it in Kustomize, Helm or `kubectl -n`).',
  equivalents: { kubeLinter: 'use-namespace' },
  appliesTo: (doc) => doc.namespace === 'default' && isKubernetesDocument(doc),
  check() {
    return [{ path: ['metadata', 'namespace'], target: 'value', message: `The object is in the ${md('default')} namespace: use the team's or service's namespace.` }];
  },
} satisfies Rule;

export const HYGIENE_RULES: readonly Rule[] = [jobTtl, defaultNamespace];
