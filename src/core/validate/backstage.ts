/**
 * What Backstage's catalog refuses at ingestion beyond the entity JSON Schemas: the formats of its
 * default FieldFormatEntityPolicy (entity name, namespace, label keys and values, annotation keys,
 * tags, link URLs), checked with @backstage/catalog-model's own validators (makeValidator) and
 * reported in the policy's words. The catalog stops at the first problem of an entity; here each
 * one is a finding of its own. The other default policies need nothing more: the schemas already
 * refuse foreign root fields (NoForeignRootFieldsEntityPolicy) and check the envelope
 * (SchemaValidEntityPolicy); DefaultNamespaceEntityPolicy and GroupDefaultParentEntityPolicy only
 * fill in defaults. Values of the wrong type are left to the schemas.
 */
import { CommonValidatorFunctions, makeValidator } from '@backstage/catalog-model';
import type { Finding, PathSegment } from '../findings';
import type { ParsedDocument } from '../manifest';

const validators = makeValidator();


const NAME = 'a string that is sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total';
const PREFIX_SUFFIX = 'a valid prefix and/or suffix';
const NAMESPACE = 'a string that is sequences of [a-z0-9] separated by [-], at most 63 characters in total';
const TAG = 'a string that is sequences of [a-z0-9+#] separated by [-], at most 63 characters in total';
const URL = 'a string that is a valid url';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** The catalog's ingestion checks of one Backstage entity document (see the module comment). */
export function backstageIngestionChecks(doc: ParsedDocument): Finding[] {
  const meta = isObject(doc.value) ? doc.value.metadata : undefined;
  if (!isObject(meta)) return [];
  const findings: Finding[] = [];
  const check = (field: string, path: PathSegment[], value: unknown, valid: (v: unknown) => boolean, expected: string, target: 'key' | 'value' = 'value'): void => {
    if (typeof value !== 'string' || valid(value)) return;
    const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
    findings.push({
      ruleId: 'backstage/entity-format',
      severity: 'error',
      message: `The Backstage catalog refuses the entity: "${field}" is not valid; expected ${expected} but found "${shown}" (FieldFormatEntityPolicy).`,
      range: doc.locate(path, target),
      data: { path },
    });
  };
  check('metadata.name', ['metadata', 'name'], meta.name, (v) => validators.isValidEntityName(v), NAME);
  check('metadata.namespace', ['metadata', 'namespace'], meta.namespace, (v) => validators.isValidNamespace(v), NAMESPACE);
  if (isObject(meta.labels)) {
    for (const [k, value] of Object.entries(meta.labels)) {
      check(`labels.${k}`, ['metadata', 'labels', k], k, (v) => validators.isValidLabelKey(v), PREFIX_SUFFIX, 'key');
      check(`labels.${k}`, ['metadata', 'labels', k], value, (v) => validators.isValidLabelValue(v), NAME);
    }
  }
  if (isObject(meta.annotations)) {
    for (const k of Object.keys(meta.annotations)) check(`annotations.${k}`, ['metadata', 'annotations', k], k, (v) => validators.isValidAnnotationKey(v), PREFIX_SUFFIX, 'key');
  }
  if (Array.isArray(meta.tags)) meta.tags.forEach((t, i) => check(`tags.${i}`, ['metadata', 'tags', i], t, (v) => validators.isValidTag(v), TAG));
  if (Array.isArray(meta.links)) {
    meta.links.forEach((l, i) => {
      if (isObject(l)) check(`links.${i}.url`, ['metadata', 'links', i, 'url'], l.url, (v) => CommonValidatorFunctions.isValidUrl(v), URL);
    });
  }
  return findings;
}
