// Small helpers on plain JSON values addressed by a path of keys and indexes.

export function getIn(value, path) {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[seg];
  }
  return v;
}

export function setIn(value, path, newValue) {
  const parent = getIn(value, path.slice(0, -1));
  parent[path[path.length - 1]] = newValue;
}

export function deleteIn(value, path) {
  const parent = getIn(value, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent)) parent.splice(key, 1);
  else delete parent[key];
}

/** Renames a key of the object at `path` in place, keeping its position among the keys. */
export function renameIn(value, path, to) {
  const parentPath = path.slice(0, -1);
  const parent = getIn(value, parentPath);
  const from = path[path.length - 1];
  const entries = Object.entries(parent).map(([k, v]) => [k === from ? to : k, v]);
  for (const k of Object.keys(parent)) delete parent[k];
  for (const [k, v] of entries) parent[k] = v;
}

/** Adds `key: newValue` to the object at `path`, right after `afterKey` when given (else at the end). */
export function insertIn(value, path, key, newValue, afterKey) {
  const obj = getIn(value, path);
  const entries = Object.entries(obj);
  const at = afterKey !== undefined ? entries.findIndex(([k]) => k === afterKey) + 1 : entries.length;
  entries.splice(at > 0 ? at : entries.length, 0, [key, newValue]);
  for (const k of Object.keys(obj)) delete obj[k];
  for (const [k, v] of entries) obj[k] = v;
}

/** `spec.template.spec.containers[0].image` */
export function formatPath(path) {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) s += s ? `.${seg}` : seg;
    else s += `[${JSON.stringify(seg)}]`;
  }
  return s || '(root)';
}

/** RFC 6901 JSON pointer. */
export function toPointer(path) {
  return path.map((seg) => `/${String(seg).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
