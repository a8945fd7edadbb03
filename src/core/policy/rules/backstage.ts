/**
 * Platform readiness of Backstage catalog entities: ownership, references that
 * resolve within the checked set, lifecycle, what a production Component must
 * carry (SLO, runbook, on-call, repository) and TechDocs that can be built.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { PathSegment } from '../../findings';
import { get, isObject } from '../kubernetes';
import type { PolicyContext, PolicyDocument, Rule, RuleFinding } from '../types';
import {
  ANNOTATION_PATH,
  annotations,
  annotationsPath,
  catalogKind,
  entitiesOfKind,
  entityLabel,
  findEntity,
  isEntity,
  parseRef,
  productionReason,
} from './backstage-util';
import type { BackstageKind, EntityRef } from './backstage-util';
import { arr, docsOfKind, md, str } from './util';
import { ADVICE, BASELINE, HYGIENE } from '../profiles';

/** Where a finding about a missing `spec` field goes: `spec`, else the document. */
function specPath(doc: PolicyDocument): PathSegment[] {
  return isObject(get(doc.value, ['spec'])) ? ['spec'] : [];
}

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && !v.trim());
}

/**
 * Rules that read the file system (TechDocs folders, SLO files) must not have
 * their results cached by document text: the engine caches rules that never
 * read `ctx.documents`, so these read it.
 */
function notCachedByText(ctx: PolicyContext): void {
  if (ctx.documents.length < 0) throw new Error('unreachable');
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** A path of an annotation, relative to the catalog file's folder. */
function relativeToCatalog(doc: PolicyDocument, p: string): string {
  return isAbsolute(p) ? p : resolve(dirname(doc.path), p);
}

// ---------------------------------------------------------------- ownership

const OWNED_KINDS = ['Component', 'API', 'Resource', 'System'];

export const ownerMissing = {
  id: 'backstage/owner-missing',
  title: 'Entity without an owner',
  category: 'platform-readiness',
  severity: 'error',
  profiles: BASELINE,
  description: 'A Component, API, Resource or System without `spec.owner` has nobody to page, ask or hand work to; Backstage also refuses such entities.',
  remediation: 'Set `spec.owner` to the owning team, e.g. `owner: group:team-checkout`.',
  appliesTo: (doc) => isEntity(doc, OWNED_KINDS),
  check(doc) {
    const owner = get(doc.value, ['spec', 'owner']);
    if (!isBlank(owner)) return [];
    const set = owner !== undefined && owner !== null;
    return [{ path: set ? ['spec', 'owner'] : specPath(doc), ...(set ? { target: 'value' as const } : {}), message: `${entityLabel(doc)} has no owner: set ${md('spec.owner')} to the owning team.` }];
  },
} satisfies Rule;

/** A reference rule's verdict on one reference. */
type RefCheck = { ok: true } | { ok: false; message: string };

/**
 * Checks a reference whose default kind is `defaultKind` (none: the reference
 * must carry one), of one of the `allowed` kinds (any catalog kind when
 * undefined). A reference to a kind of which the set holds no entity is judged
 * only with `judgeAbsentKinds`: otherwise the set may simply not include that
 * part of the catalog.
 */
function checkRef(
  raw: string,
  doc: PolicyDocument,
  ctx: PolicyContext,
  what: string,
  opts: { defaultKind?: BackstageKind; allowed?: readonly BackstageKind[]; judgeAbsentKinds?: boolean },
): RefCheck {
  const ref = parseRef(raw, doc);
  if (!ref) return { ok: false, message: `${entityLabel(doc)}: ${what} ${md(raw)} is not an entity reference (${md('[kind:][namespace/]name')}).` };
  if (ref.kind === undefined && !opts.defaultKind) return { ok: false, message: `${entityLabel(doc)}: ${what} ${md(raw)} has no kind; write it as ${md(`component:${raw}`)} or ${md(`resource:${raw}`)}.` };
  const kindName = ref.kind ?? opts.defaultKind?.toLowerCase() ?? '';
  const kind = catalogKind(kindName);
  const { allowed } = opts;
  if (allowed && (!kind || !allowed.includes(kind))) return { ok: false, message: `${entityLabel(doc)}: ${what} ${md(raw)} must name ${allowed.map((k) => `a ${k}`).join(' or ')}, not ${md(kindName)}.` };
  if (!kind || (!opts.judgeAbsentKinds && entitiesOfKind(ctx, kind).length === 0)) return { ok: true };
  if (findEntity(ctx, kind, ref)) return { ok: true };
  return { ok: false, message: `${entityLabel(doc)}: ${what} ${md(raw)} names no ${kind} among the checked entities${hint(ctx, ref, kind)}.` };
}

/** `(did you mean \`user:jdoe\`?)` when a kindless owner names a User rather than a Group. */
function hint(ctx: PolicyContext, ref: EntityRef, kind: BackstageKind): string {
  if (kind !== 'Group' || ref.kind !== undefined) return '';
  return findEntity(ctx, 'User', ref) ? ` (there is a User of that name: write ${md(`user:${ref.name}`)})` : '';
}

export const ownerUnresolved = {
  id: 'backstage/owner-unresolved',
  title: 'Owner not found',
  category: 'platform-readiness',
  severity: 'warning',
  profiles: HYGIENE,
  description:
    'A `spec.owner` that names no Group or User among the checked entities (a kindless owner means a Group) leaves the entity without a real owner, usually after a team was renamed; checked only when the set holds at least one Group or User, since otherwise the owners are simply not part of it.',
  remediation: 'Point `spec.owner` at an existing Group (`group:team-checkout`) or User (`user:jdoe`), or add that entity to the catalog.',
  appliesTo: (doc) => isEntity(doc, [...OWNED_KINDS, 'Domain']),
  check(doc, ctx) {
    const owner = str(get(doc.value, ['spec', 'owner']));
    if (!owner?.trim()) return [];
    if (entitiesOfKind(ctx, 'Group').length === 0 && entitiesOfKind(ctx, 'User').length === 0) return [];
    const r = checkRef(owner, doc, ctx, 'the owner', { defaultKind: 'Group', allowed: ['Group', 'User'], judgeAbsentKinds: true });
    if (r.ok) return [];
    return [{ path: ['spec', 'owner'], target: 'value', message: r.message }];
  },
} satisfies Rule;

export const systemUnresolved = {
  id: 'backstage/system-unresolved',
  title: 'System not found',
  category: 'platform-readiness',
  severity: 'warning',
  profiles: HYGIENE,
  description: 'A `spec.system` that names no System among the checked entities leaves the entity outside any system in the catalog; checked only when the set holds at least one System.',
  remediation: 'Point `spec.system` at an existing System, or add the System entity to the catalog.',
  appliesTo: (doc) => isEntity(doc, ['Component', 'API', 'Resource']),
  check(doc, ctx) {
    const system = str(get(doc.value, ['spec', 'system']));
    if (!system?.trim() || entitiesOfKind(ctx, 'System').length === 0) return [];
    const r = checkRef(system, doc, ctx, 'the system', { defaultKind: 'System', allowed: ['System'] });
    return r.ok ? [] : [{ path: ['spec', 'system'], target: 'value', message: r.message }];
  },
} satisfies Rule;

/** Findings for each entry of a list of references at `spec.<field>`. */
function listRefs(doc: PolicyDocument, ctx: PolicyContext, field: string, what: string, opts: { defaultKind?: BackstageKind; allowed?: readonly BackstageKind[] }): RuleFinding[] {
  const out: RuleFinding[] = [];
  arr(get(doc.value, ['spec', field])).forEach((entry, i) => {
    if (typeof entry !== 'string') return;
    const r = checkRef(entry, doc, ctx, what, opts);
    if (!r.ok) out.push({ path: ['spec', field, i], target: 'value', message: r.message });
  });
  return out;
}

export const apiUnresolved = {
  id: 'backstage/api-unresolved',
  title: 'Provided or consumed API not found',
  category: 'platform-readiness',
  severity: 'warning',
  profiles: HYGIENE,
  description: 'Entries of `spec.providesApis` or `spec.consumesApis` that name no API among the checked entities draw no relation in the catalog; checked only when the set holds at least one API.',
  remediation: 'Point the entry at an existing API entity (`checkout-api` or `api:default/checkout-api`), or add the API entity to the catalog.',
  appliesTo: (doc) => isEntity(doc, ['Component']),
  check(doc, ctx) {
    if (entitiesOfKind(ctx, 'API').length === 0) return [];
    return [...listRefs(doc, ctx, 'providesApis', 'the provided API', { defaultKind: 'API', allowed: ['API'] }), ...listRefs(doc, ctx, 'consumesApis', 'the consumed API', { defaultKind: 'API', allowed: ['API'] })];
  },
} satisfies Rule;

export const dependencyUnresolved = {
  id: 'backstage/dependency-unresolved',
  title: 'Dependency not found',
  category: 'platform-readiness',
  severity: 'warning',
  profiles: HYGIENE,
  description: 'Entries of `spec.dependsOn` must carry a kind (`component:payments`, `resource:orders-db`) and are reported when they name no entity of that kind among the checked entities, which is judged only when the set holds an entity of that kind.',
  remediation: 'Write the dependency as `<kind>:[namespace/]name` and point it at an existing Component or Resource, or add that entity to the catalog.',
  appliesTo: (doc) => isEntity(doc, ['Component', 'Resource']),
  check(doc, ctx) {
    return listRefs(doc, ctx, 'dependsOn', 'the dependency', {});
  },
} satisfies Rule;

// ---------------------------------------------------------------- lifecycle

export const lifecycleMissing = {
  id: 'backstage/lifecycle-missing',
  title: 'Component or API without a lifecycle',
  category: 'platform-readiness',
  severity: 'warning',
  profiles: HYGIENE,
  description: 'A Component or API without `spec.lifecycle` does not say whether it is experimental, in production or deprecated, so nobody can tell which guarantees it gives.',
  remediation: 'Set `spec.lifecycle` to `experimental`, `production` or `deprecated`.',
  appliesTo: (doc) => isEntity(doc, ['Component', 'API']),
  check(doc) {
    const lifecycle = get(doc.value, ['spec', 'lifecycle']);
    if (!isBlank(lifecycle)) return [];
    const set = lifecycle !== undefined && lifecycle !== null;
    return [{ path: set ? ['spec', 'lifecycle'] : specPath(doc), ...(set ? { target: 'value' as const } : {}), message: `${entityLabel(doc)} has no lifecycle: set ${md('spec.lifecycle')} (${md('experimental')}, ${md('production')} or ${md('deprecated')}).` }];
  },
} satisfies Rule;

// ---------------------------------------------------------------- production readiness

const PRODUCTION = 'A Component in production (`spec.lifecycle: production`, or the annotation `paved-road.dev/tier: "1"`)';

export const SLO_FILE_ANNOTATION = 'paved-road.dev/slo-file';
export const RUNBOOK_ANNOTATION = 'paved-road.dev/runbook-url';
export const ON_CALL_ANNOTATIONS = ['pagerduty.com/service-id', 'pagerduty.com/integration-key', 'opsgenie.com/component-selector', 'opsgenie.com/team'];
export const PROJECT_SLUG_ANNOTATION = 'github.com/project-slug';

/** An SLO document of the set for a service: Sloth (`prometheus/v1` or the `PrometheusServiceLevel` resource) or OpenSLO. */
function hasSloDocument(ctx: PolicyContext, service: string): boolean {
  const sloth = docsOfKind(ctx, '').some((d) => isObject(d.value) && d.value.version === 'prometheus/v1' && d.value.service === service);
  if (sloth) return true;
  const slothCrd = docsOfKind(ctx, 'PrometheusServiceLevel').some((d) => d.apiVersion?.startsWith('sloth.slok.dev/') && get(d.value, ['spec', 'service']) === service);
  if (slothCrd) return true;
  return docsOfKind(ctx, 'SLO').some((d) => d.apiVersion?.startsWith('openslo/') && get(d.value, ['spec', 'service']) === service);
}

export const productionSlo = {
  id: 'backstage/production-slo',
  title: 'Production Component without an SLO',
  category: 'platform-readiness',
  severity: 'info',
  profiles: ADVICE,
  description: `${PRODUCTION} needs a service level objective: the annotation \`${SLO_FILE_ANNOTATION}\` naming an existing file (relative to the catalog file), or a Sloth or OpenSLO document for the service among the checked files.`,
  remediation: `Add a Sloth (\`version: prometheus/v1\`, \`service: <component>\`) or OpenSLO SLO for the component, and point \`${SLO_FILE_ANNOTATION}\` at it.`,
  appliesTo: (doc) => productionReason(doc) !== undefined,
  check(doc, ctx) {
    const why = productionReason(doc);
    if (!why) return [];
    notCachedByText(ctx);
    const file = annotations(doc)[SLO_FILE_ANNOTATION]?.trim();
    const found = doc.name !== undefined && hasSloDocument(ctx, doc.name);
    if (file) {
      const abs = relativeToCatalog(doc, file);
      if (existsSync(abs) && !isDirectory(abs)) return [];
      return [{ path: ANNOTATION_PATH(SLO_FILE_ANNOTATION), target: 'value', message: `${entityLabel(doc)} names the SLO file ${md(file)}, which does not exist (relative to the catalog file's folder).` }];
    }
    if (found) return [];
    return [{ path: annotationsPath(doc), message: `${entityLabel(doc)} ${why} but has no SLO: add a Sloth or OpenSLO document for it and name it in ${md(SLO_FILE_ANNOTATION)}.` }];
  },
} satisfies Rule;

export const productionRunbook = {
  id: 'backstage/production-runbook',
  title: 'Production Component without a runbook',
  category: 'platform-readiness',
  severity: 'info',
  profiles: ADVICE,
  description: `${PRODUCTION} needs a runbook for whoever is paged: a link in \`metadata.links\` whose title or URL mentions "runbook", or the annotation \`${RUNBOOK_ANNOTATION}\`.`,
  remediation: 'Add `metadata.links: [{ title: Runbook, url: https://… }]` or the `paved-road.dev/runbook-url` annotation.',
  appliesTo: (doc) => productionReason(doc) !== undefined,
  check(doc) {
    const why = productionReason(doc);
    if (!why) return [];
    if (annotations(doc)[RUNBOOK_ANNOTATION]?.trim()) return [];
    const links = arr(get(doc.value, ['metadata', 'links']));
    if (links.some((l) => isObject(l) && [l.title, l.url].some((v) => typeof v === 'string' && /runbook/i.test(v)))) return [];
    const path: PathSegment[] = Array.isArray(get(doc.value, ['metadata', 'links'])) ? ['metadata', 'links'] : annotationsPath(doc);
    return [{ path, message: `${entityLabel(doc)} ${why} but has no runbook: add a ${md('Runbook')} link or the ${md(RUNBOOK_ANNOTATION)} annotation.` }];
  },
} satisfies Rule;

export const productionOnCall = {
  id: 'backstage/production-on-call',
  title: 'Production Component without on-call',
  category: 'platform-readiness',
  severity: 'info',
  profiles: ADVICE,
  description: `${PRODUCTION} needs an on-call rotation to page: one of the annotations ${ON_CALL_ANNOTATIONS.map((a) => `\`${a}\``).join(', ')}.`,
  remediation: 'Add `pagerduty.com/service-id` (or `pagerduty.com/integration-key`, `opsgenie.com/component-selector`, `opsgenie.com/team`) to `metadata.annotations`.',
  appliesTo: (doc) => productionReason(doc) !== undefined,
  check(doc) {
    const why = productionReason(doc);
    if (!why) return [];
    const a = annotations(doc);
    if (ON_CALL_ANNOTATIONS.some((k) => a[k]?.trim())) return [];
    return [{ path: annotationsPath(doc), message: `${entityLabel(doc)} ${why} but has no on-call annotation (PagerDuty or Opsgenie).` }];
  },
} satisfies Rule;

export const productionProjectSlug = {
  id: 'backstage/production-project-slug',
  title: 'Production Component without a repository',
  category: 'platform-readiness',
  severity: 'info',
  profiles: ADVICE,
  description: `${PRODUCTION} needs the \`${PROJECT_SLUG_ANNOTATION}\` annotation, so that its source, pull requests and CI are one click away during an incident.`,
  remediation: 'Add `github.com/project-slug: <org>/<repository>` to `metadata.annotations`.',
  appliesTo: (doc) => productionReason(doc) !== undefined,
  check(doc) {
    const why = productionReason(doc);
    if (!why) return [];
    if (annotations(doc)[PROJECT_SLUG_ANNOTATION]?.trim()) return [];
    return [{ path: annotationsPath(doc), message: `${entityLabel(doc)} ${why} but has no ${md(PROJECT_SLUG_ANNOTATION)} annotation.` }];
  },
} satisfies Rule;

// ---------------------------------------------------------------- TechDocs

export const TECHDOCS_ANNOTATION = 'backstage.io/techdocs-ref';

export const techdocsDir = {
  id: 'backstage/techdocs-dir',
  title: 'TechDocs folder without mkdocs.yml',
  category: 'platform-readiness',
  severity: 'warning',
  profiles: HYGIENE,
  description: 'An entity whose `backstage.io/techdocs-ref: dir:<path>` names a folder (relative to the catalog file) without `mkdocs.yml` or `mkdocs.yaml` has documentation that TechDocs cannot build.',
  remediation: 'Add `mkdocs.yml` (with `site_name` and `plugins: [techdocs-core]`) to that folder, or point the annotation at the folder that has it.',
  appliesTo: (doc) => isEntity(doc),
  check(doc, ctx) {
    const ref = annotations(doc)[TECHDOCS_ANNOTATION]?.trim();
    if (!ref?.startsWith('dir:')) return [];
    notCachedByText(ctx);
    const rel = ref.slice('dir:'.length).trim() || '.';
    const dir = relativeToCatalog(doc, rel);
    const path = ANNOTATION_PATH(TECHDOCS_ANNOTATION);
    if (!isDirectory(dir)) return [{ path, target: 'value', message: `${entityLabel(doc)}: the TechDocs folder ${md(rel)} does not exist (relative to the catalog file's folder).` }];
    if (existsSync(join(dir, 'mkdocs.yml')) || existsSync(join(dir, 'mkdocs.yaml'))) return [];
    return [{ path, target: 'value', message: `${entityLabel(doc)}: the TechDocs folder ${md(rel)} has no ${md('mkdocs.yml')}, so TechDocs cannot build its documentation.` }];
  },
} satisfies Rule;

export const BACKSTAGE_RULES: readonly Rule[] = [
  ownerMissing,
  ownerUnresolved,
  systemUnresolved,
  apiUnresolved,
  dependencyUnresolved,
  lifecycleMissing,
  productionSlo,
  productionRunbook,
  productionOnCall,
  productionProjectSlug,
  techdocsDir,
];
