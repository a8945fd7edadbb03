/**
 * Kubernetes ValidatingAdmissionPolicy, run unchanged before commit: the
 * cluster's own admission policies, on the manifests about to be committed.
 *
 * As the API server does: `matchConstraints` (resourceRules, excludeResourceRules,
 * objectSelector, namespaceSelector against a Namespace in the checked files),
 * `matchConditions`, `variables`, `validations[].expression` / `message` /
 * `messageExpression`, `failurePolicy`, and the bindings in the
 * same policy source (`validationActions` → severity, `matchResources`,
 * `paramRef` resolved against parameter resources in the source). The manifest
 * is a CREATE request: `oldObject` is null. `authorizer` needs the cluster: a
 * validation that uses it is reported on the policy file and skipped.
 */
import type { Finding, PathSegment, Severity } from '../../findings';
import { isObject } from '../kubernetes';
import type { PolicyContext, PolicyDocument, Rule, RuleFinding } from '../types';
import { celEnvironment, celToString, compileCel, runCel, toCel } from './cel';
import type { CelActivation, CelProgram } from './cel';
import { lazyVariables } from './paved';
import type { PolicyFormat, PolicyLoadOptions, PolicySourceDocument } from './types';
import { POLICY_PROBLEM } from './types';
import { existingPrefix, kindToResource, labelsOf, matchesSelector, namespaceView, problem, rangeInString, splitApiVersion } from './util';

const VARIABLES = ['object', 'oldObject', 'request', 'params', 'namespaceObject', 'variables'];

const isVap = (doc: PolicyDocument, kind: string): boolean => /^admissionregistration\.k8s\.io\/v1(alpha1|beta1)?$/.test(doc.apiVersion ?? '') && doc.kind === kind;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Whether one `resourceRules` entry covers the document (as a CREATE or UPDATE: what applying a manifest is). */
function ruleCovers(rule: unknown, doc: PolicyDocument): boolean {
  if (!isObject(rule)) return false;
  const { group, version } = splitApiVersion(doc.apiVersion);
  const resource = kindToResource(doc.kind ?? '');
  const has = (list: string[], v: string): boolean => list.includes('*') || list.includes(v);
  const ops = strings(rule.operations);
  const names = strings(rule.resourceNames);
  return (
    has(strings(rule.apiGroups), group) &&
    has(strings(rule.apiVersions), version) &&
    strings(rule.resources).some((r) => r === '*' || r === resource || r === `${resource}/*`) &&
    (ops.length === 0 || ops.some((o) => o === '*' || o === 'CREATE' || o === 'UPDATE')) &&
    (names.length === 0 || names.includes(doc.name ?? ''))
  );
}

/** Kinds without a namespace: their `namespaceObject` is null and namespace selectors do not apply. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'CustomResourceDefinition', 'PriorityClass',
  'IngressClass', 'RuntimeClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService', 'ClusterIssuer', 'GatewayClass', 'ClusterPolicy',
]);

interface NamespaceView {
  value: Record<string, unknown>;
  /** Whether its labels are known (a Namespace manifest is among the checked files) or only `kubernetes.io/metadata.name`. */
  known: boolean;
}

/** The namespace of a namespaced document as admission sees it (cluster-scoped kinds have none). */
function namespaceOf(doc: PolicyDocument, ctx: PolicyContext | undefined): NamespaceView | undefined {
  if (CLUSTER_SCOPED.has(doc.kind ?? '') || !ctx) return undefined;
  return namespaceView(ctx, doc.namespace ?? 'default');
}

/** A label selector on a namespace whose labels may be partly unknown: requirements on unknown labels hold (a finding to look at beats a silent pass). */
function namespaceMatches(selector: unknown, ns: NamespaceView | undefined): boolean {
  if (!ns || !isObject(selector)) return true;
  const labels = labelsOf(ns.value) ?? {};
  if (ns.known) return matchesSelector(selector, labels);
  const knownOnly = (key: string): boolean => key in labels;
  const matchLabels = isObject(selector.matchLabels) ? Object.fromEntries(Object.entries(selector.matchLabels).filter(([k]) => knownOnly(k))) : undefined;
  const matchExpressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions.filter((e) => isObject(e) && typeof e.key === 'string' && knownOnly(e.key)) : undefined;
  return matchesSelector({ ...(matchLabels ? { matchLabels } : {}), ...(matchExpressions ? { matchExpressions } : {}) }, labels);
}

/** `matchConstraints` or a binding's `matchResources`. */
function matchesResources(m: unknown, doc: PolicyDocument, ctx: PolicyContext | undefined, required: boolean): boolean {
  if (!isObject(m)) return !required;
  const rules = Array.isArray(m.resourceRules) ? m.resourceRules : undefined;
  if (rules ? !rules.some((r) => ruleCovers(r, doc)) : required) return false;
  if (Array.isArray(m.excludeResourceRules) && m.excludeResourceRules.some((r) => ruleCovers(r, doc))) return false;
  if (!matchesSelector(m.objectSelector, labelsOf(doc.value))) return false;
  return ctx === undefined || namespaceMatches(m.namespaceSelector, namespaceOf(doc, ctx));
}

function requestOf(doc: PolicyDocument): Record<string, unknown> {
  const { group, version } = splitApiVersion(doc.apiVersion);
  return toCel({
    uid: '',
    kind: { group, version, kind: doc.kind ?? '' },
    resource: { group, version, resource: kindToResource(doc.kind ?? '') },
    requestKind: { group, version, kind: doc.kind ?? '' },
    requestResource: { group, version, resource: kindToResource(doc.kind ?? '') },
    name: doc.name ?? '',
    namespace: doc.namespace ?? '',
    operation: 'CREATE',
    userInfo: { username: '', groups: [] },
    dryRun: false,
    options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' },
  }) as Record<string, unknown>;
}

interface Binding {
  doc: PolicySourceDocument;
  severity: Severity;
  matchResources: unknown;
  params: unknown[] | undefined;
}

const ACTION_SEVERITY: Record<string, Severity> = { Deny: 'error', Warn: 'warning', Audit: 'info' };

/** The bindings of a policy in its source, with their severity and parameters (undefined params: none needed). */
function bindingsOf(policy: PolicySourceDocument, options: PolicyLoadOptions, problems: Finding[]): Binding[] | undefined {
  const spec = policy.value.spec as Record<string, unknown>;
  const paramKind = isObject(spec.paramKind) ? spec.paramKind : undefined;
  const bindings = options.all.filter((d) => isVap(d, 'ValidatingAdmissionPolicyBinding') && isObject(d.value.spec) && d.value.spec.policyName === policy.name);
  if (bindings.length === 0) {
    if (paramKind) {
      problems.push(
        problem(policy, POLICY_PROBLEM.unsupported, 'warning', `This policy takes parameters (${String(paramKind.kind)}): add its ValidatingAdmissionPolicyBinding with a paramRef and the parameter resource to the policy source to run it before commit.`, ['spec', 'paramKind']),
      );
      return undefined;
    }
    // unbound: run as the usual binding would, denying
    return [{ doc: policy, severity: 'error', matchResources: undefined, params: undefined }];
  }
  const out: Binding[] = [];
  for (const b of bindings) {
    const bspec = b.value.spec as Record<string, unknown>;
    const actions = strings(bspec.validationActions);
    const severity = (['Deny', 'Warn', 'Audit'] as const).map((a) => (actions.includes(a) ? ACTION_SEVERITY[a] : undefined)).find((s) => s !== undefined) ?? 'error';
    let params: unknown[] | undefined;
    if (paramKind) {
      const ref = isObject(bspec.paramRef) ? bspec.paramRef : undefined;
      const candidates = options.all.filter((d) => d.kind === paramKind.kind && d.apiVersion === paramKind.apiVersion);
      const found = !ref
        ? []
        : typeof ref.name === 'string'
          ? candidates.filter((d) => d.name === ref.name && (typeof ref.namespace !== 'string' || d.namespace === ref.namespace))
          : candidates.filter((d) => matchesSelector(ref.selector, labelsOf(d.value)));
      if (found.length === 0) {
        const what = ref && typeof ref.name === 'string' ? `${String(paramKind.kind)} '${ref.name}'` : `a ${String(paramKind.kind)}`;
        problems.push(problem(b, POLICY_PROBLEM.unsupported, 'warning', `The parameter resource (${what}) is not in the policy source: this binding does not run before commit.`, ref ? ['spec', 'paramRef'] : ['spec']));
        continue;
      }
      params = found.map((d) => toCel(d.value));
    }
    out.push({ doc: b, severity, matchResources: bspec.matchResources, params });
  }
  return out;
}

/** `object.spec.replicas <= 5` → `spec.replicas`; method calls end the path (`object.spec.containers.all(…)` → `spec.containers`). */
export function firstObjectPath(expression: string): PathSegment[] | undefined {
  const m = /\bobject((?:\.[A-Za-z_][A-Za-z0-9_]*(?![A-Za-z0-9_(]))+)/.exec(expression);
  return m?.[1] ? m[1].slice(1).split('.') : undefined;
}

function compileIn(
  env: ReturnType<typeof celEnvironment>,
  doc: PolicySourceDocument,
  source: unknown,
  path: PathSegment[],
  text: string,
  problems: Finding[],
): CelProgram | undefined {
  if (typeof source !== 'string' || source.trim() === '') {
    problems.push(problem(doc, POLICY_PROBLEM.invalid, 'error', `${String(path.at(-1))} must be a CEL expression.`, path));
    return undefined;
  }
  const c = compileCel(env, source);
  if ('program' in c) return c.program;
  if (/authorizer/.test(c.error.message)) {
    problems.push(problem(doc, POLICY_PROBLEM.unsupported, 'warning', "'authorizer' checks need the cluster: this expression does not run before commit.", path, 'value'));
  } else {
    problems.push(problem(doc, POLICY_PROBLEM.expression, 'error', `Invalid CEL: ${c.error.message}`, rangeInString(doc, path, c.error.offset, text)));
  }
  return undefined;
}

export const vapFormat: PolicyFormat = {
  name: 'ValidatingAdmissionPolicy',
  reads: (doc) => isVap(doc, 'ValidatingAdmissionPolicy'),
  load(doc, options) {
    const problems: Finding[] = [];
    const spec = doc.value.spec;
    const name = doc.name;
    if (!name) return { rules: [], problems: [problem(doc, POLICY_PROBLEM.invalid, 'error', 'A ValidatingAdmissionPolicy needs metadata.name.', ['metadata'])] };
    if (!isObject(spec) || !Array.isArray(spec.validations) || spec.validations.length === 0) {
      return { rules: [], problems: [problem(doc, POLICY_PROBLEM.invalid, 'error', 'This policy has no spec.validations: nothing to check.', ['spec'])] };
    }
    if (!isObject(spec.matchConstraints) || !Array.isArray(spec.matchConstraints.resourceRules)) {
      problems.push(problem(doc, POLICY_PROBLEM.invalid, 'error', 'spec.matchConstraints.resourceRules is required: the policy matches nothing without it.', ['spec']));
      return { rules: [], problems };
    }
    const env = celEnvironment(VARIABLES);
    const text = options.text;
    const failOpen = spec.failurePolicy === 'Ignore';
    const conditions = (Array.isArray(spec.matchConditions) ? spec.matchConditions : []).map((c, i) =>
      compileIn(env, doc, isObject(c) ? c.expression : undefined, ['spec', 'matchConditions', i, 'expression'], text, problems),
    );
    const variables = (Array.isArray(spec.variables) ? spec.variables : []).flatMap((v, i) => {
      if (!isObject(v) || typeof v.name !== 'string') {
        problems.push(problem(doc, POLICY_PROBLEM.invalid, 'error', 'A variable needs a name and an expression.', ['spec', 'variables', i]));
        return [];
      }
      const program = compileIn(env, doc, v.expression, ['spec', 'variables', i, 'expression'], text, problems);
      return program ? [{ name: v.name, program }] : [];
    });
    const bindings = bindingsOf(doc, options, problems);
    if (!bindings || bindings.length === 0 || conditions.some((c) => !c)) return { rules: [], problems };
    const rules: Rule[] = [];
    const strongest = bindings.map((b) => b.severity).sort((a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b))[0] ?? 'error';
    spec.validations.forEach((v, i) => {
      const at: PathSegment[] = ['spec', 'validations', i];
      if (!isObject(v)) return;
      const expression = compileIn(env, doc, v.expression, [...at, 'expression'], text, problems);
      const messageExpression = v.messageExpression !== undefined ? compileIn(env, doc, v.messageExpression, [...at, 'messageExpression'], text, problems) : undefined;
      // a validation has no location of its own: the finding goes on the first field of `object` the expression reads
      const fieldPath = typeof v.expression === 'string' ? firstObjectPath(v.expression) : undefined;
      if (!expression) return;
      const staticMessage = typeof v.message === 'string' && v.message.trim() ? v.message : `failed expression: ${String(v.expression).trim()}`;
      const id = `${name}/validation-${i + 1}`;
      rules.push({
        id,
        title: typeof v.message === 'string' ? v.message : `${name}: ${String(v.expression)}`,
        category: 'team-policy',
        severity: strongest,
        description: `ValidatingAdmissionPolicy ${name}, validation ${i + 1}: \`${String(v.expression)}\`.`,
        remediation: `The cluster's admission policy ${name} would deny this resource.`,
        exemptionNames: [`${name}.validation-${i + 1}`, name],
        origin: { path: doc.path, range: doc.locate([...at, 'expression'], 'value'), format: 'ValidatingAdmissionPolicy' },
        appliesTo: (d) => matchesResources(spec.matchConstraints, d, undefined, true),
        check(d: PolicyDocument, ctx: PolicyContext): RuleFinding[] {
          const ns = namespaceOf(d, ctx);
          if (!matchesResources(spec.matchConstraints, d, ctx, true)) return [];
          const applicable = bindings.filter((b) => matchesResources(b.matchResources, d, ctx, false));
          const out: RuleFinding[] = [];
          const at = fieldPath ? existingPrefix(d.value, fieldPath) : ['kind'];
          for (const b of applicable) {
            for (const params of b.params ?? [null]) {
              const base: CelActivation = { object: toCel(d.value), oldObject: null, request: requestOf(d), params, namespaceObject: ns ? toCel(ns.value) : null };
              base.variables = lazyVariables(variables, base);
              const fail = (message: string): void => {
                if (!out.some((f) => f.message === message)) out.push({ path: at, message });
              };
              let skip = false;
              for (const c of conditions) {
                const r = runCel(c as CelProgram, base);
                if ('error' in r) {
                  if (!failOpen) fail(`${name}: a match condition could not be evaluated: ${r.error}`);
                  skip = true;
                  break;
                }
                if (r.value !== true) {
                  skip = true;
                  break;
                }
              }
              if (skip) continue;
              const r = runCel(expression, base);
              if ('error' in r) {
                if (!failOpen) fail(`${name}: ${String(v.expression).trim()} could not be evaluated: ${r.error}`);
              } else if (r.value !== true) {
                let message = staticMessage;
                if (messageExpression) {
                  const m = runCel(messageExpression, base);
                  if ('value' in m && typeof m.value === 'string' && m.value.trim() && !m.value.includes('\n')) message = m.value;
                  else if ('value' in m && typeof m.value !== 'string') message = `${staticMessage} (messageExpression gave ${celToString(m.value)})`;
                }
                fail(message);
              }
            }
          }
          return out;
        },
      });
    });
    return { rules, problems };
  },
};
