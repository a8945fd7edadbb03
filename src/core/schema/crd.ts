/**
 * CustomResourceDefinitions as schemas: a CRD's `openAPIV3Schema` turned into a
 * draft-07 JSON Schema that validates custom resources as the API server does
 * with strict field validation (unknown fields are errors unless the schema
 * preserves them; int-or-string, nullable handled; `x-kubernetes-*` stripped).
 */
import { parseSlice, splitDocuments } from '../manifest';
import type { CrdVersion } from './registry';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** OpenAPI v3 (structural schema) → JSON Schema draft-07, strict like `kubectl --validate=strict`. */
export function structuralToJsonSchema(input: unknown, depth = 0): Json {
  if (!isObject(input) || depth > 64) return {};
  const out: Json = {};
  for (const [key, value] of Object.entries(input)) {
    if (key.startsWith('x-') || key === 'format' || key === 'nullable' || key === 'example' || key === 'externalDocs') continue;
    switch (key) {
      case 'properties':
        if (isObject(value)) out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, structuralToJsonSchema(v, depth + 1)]));
        break;
      case 'items':
        out.items = Array.isArray(value) ? value.map((v) => structuralToJsonSchema(v, depth + 1)) : structuralToJsonSchema(value, depth + 1);
        break;
      case 'additionalProperties':
        out.additionalProperties = typeof value === 'boolean' ? value : structuralToJsonSchema(value, depth + 1);
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        if (Array.isArray(value)) out[key] = value.map((v) => structuralToJsonSchema(v, depth + 1));
        break;
      case 'not':
        out.not = structuralToJsonSchema(value, depth + 1);
        break;
      default:
        out[key] = value;
    }
  }
  if (input['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (input.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  const preserve = input['x-kubernetes-preserve-unknown-fields'] === true;
  if (out.properties && out.additionalProperties === undefined && !preserve) out.additionalProperties = false;
  if (preserve && out.additionalProperties === false) delete out.additionalProperties;
  return out;
}

const METADATA: Json = {
  type: 'object',
  description: 'Standard object metadata: name, namespace, labels, annotations.',
  properties: {
    name: { type: 'string', description: 'Name of the object, unique within its namespace.' },
    generateName: { type: 'string' },
    namespace: { type: 'string', description: 'Namespace of the object.' },
    labels: { type: 'object', additionalProperties: { type: 'string' }, description: 'Labels: string keys and values, for selection.' },
    annotations: { type: 'object', additionalProperties: { type: 'string' }, description: 'Annotations: string keys and values, for tools.' },
    finalizers: { type: 'array', items: { type: 'string' } },
    ownerReferences: { type: 'array', items: { type: 'object' } },
  },
  additionalProperties: false,
};

/** The schemas (one per served version) a CRD document declares; empty when it is not a usable CRD. */
export function crdVersions(value: unknown, source: string): CrdVersion[] {
  if (!isObject(value) || value.kind !== 'CustomResourceDefinition' || typeof value.apiVersion !== 'string' || !value.apiVersion.startsWith('apiextensions.k8s.io/')) return [];
  const spec = value.spec;
  if (!isObject(spec) || typeof spec.group !== 'string' || !isObject(spec.names) || typeof spec.names.kind !== 'string') return [];
  const { group } = spec;
  const kind = spec.names.kind;
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  const out: CrdVersion[] = [];
  for (const v of versions) {
    if (!isObject(v) || typeof v.name !== 'string') continue;
    const raw = isObject(v.schema) ? v.schema.openAPIV3Schema : undefined;
    if (!isObject(raw)) continue;
    const schema = structuralToJsonSchema(raw);
    const props = (isObject(schema.properties) ? schema.properties : {});
    props.apiVersion = { const: `${group}/${v.name}`, description: `${group}/${v.name}` };
    props.kind = { const: kind, description: kind };
    props.metadata = METADATA;
    delete props.status; // written by controllers, not by people
    schema.properties = props;
    schema.type = 'object';
    schema.required = [...new Set([...(Array.isArray(schema.required) ? (schema.required as string[]) : []).filter((r) => r !== 'status'), 'apiVersion', 'kind'])];
    if (schema.additionalProperties === undefined) schema.additionalProperties = false;
    out.push({ group, version: v.name, kind, schema: { $schema: 'http://json-schema.org/draft-07/schema#', title: `${kind} (${group}/${v.name})`, ...schema }, source });
  }
  return out;
}

/** The CRD versions declared in a file's text (cheap when the text names no CustomResourceDefinition). */
export function crdsInText(text: string, source: string): CrdVersion[] {
  if (!text.includes('CustomResourceDefinition')) return [];
  return splitDocuments(text)
    .filter((slice) => slice.text.includes('CustomResourceDefinition'))
    .flatMap((slice) => {
      const doc = parseSlice(slice);
      return doc.ok ? crdVersions(doc.value, source) : [];
    });
}
