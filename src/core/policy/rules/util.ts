/**
 * Helpers shared by the built-in Kubernetes rules: reading fields safely,
 * finding the most specific existing path for a finding, label selectors,
 * and the cross-document lookups (HPA → workload, PDB → workload, …).
 */
import type { PathSegment } from '../../findings';
import { get, isObject, isWorkload, podSpecOf } from '../kubernetes';
import type { ContainerAt, Json, PodSpecAt } from '../kubernetes';
import { documentsForPart } from '../engine';
import type { ContextPart } from '../engine';
import type { PolicyContext, PolicyDocument, RuleFinding } from '../types';
import { objectName } from '../../model/objects';

/** Quotes a name or value in a message: plain text (VS Code shows markdown in diagnostics literally). */
export const md = (s: string | number): string => `'${s}'`;

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** An integer, or undefined for anything else (strings included: schema validation reports those). */
export function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function obj(v: unknown): Json | undefined {
  return isObject(v) ? v : undefined;
}

/** The longest prefix of `path` that exists in `value`: where a finding about a missing field goes. */
export function deepest(value: unknown, path: readonly PathSegment[]): PathSegment[] {
  let node: unknown = value;
  const out: PathSegment[] = [];
  for (const seg of path) {
    let next: unknown;
    if (Array.isArray(node) && typeof seg === 'number') next = node[seg];
    else if (isObject(node) && typeof seg === 'string') next = node[seg];
    if (next === undefined || next === null) break;
    out.push(seg);
    node = next;
  }
  return out;
}

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` → `` (core). */
export function apiGroup(apiVersion: string | undefined): string | undefined {
  if (!apiVersion) return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The document is a `kind` served by one of `groups` (`''` is the core group). */
export function isKind(doc: PolicyDocument, kind: string, groups: readonly string[]): boolean {
  const group = apiGroup(doc.apiVersion);
  return doc.kind === kind && group !== undefined && groups.includes(group);
}

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * Two documents may live in the same namespace. A document without
 * `metadata.namespace` gets one when applied (`kubectl -n`, Kustomize, Helm), so
 * it is taken to match any namespace: cross-document rules never report a
 * dangling reference just because one side leaves the namespace out.
 */
export function sameNamespace(a: PolicyDocument, b: PolicyDocument): boolean {
  return a.namespace === undefined || b.namespace === undefined || a.namespace === b.namespace;
}

/** Where the finding for a whole document goes: its name, else its kind. */
export function documentPath(doc: PolicyDocument): PathSegment[] {
  if (str(get(doc.value, ['metadata', 'name'])) !== undefined) return ['metadata', 'name'];
  if (str(get(doc.value, ['metadata', 'generateName'])) !== undefined) return ['metadata', 'generateName'];
  return deepest(doc.value, ['kind']);
}

export function describeDoc(doc: PolicyDocument): string {
  // a generateName object by its prefix (web-), as the Outline names it
  return `${doc.kind ?? 'Object'} ${md(doc.name ?? objectName(doc.value) ?? '?')}`;
}

// ---------------------------------------------------------------- containers

export function containerNoun(c: ContainerAt): string {
  if (c.list === 'initContainers') return 'Init container';
  if (c.list === 'ephemeralContainers') return 'Ephemeral container';
  return 'Container';
}

/** "Container `api`" (or "Init container `migrate`"). */
export function containerName(c: ContainerAt): string {
  return `${containerNoun(c)} ${md(c.name)}`;
}

/** "Container `api`" or "Containers `api`, `worker`" for findings shared by several containers (a pod-level setting). */
export function containersNamed(cs: readonly ContainerAt[]): string {
  if (cs.length === 1) return containerName(cs[0] as ContainerAt);
  return `Containers ${cs.map((c) => md(c.name)).join(', ')}`;
}

/** Pods whose `spec.os.name` is `windows`: Linux-only settings (capabilities, seccomp, runAsNonRoot…) do not apply. */
export function isWindowsPod(pod: PodSpecAt): boolean {
  return get(pod.spec, ['os', 'name']) === 'windows';
}

/** The workload's pod spec, for built-in workload kinds only (custom resources named `Deployment` are skipped). */
export function workloadPod(doc: PolicyDocument): PodSpecAt | undefined {
  return isWorkload(doc) ? podSpecOf(doc) : undefined;
}

export type ContainerLists = ReadonlyArray<ContainerAt['list']>;
export const ALL_CONTAINERS: ContainerLists = ['initContainers', 'containers', 'ephemeralContainers'];
export const APP_CONTAINERS: ContainerLists = ['containers'];

export function containersOf(pod: PodSpecAt, lists: ContainerLists = ALL_CONTAINERS): ContainerAt[] {
  return pod.containers.filter((c) => lists.includes(c.list));
}

/**
 * Merges findings that several containers share (a pod-level setting): one
 * finding per path, its message built from every container it concerns.
 */
type PerPathItem = Pick<RuleFinding, 'path' | 'target' | 'field' | 'missing'> & { container: ContainerAt; message: (who: string, many: boolean) => string };

export function perPath(items: readonly PerPathItem[]): RuleFinding[] {
  const groups = new Map<string, PerPathItem & { containers: ContainerAt[] }>();
  for (const it of items) {
    const key = JSON.stringify(it.path);
    const g = groups.get(key);
    if (g) g.containers.push(it.container);
    else groups.set(key, { ...it, containers: [it.container] });
  }
  return [...groups.values()].map((g) => ({
    path: g.path,
    ...(g.target ? { target: g.target } : {}),
    ...(g.field ? { field: g.field } : {}),
    ...(g.missing ? { missing: g.missing } : {}),
    message: g.message(containersNamed(g.containers), g.containers.length > 1),
  }));
}

/** A container setting with its pod-level default: the value and where it is set (container first). */
export function effective(pod: PodSpecAt, c: ContainerAt, field: string): { value: unknown; path?: PathSegment[] } {
  const own = get(c.container, ['securityContext', field]);
  if (own !== undefined && own !== null) return { value: own, path: [...c.path, 'securityContext', field] };
  const inherited = get(pod.spec, ['securityContext', field]);
  if (inherited !== undefined && inherited !== null) return { value: inherited, path: [...pod.path, 'securityContext', field] };
  return { value: undefined };
}

// ---------------------------------------------------------------- labels and selectors

export type Labels = Record<string, string>;

export function labelsAt(value: unknown, path: readonly PathSegment[]): Labels {
  const raw = get(value, path);
  const out: Labels = {};
  if (!isObject(raw)) return out;
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  return out;
}

/** Path of the pod template's labels of a workload (a Pod's own labels). */
export function podLabelsPath(doc: PolicyDocument): PathSegment[] | undefined {
  if (doc.kind === 'Pod') return ['metadata', 'labels'];
  if (doc.kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels'];
  if (isObject(get(doc.value, ['spec', 'template']))) return ['spec', 'template', 'metadata', 'labels'];
  return undefined;
}

/**
 * Documents that create pods: the built-in workloads, and custom resources with
 * a pod template at `spec.template` (Argo Rollouts and the like), so that a
 * Service or NetworkPolicy that selects them is not reported as dangling.
 */
export function podOwners(ctx: PolicyContext): PolicyDocument[] {
  return podOwnersIn(indexFor(documentsForPart(ctx, POD_OWNERS)));
}

interface ContextIndex {
  documents: readonly PolicyDocument[];
  byKind: Map<string, PolicyDocument[]>;
  podOwners?: PolicyDocument[];
  labels: Map<PolicyDocument, Labels>;
  /** Documents of a kind by `metadata.name` (kind → name → documents, in set order). */
  byName: Map<string, Map<string, PolicyDocument[]>>;
  /** HorizontalPodAutoscalers by the kind and name of their `scaleTargetRef`. */
  hpaTargets?: Map<string, PolicyDocument[]>;
  /** Pod owners by each of their pod labels (`[key, value]` as JSON). */
  ownersByLabel?: Map<string, PolicyDocument[]>;
}

/**
 * Rules across documents look things up in the whole set for every document:
 * an index built once per set (by kind, by name, pod owners, pod labels, HPA
 * targets) keeps that linear instead of quadratic (3,000 documents: ~1 s → a few ms).
 * Each lookup names the part of the set it reads (`documentsForPart`), so the
 * engine can reuse a rule's result while that part does not change.
 */
const indexes = new WeakMap<readonly PolicyDocument[], ContextIndex>();
function indexFor(documents: readonly PolicyDocument[]): ContextIndex {
  let index = indexes.get(documents);
  if (!index) {
    const byKind = new Map<string, PolicyDocument[]>();
    for (const d of documents) {
      const k = d.kind ?? '';
      const list = byKind.get(k);
      if (list) list.push(d);
      else byKind.set(k, [d]);
    }
    index = { documents, byKind, labels: new Map(), byName: new Map() };
    indexes.set(documents, index);
  }
  return index;
}

const NONE: readonly PolicyDocument[] = [];

function podOwnersIn(index: ContextIndex): PolicyDocument[] {
  return (index.podOwners ??= index.documents.filter((d) => isWorkload(d) || Array.isArray(get(d.value, ['spec', 'template', 'spec', 'containers']))));
}

/** The part of a set that is the documents of one kind. */
const kindParts = new Map<string, ContextPart>();
function kindPart(kind: string): ContextPart {
  let part = kindParts.get(kind);
  if (!part) kindParts.set(kind, (part = { key: `kind:${kind}`, members: (documents) => indexFor(documents).byKind.get(kind) ?? NONE }));
  return part;
}

/** The part of a set that is the pod owners (see `podOwners`). */
const POD_OWNERS: ContextPart = { key: 'pod-owners', members: (documents) => podOwnersIn(indexFor(documents)) };

/** The documents of a kind in the set. */
export function docsOfKind(ctx: PolicyContext, kind: string): readonly PolicyDocument[] {
  return indexFor(documentsForPart(ctx, kindPart(kind))).byKind.get(kind) ?? NONE;
}

/** The documents of a kind in the set whose `metadata.name` is `name`, in set order. */
export function docsNamed(ctx: PolicyContext, kind: string, name: string): readonly PolicyDocument[] {
  return namedIn(indexFor(documentsForPart(ctx, namedPart(kind, name))), kind, name);
}

function namedIn(index: ContextIndex, kind: string, name: string): readonly PolicyDocument[] {
  let names = index.byName.get(kind);
  if (!names) {
    names = new Map();
    for (const d of index.byKind.get(kind) ?? NONE) {
      if (d.name === undefined) continue;
      const list = names.get(d.name);
      if (list) list.push(d);
      else names.set(d.name, [d]);
    }
    index.byName.set(kind, names);
  }
  return names.get(name) ?? NONE;
}

/** Parts of a set made on demand, by key (the documents of a kind and name, the HPAs of a target, the pod owners with a label). */
const parts = new Map<string, ContextPart>();
function partFor(key: string, members: ContextPart['members']): ContextPart {
  let part = parts.get(key);
  if (!part) {
    // a long-lived editor meets many names and labels: keep the most recent ones
    if (parts.size >= 50_000) parts.clear();
    parts.set(key, (part = { key, members }));
  }
  return part;
}

function namedPart(kind: string, name: string): ContextPart {
  return partFor(`named:${JSON.stringify([kind, name])}`, (documents) => namedIn(indexFor(documents), kind, name));
}

/** Pod labels of a document in the set, computed once per set. */
export function podLabelsIn(ctx: PolicyContext, doc: PolicyDocument): Labels {
  const cache = indexFor(documentsForPart(ctx)).labels;
  let labels = cache.get(doc);
  if (!labels) cache.set(doc, (labels = podLabels(doc)));
  return labels;
}

/** The pod owners of the set whose pod labels a Service-style selector (a plain map) selects (`mapSelectorMatches`), in set order. */
export function podOwnersSelectedBy(ctx: PolicyContext, selector: Json): PolicyDocument[] {
  const first = Object.entries(selector)[0];
  if (first === undefined) return [];
  // every selected owner has the selector's first pair among its labels: only those are read
  const label = JSON.stringify([first[0], String(first[1])]);
  const candidates = ownersLabelled(indexFor(documentsForPart(ctx, partFor(`labelled:${label}`, (documents) => ownersLabelled(indexFor(documents), label)))), label);
  return candidates.filter((w) => mapSelectorMatches(selector, podLabelsIn(ctx, w)));
}

/** The pod owners with a label (`[key, value]` as JSON), in set order. */
function ownersLabelled(index: ContextIndex, label: string): readonly PolicyDocument[] {
  if (!index.ownersByLabel) {
    const byLabel = new Map<string, PolicyDocument[]>();
    for (const w of podOwnersIn(index)) {
      let labels = index.labels.get(w);
      if (!labels) index.labels.set(w, (labels = podLabels(w)));
      for (const pair of Object.entries(labels)) {
        const key = JSON.stringify(pair);
        const list = byLabel.get(key);
        if (list) list.push(w);
        else byLabel.set(key, [w]);
      }
    }
    index.ownersByLabel = byLabel;
  }
  return index.ownersByLabel.get(label) ?? NONE;
}

export function podLabels(doc: PolicyDocument): Labels {
  const path = podLabelsPath(doc);
  return path ? labelsAt(doc.value, path) : {};
}

/** A `LabelSelector` (matchLabels + matchExpressions) against labels. `{}` selects everything; a missing selector nothing. */
export function selectorMatches(selector: unknown, labels: Labels): boolean {
  if (!isObject(selector)) return false;
  const ml = selector.matchLabels;
  if (isObject(ml)) {
    for (const [k, v] of Object.entries(ml)) if (labels[k] !== String(v)) return false;
  }
  for (const e of arr(selector.matchExpressions)) {
    if (!isObject(e) || typeof e.key !== 'string') return false;
    const values = arr(e.values).map(String);
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const v = labels[e.key];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(v as string)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(v as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A Service-style selector (a plain map): every pair must match; an empty map selects nothing. */
export function mapSelectorMatches(selector: Json, labels: Labels): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === String(v));
}

// ---------------------------------------------------------------- replicas, HPA, PDB

export const REPLICATED_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'DeploymentConfig']);

export function isReplicated(doc: PolicyDocument): boolean {
  return isWorkload(doc) && REPLICATED_KINDS.has(doc.kind ?? '');
}

/** `spec.replicas` (default 1); undefined when it is set to something that is not an integer. */
export function replicasOf(doc: PolicyDocument): number | undefined {
  const raw = get(doc.value, ['spec', 'replicas']);
  if (raw === undefined || raw === null) return 1;
  return int(raw);
}

export function isHpa(doc: PolicyDocument): boolean {
  return isKind(doc, 'HorizontalPodAutoscaler', ['autoscaling']);
}

/** The HorizontalPodAutoscalers in the set that scale this workload. */
export function hpasFor(doc: PolicyDocument, ctx: PolicyContext): PolicyDocument[] {
  const target = targetKey(doc.kind, doc.name) ?? '';
  const candidates = hpasTargeting(indexFor(documentsForPart(ctx, partFor(`hpa-target:${target}`, (documents) => hpasTargeting(indexFor(documents), target)))), target);
  return nearestCopies(doc, candidates.filter((h) => isHpa(h) && sameNamespace(h, doc)));
}

/** The HorizontalPodAutoscalers of the set whose `scaleTargetRef` has this `targetKey`, in set order. */
function hpasTargeting(index: ContextIndex, target: string): readonly PolicyDocument[] {
  if (!index.hpaTargets) {
    const targets = new Map<string, PolicyDocument[]>();
    for (const h of index.byKind.get('HorizontalPodAutoscaler') ?? NONE) {
      const key = targetKey(get(h.value, ['spec', 'scaleTargetRef', 'kind']), get(h.value, ['spec', 'scaleTargetRef', 'name']));
      if (key === undefined) continue;
      const list = targets.get(key);
      if (list) list.push(h);
      else targets.set(key, [h]);
    }
    index.hpaTargets = targets;
  }
  return index.hpaTargets.get(target) ?? NONE;
}

/** A key for a `scaleTargetRef`'s kind and name that are equal (`===`) to a document's (strings, or both missing); undefined when they can equal none. */
function targetKey(kind: unknown, name: unknown): string | undefined {
  if ((kind !== undefined && typeof kind !== 'string') || (name !== undefined && typeof name !== 'string')) return undefined;
  return JSON.stringify([kind ?? null, name ?? null]);
}

/**
 * How many replicas a workload runs: `spec.replicas`, or the HPA's range when
 * one scales it (the HPA then owns the count). Undefined when unknown.
 */
export function replicaRange(doc: PolicyDocument, ctx: PolicyContext): { min: number; max: number; hpa?: PolicyDocument } | undefined {
  const hpa = hpasFor(doc, ctx)[0];
  if (hpa) {
    const min = int(get(hpa.value, ['spec', 'minReplicas'])) ?? 1;
    const max = int(get(hpa.value, ['spec', 'maxReplicas']));
    return max === undefined ? undefined : { min, max, hpa };
  }
  const n = replicasOf(doc);
  return n === undefined ? undefined : { min: n, max: n };
}

export function isPdb(doc: PolicyDocument): boolean {
  return isKind(doc, 'PodDisruptionBudget', ['policy']);
}

/** PodDisruptionBudgets in the set whose selector selects the workload's pods. */
export function pdbsFor(doc: PolicyDocument, ctx: PolicyContext): PolicyDocument[] {
  const labels = podLabels(doc);
  return docsOfKind(ctx, 'PodDisruptionBudget').filter((p) => isPdb(p) && sameNamespace(p, doc) && selectorMatches(get(p.value, ['spec', 'selector']), labels));
}

// ---------------------------------------------------------------- production

const PRODUCTION_VALUE = /^(prod|production|prd)$/i;
/** Label keys that name a deployment environment. */
export const ENVIRONMENT_LABELS = ['environment', 'env', 'stage', 'app.kubernetes.io/environment', 'tags.datadoghq.com/env'];

/**
 * Whether a workload runs in production: its namespace is, or has a `-`, `_`
 * or `.` separated segment, `prod`, `production` or `prd` (`prod`,
 * `checkout-prod`, `production-eu`); or one of the labels `environment`,
 * `env`, `stage`, `app.kubernetes.io/environment`, `tags.datadoghq.com/env` on
 * the workload or its pod template says `prod`, `production` or `prd`.
 */
export function isProduction(doc: PolicyDocument): boolean {
  if (doc.namespace && doc.namespace.split(/[-_.]/).some((s) => PRODUCTION_VALUE.test(s))) return true;
  const labels = { ...podLabels(doc), ...labelsAt(doc.value, ['metadata', 'labels']) };
  return ENVIRONMENT_LABELS.some((k) => labels[k] !== undefined && PRODUCTION_VALUE.test(labels[k]));
}

// ---------------------------------------------------------------- secrets

/** Names of variables and keys that usually hold credentials. */
const SENSITIVE_NAME = /(passw(or)?d|passphrase|(^|_)pass$|(^|_)pwd$|secret|token|bearer|credential|api_?key|private_?key|access_?key|(^|_)key(_|$)|(^|_)auth$)/i;
/** Names that merely point at or describe a credential (`DB_PASSWORD_FILE`, `TOKEN_TTL`, `SECRET_NAME`). */
const REFERENCE_NAME = /(_|^)(file|path|dir|name|ref|url|uri|endpoint|header|ttl|timeout|expiry|expires|expiration|length|size|type|algorithm|algo|prefix|suffix|id|enabled|enable|required|mode|version|count|max|min|rotation|issuer|audience|format|location|store|provider)$/i;
/** Exact names cloud SDKs read credentials from (Polaris' list). */
const KNOWN_SECRET_NAMES = /^(AWS_SECRET_ACCESS_KEY|GOOGLE_APPLICATION_CREDENTIALS|AZURE_.+KEY|OCI_CLI_KEY_CONTENT)$/i;

/** The exact names cloud SDKs read credentials from (AWS_SECRET_ACCESS_KEY, AZURE_*_KEY, …). */
export function isKnownSecretName(name: string): boolean {
  return KNOWN_SECRET_NAMES.test(name.replace(/[-.]/g, '_'));
}

export function isSensitiveName(name: string): boolean {
  const norm = name.replace(/[-.]/g, '_');
  if (KNOWN_SECRET_NAMES.test(norm)) return true;
  return SENSITIVE_NAME.test(norm) && !REFERENCE_NAME.test(norm);
}

/** Values that are not credentials even under a credential-like name: empty, numbers, booleans, placeholders and references. */
export function isTrivialValue(value: string): boolean {
  const v = value.trim();
  if (v.length < 4) return true;
  if (/^(true|false|yes|no|on|off|null|none|changeme|change-me|replace-?me|redacted|placeholder|todo|xxx+|\*+)$/i.test(v)) return true;
  if (/^-?\d+(\.\d+)?[smhd]?$/.test(v)) return true;
  if (/^\$\{[^}]*\}$|^\$\([^)]*\)$|^\{\{.*\}\}$|^<[^>]*>$/.test(v)) return true; // ${VAR}, $(VAR), {{ tpl }}, <placeholder>
  if (/^(\/|\.\/|file:)/.test(v)) return true; // a path to a file
  return false;
}

/** Credential shapes recognisable from the value alone. */
const SECRET_VALUE_PATTERNS: ReadonlyArray<{ re: RegExp; what: string }> = [
  // PEM writes five dashes; keys pasted by hand often have three (Polaris fixture value_private_key)
  { re: /-{3,}\s*BEGIN[A-Z ]*PRIVATE KEY\s*-{3,}/, what: 'a private key' },
  { re: /\bAKIA[0-9A-Z]{16}\b/, what: 'an AWS access key id' },
  { re: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/, what: 'a GitHub token' },
  { re: /\bgithub_pat_[A-Za-z0-9_]{40,}\b/, what: 'a GitHub token' },
  { re: /\bxox[abprs]-[A-Za-z0-9-]{10,}/, what: 'a Slack token' },
  { re: /\bsk_live_[A-Za-z0-9]{16,}\b/, what: 'a Stripe secret key' },
  { re: /\bglpat-[A-Za-z0-9_-]{20,}\b/, what: 'a GitLab token' },
  { re: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, what: 'a JSON Web Token' },
  { re: /:\/\/[^/\s:@]+:[^/\s@]{3,}@/, what: 'a URL with a password' },
];

/** What credential a value looks like, if any. */
export function secretInValue(value: string): string | undefined {
  for (const p of SECRET_VALUE_PATTERNS) {
    if (!p.re.test(value)) continue;
    if (p.what === 'a URL with a password' && /:\/\/[^/\s:@]+:(\$\{[^}]*\}|\$\([^)]*\)|\{\{[^}]*\}\}|\*+|<[^>]*>)@/.test(value)) continue;
    return p.what;
  }
  return undefined;
}

/** `password: hunter2` or `API_TOKEN=abc…` lines inside a file kept in a ConfigMap. */
export function secretAssignmentInText(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const m = /^\s*["']?([A-Za-z0-9_.-]+)["']?\s*[:=]\s*["']?([^"'\s#]+)["']?\s*(#.*)?$/.exec(line);
    if (m && isSensitiveName(m[1] as string) && !isTrivialValue(m[2] as string)) return m[1];
  }
  return undefined;
}

/** Where a finding about `rel` (maybe missing) under the node at `base` goes: `base` + the longest existing part of `rel`. */
export function within(base: readonly PathSegment[], node: unknown, rel: readonly PathSegment[]): PathSegment[] {
  return [...base, ...deepest(node, rel)];
}

export function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

const BUILT_IN_GROUPS = new Set(['', 'apps', 'batch', 'policy', 'autoscaling', 'extensions']);
/** API groups that look like Kubernetes' but are other tools' manifests (Backstage entities carry `metadata.namespace: default`). */
const NOT_KUBERNETES = /(^|\.)(backstage\.io|score\.dev)$/;

/** A Kubernetes object: a built-in API group or a custom resource group (`*.example.com`), not a Backstage entity or a Score file. */
export function isKubernetesDocument(doc: PolicyDocument): boolean {
  const group = apiGroup(doc.apiVersion);
  if (group === undefined || !doc.kind) return false;
  if (BUILT_IN_GROUPS.has(group)) return true;
  return group.includes('.') && !NOT_KUBERNETES.test(group);
}

/** A scalar as text for messages (objects as JSON). */
export function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  return JSON.stringify(v);
}

function dirOf(p: string): string {
  return p.slice(0, Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')));
}

/** 0 in the same file, 1 in the same directory, 2 elsewhere. */
function distance(a: PolicyDocument, b: PolicyDocument): number {
  if (a.path === b.path) return 0;
  return dirOf(a.path) === dirOf(b.path) ? 1 : 2;
}

/**
 * Of documents that are the same object (kind, namespace and name: a Kustomize
 * base and its overlays, or copies per environment, all checked together), keeps
 * the one nearest to `from`: in its file, else in its directory, else the first;
 * the result is sorted nearest first.
 */
export function nearestCopies(from: PolicyDocument, docs: readonly PolicyDocument[]): PolicyDocument[] {
  const best = new Map<string, PolicyDocument>();
  for (const d of docs) {
    const key = JSON.stringify([d.kind, d.namespace ?? '', d.name ?? `#${d.path}#${d.index}`]);
    const seen = best.get(key);
    if (!seen || distance(from, d) < distance(from, seen)) best.set(key, d);
  }
  return [...best.values()].sort((a, b) => distance(from, a) - distance(from, b));
}
