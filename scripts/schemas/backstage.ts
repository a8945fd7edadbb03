/**
 * Backstage catalog entity schemas from `@backstage/catalog-model` (and the Template kind from
 * `@backstage/plugin-scaffolder-common`): each kind's own JSON Schema combined with the
 * `Entity`, `EntityMeta` and `common` schemas it refers to by `$id`, into one self-contained
 * draft-07 file per kind with local `#/definitions/…` references. The schemas' semantics are
 * kept as they are (e.g. extra metadata fields stay allowed).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { WELL_KNOWN_ANNOTATIONS } from './backstage-annotations';
import { renderJson } from './json';
import type { Schema } from './json';

const CATALOG_MODEL = '@backstage/catalog-model';
const SCAFFOLDER_COMMON = '@backstage/plugin-scaffolder-common';

const DESCRIPTOR_DOCS = 'https://backstage.io/docs/features/software-catalog/descriptor-format';

interface BackstageKind {
  kind: string;
  /** Schema file inside the package (the packages do not export these paths, so they are read from disk). */
  file: string;
  package: string;
  apiVersions: string[];
  docs: string;
  /** Schemas for a `spec.type` with its own shape, chosen with if/then/else like the catalog does. */
  specTypes?: Array<{ type: string; file: string }>;
  outFile: string;
}

const CORE_VERSIONS = ['backstage.io/v1alpha1', 'backstage.io/v1beta1'];

function core(kind: string, extra: Partial<BackstageKind> = {}): BackstageKind {
  return {
    kind,
    file: `dist/schema/kinds/${kind}.v1alpha1.schema.json.cjs.js`,
    package: CATALOG_MODEL,
    apiVersions: CORE_VERSIONS,
    docs: `${DESCRIPTOR_DOCS}#kind-${kind.toLowerCase()}`,
    outFile: `${kind}.v1alpha1.json`,
    ...extra,
  };
}

export const BACKSTAGE_KINDS: BackstageKind[] = [
  core('Component'),
  core('API', { specTypes: [{ type: 'mcp-server', file: 'dist/schema/kinds/API.v1alpha1.mcp-server.schema.json.cjs.js' }] }),
  core('Resource'),
  core('System'),
  core('Domain'),
  core('Group'),
  core('User'),
  core('Location'),
  {
    kind: 'Template',
    file: 'dist/Template.v1beta3.schema.json.cjs.js',
    package: SCAFFOLDER_COMMON,
    apiVersions: ['scaffolder.backstage.io/v1beta3'],
    docs: 'https://backstage.io/docs/features/software-templates/writing-templates',
    outFile: 'Template.v1beta3.json',
  },
];

/** Shared schemas, by `$id`, that kind schemas refer to. */
const SHARED = {
  Entity: 'dist/schema/Entity.schema.json.cjs.js',
  EntityMeta: 'dist/schema/EntityMeta.schema.json.cjs.js',
  common: 'dist/schema/shared/common.schema.json.cjs.js',
};

export function buildBackstage(nodeModules: string): Map<string, string> {
  const load = (pkg: string, file: string): Schema => {
    const req = createRequire(join(nodeModules, pkg, 'package.json'));
    const mod = req(join(nodeModules, pkg, file)) as { default?: Schema };
    return structuredClone(mod.default ?? (mod as Schema));
  };
  const version = (pkg: string): string => (JSON.parse(readFileSync(join(nodeModules, pkg, 'package.json'), 'utf8')) as { version: string }).version;

  // every shared schema becomes a definition; `common`'s own definitions are flattened as `common.<name>`
  const shared: Record<string, Schema> = {};
  for (const [id, file] of Object.entries(SHARED)) {
    const schema = load(CATALOG_MODEL, file);
    if (id === 'common') {
      for (const [name, def] of Object.entries((schema.definitions ?? {}) as Record<string, Schema>)) shared[`common.${name}`] = rewriteRefs(def, 'common');
    } else shared[id] = rewriteRefs(schema, id);
  }

  const files = new Map<string, string>();
  const kinds: Schema = {};
  for (const spec of BACKSTAGE_KINDS) {
    const base = rewriteRefs(load(spec.package, spec.file), spec.kind);
    let root: Schema = base;
    for (const variant of spec.specTypes ?? []) {
      const schema = rewriteRefs(load(spec.package, variant.file), spec.kind);
      const { description, examples, allOf: thenAllOf, ...rest } = schema;
      const { description: baseDescription, examples: baseExamples, allOf: elseAllOf, ...baseRest } = root;
      if (Object.keys(rest).length || Object.keys(baseRest).length) throw new Error(`${spec.kind}: unexpected keywords next to allOf`);
      root = {
        description: baseDescription,
        examples: [...((baseExamples as unknown[]) ?? []), ...((examples as unknown[]) ?? [])],
        if: {
          type: 'object',
          required: ['spec'],
          properties: { spec: { type: 'object', required: ['type'], properties: { type: { const: variant.type } } } },
        },
        then: { description, allOf: thenAllOf },
        else: { allOf: elseAllOf },
      };
    }
    const definitions: Schema = {};
    const queue = collectRefs(root);
    while (queue.length) {
      const name = queue.shift() as string;
      if (name in definitions) continue;
      const def = shared[name];
      if (!def) throw new Error(`${spec.kind}: unresolved reference ${name}`);
      definitions[name] = def;
      queue.push(...collectRefs(def));
    }
    const pkgVersion = `${spec.package}@${version(spec.package)}`;
    const schema: Schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: `${spec.kind} (${spec.apiVersions.join(', ')})`,
      ...root,
      description: `${typeof root.description === 'string' ? root.description : spec.kind}\n\nSchema from ${pkgVersion}. Reference: ${spec.docs}`,
      definitions,
    };
    files.set(`backstage/${spec.outFile}`, renderJson(schema));
    for (const apiVersion of spec.apiVersions) {
      kinds[`${apiVersion}/${spec.kind}`] = { apiVersion, kind: spec.kind, file: spec.outFile, docs: spec.docs, source: pkgVersion };
    }
  }
  files.set(
    'backstage/index.json',
    renderJson({
      description: 'Bundled Backstage entity schemas: "<apiVersion>/<kind>" → schema file (relative to this folder). Generated by scripts/schemas/build.ts; do not edit.',
      sources: [CATALOG_MODEL, SCAFFOLDER_COMMON].map((p) => `${p}@${version(p)}`),
      kinds,
      annotations: 'annotations.json',
    }),
  );
  files.set('backstage/annotations.json', renderJson(annotationsFile(nodeModules, version(CATALOG_MODEL))));
  return files;
}

/** Rewrites `$ref`s by `$id` ("Entity", "common#relation", "#status" inside common) to local definitions and drops `$id`/`$schema`. */
function rewriteRefs(schema: Schema, owner: string): Schema {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map((n) => walk(n));
    if (!node || typeof node !== 'object') return node;
    const out: Schema = {};
    for (const [k, v] of Object.entries(node)) {
      // `$id`s would change the base URI of the local references: the file itself is the only resource
      if (k === '$schema' || k === '$id') continue;
      if (k === '$ref' && typeof v === 'string') {
        out[k] = `#/definitions/${refName(v, owner)}`;
        continue;
      }
      // `examples`, `default` and `const` hold data, not schemas
      out[k] = k === 'examples' || k === 'default' || k === 'const' || k === 'enum' ? v : walk(v);
    }
    return out;
  };
  return walk(schema) as Schema;
}

function refName(ref: string, owner: string): string {
  if (ref.startsWith('#/')) throw new Error(`${owner}: JSON-pointer reference ${ref} is not supported`);
  const [id, fragment] = ref.split('#') as [string, string | undefined];
  if (!id) return `${owner === 'common' ? 'common' : owner}.${fragment}`; // "#status" inside common
  return fragment ? `${id}.${fragment}` : id;
}

function collectRefs(node: unknown): string[] {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      for (const [k, v] of Object.entries(n)) {
        if (k === '$ref' && typeof v === 'string') out.push(v.replace('#/definitions/', ''));
        else if (k !== 'examples') walk(v);
      }
    }
  };
  walk(node);
  return out;
}

/** Well-known annotations for hovers: the package's own descriptions where it declares them, ours otherwise. */
function annotationsFile(nodeModules: string, catalogModelVersion: string): Schema {
  const declared = new Map<string, string>();
  const req = createRequire(join(nodeModules, CATALOG_MODEL, 'package.json'));
  const alpha = req(`${CATALOG_MODEL}/alpha`) as {
    compileCatalogModel: (layers: unknown[]) => { getMetadata(): { annotations: Array<{ name: string; description?: string }> } };
    defaultCatalogEntityModel: unknown;
  };
  for (const a of alpha.compileCatalogModel([alpha.defaultCatalogEntityModel]).getMetadata().annotations) {
    if (a.description) declared.set(a.name, a.description);
  }
  const annotations: Schema = {};
  for (const a of WELL_KNOWN_ANNOTATIONS) {
    const fromPackage = declared.get(a.name);
    annotations[a.name] = {
      description: fromPackage ?? a.description,
      docs: a.docs,
      ...(a.appliesTo ? { appliesTo: a.appliesTo } : {}),
      source: fromPackage ? `${CATALOG_MODEL}@${catalogModelVersion}` : 'paved-road',
    };
  }
  for (const [name, description] of declared) {
    if (!(name in annotations)) annotations[name] = { description, docs: 'https://backstage.io/docs/features/software-catalog/well-known-annotations', source: `${CATALOG_MODEL}@${catalogModelVersion}` };
  }
  return {
    description:
      'Well-known Backstage annotations (metadata.annotations keys) with a description and a documentation link, for hovers. Generated by scripts/schemas/build.ts; do not edit.',
    annotations,
  };
}
