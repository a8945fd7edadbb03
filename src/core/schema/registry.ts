/**
 * Where schemas come from: the bundled indexes (Kubernetes built-in kinds and
 * common CRDs, Backstage entities, the formats Paved Road writes itself),
 * CustomResourceDefinitions found in the workspace, and schema files or URLs
 * a team names. Every schema has a stable id for the validator's cache and
 * loads on first use (synchronously: all of them are local files or a cache).
 */
import { readFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseJsonQuietly, parseYamlQuietly } from '../util/parse';
import { MAX_SCHEMA_FILE_BYTES, readTextFileSync } from '../files/regular';

export type SchemaOrigin = 'kubernetes' | 'backstage' | 'project' | 'crd' | 'file' | 'remote';

export interface SchemaInfo {
  /** Stable id: the validator caches compiled schemas by it. */
  id: string;
  /** What the schema describes, for messages and hovers ("Kubernetes 1.36 apps/v1 Deployment"). */
  title: string;
  origin: SchemaOrigin;
  /** Reference documentation of the kind, for hovers. */
  docs?: string;
  load(): object;
}

interface KindIndex {
  kinds: Record<string, { apiVersion: string; kind: string; file: string; docs?: string; source?: string }>;
  kubernetesVersion?: string;
  /** Built-in kinds of API versions Kubernetes no longer serves. */
  removed?: Record<string, RemovedKind>;
}

/** A built-in kind under an API version Kubernetes stopped serving. */
export interface RemovedKind {
  apiVersion: string;
  kind: string;
  /** The release that stopped serving it. */
  removedIn: string;
  /** The API versions that serve the kind now. */
  use: string[];
}

/** What the group of an apiVersion is to Paved Road. */
export type GroupOrigin =
  /** a group of the Kubernetes API itself (core, apps, batch, *.k8s.io, …) */
  | 'kubernetes'
  /** the group of a bundled CRD, of a workspace CRD, or Backstage's */
  | 'known'
  /** a group nothing here knows: a custom resource */
  | 'custom';

/** The group of an apiVersion: '' for the core group (`v1`). */
export function apiGroup(apiVersion: string): string {
  const at = apiVersion.lastIndexOf('/');
  return at < 0 ? '' : apiVersion.slice(0, at);
}

/** A content rule of the project schemas: which documents a schema is for. */
export interface ContentRule {
  /** Top-level field values that must all match (e.g. `{ apiVersion: 'openslo/v1' }` or `{ version: 'prometheus/v1' }`). */
  match: Record<string, string | string[]>;
}

export interface ProjectSchemaEntry {
  name: string;
  file: string;
  title?: string;
  docs?: string;
  /** Globs on the path (relative to the workspace or the CLI's working directory) — e.g. `**\/.github/workflows/*.{yml,yaml}`. */
  fileMatch?: string[];
  content?: ContentRule[];
}

export interface CrdVersion {
  group: string;
  version: string;
  kind: string;
  schema: object;
  /** Where the CRD was found, for hovers and messages. */
  source: string;
}

/** Finds the shipped `schemas/` folder from a bundle in dist/ or from the sources (tests). */
export function defaultSchemasDir(from: string = __dirname): string {
  for (const candidate of [join(from, '..', 'schemas'), join(from, '..', '..', 'schemas'), join(from, '..', '..', '..', 'schemas')]) {
    if (existsSync(join(candidate, 'paved-road-config.schema.json'))) return candidate;
  }
  return join(from, '..', 'schemas');
}

export function readJson(path: string): object {
  return JSON.parse(readFileSync(path, 'utf8')) as object;
}

/**
 * A schema file a team names: JSON or YAML, a regular file of at most `MAX_SCHEMA_FILE_BYTES` (16 MB).
 * A parse error says where, never what the file holds.
 */
export function readSchemaFile(path: string): object {
  const text = readTextFileSync(path, MAX_SCHEMA_FILE_BYTES);
  if (/\.ya?ml$/i.test(path)) return parseYamlQuietly(text) as object;
  return parseJsonQuietly(text) as object;
}

export class SchemaRegistry {
  private kubernetes: KindIndex | undefined;
  private backstage: KindIndex | undefined;
  private projectIndex: ProjectSchemaEntry[] | undefined;
  private annotationDocs: Record<string, { description: string; docs?: string }> | undefined;
  private readonly crds = new Map<string, CrdVersion>();
  private readonly cache = new Map<string, SchemaInfo>();
  private groups: Map<string, GroupOrigin> | undefined;

  constructor(readonly schemasDir: string = defaultSchemasDir()) {}

  private index(name: 'kubernetes' | 'backstage'): KindIndex {
    const load = () => {
      const path = join(this.schemasDir, name, 'index.json');
      return existsSync(path) ? (readJson(path) as KindIndex) : { kinds: {} };
    };
    if (name === 'kubernetes') return (this.kubernetes ??= load());
    return (this.backstage ??= load());
  }

  get kubernetesVersion(): string | undefined {
    return this.index('kubernetes').kubernetesVersion;
  }

  projectSchemas(): ProjectSchemaEntry[] {
    if (!this.projectIndex) {
      const path = join(this.schemasDir, 'project', 'index.json');
      const raw = existsSync(path) ? (readJson(path) as { schemas?: ProjectSchemaEntry[] }) : {};
      this.projectIndex = raw.schemas ?? [];
    }
    return this.projectIndex;
  }

  annotations(): Record<string, { description: string; docs?: string }> {
    if (!this.annotationDocs) {
      const path = join(this.schemasDir, 'backstage', 'annotations.json');
      this.annotationDocs = existsSync(path) ? ((readJson(path) as { annotations?: Record<string, { description: string; docs?: string }> }).annotations ?? {}) : {};
    }
    return this.annotationDocs;
  }

  private memo(id: string, make: () => Omit<SchemaInfo, 'id' | 'load'> & { path?: string; schema?: object }): SchemaInfo {
    let info = this.cache.get(id);
    if (!info) {
      const made = make();
      let loaded: object | undefined = made.schema;
      const path = made.path;
      info = {
        id,
        title: made.title,
        origin: made.origin,
        ...(made.docs ? { docs: made.docs } : {}),
        load: () => (loaded ??= path ? readSchemaFile(path) : {}),
      };
      this.cache.set(id, info);
    }
    return info;
  }

  /** The schema of a Kubernetes or Backstage kind, bundled or from a workspace CRD. */
  forKind(apiVersion: string, kind: string): SchemaInfo | undefined {
    const key = `${apiVersion}/${kind}`;
    const crd = this.crds.get(key);
    if (crd) {
      return this.memo(`crd:${key}:${crd.source}`, () => ({ title: `${kind} (${apiVersion}) from the CustomResourceDefinition in ${crd.source}`, origin: 'crd', schema: crd.schema }));
    }
    for (const name of ['backstage', 'kubernetes'] as const) {
      const entry = this.index(name).kinds[key];
      if (entry) {
        const version = name === 'kubernetes' ? ` ${this.kubernetesVersion ?? ''}`.trimEnd() : '';
        return this.memo(`builtin:${name}/${key}`, () => ({
          title: `${name === 'kubernetes' ? `Kubernetes${version}` : 'Backstage'} ${apiVersion} ${kind}`,
          origin: name,
          ...(entry.docs ? { docs: entry.docs } : {}),
          path: join(this.schemasDir, name, entry.file),
        }));
      }
    }
    return undefined;
  }

  /** A built-in kind of an API version Kubernetes no longer serves (`apps/v1beta1` `Deployment`). */
  removedKind(apiVersion: string, kind: string): RemovedKind | undefined {
    return this.index('kubernetes').removed?.[`${apiVersion}/${kind}`];
  }

  /** Whether a group belongs to the Kubernetes API, to a schema Paved Road knows (CRDs, Backstage), or to neither. */
  groupOrigin(group: string): GroupOrigin {
    let groups = this.groups;
    if (!groups) {
      groups = new Map();
      const k8s = this.index('kubernetes');
      const builtinDir = k8s.kubernetesVersion ? `v${k8s.kubernetesVersion}` : undefined;
      for (const e of Object.values(k8s.removed ?? {})) groups.set(apiGroup(e.apiVersion), 'kubernetes');
      for (const e of Object.values(k8s.kinds)) if (e.source === builtinDir) groups.set(apiGroup(e.apiVersion), 'kubernetes');
      const others = [...Object.values(k8s.kinds), ...Object.values(this.index('backstage').kinds)];
      for (const e of others) if (!groups.has(apiGroup(e.apiVersion))) groups.set(apiGroup(e.apiVersion), 'known');
      this.groups = groups;
    }
    const found = groups.get(group);
    if (found) return found;
    for (const c of this.crds.values()) if (c.group === group) return 'known';
    return 'custom';
  }

  /** Kinds known for an apiVersion, and apiVersions known for a kind (for "did you mean"). */
  knownKinds(): { apiVersion: string; kind: string }[] {
    const out = [...this.crds.values()].map((c) => ({ apiVersion: `${c.group}/${c.version}`, kind: c.kind }));
    for (const name of ['backstage', 'kubernetes'] as const) for (const e of Object.values(this.index(name).kinds)) out.push({ apiVersion: e.apiVersion, kind: e.kind });
    return out;
  }

  /** A project schema by its `name` in schemas/project/index.json. */
  project(name: string): SchemaInfo | undefined {
    const entry = this.projectSchemas().find((e) => e.name === name);
    if (!entry) return undefined;
    return this.memo(`builtin:project/${entry.name}`, () => ({
      title: entry.title ?? entry.name,
      origin: 'project',
      ...(entry.docs ? { docs: entry.docs } : {}),
      path: join(this.schemasDir, 'project', entry.file),
    }));
  }

  /** A schema file named by a team (absolute path). */
  fromFile(path: string): SchemaInfo {
    return this.memo(`file:${path}`, () => ({ title: path, origin: 'file', path }));
  }

  /** A schema already in memory (a remote schema from the cache). */
  fromObject(id: string, title: string, schema: object, origin: SchemaOrigin = 'remote'): SchemaInfo {
    return this.memo(id, () => ({ title, origin, schema }));
  }

  /** The CRDs known from the workspace and the configs. */
  setCrds(crds: readonly CrdVersion[]): void {
    // a registry is built for one context (with its own validator): filled once, never updated in place
    this.crds.clear();
    for (const c of crds) this.crds.set(`${c.group}/${c.version}/${c.kind}`, c);
  }
}
