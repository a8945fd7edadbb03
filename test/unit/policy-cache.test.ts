/**
 * The editor checks a file on every edit with caches (parsed documents, results
 * of rules on a document, results of rules across documents kept while the parts
 * of the set they read do not change, findings placed once): after any sequence
 * of edits the findings must be exactly those of a check without any cache.
 * Seeded random edits of a set of related manifests — names, labels, replicas,
 * namespaces, selectors, HPA targets, documents added, removed, duplicated and
 * moved, lines inserted above — compared edit by edit.
 */
import { strict as assert } from 'node:assert';
import { checkPolicies, policyDocuments } from '../../src/core/policy';
import type { PolicyParseCache, PolicyResultCache } from '../../src/core/policy/engine';
import { BUILTIN_RULES } from '../../src/core/policy/rules';
import { mulberry32 } from './helpers/prng';

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

const APPS = ['web', 'api', 'worker', 'cron'];
const NAMESPACES = ['shop', 'shop-prod', 'payments'];

function workload(r: R): string {
  const app = pick(r, APPS);
  const kind = pick(r, ['Deployment', 'Deployment', 'StatefulSet', 'DaemonSet', 'CronJob']);
  const ns = r() < 0.3 ? '' : `  namespace: ${pick(r, NAMESPACES)}\n`;
  const labels = `app: ${app}${r() < 0.5 ? `\n        tier: ${pick(r, ['front', 'back'])}` : ''}`;
  const pod = `    metadata:\n      labels:\n        ${labels}\n    spec:\n${r() < 0.5 ? `      serviceAccountName: ${app}\n` : ''}${r() < 0.3 ? '      automountServiceAccountToken: false\n' : ''}      containers:\n        - name: ${app}\n          image: example/${app}:${pick(r, ['1.0', 'latest'])}\n`;
  if (kind === 'CronJob') {
    return `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: ${app}\n${ns}spec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n${pod.replace(/^/gm, '      ')}`;
  }
  const replicas = kind === 'DaemonSet' ? '' : `  replicas: ${pick(r, [1, 2, 3])}\n`;
  return `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: ${app}\n${ns}spec:\n${replicas}  selector:\n    matchLabels:\n      app: ${app}\n  template:\n${pod}`;
}

function other(r: R): string {
  const app = pick(r, APPS);
  const ns = r() < 0.3 ? '' : `  namespace: ${pick(r, NAMESPACES)}\n`;
  switch (Math.floor(r() * 7)) {
    case 0:
      return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app}\n${ns}spec:\n  selector:\n    app: ${pick(r, APPS)}${r() < 0.3 ? `\n    tier: ${pick(r, ['front', 'back'])}` : ''}\n  ports:\n    - port: 80\n`;
    case 1:
      return `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: ${app}\n${ns}spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: ${pick(r, ['Deployment', 'StatefulSet'])}\n    name: ${pick(r, APPS)}\n  minReplicas: ${pick(r, [1, 2, 3])}\n  maxReplicas: ${pick(r, [2, 5])}\n`;
    case 2:
      return `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: ${app}\n${ns}spec:\n  ${pick(r, ['minAvailable: 1', 'minAvailable: "100%"', 'maxUnavailable: 0', 'minAvailable: 3'])}\n  selector:\n    matchLabels:\n      app: ${pick(r, APPS)}\n`;
    case 3:
      return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${app}\n${ns}spec:\n  podSelector:${r() < 0.3 ? ' {}' : `\n    matchLabels:\n      app: ${pick(r, APPS)}`}\n`;
    case 4:
      return `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${pick(r, [...APPS, 'default'])}\n${ns}automountServiceAccountToken: ${pick(r, ['false', 'true'])}\n`;
    case 5:
      return `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ${app}-admin\nrules:\n  - apiGroups: ["*"]\n    resources: ["*"]\n    verbs: ["*"]\n`;
    default:
      return `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: ${app}\n${ns}roleRef:\n  kind: ClusterRole\n  name: ${pick(r, APPS)}-admin\nsubjects:\n  - kind: User\n    name: ${app}\n`;
  }
}

const document = (r: R): string => (r() < 0.45 ? workload(r) : other(r));

/** One edit of the list of documents, or of the text above them. */
function edit(docs: string[], r: R): { docs: string[]; header: string } {
  const out = [...docs];
  const i = Math.floor(r() * out.length);
  const doc = out[i] ?? '';
  let header = '';
  switch (Math.floor(r() * 9)) {
    case 0:
      out[i] = doc.replace(/replicas: \d/, `replicas: ${pick(r, [1, 2, 4])}`);
      break;
    case 1:
      out[i] = doc.replace(/app: \w+/, `app: ${pick(r, APPS)}`);
      break;
    case 2:
      out[i] = doc.replace(/name: \w+/, `name: ${pick(r, APPS)}`);
      break;
    case 3:
      out[i] = doc.replace(/namespace: [\w-]+/, `namespace: ${pick(r, NAMESPACES)}`);
      break;
    case 4:
      out.splice(i, 0, document(r));
      break;
    case 5:
      if (out.length > 3) out.splice(i, 1);
      break;
    case 6:
      out.splice(i, 0, doc); // the same text twice
      break;
    case 7:
      out.push(...out.splice(i, 1)); // moved to the end
      break;
    default:
      header = '# a comment above everything\n'.repeat(1 + Math.floor(r() * 2));
  }
  return { docs: out, header };
}

describe('policy caches across edits', function () {
  this.timeout(60_000);

  for (const seed of [1, 2, 3]) {
    it(`give the findings of an uncached check after every edit (seed ${seed})`, () => {
      const r = mulberry32(seed);
      let docs = Array.from({ length: 60 }, () => document(r));
      const parse: PolicyParseCache = new Map();
      const results: PolicyResultCache = new Map();
      const otherFile = Array.from({ length: 15 }, () => document(r)).join('---\n');
      const otherParse: PolicyParseCache = new Map();
      for (let step = 0; step < 150; step++) {
        const next = edit(docs, r);
        docs = next.docs;
        const text = next.header + docs.join('---\n');
        // the edited file, and another file of the set (as in the editor: the workspace is the context)
        const cachedDocs = policyDocuments('/repo/app.yaml', text, {}, parse);
        const cachedContext = [...cachedDocs, ...policyDocuments('/repo/other/set.yaml', otherFile, {}, otherParse)];
        const cached = checkPolicies(cachedDocs, BUILTIN_RULES, { documents: cachedContext }, { results, today: '2026-01-01' });
        const freshDocs = policyDocuments('/repo/app.yaml', text);
        const freshContext = [...freshDocs, ...policyDocuments('/repo/other/set.yaml', otherFile)];
        const fresh = checkPolicies(freshDocs, BUILTIN_RULES, { documents: freshContext }, { today: '2026-01-01' });
        assert.deepEqual(cached, fresh, `step ${step}`);
      }
    });
  }
});
