/**
 * One entry point for "what is wrong with this file": the editor, the pre-commit
 * hook and the CLI all call this, so they give the same answers.
 *
 * A file is split into documents; each document is parsed (fast path first),
 * given a schema by the association chain (src/core/schema/associate.ts) and
 * validated. Results are cached per document text by callers that pass a
 * cache (the editor): an edit re-validates only the documents it touched.
 */
import type { Finding, Range } from '../findings';
import { compareFindings } from '../findings';
import { isConfigFile } from '../config/files';
import { loadConfig } from '../config';
import { documentTooLargeFinding, parseSlice, shiftFinding, splitDocuments, tooLargeFinding, DEFAULT_LIMITS } from '../manifest';
import type { ParsedDocument, ParseLimits } from '../manifest';
import { associate } from '../schema/associate';
import type { Association, AssociationContext } from '../schema/associate';
import { SchemaRegistry, apiGroup } from '../schema/registry';
import { SchemaValidator } from '../schema/validator';
import { BudgetExceeded } from '../util/budget';
import { closestMatch, shownPath } from '../util/text';
import { describeFsError } from '../files/paths';
import { apiServerChecks } from './apiserver';
import { backstageIngestionChecks } from './backstage';
import { yaml11Booleans } from './kubernetes';

/** Schemas Paved Road ships (their patterns are trusted: src/core/util/regexp.ts). */
const BUNDLED_ORIGINS = new Set(['kubernetes', 'backstage', 'project']);

export type ManifestKind = 'paved-road-config' | 'yaml';

export interface ValidationContext extends AssociationContext {
  validator: SchemaValidator;
  limits?: Partial<ParseLimits>;
}

/** Per-document results of one file, keyed by the document's text; owned by the caller. */
export type DocumentCache = Map<string, Finding[]>;

let defaultContext: ValidationContext | undefined;

/** Built-in schemas only: no team rules, no remote schemas. */
export function builtinContext(): ValidationContext {
  return (defaultContext ??= { registry: new SchemaRegistry(), validator: new SchemaValidator() });
}

/** Which kind of file this is, from its path; `undefined` when Paved Road does not validate it. */
export function manifestKind(path: string): ManifestKind | undefined {
  if (isConfigFile(path)) return 'paved-road-config';
  return /\.ya?ml$/i.test(path) ? 'yaml' : undefined;
}

/** Helm chart templates are Go templates, not YAML: they are left alone. */
export function isHelmTemplate(path: string, text: string): boolean {
  return /[\\/]templates[\\/][^\\/]+\.(ya?ml|tpl)$/i.test(path) && text.includes('{{');
}

/**
 * Validates a file's text. `path` should be absolute (associations match on it).
 * Files of no known kind, and documents no schema answers for, get syntax checks only.
 */
export function validateText(path: string, text: string, ctx: ValidationContext = builtinContext(), cache?: DocumentCache): Finding[] {
  const kind = manifestKind(path);
  if (kind === undefined) return [];
  const limits = { ...DEFAULT_LIMITS, ...ctx.limits };
  if (kind === 'paved-road-config') return loadConfig(text, { limits, validator: ctx.validator }).findings.sort(compareFindings);
  if (isHelmTemplate(path, text)) return [];
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) return [tooLargeFinding(bytes, limits.maxBytes)];

  const findings: Finding[] = [];
  for (const slice of splitDocuments(text)) {
    const cached = cache?.get(slice.text);
    if (cached) {
      for (const f of cached) findings.push(shiftFinding(f, slice.line));
      continue;
    }
    if (slice.text.length > limits.maxDocumentBytes / 3 && Buffer.byteLength(slice.text, 'utf8') > limits.maxDocumentBytes) {
      findings.push(documentTooLargeFinding(Buffer.byteLength(slice.text, 'utf8'), limits.maxDocumentBytes, slice.line));
      continue;
    }
    const doc = parseSlice(slice, limits);
    const own = validateDocument(path, doc, ctx);
    cache?.set(slice.text, own.map((f) => shiftFinding(f, -slice.line)));
    findings.push(...own);
  }
  return findings.sort(compareFindings);
}

function firstLineOf(doc: ParsedDocument): Range {
  const line = doc.slice.line;
  const first = doc.slice.text.split('\n', 1)[0] ?? '';
  return { start: { line, character: 0 }, end: { line, character: first.length } };
}

/** Findings of one parsed document, in file positions. */
export function validateDocument(path: string, doc: ParsedDocument, ctx: ValidationContext): Finding[] {
  if (!doc.ok) return doc.findings;
  const findings = [...doc.findings];
  const association = associate(path, doc.slice.text, doc.value, ctx);
  if (!association) return findings;
  if (association.type === 'unknown-kind' && association.apiVersion === 'v1' && association.kind === 'List') return [...findings, ...listItems(path, doc, ctx)];
  findings.push(...associationFindings(association, doc, ctx));
  if (association.type === 'schema' && (association.schema.origin === 'kubernetes' || association.schema.origin === 'crd')) {
    findings.push(...yaml11Booleans(doc));
    findings.push(...apiServerChecks(doc));
  }
  if (association.type === 'schema' && association.schema.origin === 'backstage') findings.push(...backstageIngestionChecks(doc));
  return findings;
}

/**
 * A kubectl `v1` `List` (what `kubectl get -o yaml` writes): not an API kind but a wrapper, so each
 * item is validated as a document of its own (as kubeconform does), its findings placed at
 * items[i] in the file.
 */
function listItems(path: string, doc: ParsedDocument, ctx: ValidationContext): Finding[] {
  const items = (doc.value as { items?: unknown }).items;
  if (items === undefined || items === null) return [];
  if (!Array.isArray(items)) return [{ ruleId: 'schema/type', severity: 'error', message: 'The items of a List must be a list.', range: doc.locate(['items'], 'value'), data: { path: ['items'] } }];
  const findings: Finding[] = [];
  items.forEach((item, i) => {
    const prefix = ['items', i];
    const itemDoc: ParsedDocument = { ...doc, value: item, locate: (p, target) => doc.locate([...prefix, ...p], target) };
    const association = associate(path, '', item, ctx);
    if (!association) return;
    const own = [...associationFindings(association, itemDoc, ctx)];
    if (association.type === 'schema' && (association.schema.origin === 'kubernetes' || association.schema.origin === 'crd')) own.push(...apiServerChecks(itemDoc));
    for (const f of own) findings.push(f.data?.path ? { ...f, data: { ...f.data, path: [...prefix, ...f.data.path] } } : f);
  });
  return findings;
}

function associationFindings(association: Association, doc: ParsedDocument, ctx: ValidationContext): Finding[] {
  switch (association.type) {
    case 'none':
      return [];
    case 'unavailable':
      return [{ ruleId: 'schema/unavailable', severity: association.severity, message: association.message, range: firstLineOf(doc) }];
    case 'unknown-kind':
      return [unknownKind(association.apiVersion, association.kind, doc, ctx)];
    case 'schema': {
      const { schema } = association;
      try {
        if (!ctx.validator.has(schema.id)) ctx.validator.add(schema.id, schema.load(), BUNDLED_ORIGINS.has(schema.origin));
        return ctx.validator.validateDocument(schema.id, doc, doc.value === null ? {} : doc.value);
      } catch (err) {
        if (err instanceof BudgetExceeded) {
          const title = schema.origin === 'file' ? shownPath(schema.title, ctx.root) : schema.title;
          return [
            {
              ruleId: 'schema/budget-exceeded',
              severity: 'error',
              message:
                err.what === 'schema compilation'
                  ? `The schema ${title} (${association.detail}) is not used: compiling it would exceed its budget (${err.limit.toLocaleString('en-US')} schema nodes or characters of code, counting each inlined $ref again). The document is not validated.`
                  : `Validation against the schema ${title} (${association.detail}) stopped: it exceeded its budget of ${err.limit.toLocaleString('en-US')} steps (the schema fans out through anyOf, oneOf or $ref chains). The document is not validated.`,
              range: firstLineOf(doc),
            },
          ];
        }
        return [
          {
            ruleId: 'schema/invalid-schema',
            severity: 'warning',
            message: `The schema ${schema.origin === 'file' ? shownPath(schema.title, ctx.root) : schema.title} (${association.detail}) cannot be used: ${describeFsError(err).split('\n')[0] ?? ''}`,
            range: firstLineOf(doc),
          },
        ];
      }
    }
  }
}

function unknownKind(apiVersion: string, kind: string, doc: ParsedDocument, ctx: ValidationContext): Finding {
  const special = builtinGroupKind(apiVersion, kind, doc, ctx);
  if (special) return special;
  const known = ctx.registry.knownKinds();
  const sameKind = known.filter((k) => k.kind === kind).map((k) => k.apiVersion);
  const range = doc.locate(['apiVersion'], 'value');
  if (sameKind.length) {
    const suggestion = closestMatch(apiVersion, sameKind) ?? sameKind[0];
    return {
      ruleId: 'schema/unknown-api-version',
      // the cluster (or Backstage) refuses a kind under an apiVersion that does not serve it
      severity: 'error',
      message: `'${kind}' is not known in '${apiVersion}'; it is served as ${sameKind.map((v) => `'${v}'`).join(', ')}. Did you mean '${suggestion}'?`,
      detail: 'The document is not validated until its apiVersion is one Paved Road has a schema for.',
      range,
      data: { path: ['apiVersion'], ...(suggestion ? { suggestion, allowed: sameKind } : {}) },
    };
  }
  const sameGroup = known.filter((k) => k.apiVersion === apiVersion).map((k) => k.kind);
  const closeKind = closestMatch(kind, sameGroup);
  if (closeKind) {
    return {
      ruleId: 'schema/unknown-kind',
      severity: 'warning',
      message: `'${apiVersion}' has no kind '${kind}'. Did you mean '${closeKind}'?`,
      range: doc.locate(['kind'], 'value'),
      data: { path: ['kind'], suggestion: closeKind, allowed: sameGroup },
    };
  }
  if (ctx.registry.groupOrigin(apiGroup(apiVersion)) === 'kubernetes') {
    // a group of the Kubernetes API itself: no CRD can add a kind to it
    return {
      ruleId: 'schema/unknown-kind',
      severity: 'warning',
      message: `Kubernetes ${ctx.registry.kubernetesVersion ?? ''} serves no kind ${kind} in ${apiVersion}: the document is not validated.`.replace('  ', ' '),
      range: doc.locate(['kind'], 'value'),
    };
  }
  return {
    ruleId: 'schema/no-schema',
    severity: 'info',
    message: `No schema for '${kind}' ('${apiVersion}'): the document is not validated.`,
    detail: 'Add its CustomResourceDefinition to the workspace, or name a schema for it in .paved-road.yaml (schemas:).',
    range,
  };
}

/**
 * What no schema means by the group of the apiVersion: a kind of an API version Kubernetes no longer
 * serves is an error naming the release and the version to use; a group nothing here knows, with a
 * dot (as a CRD's group must have), is a custom resource even when its kind shares a name with a
 * built-in one (platform.example.com/v1 Service); a pre-release version of a Kubernetes group is served
 * but has no bundled schema. Anything else is left to the suggestions below.
 */
function builtinGroupKind(apiVersion: string, kind: string, doc: ParsedDocument, ctx: ValidationContext): Finding | undefined {
  const range = doc.locate(['apiVersion'], 'value');
  const removed = ctx.registry.removedKind(apiVersion, kind);
  if (removed) {
    const [suggestion] = removed.use;
    return {
      ruleId: 'schema/unknown-api-version',
      severity: 'error',
      message: `Kubernetes stopped serving ${kind} in ${apiVersion} in release ${removed.removedIn}${removed.use.length ? `; use ${removed.use.join(' or ')}` : ''} (Kubernetes Deprecated API Migration Guide).`,
      range,
      data: { path: ['apiVersion'], ...(suggestion ? { suggestion, allowed: removed.use } : {}) },
    };
  }
  const group = apiGroup(apiVersion);
  const origin = ctx.registry.groupOrigin(group);
  if (origin === 'custom' && group.includes('.')) {
    return {
      ruleId: 'schema/no-schema',
      severity: 'info',
      message: `No schema for the custom resource ${kind} (${apiVersion}): the document is not validated.`,
      detail: 'Add its CustomResourceDefinition to the workspace, or name a schema for it in .paved-road.yaml (schemas:).',
      range,
    };
  }
  const version = apiVersion.slice(apiVersion.lastIndexOf('/') + 1);
  if (origin === 'kubernetes' && /^v\d+(?:alpha|beta)\d+$/.test(version)) {
    return {
      ruleId: 'schema/no-schema',
      severity: 'info',
      message: `No bundled schema for ${kind} (${apiVersion}): the Kubernetes ${ctx.registry.kubernetesVersion ?? ''} schemas cover the stable API versions, not this pre-release one; the document is not validated.`.replace('  ', ' '),
      range,
    };
  }
  return undefined;
}
