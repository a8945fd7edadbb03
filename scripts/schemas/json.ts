/** Shared helpers for the schema build: the JSON Schema node type and a stable serialization. */

export type Schema = { [key: string]: unknown };

/** Schema keywords in the order a reader expects them; any other key follows, alphabetically. */
const KEY_ORDER = [
  '$schema',
  '$id',
  '$ref',
  'title',
  'description',
  'markdownDescription',
  'type',
  'const',
  'enum',
  'format',
  'pattern',
  'patternErrorMessage',
  'minLength',
  'maxLength',
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'required',
  'properties',
  'patternProperties',
  'additionalProperties',
  'propertyNames',
  'items',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'default',
  'examples',
  'definitions',
];
const RANK = new Map(KEY_ORDER.map((k, i) => [k, i]));

/** Keys whose value is a map of names (sorted alphabetically, not by keyword rank). */
const NAME_MAPS = new Set(['properties', 'patternProperties', 'definitions', 'kinds', 'sources', 'annotations']);

function compareKeys(a: string, b: string): number {
  const ra = RANK.get(a) ?? Infinity;
  const rb = RANK.get(b) ?? Infinity;
  if (ra !== rb) return ra - rb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A copy of `value` with object keys in a stable order, so regenerated files diff cleanly. */
export function canonical(value: unknown, nameMap = false): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).sort(nameMap ? (a, b) => (a < b ? -1 : a > b ? 1 : 0) : compareKeys);
  const out: Schema = {};
  for (const k of keys) {
    const v = (value as Schema)[k];
    if (v === undefined) continue;
    out[k] = canonical(v, !nameMap && NAME_MAPS.has(k));
  }
  return out;
}

/** The text written to disk: canonical key order, two-space indent, trailing newline. */
export function renderJson(value: unknown): string {
  return `${JSON.stringify(canonical(value), null, 2)}\n`;
}
