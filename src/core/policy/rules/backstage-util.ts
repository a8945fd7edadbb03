/**
 * Helpers of the Backstage platform-readiness rules: which documents are
 * Backstage entities, entity references (`[kind:][namespace/]name`), the
 * entities of the checked set, and what makes a Component "production".
 */
import type { PathSegment } from '../../findings';
import { get, isObject } from '../kubernetes';
import type { PolicyContext, PolicyDocument } from '../types';
import { docsOfKind, str } from './util';

/** The kinds of the Backstage software catalog model. */
export const BACKSTAGE_KINDS = ['Component', 'API', 'System', 'Group', 'User', 'Resource', 'Domain'] as const;
export type BackstageKind = (typeof BACKSTAGE_KINDS)[number];

const BACKSTAGE_API_VERSION = /^backstage\.io\/v1(alpha1|beta1)$/;

/** A Backstage entity: `apiVersion: backstage.io/v1alpha1` (or v1beta1) and one of the catalog kinds. */
export function isEntity(doc: PolicyDocument, kinds: readonly string[] = BACKSTAGE_KINDS): boolean {
  return doc.apiVersion !== undefined && BACKSTAGE_API_VERSION.test(doc.apiVersion) && doc.kind !== undefined && kinds.includes(doc.kind);
}

/** `Component \`checkout-api\``, for messages. */
export function entityLabel(doc: PolicyDocument): string {
  return `${doc.kind ?? 'Entity'} ${doc.name !== undefined ? `'${doc.name}'` : '(without a name)'}`;
}

/** An entity's namespace (`default` when it has none). */
export function entityNamespace(doc: PolicyDocument): string {
  return (doc.namespace ?? 'default').toLowerCase();
}

export interface EntityRef {
  /** Lower case; undefined when the reference carries no kind. */
  kind?: string;
  namespace: string;
  name: string;
}

/**
 * Parses `[kind:][namespace/]name`. The namespace defaults to the referring
 * entity's own, as in Backstage; kinds, namespaces and names compare without case.
 */
export function parseRef(raw: string, from: PolicyDocument): EntityRef | undefined {
  const s = raw.trim();
  if (!s) return undefined;
  const colon = s.indexOf(':');
  const kind = colon >= 0 ? s.slice(0, colon).trim().toLowerCase() : undefined;
  const rest = colon >= 0 ? s.slice(colon + 1) : s;
  const slash = rest.indexOf('/');
  const namespace = slash >= 0 ? rest.slice(0, slash).trim().toLowerCase() : entityNamespace(from);
  const name = (slash >= 0 ? rest.slice(slash + 1) : rest).trim().toLowerCase();
  if (!name || !namespace || kind === '') return undefined;
  return { ...(kind !== undefined ? { kind } : {}), namespace, name };
}

/** The entities of a kind in the checked set. */
export function entitiesOfKind(ctx: PolicyContext, kind: BackstageKind): PolicyDocument[] {
  return docsOfKind(ctx, kind).filter((d) => isEntity(d, [kind]));
}

/** The entity of the set a reference (with its kind resolved) names, if any. */
export function findEntity(ctx: PolicyContext, kind: BackstageKind, ref: EntityRef): PolicyDocument | undefined {
  return entitiesOfKind(ctx, kind).find((d) => d.name?.toLowerCase() === ref.name && entityNamespace(d) === ref.namespace);
}

/** The catalog kind a lower-case ref kind means (`group` → `Group`), if it is one. */
export function catalogKind(kind: string): BackstageKind | undefined {
  return BACKSTAGE_KINDS.find((k) => k.toLowerCase() === kind);
}

/** The annotations of an entity (strings only). */
export function annotations(doc: PolicyDocument): Record<string, string> {
  const raw = get(doc.value, ['metadata', 'annotations']);
  const out: Record<string, string> = {};
  if (!isObject(raw)) return out;
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  return out;
}

export const ANNOTATION_PATH = (key: string): PathSegment[] => ['metadata', 'annotations', key];

/** Where a finding about a missing annotation goes: the annotations, else `metadata`, else the document. */
export function annotationsPath(doc: PolicyDocument): PathSegment[] {
  if (isObject(get(doc.value, ['metadata', 'annotations']))) return ['metadata', 'annotations'];
  return isObject(get(doc.value, ['metadata'])) ? ['metadata'] : [];
}

export const TIER_ANNOTATION = 'paved-road.dev/tier';

/**
 * Why a Component counts as production, or undefined: `spec.lifecycle:
 * production`, or the annotation `paved-road.dev/tier: "1"`.
 */
export function productionReason(doc: PolicyDocument): string | undefined {
  if (!isEntity(doc, ['Component'])) return undefined;
  if (str(get(doc.value, ['spec', 'lifecycle']))?.trim().toLowerCase() === 'production') return 'is in production';
  if (annotations(doc)[TIER_ANNOTATION]?.trim() === '1') return 'is tier 1';
  return undefined;
}
