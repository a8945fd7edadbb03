/**
 * Kyverno `{{ … }}` variables: the request a manifest stands for, the
 * substitution rules of pkg/engine/variables (a string that is one variable
 * becomes the variable's value, of any type; inside a longer string it is
 * printed as JSON; the innermost `{{ }}` first; `\{{` escapes), and the check,
 * before anything runs, that an expression reads only what exists before
 * commit.
 *
 * What a variable can read: `request.object` (the manifest),
 * `request.oldObject` (null: applying a manifest is a CREATE),
 * `request.operation` (`CREATE`), `request.name`, `request.namespace`,
 * `request.kind`, `request.resource`, `request.subResource`, `request.dryRun`.
 * Who makes the request (`request.userInfo`, `serviceAccountName`, …),
 * `images`, context entries and foreach's `element` are not known: the loader
 * reports them as not supported.
 */
import type { PolicyDocument } from '../types';
import { isObject } from '../kubernetes';
import { InvalidPattern } from '../../util/regexp';
import { goRegex, isKnownFunction } from './kyverno-jmespath-functions';
import { analyzeJmesPath, evaluateJmesPath, JmesSyntaxError, parseJmesPath } from './kyverno-jmespath';
import { kindToResource, splitApiVersion } from './util';
import { stringifyValue } from './kyverno-values';

/** `{{ … }}` not preceded by `\`, holding at most one level of `{ }` (as Kyverno's RegexVariables). */
const VARIABLE = /(^|[^\\])(\{\{(?:\{[^{}]*\}|[^{}])*\}\})/g;

const REQUEST_FIELDS = new Set(['object', 'oldObject', 'operation', 'name', 'namespace', 'kind', 'resource', 'subResource', 'dryRun']);

/** Kinds without a namespace: the Kyverno CLI gives every other resource without one the namespace `default`. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'CustomResourceDefinition', 'PriorityClass',
  'IngressClass', 'RuntimeClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService',
  'ClusterIssuer', 'GatewayClass', 'ClusterPolicy', 'ClusterCleanupPolicy', 'PodSecurityPolicy', 'CertificateSigningRequest', 'FlowSchema',
  'PriorityLevelConfiguration', 'ClusterRoleTemplateBinding', 'StorageVersionMigration',
]);

export function isClusterScoped(kind: string | undefined): boolean {
  return kind !== undefined && CLUSTER_SCOPED.has(kind);
}

/** The namespace Kyverno sees for a manifest: its own, `default` when it has none, '' for cluster-scoped kinds. */
export function namespaceOfResource(doc: PolicyDocument): string {
  if (isClusterScoped(doc.kind)) return '';
  return doc.namespace ?? 'default';
}

/** The admission request a manifest stands for: a CREATE, nobody in particular. */
export function requestOf(doc: PolicyDocument): Record<string, unknown> {
  const { group, version } = splitApiVersion(doc.apiVersion);
  return {
    operation: 'CREATE',
    object: doc.value,
    oldObject: null,
    name: doc.name ?? '',
    namespace: namespaceOfResource(doc),
    kind: { group, version, kind: doc.kind ?? '' },
    resource: { group, version, resource: kindToResource(doc.kind ?? '') },
    subResource: '',
    dryRun: false,
  };
}

export type Resolve = (expression: string) => unknown;

/** A resolver over the JSON context `{ request }`. */
export function resolverFor(request: Record<string, unknown>): Resolve {
  const context = { request };
  return (expression) => evaluateJmesPath(parseJmesPath(expression), context);
}

/** `{{- x }}` is a shallow substitution (its result is not scanned again). */
function variableOf(match: string): { expression: string; shallow: boolean } {
  const inner = match.slice(2, -2).trim();
  return inner.startsWith('-') ? { expression: inner.slice(1).trim(), shallow: true } : { expression: inner, shallow: false };
}

/** Substitutes the variables of one string; a string that is exactly one variable becomes its value. */
export function substituteString(text: string, resolve: Resolve): unknown {
  let value = text;
  for (let round = 0; round < 32; round++) {
    const matches = [...value.matchAll(VARIABLE)];
    if (matches.length === 0) break;
    const original = value;
    let shallow = false;
    for (const m of matches) {
      const prefix = m[1] ?? '';
      const v = m[2] ?? '';
      const variable = variableOf(v);
      shallow = variable.shallow;
      const result = resolve(variable.expression);
      if (original === v) return result;
      let replacement = stringifyValue(result);
      if (shallow && typeof result === 'string') replacement = replacement.replace(/\{\{/g, '\\{{');
      value = value.replace(prefix + v, () => prefix + replacement);
    }
    if (shallow) break;
  }
  return value.replace(/\\\{\{/g, '{{');
}

/** Substitutes variables in every string (and key) of a value. */
export function substituteAll(value: unknown, resolve: Resolve): unknown {
  if (typeof value === 'string') return substituteString(value, resolve);
  if (Array.isArray(value)) return value.map((v) => substituteAll(v, resolve));
  if (isObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        const key = substituteString(k, resolve);
        return [typeof key === 'string' ? key : k, substituteAll(v, resolve)];
      }),
    );
  }
  return value;
}

export function hasVariables(value: unknown): boolean {
  if (typeof value === 'string') return new RegExp(VARIABLE.source).test(value);
  if (Array.isArray(value)) return value.some(hasVariables);
  if (isObject(value)) return Object.entries(value).some(([k, v]) => hasVariables(k) || hasVariables(v));
  return false;
}

export interface VariableIssue {
  kind: 'syntax' | 'invalid' | 'unsupported';
  message: string;
  /** Offset of the problem in the string. */
  offset: number;
}

/** Why a root variable does not exist before commit, or undefined when it does. */
function unsupportedRoot(chain: readonly string[]): string | undefined {
  const [root, field] = chain;
  if (root === '@') return "'@' refers to the place in a pattern (or a foreach element): not supported before commit";
  if (root === 'request') {
    if (field === undefined) return "the whole 'request' is not known before commit";
    if (REQUEST_FIELDS.has(field)) return undefined;
    if (field === 'userInfo' || field === 'roles' || field === 'clusterRoles') return `'request.${field}' (who applies the change) is not known before commit`;
    return `'request.${field}' is not known before commit`;
  }
  if (root === 'serviceAccountName' || root === 'serviceAccountNamespace') return `'${root}' (who applies the change) is not known before commit`;
  if (root === 'images') return "the 'images' variable is not available before commit";
  if (root === 'element' || root === 'elementIndex' || /^elementIndex\d+$/.test(root ?? '')) return `'${root ?? ''}' exists only in foreach, which does not run before commit`;
  return `the variable '${root ?? ''}' is not defined before commit (context entries do not run)`;
}

/** What is wrong with one `{{ … }}` expression, statically. */
function checkExpression(expression: string, offset: number): VariableIssue[] {
  let node;
  try {
    node = parseJmesPath(expression);
  } catch (err) {
    if (err instanceof JmesSyntaxError) return [{ kind: 'syntax', message: `invalid JMESPath '${expression}': ${err.message}`, offset: offset + err.offset }];
    throw err;
  }
  const usage = analyzeJmesPath(node);
  const issues: VariableIssue[] = [];
  for (const pattern of usage.regexes) {
    try {
      goRegex(pattern);
    } catch (err) {
      issues.push({ kind: 'invalid', message: `invalid regular expression '${pattern}': ${err instanceof InvalidPattern ? err.reason : String(err)}`, offset });
    }
  }
  for (const chain of usage.roots) {
    const why = unsupportedRoot(chain);
    if (why) issues.push({ kind: 'unsupported', message: why, offset });
  }
  for (const fn of usage.functions) {
    if (!isKnownFunction(fn)) issues.push({ kind: 'unsupported', message: `the JMESPath function '${fn}()' does not run before commit`, offset });
  }
  return issues;
}

/**
 * The problems of the variables in a string: syntax errors and what does not
 * exist before commit. A nested variable (`{{ a."{{b}}" }}`) is checked with
 * the inner one replaced by a placeholder, as it will have been by then.
 */
export function checkVariables(text: string): VariableIssue[] {
  const issues: VariableIssue[] = [];
  let value = text;
  for (let round = 0; round < 8; round++) {
    const matches = [...value.matchAll(VARIABLE)];
    if (matches.length === 0) break;
    for (const m of matches) {
      const v = m[2] ?? '';
      const offset = (m.index ?? 0) + (m[1] ?? '').length;
      const nested = round > 0;
      for (const issue of checkExpression(variableOf(v).expression, offset + 2)) {
        // after substitution the outer text is not the policy's: point at the string, not a column
        issues.push(nested ? { ...issue, offset: 0 } : issue);
      }
      value = value.replace(v, 'x');
    }
  }
  return issues;
}

/** Every string of a value with its path (keys are checked too: Kyverno substitutes them). */
export function stringsOf(value: unknown, path: (string | number)[] = []): { text: string; path: (string | number)[]; key?: boolean }[] {
  if (typeof value === 'string') return [{ text: value, path }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsOf(v, [...path, i]));
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => [{ text: k, path: [...path, k], key: true }, ...stringsOf(v, [...path, k])]);
  return [];
}
