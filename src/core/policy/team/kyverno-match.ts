/**
 * Which manifests a Kyverno rule applies to (`match`/`exclude`, as
 * pkg/engine/utils/match.go decides it) and the rules Kyverno generates for
 * pod controllers (pkg/autogen/v1), so a rule written for Pods checks the pod
 * template of a Deployment or a CronJob as it does in the cluster.
 */
import type { PolicyDocument } from '../types';
import { isObject } from '../kubernetes';
import { labelsOf, matchesSelector, splitApiVersion } from './util';
import { hasWildcard, wildcardMatch } from './kyverno-values';
import { namespaceOfResource } from './kyverno-variables';

/** One `resources` block of a match or exclude filter. */
export interface ResourceFilter {
  kinds: string[];
  name?: string;
  names: string[];
  namespaces: string[];
  annotations?: Record<string, string>;
  selector?: Record<string, unknown>;
  namespaceSelector?: Record<string, unknown>;
  operations: string[];
}

/** `match`/`exclude`: `any` (one filter suffices), `all` (every filter), or the legacy single `resources`. */
export interface MatchBlock {
  mode: 'any' | 'all' | 'single';
  filters: ResourceFilter[];
}

/** What matching needs to know about a manifest. */
export interface ResourceFacts {
  group: string;
  version: string;
  kind: string;
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const stringMap = (v: unknown): Record<string, string> =>
  isObject(v) ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};

export function factsOf(doc: PolicyDocument): ResourceFacts {
  const { group, version } = splitApiVersion(doc.apiVersion);
  const meta = isObject(doc.value) && isObject(doc.value.metadata) ? doc.value.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? meta.generateName : '';
  return { group, version, kind: doc.kind ?? '', name, namespace: namespaceOfResource(doc), labels: stringMap(labelsOf(doc.value)), annotations: stringMap(meta.annotations) };
}

const VERSION = /^(v\d+((alpha|beta)\d+)?|\*)$/;

type KindSelector = [group: string, version: string, kind: string, subresource: string];
const selectors = new Map<string, KindSelector>();

/** Kyverno's kind selector: `Pod`, `v1/Pod`, `apps/v1/Deployment`, `apps/*\/Deployment`, `Pod/exec`, `*` (parsed once per text). */
export function parseKindSelector(input: string): KindSelector {
  let parsed = selectors.get(input);
  if (!parsed) {
    parsed = kindSelector(input);
    if (selectors.size > 1_000) selectors.clear();
    selectors.set(input, parsed);
  }
  return parsed;
}

function kindSelector(input: string): KindSelector {
  const slash = input.split('/');
  const last = slash.pop() ?? '';
  const parts = [...slash, ...last.split('.')];
  const [a = '', b = '', c = '', d = ''] = parts;
  switch (parts.length) {
    case 1:
      return ['*', '*', a, ''];
    case 2:
      if (a === '*' && b === '*') return ['*', '*', '*', '*'];
      if (a === '*' && b.toLowerCase() === b) return ['*', '*', a, b];
      return VERSION.test(a) ? ['*', a, b, ''] : ['*', '*', a, b];
    case 3:
      return VERSION.test(a) ? ['*', a, b, c] : [a, b, c, ''];
    case 4:
      return [a, b, c, d];
    default:
      return ['', '', '', ''];
  }
}

export function kindMatches(kinds: readonly string[], facts: ResourceFacts): boolean {
  return kinds.some((k) => {
    const [group, version, kind, sub] = parseKindSelector(k);
    return wildcardMatch(group, facts.group) && wildcardMatch(version, facts.version) && wildcardMatch(kind, facts.kind) && wildcardMatch(sub, '');
  });
}

/** The plain kind of a selector (`apps/v1/Deployment` → `Deployment`), as Kyverno's GetKindFromGVK + SplitSubresource give it. */
function kindName(selector: string): string {
  const parts = selector.split('/');
  const [a = '', b = '', c = ''] = parts;
  let kind: string;
  if (parts.length === 1) kind = a.split('.')[0] ?? '';
  else if (parts.length === 2) kind = VERSION.test(a) ? (b.split('.')[0] ?? '') : a;
  else if (parts.length === 3) kind = VERSION.test(a) ? b : (c.split('.')[0] ?? '');
  else kind = c;
  return kind;
}

export function containsKind(kinds: readonly string[], kind: string): boolean {
  return kinds.some((k) => kindName(k) === kind);
}

/** A selector with wildcards in `matchLabels` replaced by the first label they match (Kyverno's ReplaceInSelector). */
function expandSelector(selector: Record<string, unknown>, labels: Record<string, string>): Record<string, unknown> {
  if (!isObject(selector.matchLabels)) return selector;
  const matchLabels: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(selector.matchLabels)) {
    const value = String(v);
    if (!hasWildcard(k) && !hasWildcard(value)) {
      matchLabels[k] = v;
      continue;
    }
    const found = Object.entries(labels).find(([lk, lv]) => wildcardMatch(k, lk) && wildcardMatch(value, lv));
    matchLabels[found ? found[0] : k.replace(/[*?]/g, '0')] = found ? found[1] : value.replace(/[*?]/g, '0');
  }
  return { ...selector, matchLabels };
}

/** Whether every condition of one `resources` block holds; Kyverno's "AND across attributes, OR inside a list". */
export function filterMatches(f: ResourceFilter, facts: ResourceFacts, namespaceLabels: () => Record<string, string>): boolean {
  if (f.operations.length > 0 && !f.operations.includes('CREATE')) return false;
  if (f.kinds.length > 0 && !kindMatches(f.kinds, facts)) return false;
  if (f.name !== undefined && !wildcardMatch(f.name, facts.name)) return false;
  if (f.names.length > 0 && !f.names.some((n) => wildcardMatch(n, facts.name))) return false;
  const ns = facts.kind === 'Namespace' ? facts.name : facts.namespace;
  if (f.namespaces.length > 0 && !f.namespaces.some((n) => wildcardMatch(n, ns))) return false;
  if (f.annotations && !Object.entries(f.annotations).every(([k, v]) => Object.entries(facts.annotations).some(([ak, av]) => wildcardMatch(k, ak) && wildcardMatch(v, av)))) return false;
  if (f.selector && !matchesSelector(expandSelector(f.selector, facts.labels), facts.labels)) return false;
  if (f.namespaceSelector) {
    if (facts.kind === 'Namespace') return false;
    const labels = namespaceLabels();
    if (!matchesSelector(expandSelector(f.namespaceSelector, labels), labels)) return false;
  }
  return true;
}

export function isEmptyFilter(f: ResourceFilter): boolean {
  return f.kinds.length === 0 && f.name === undefined && f.names.length === 0 && f.namespaces.length === 0 && !f.annotations && !f.selector && !f.namespaceSelector && f.operations.length === 0;
}

export function blockMatches(block: MatchBlock, facts: ResourceFacts, namespaceLabels: () => Record<string, string>): boolean {
  const one = (f: ResourceFilter): boolean => !isEmptyFilter(f) && filterMatches(f, facts, namespaceLabels);
  return block.mode === 'any' ? block.filters.some(one) : block.filters.every(one);
}

export function blockExcludes(block: MatchBlock, facts: ResourceFacts, namespaceLabels: () => Record<string, string>): boolean {
  const one = (f: ResourceFilter): boolean => !isEmptyFilter(f) && filterMatches(f, facts, namespaceLabels);
  return block.mode === 'all' ? block.filters.length > 0 && block.filters.every(one) : block.filters.some(one);
}

// ---- autogen ----

const CONTROLLER_GVK: Record<string, string> = {
  DaemonSet: 'apps/v1/DaemonSet',
  Deployment: 'apps/v1/Deployment',
  Job: 'batch/v1/Job',
  StatefulSet: 'apps/v1/StatefulSet',
  ReplicaSet: 'apps/v1/ReplicaSet',
  ReplicationController: 'v1/ReplicationController',
  CronJob: 'batch/v1/CronJob',
};
const POD_CONTROLLERS = Object.keys(CONTROLLER_GVK);
const TEMPLATE_CONTROLLERS = POD_CONTROLLERS.filter((c) => c !== 'CronJob');

export const AUTOGEN_ANNOTATION = 'pod-policies.kyverno.io/autogen-controllers';

export interface AutogenRule {
  name: string;
  match: MatchBlock;
  exclude?: MatchBlock;
  generates: boolean;
  patchesJson6902: boolean;
}

/** A filter that autogen cannot carry to controllers: names, selectors, annotations, or Pod mixed with other kinds. */
function blocksAutogen(f: ResourceFilter): boolean {
  return f.name !== undefined || f.names.length > 0 || f.selector !== undefined || f.annotations !== undefined || (f.kinds.length > 1 && containsKind(f.kinds, 'Pod'));
}

/**
 * The controllers Kyverno generates rules for in this policy (Kyverno's
 * CanAutoGen and the annotation): none when a rule generates or uses JSON
 * patches, when a filter names resources or selects by labels, or when no rule
 * is about pods.
 */
export function autogenControllers(rules: readonly AutogenRule[], annotation: string | undefined): string[] {
  let needed = false;
  for (const r of rules) {
    if (r.generates || r.patchesJson6902) return [];
    for (const block of [r.match, r.exclude]) {
      for (const f of block?.filters ?? []) {
        if (blocksAutogen(f)) return [];
        if (f.kinds.some((k) => k === 'Pod' || POD_CONTROLLERS.includes(k))) needed = true;
      }
    }
  }
  if (!needed) return [];
  if (annotation === undefined) return POD_CONTROLLERS;
  if (annotation.trim() === 'none') return [];
  const listed = annotation.split(',').map((s) => s.trim());
  if (listed.includes('all')) return POD_CONTROLLERS;
  return POD_CONTROLLERS.filter((c) => listed.includes(c));
}

export interface AutogenVariant {
  /** The rule name Kyverno gives it (`autogen-…`, `autogen-cronjob-…`). */
  name: string;
  kind: 'controllers' | 'cronjob';
  match: MatchBlock;
  exclude?: MatchBlock;
}

/**
 * A block with its kinds replaced: the controllers rule replaces the filters
 * that name Pod, the CronJob rule (made from it) every filter; the legacy single
 * block always in `match`, in `exclude` only when it names kinds.
 */
function replaceKinds(block: MatchBlock, kinds: string[], every: boolean, exclude: boolean): MatchBlock {
  const replace = (f: ResourceFilter): boolean => (block.mode === 'single' ? !exclude || f.kinds.length > 0 : every || containsKind(f.kinds, 'Pod'));
  return { ...block, filters: block.filters.map((f) => (replace(f) ? { ...f, kinds } : f)) };
}

function autogenName(prefix: string, name: string): string {
  return `${prefix}-${name}`.slice(0, 63);
}

/** The rules Kyverno generates from one rule for the given controllers (none unless it matches Pods). */
export function autogenVariants(rule: AutogenRule, controllers: readonly string[]): AutogenVariant[] {
  if (controllers.length === 0 || rule.name.startsWith('autogen-')) return [];
  const matchKinds = rule.match.filters.flatMap((f) => f.kinds);
  const excludeKinds = rule.exclude?.filters.flatMap((f) => f.kinds) ?? [];
  if (!containsKind(matchKinds, 'Pod') || (excludeKinds.length > 0 && !containsKind(excludeKinds, 'Pod'))) return [];
  const out: AutogenVariant[] = [];
  const variant = (name: string, kind: AutogenVariant['kind'], gvks: string[], cronjob: boolean): AutogenVariant => ({
    name,
    kind,
    match: replaceKinds(rule.match, gvks, cronjob, false),
    ...(rule.exclude ? { exclude: replaceKinds(rule.exclude, gvks, cronjob, true) } : {}),
  });
  const templates = TEMPLATE_CONTROLLERS.filter((c) => controllers.includes(c)).sort();
  if (templates.length > 0) out.push(variant(autogenName('autogen', rule.name), 'controllers', templates.map((c) => CONTROLLER_GVK[c] ?? c), false));
  if (controllers.includes('CronJob')) out.push(variant(autogenName('autogen-cronjob', rule.name), 'cronjob', [CONTROLLER_GVK.CronJob ?? 'batch/v1/CronJob'], true));
  return out;
}

/** Where the pod template sits in the generated rules, and the rewrites Kyverno applies to the rule's text. */
export const AUTOGEN_SHAPE = {
  controllers: {
    wrap: (pattern: unknown): unknown => ({ spec: { template: pattern } }),
    jmespath: [
      ['request.object.spec', 'request.object.spec.template.spec'],
      ['request.oldObject.spec', 'request.oldObject.spec.template.spec'],
      ['request.object.metadata', 'request.object.spec.template.metadata'],
      ['request.oldObject.metadata', 'request.oldObject.spec.template.metadata'],
    ],
    cel: [
      ['object.spec', 'object.spec.template.spec'],
      ['oldObject.spec', 'oldObject.spec.template.spec'],
      ['object.metadata', 'object.spec.template.metadata'],
      ['oldObject.metadata', 'oldObject.spec.template.metadata'],
    ],
  },
  cronjob: {
    wrap: (pattern: unknown): unknown => ({ spec: { jobTemplate: { spec: { template: pattern } } } }),
    jmespath: [
      ['request.object.spec', 'request.object.spec.jobTemplate.spec.template.spec'],
      ['request.oldObject.spec', 'request.oldObject.spec.jobTemplate.spec.template.spec'],
      ['request.object.metadata', 'request.object.spec.jobTemplate.spec.template.metadata'],
      ['request.oldObject.metadata', 'request.oldObject.spec.jobTemplate.spec.template.metadata'],
    ],
    cel: [
      ['object.spec', 'object.spec.jobTemplate.spec.template.spec'],
      ['oldObject.spec', 'oldObject.spec.jobTemplate.spec.template.spec'],
      ['object.metadata', 'object.spec.jobTemplate.spec.template.metadata'],
      ['oldObject.metadata', 'oldObject.spec.jobTemplate.spec.template.metadata'],
    ],
  },
} as const satisfies Record<AutogenVariant['kind'], { wrap: (p: unknown) => unknown; jmespath: readonly (readonly [string, string])[]; cel: readonly (readonly [string, string])[] }>;

/** Kyverno rewrites the whole rule as text (`bytes.ReplaceAll` on its JSON): every string and key. */
export function rewriteStrings(value: unknown, pairs: readonly (readonly [string, string])[]): unknown {
  const rewrite = (s: string): string => pairs.reduce((acc, [from, to]) => acc.split(from).join(to), s);
  if (typeof value === 'string') return rewrite(value);
  if (Array.isArray(value)) return value.map((v) => rewriteStrings(v, pairs));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [rewrite(k), rewriteStrings(v, pairs)]));
  return value;
}
