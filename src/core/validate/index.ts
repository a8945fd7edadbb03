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
import { parseSlice, shiftFinding, splitDocuments, tooLargeFinding, DEFAULT_LIMITS } from '../manifest';
import type { ParsedDocument, ParseLimits } from '../manifest';
import { associate } from '../schema/associate';
import type { Association, AssociationContext } from '../schema/associate';
import { SchemaRegistry } from '../schema/registry';
import { SchemaValidator } from '../schema/validator';
import { closestMatch } from '../util/text';
import { yaml11Booleans } from './kubernetes';

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
  findings.push(...associationFindings(association, doc, ctx));
  if (association.type === 'schema' && (association.schema.origin === 'kubernetes' || association.schema.origin === 'crd')) {
    findings.push(...yaml11Booleans(doc));
  }
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
        if (!ctx.validator.has(schema.id)) ctx.validator.add(schema.id, schema.load());
        return ctx.validator.validateDocument(schema.id, doc, doc.value === null ? {} : doc.value);
      } catch (err) {
        return [
          {
            ruleId: 'schema/invalid-schema',
            severity: 'warning',
            message: `The schema ${schema.title} (${association.detail}) cannot be used: ${err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)}`,
            range: firstLineOf(doc),
          },
        ];
      }
    }
  }
}

function unknownKind(apiVersion: string, kind: string, doc: ParsedDocument, ctx: ValidationContext): Finding {
  const known = ctx.registry.knownKinds();
  const sameKind = known.filter((k) => k.kind === kind).map((k) => k.apiVersion);
  const range = doc.locate(['apiVersion'], 'value');
  if (sameKind.length) {
    const suggestion = closestMatch(apiVersion, sameKind) ?? sameKind[0];
    return {
      ruleId: 'schema/unknown-api-version',
      // the cluster (or Backstage) refuses a kind under an apiVersion that does not serve it
      severity: 'error',
      message: `\`${kind}\` is not known in \`${apiVersion}\`; it is served as ${sameKind.map((v) => `\`${v}\``).join(', ')}. Did you mean \`${suggestion}\`?`,
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
      message: `\`${apiVersion}\` has no kind \`${kind}\`. Did you mean \`${closeKind}\`?`,
      range: doc.locate(['kind'], 'value'),
      data: { path: ['kind'], suggestion: closeKind, allowed: sameGroup },
    };
  }
  return {
    ruleId: 'schema/no-schema',
    severity: 'info',
    message: `No schema for \`${kind}\` (\`${apiVersion}\`): the document is not validated.`,
    detail: 'Add its CustomResourceDefinition to the workspace, or name a schema for it in .paved-road.yaml (schemas:).',
    range,
  };
}
