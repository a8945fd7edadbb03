/** RBAC: wildcards, exec/attach into pods, reading Secrets, and bindings to cluster-admin. */
import { get, isObject } from '../kubernetes';
import type { Json } from '../kubernetes';
import type { PolicyContext, PolicyDocument, Rule, RuleFinding } from '../types';
import { RBAC_GROUP, arr, describeDoc, docsNamed, isKind, md, nearestCopies, sameNamespace, str } from './util';
import { ADVICE, HYGIENE, RESTRICTED } from '../profiles';

const isRole = (d: PolicyDocument) => isKind(d, 'Role', [RBAC_GROUP]);
const isClusterRole = (d: PolicyDocument) => isKind(d, 'ClusterRole', [RBAC_GROUP]);

/**
 * Roles and bindings Kubernetes (or GKE) ships and keeps reconciled, by name: their
 * own rules are not reported (as Polaris does). A binding that refers to one is
 * still judged by what the role grants: anyone can name a role `system:…`.
 */
export function isBuiltInRole(name: string | undefined): boolean {
  return name !== undefined && (name === 'cluster-admin' || name === 'admin' || name === 'edit' || name === 'view' || name.startsWith('system:') || name === 'gce:podsecuritypolicy:calico-sa');
}

interface PolicyRuleAt {
  rule: Json;
  index: number;
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

function strings(v: unknown): string[] {
  return arr(v).map((x) => (typeof x === 'string' ? x : ''));
}

function policyRules(doc: PolicyDocument): PolicyRuleAt[] {
  return arr(get(doc.value, ['rules'])).flatMap((rule, index) =>
    isObject(rule) ? [{ rule, index, apiGroups: strings(rule.apiGroups), resources: strings(rule.resources), verbs: strings(rule.verbs) }] : [],
  );
}

const roleApplies = (doc: PolicyDocument) => (isRole(doc) || isClusterRole(doc)) && !isBuiltInRole(doc.name);

export const rbacWildcard = {
  id: 'k8s/rbac-wildcard',
  title: 'Wildcard in RBAC rule',
  category: 'kubernetes-rbac',
  severity: 'warning',
  profiles: HYGIENE,
  description: 'A `*` in a Role or ClusterRole\'s `apiGroups`, `resources` or `verbs` grants everything that exists now and everything added later (new resources, CRDs, subresources such as `pods/exec`).',
  remediation: 'List the API groups, resources and verbs the subject actually needs.',
  equivalents: { kubeLinter: 'wildcard-in-rules' },
  appliesTo: roleApplies,
  check(doc) {
    const out: RuleFinding[] = [];
    for (const r of policyRules(doc)) {
      for (const field of ['apiGroups', 'resources', 'verbs'] as const) {
        r[field].forEach((v, j) => {
          if (v === '*') out.push({ path: ['rules', r.index, field, j], target: 'value', message: `${md('*')} in ${md(field)} grants every ${field === 'verbs' ? 'verb' : field === 'resources' ? 'resource' : 'API group'}, including ones added later.` });
        });
      }
    }
    return out;
  },
} satisfies Rule;

const CORE_GROUP = (r: PolicyRuleAt) => r.apiGroups.includes('') || r.apiGroups.includes('*');

/** The `pods/exec` / `pods/attach` grants of a rule: the resource item and the verbs that allow it (`get` opens the websocket too). */
function execAttachGrant(r: PolicyRuleAt): { resourceIndex: number; resource: string; verbs: string[] } | undefined {
  if (!CORE_GROUP(r)) return undefined;
  const verbs = r.verbs.filter((v) => v === 'create' || v === 'get' || v === '*');
  if (verbs.length === 0) return undefined;
  const resourceIndex = r.resources.findIndex((x) => x === 'pods/exec' || x === 'pods/attach' || x === 'pods/*' || x === '*');
  if (resourceIndex < 0) return undefined;
  return { resourceIndex, resource: r.resources[resourceIndex] as string, verbs };
}

function execAttachRule(kind: 'Role' | 'ClusterRole', info: { id: string; polaris: string }): Rule {
  return {
    id: info.id,
    title: `${kind} allows pods/exec or pods/attach`,
    category: 'kubernetes-rbac',
    severity: 'warning',
    profiles: HYGIENE,
    description: `A ${kind} that grants \`create\` or \`get\` on \`pods/exec\` or \`pods/attach\` lets its subjects run commands in ${kind === 'Role' ? 'the namespace\'s pods' : 'pods wherever it is bound'}, and so read every secret those pods hold.`,
    remediation: `Remove \`pods/exec\` and \`pods/attach\` from the ${kind}'s rules; grant them to a separate, audited break-glass role if people need them.`,
    equivalents: { polaris: info.polaris },
    appliesTo: (doc) => (kind === 'Role' ? isRole(doc) : isClusterRole(doc)) && !isBuiltInRole(doc.name),
    check(doc) {
      return policyRules(doc).flatMap((r): RuleFinding[] => {
        const g = execAttachGrant(r);
        if (!g) return [];
        const what = g.resource === 'pods/exec' || g.resource === 'pods/attach' ? md(g.resource) : `${md(g.resource)} (which includes ${md('pods/exec')})`;
        return [{ path: ['rules', r.index, 'resources', g.resourceIndex], target: 'value', message: `The ${kind} grants ${g.verbs.map(md).join(', ')} on ${what}: its subjects can run commands in pods.` }];
      });
    },
  };
}

export const rolePodExecAttach = execAttachRule('Role', { id: 'k8s/role-pod-exec-attach', polaris: 'rolePodExecAttach' });
export const clusterRolePodExecAttach = execAttachRule('ClusterRole', { id: 'k8s/clusterrole-pod-exec-attach', polaris: 'clusterrolePodExecAttach' });

export const rbacSecretsAccess = {
  id: 'k8s/rbac-secrets-access',
  title: 'RBAC rule reads Secrets',
  category: 'kubernetes-rbac',
  severity: 'info',
  profiles: ADVICE,
  description: 'A Role or ClusterRole that grants `get`, `list` or `watch` on `secrets` lets its subjects read every credential in the namespace (every namespace, for a ClusterRoleBinding); `list` and `watch` return the values too. Rules limited with `resourceNames` are not reported.',
  remediation: 'Grant access to the specific Secrets with `resourceNames` and `get` only, or mount the Secrets into the pods that need them instead of reading them through the API.',
  equivalents: { kubeLinter: 'access-to-secrets' },
  appliesTo: roleApplies,
  check(doc) {
    return policyRules(doc).flatMap((r): RuleFinding[] => {
      if (!CORE_GROUP(r) || arr(r.rule.resourceNames).length > 0) return [];
      const verbs = r.verbs.filter((v) => v === 'get' || v === 'list' || v === 'watch' || v === '*');
      const j = r.resources.indexOf('secrets');
      if (verbs.length === 0 || j < 0) return [];
      return [{ path: ['rules', r.index, 'resources', j], target: 'value', message: `The ${doc.kind ?? 'role'} grants ${verbs.map(md).join(', ')} on ${md('secrets')}: its subjects can read every Secret ${doc.kind === 'ClusterRole' ? 'where it is bound' : 'in the namespace'}.` }];
    });
  },
} satisfies Rule;

const ALL_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** A role with a rule granting every verb on every resource of every group: cluster-admin under another name. */
function grantsEverything(role: PolicyDocument): boolean {
  return policyRules(role).some((r) => r.apiGroups.includes('*') && r.resources.includes('*') && (r.verbs.includes('*') || ALL_VERBS.every((v) => r.verbs.includes(v))));
}

/** Why a binding's roleRef amounts to cluster-admin, or undefined. */
function adminGrant(binding: PolicyDocument, ctx: PolicyContext): string | undefined {
  const kind = str(get(binding.value, ['roleRef', 'kind']));
  const name = str(get(binding.value, ['roleRef', 'name']));
  if (!kind || !name) return undefined;
  if (kind === 'ClusterRole' && name === 'cluster-admin') return `binds ${md('cluster-admin')}`;
  const role = nearestCopies(binding, docsNamed(ctx, kind, name).filter((d) => (kind === 'ClusterRole' ? isClusterRole(d) : isRole(d) && sameNamespace(d, binding))))[0];
  // a role named system:… is no safer than any other: what it grants decides (Polaris fixture binding_to_system_prefix)
  if (role && grantsEverything(role)) return `binds ${describeDoc(role)}, which grants every verb on every resource`;
  return undefined;
}

function subjects(binding: PolicyDocument): string {
  const names = arr(get(binding.value, ['subjects'])).flatMap((s) => (isObject(s) && typeof s.name === 'string' ? [`${typeof s.kind === 'string' ? s.kind : ''} ${md(s.name)}`.trim()] : []));
  return names.length ? names.join(', ') : 'its subjects';
}

export const clusterAdminBinding = {
  id: 'k8s/cluster-admin-binding',
  title: 'ClusterRoleBinding to cluster-admin',
  category: 'kubernetes-rbac',
  severity: 'warning',
  profiles: RESTRICTED,
  description: 'A ClusterRoleBinding to `cluster-admin` (or to a ClusterRole granting `*` on `*`) gives its subjects full control of every namespace and of the cluster itself.',
  remediation: 'Bind a ClusterRole (or, better, namespaced Roles) that grants only the resources and verbs the subject needs.',
  equivalents: { polaris: 'clusterrolebindingClusterAdmin', kubeLinter: 'cluster-admin-role-binding' },
  appliesTo: (doc) => isKind(doc, 'ClusterRoleBinding', [RBAC_GROUP]) && doc.name !== 'cluster-admin' && !isBuiltInRole(doc.name),
  check(doc, ctx) {
    const why = adminGrant(doc, ctx);
    return why ? [{ path: ['roleRef', 'name'], target: 'value', message: `The ClusterRoleBinding ${why} to ${subjects(doc)}: full control of the cluster.` }] : [];
  },
} satisfies Rule;

export const roleBindingClusterAdmin = {
  id: 'k8s/rolebinding-cluster-admin',
  title: 'RoleBinding to cluster-admin',
  category: 'kubernetes-rbac',
  severity: 'warning',
  profiles: RESTRICTED,
  description: 'A RoleBinding to `cluster-admin` (or to a Role or ClusterRole granting `*` on `*`) gives its subjects full control of the namespace, including its Secrets, RBAC and every workload.',
  remediation: 'Bind `admin` or `edit`, or a Role that grants only what the subject needs.',
  equivalents: { polaris: ['rolebindingClusterAdminClusterRole', 'rolebindingClusterAdminRole'] },
  appliesTo: (doc) => isKind(doc, 'RoleBinding', [RBAC_GROUP]) && !isBuiltInRole(doc.name),
  check(doc, ctx) {
    const why = adminGrant(doc, ctx);
    return why ? [{ path: ['roleRef', 'name'], target: 'value', message: `The RoleBinding ${why} to ${subjects(doc)}: full control of the namespace.` }] : [];
  },
} satisfies Rule;

/** Resources whose create verb starts pods (kube-linter's list, with cronjobs spelled as the API does). */
const POD_CREATORS = new Set(['pods', 'deployments', 'statefulsets', 'replicasets', 'cronjobs', 'cronjob', 'jobs', 'daemonsets', '*']);

export const rbacCreatePods = {
  id: 'k8s/rbac-create-pods',
  title: 'Binding grants creating pods',
  category: 'kubernetes-rbac',
  severity: 'warning',
  profiles: HYGIENE,
  description: 'A RoleBinding or ClusterRoleBinding to a role (among the checked manifests) that grants create on pods, or on the workloads that make pods, lets its subjects run any image with any service account of the namespace, and so use every permission and Secret those accounts have (CIS Benchmark 5.1.4).',
  remediation: 'Bind a role without create on pods and workloads; let a deployment pipeline with its own identity create workloads instead of people.',
  equivalents: { kubeLinter: 'access-to-create-pods' },
  appliesTo: (doc) => (isKind(doc, 'RoleBinding', [RBAC_GROUP]) || isKind(doc, 'ClusterRoleBinding', [RBAC_GROUP])) && !isBuiltInRole(doc.name),
  check(doc, ctx) {
    const kind = str(get(doc.value, ['roleRef', 'kind']));
    const name = str(get(doc.value, ['roleRef', 'name']));
    if ((kind !== 'Role' && kind !== 'ClusterRole') || !name || (kind === 'Role' && doc.kind === 'ClusterRoleBinding')) return [];
    const role = nearestCopies(doc, docsNamed(ctx, kind, name).filter((d) => (kind === 'ClusterRole' ? isClusterRole(d) : isRole(d) && sameNamespace(d, doc))))[0];
    if (!role) return [];
    const grants = policyRules(role).flatMap((r) => (r.verbs.some((v) => v === 'create' || v === '*') ? r.resources.filter((x) => POD_CREATORS.has(x)) : []));
    if (grants.length === 0) return [];
    return [{ path: ['roleRef', 'name'], target: 'value', message: `The ${doc.kind ?? 'binding'} gives ${subjects(doc)} create on ${[...new Set(grants)].join(', ')} through ${kind} ${name}: they can start pods as any service account of the namespace.` }];
  },
} satisfies Rule;

export const RBAC_RULES: readonly Rule[] = [rbacWildcard, rolePodExecAttach, clusterRolePodExecAttach, rbacSecretsAccess, clusterAdminBinding, roleBindingClusterAdmin, rbacCreatePods];
