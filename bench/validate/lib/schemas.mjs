// Which JSON Schema validates which document, shared by every adapter so all
// tools are given the same schemas.
//
// Families and where their schemas come from:
//   kubernetes  schemas/kubernetes/index.json   "apiVersion/Kind" → file (e.g. "apps/v1/Deployment")
//   backstage   schemas/backstage/index.json    "backstage.io/v1alpha1/Kind" (or "Kind") → file
//   sloth       schemas/sloth/index.json        "prometheus/v1" → file   (matched on `version`),
//               else schemas/project/sloth-v1.json
//   score       schemas/score/index.json        "score.dev/v1b1" → file  (matched on `apiVersion`),
//               else schemas/project/score-v1b1.json
// A family whose real bundle (under schemas/) is missing, empty or lacks a kind the
// corpus needs falls back to the stand-ins under bench/validate/fixtures/schemas/
// (same layout), and the harness says so. BENCH_SCHEMAS=stand-in forces the stand-ins.
//
// index.json is read tolerantly: a flat object or one under `kinds` / `schemas` /
// `entries`; values are a path (relative to the index, to schemas/ or to the repo)
// or an object with `file` / `path`; keys starting with `$` are ignored.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const STAND_IN_ROOT = join(REPO, 'bench/validate/fixtures/schemas');
export const REAL_ROOT = join(REPO, 'schemas');
export const FAMILIES = ['kubernetes', 'backstage', 'sloth', 'score'];
/** Real single-file schemas used when a family has no index.json (relative to schemas/). */
const REAL_SINGLE_FILES = { sloth: ['prometheus/v1', 'project/sloth-v1.json'], score: ['score.dev/v1b1', 'project/score-v1b1.json'] };

/** Turns an index key into what a document must look like to use that schema. */
function matchFor(family, key, value) {
  const parts = key.split('/');
  const apiVersion = typeof value?.apiVersion === 'string' ? value.apiVersion : parts.slice(0, -1).join('/');
  const kind = typeof value?.kind === 'string' ? value.kind : parts[parts.length - 1];
  switch (family) {
    case 'kubernetes':
      return { apiVersion, kind };
    case 'backstage':
      // any backstage.io/* apiVersion: the kind schema itself says which versions it accepts
      return apiVersion.startsWith('backstage.io/') || parts.length === 1 ? { apiVersionPrefix: 'backstage.io/', kind } : { apiVersion, kind };
    case 'sloth':
      return { version: key };
    case 'score':
      return { apiVersion: key };
    default:
      throw new Error(`unknown schema family ${family}`);
  }
}

/** Stable key of a match (what the corpus manifest lists as needed). */
export function matchKey(m) {
  if (m.version !== undefined) return `version=${m.version}`;
  if (m.apiVersionPrefix !== undefined) return `${m.apiVersionPrefix}*/${m.kind}`;
  return m.kind !== undefined ? `${m.apiVersion}/${m.kind}` : m.apiVersion;
}

/** The match key a plain document value needs, or undefined (no family claims it). */
export function documentKey(doc) {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  if (doc.version === 'prometheus/v1') return 'version=prometheus/v1';
  if (typeof doc.apiVersion !== 'string') return undefined;
  if (doc.apiVersion.startsWith('score.dev/')) return doc.apiVersion;
  if (typeof doc.kind !== 'string') return undefined;
  if (doc.apiVersion.startsWith('backstage.io/')) return `backstage.io/*/${doc.kind}`;
  return `${doc.apiVersion}/${doc.kind}`;
}

function readIndex(root, family) {
  const indexFile = join(root, family, 'index.json');
  const single = REAL_SINGLE_FILES[family];
  if (!existsSync(indexFile) && root === REAL_ROOT && single && existsSync(join(root, single[1]))) {
    const match = matchFor(family, single[0]);
    return { indexFile: join(root, single[1]), entries: [{ family, key: matchKey(match), match, file: join(root, single[1]) }] };
  }
  if (!existsSync(indexFile)) return { indexFile, entries: [], problem: 'no index.json' };
  let index;
  try {
    index = JSON.parse(readFileSync(indexFile, 'utf8'));
  } catch (err) {
    return { indexFile, entries: [], problem: `index.json unreadable: ${err.message}` };
  }
  let map = index;
  for (const k of ['kinds', 'schemas', 'entries']) if (index && typeof index[k] === 'object') map = index[k];
  const pairs = Array.isArray(map)
    ? map.map((e) => [e.key ?? (e.kind ? `${e.apiVersion}/${e.kind}` : e.apiVersion ?? e.version), e])
    : Object.entries(map ?? {});
  const entries = [];
  const missing = [];
  for (const [key, value] of pairs) {
    if (typeof key !== 'string' || key.startsWith('$')) continue;
    const rel = typeof value === 'string' ? value : value?.file ?? value?.path;
    if (typeof rel !== 'string') continue;
    const candidates = isAbsolute(rel) ? [rel] : [join(root, family, rel), join(root, rel), join(REPO, rel)];
    const file = candidates.find((c) => existsSync(c));
    if (!file) {
      missing.push(rel);
      continue;
    }
    const match = matchFor(family, key, value);
    if (entries.some((e) => e.key === matchKey(match))) continue; // e.g. v1alpha1 and v1beta1 → one kind schema
    entries.push({ family, key: matchKey(match), match, file });
  }
  return { indexFile, entries, problem: missing.length ? `${missing.length} indexed file(s) missing, e.g. ${missing[0]}` : undefined };
}

/**
 * The schemas to use. `needed`: match keys the corpus uses (from its manifest); a real
 * family lacking one of them is not used. Returns { entries, families, byKey }.
 */
export function loadRegistry({ needed = [], forceStandIn = process.env.BENCH_SCHEMAS === 'stand-in' } = {}) {
  const families = {};
  const entries = [];
  for (const family of FAMILIES) {
    let chosen;
    let note;
    if (!forceStandIn) {
      const real = readIndex(REAL_ROOT, family);
      const keys = new Set(real.entries.map((e) => e.key));
      const lacking = needed.filter((k) => familyOfKey(k) === family && !keys.has(k));
      if (real.entries.length === 0) note = `real bundle not available (${real.problem})`;
      else if (lacking.length) note = `real bundle lacks ${lacking.join(', ')}`;
      else chosen = { source: 'real', root: REAL_ROOT, ...real };
      if (chosen && real.problem) note = real.problem;
    } else {
      note = 'BENCH_SCHEMAS=stand-in';
    }
    if (!chosen) chosen = { source: 'stand-in', root: STAND_IN_ROOT, ...readIndex(STAND_IN_ROOT, family) };
    families[family] = { source: chosen.source, index: chosen.indexFile, schemas: chosen.entries.length, note };
    entries.push(...chosen.entries);
  }
  const byKey = new Map(entries.map((e) => [e.key, e]));
  return { entries, families, byKey };
}

export function familyOfKey(key) {
  if (key.startsWith('version=')) return 'sloth';
  if (key.startsWith('score.dev/')) return 'score';
  if (key.startsWith('backstage.io/')) return 'backstage';
  return 'kubernetes';
}

/** Parsed schema of an entry (cached). */
export function schemaOf(entry) {
  if (!entry.schema) entry.schema = JSON.parse(readFileSync(entry.file, 'utf8'));
  return entry.schema;
}

export function describeRegistry(registry) {
  return FAMILIES.map((f) => {
    const x = registry.families[f];
    return `${f}: ${x.source} (${x.schemas} schemas${x.note ? `; ${x.note}` : ''})`;
  }).join('; ');
}
