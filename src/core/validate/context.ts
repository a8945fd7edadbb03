/**
 * Building a validation context: the team's schema associations (from every
 * `.paved-road.yaml`, nearest first, then the editor setting), CRDs found among
 * the files, and the limits. The editor and the CLI build theirs with these.
 */
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import type { PavedRoadConfig } from '../config';
import type { AssociationRule } from '../schema/associate';
import { crdVersions, crdsInText } from '../schema/crd';
import type { CrdVersion } from '../schema/registry';
import type { RemoteSchemaCache } from '../schema/remote';
import { CONTAINMENT_REASONS, containedPath, repositoryRoot } from '../files/contain';
import { displayText } from '../util/text';
import { describeFsError } from '../files/paths';
import { MAX_SCHEMA_FILE_BYTES, readTextFileSync } from '../files/regular';

export interface ConfigLocation {
  /** Absolute path of the `.paved-road.yaml`. */
  path: string;
  config: PavedRoadConfig;
}

/** Association rules of configs, the deepest (nearest to a file) first. */
export function rulesFromConfigs(configs: readonly ConfigLocation[]): AssociationRule[] {
  const depth = (p: string) => p.split(sep).length;
  return [...configs]
    .sort((a, b) => depth(b.path) - depth(a.path) || a.path.localeCompare(b.path))
    .flatMap(({ path, config }) =>
      (config.schemas ?? []).map((entry) => ({
        files: Array.isArray(entry.files) ? entry.files : [entry.files],
        baseDir: dirname(path),
        schema: entry.schema,
        source: 'config' as const,
        origin: path,
      })),
    );
}

/**
 * Rules from the `pavedRoad.schemas` setting, in Red Hat YAML's `yaml.schemas` shape:
 * `{ "<schema path or https URL>": "<glob>" | ["<glob>", …] }`, globs and relative paths from `root`.
 */
export function rulesFromSetting(setting: Record<string, string | string[]> | undefined, root: string): AssociationRule[] {
  if (!setting) return [];
  return Object.entries(setting).map(([schema, globs]) => ({
    files: (Array.isArray(globs) ? globs : [globs]).map((g) => g.replace(/^\.\//, '')),
    baseDir: root,
    schema: /^https?:\/\//i.test(schema) || isAbsolute(schema) ? schema : resolve(root, schema),
    source: 'setting' as const,
    origin: 'the pavedRoad.schemas setting',
  }));
}

/** CRDs named in configs (`crds:`): local paths relative to the config, or https URLs from the remote cache. */
export function crdsFromConfigs(
  configs: readonly ConfigLocation[],
  options: {
    remote?: RemoteSchemaCache;
    workspaceSchemas?: boolean;
    /** Why remote CRDs are not fetched, when `remote` is absent. */
    remoteDenied?: string;
    /** The folder a config belongs to when it is in no git repository (paths must stay inside). */
    rootOf?: (configPath: string) => string | undefined;
  },
): { crds: CrdVersion[]; problems: string[] } {
  const crds: CrdVersion[] = [];
  const problems: string[] = [];
  if (options.workspaceSchemas === false) return { crds, problems };
  for (const { path, config } of configs) {
    for (const ref of config.crds ?? []) {
      if (/^https?:\/\//i.test(ref)) {
        const got = options.remote?.get(ref);
        if (!got) problems.push(`${displayText(ref, 200)} (${path}): not fetched: ${options.remoteDenied ?? 'remote CRDs are not fetched here'}`);
        else if (got.status === 'ok') for (const d of got.documents) crds.push(...crdVersions(d, ref));
        else if (got.status === 'failed') problems.push(`${ref} (${path}): ${got.error}`);
        continue;
      }
      // a path the repository names is read only from inside it (links resolved)
      const contained = containedPath(repositoryRoot(path, options.rootOf?.(path)), dirname(path), ref, `the CRD path ${displayText(ref, 200)}`);
      if (!contained.ok) {
        problems.push(`${displayText(ref, 200)} (${path}) ${contained.why === 'missing' ? 'cannot be read (it does not exist)' : `${CONTAINMENT_REASONS[contained.why]}; it is not read`}`);
        continue;
      }
      const file = isAbsolute(ref) ? ref : resolve(dirname(path), ref);
      let text: string;
      try {
        text = readTextFileSync(file, MAX_SCHEMA_FILE_BYTES);
      } catch (err) {
        problems.push(`${ref} (${path}): cannot be read (${describeFsError(err)})`);
        continue;
      }
      const found = crdsInText(text, file);
      if (!found.length) problems.push(`${ref} (${path}): holds no CustomResourceDefinition with an openAPIV3Schema`);
      crds.push(...found);
    }
  }
  return { crds, problems };
}
