// The floor: the least work any validator of these files must do — a plain value
// parse without positions plus precompiled ajv validators (one per schema, compiled
// in setup, before anything is timed). No positions, no messages: a document is
// "invalid" when its validator returns false. Paved Road's target is ≤ 1.5× this.
//
// Parser: the fastest plain YAML 1.2 value parser found on npm for this corpus (see
// README: js-yaml 4 `loadAll`, ahead of js-yaml 5, confbox, yamljs and yaml). It is
// used as `js-yaml-v4` (an npm alias) when installed, else the project's js-yaml.
// BENCH_FLOOR_PARSER=<name from PARSERS> picks another one.
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { documentKey, schemaOf } from '../lib/schemas.mjs';

const require = createRequire(import.meta.url);

/** name → () => loadAll(text) returning the documents' plain values; undefined when not installed. */
export const PARSERS = {
  'js-yaml@4 loadAll': () => {
    const m = tryRequire('js-yaml-v4');
    return m && { version: m.version ?? pkgVersion('js-yaml-v4'), loadAll: (t) => m.loadAll(t) };
  },
  'js-yaml loadAll': () => {
    const m = tryRequire('js-yaml');
    return m && { version: pkgVersion('js-yaml'), loadAll: (t) => m.loadAll(t) };
  },
  'yaml parseAllDocuments+toJS': () => {
    const m = tryRequire('yaml');
    return m && { version: pkgVersion('yaml'), loadAll: (t) => m.parseAllDocuments(t).map((d) => d.toJS()) };
  },
};

function tryRequire(name) {
  try {
    return require(name);
  } catch {
    return undefined;
  }
}

function pkgVersion(name) {
  try {
    return require(`${name}/package.json`).version;
  } catch {
    return '?';
  }
}

export function pickParser(name = process.env.BENCH_FLOOR_PARSER) {
  const names = name ? [name] : Object.keys(PARSERS);
  for (const n of names) {
    const p = PARSERS[n]?.();
    if (p) return { name: n, ...p };
  }
  throw new Error(`no YAML parser available for the floor (${names.join(', ')})`);
}

export const id = 'floor';
export const label = 'floor (parse + ajv)';

export async function setup({ registry }) {
  const parser = pickParser();
  // allErrors: every violation, as an editor shows them (the cost on valid documents is the same);
  // formats are not checked (the schemas' int32/int-or-string/… are annotations, not checks).
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validators = new Map();
  for (const entry of registry.entries) validators.set(entry.key, ajv.compile(schemaOf(entry)));
  return { parser, validators, note: `${parser.name} (${parser.version}) + ajv ${pkgVersion('ajv')} (${validators.size} validators, precompiled)` };
}

/** One pass over a set; returns findings at document granularity (no lines). */
export async function validateSet(state, { files }) {
  const { parser, validators } = state;
  const findings = [];
  let documents = 0;
  let unmatched = 0;
  for (const f of files) {
    let docs;
    try {
      docs = parser.loadAll(f.text);
    } catch (err) {
      findings.push({ file: f.path, documentIndex: 0, line: null, message: `YAML: ${err.message}` });
      continue;
    }
    for (let i = 0; i < docs.length; i++) {
      documents++;
      const key = documentKey(docs[i]);
      const validate = key === undefined ? undefined : validators.get(key);
      if (!validate) {
        unmatched++;
        continue;
      }
      if (!validate(docs[i])) {
        const e = validate.errors[0];
        findings.push({ file: f.path, documentIndex: i, line: null, message: `${e.instancePath || '/'} ${e.message}` });
      }
    }
  }
  return { findings, documents, notes: unmatched ? [`${unmatched} document(s) matched no schema`] : [] };
}
