/**
 * How a Kubernetes object is named wherever Paved Road names it (Outline
 * symbols, policy messages, the Policies view): `metadata.name`, else its
 * `metadata.generateName` prefix as written (`web-`: the API server appends a
 * random suffix). A name never ends in a dash (RFC 1123), so `Pod/web-` reads
 * as a prefix.
 */
function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object's name, or its generateName prefix; undefined when it has neither. */
export function objectName(value: unknown): string | undefined {
  const meta = isObject(value) && isObject(value.metadata) ? value.metadata : undefined;
  if (!meta) return undefined;
  if (typeof meta.name === 'string' && meta.name !== '') return meta.name;
  if (typeof meta.generateName === 'string' && meta.generateName !== '') return meta.generateName;
  return undefined;
}

/** `Kind/name` (`Deployment/web`, `Pod/web-` for a generateName), `Kind` without a name. */
export function objectLabel(value: unknown): string | undefined {
  const kind = isObject(value) && typeof value.kind === 'string' ? value.kind : undefined;
  if (!kind) return undefined;
  const name = objectName(value);
  return name ? `${kind}/${name}` : kind;
}
