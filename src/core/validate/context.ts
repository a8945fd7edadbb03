/**
 * Building a validation context: the team's schema associations (from every
 * `.paved-road.yaml`, nearest first, then the editor setting), CRDs found among
 * the files, and the limits. The editor and the CLI build theirs with these.
 */
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import type { ConfigResult, PavedRoadConfig } from '../config';
import type { Finding, PathSegment } from '../findings';
import type { AssociationRule } from '../schema/associate';
import { crdVersions, crdsInText } from '../schema/crd';
import type { CrdVersion } from '../schema/registry';
import type { RemoteSchemaCache } from '../schema/remote';
import { CONTAINMENT_REASONS, containedPath, repositoryRoot } from '../files/contain';
import { describeFsError } from '../files/paths';
import { MAX_SCHEMA_FILE_BYTES, readTextFileSync } from '../files/regular';
import { displayText, shownPath } from '../util/text';

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
    /** The workspace folder or working directory: messages name configs relative to it. */
    root?: string;
  },
): { crds: CrdVersion[]; problems: string[] } {
  const crds: CrdVersion[] = [];
  const problems: string[] = [];
  if (options.workspaceSchemas === false) return { crds, problems };
  for (const { path: configPath, config } of configs) {
    // messages name the config relative to the workspace (no absolute path of the user's machine)
    const path = shownPath(configPath, options.root);
    for (const ref of config.crds ?? []) {
      if (/^https?:\/\//i.test(ref)) {
        const got = options.remote?.get(ref);
        if (!got) problems.push(`${displayText(ref, 200)} (${path}): not fetched: ${options.remoteDenied ?? 'remote CRDs are not fetched here'}`);
        else if (got.status === 'ok') for (const d of got.documents) crds.push(...crdVersions(d, ref));
        else if (got.status === 'failed') problems.push(`${ref} (${path}): ${got.error}`);
        continue;
      }
      // a path the repository names is read only from inside it (links resolved)
      const contained = containedPath(repositoryRoot(configPath, options.rootOf?.(configPath)), dirname(configPath), ref, `the CRD path ${displayText(ref, 200)}`);
      if (!contained.ok) {
        problems.push(`${displayText(ref, 200)} (${path}) ${contained.why === 'missing' ? 'cannot be read (it does not exist)' : `${CONTAINMENT_REASONS[contained.why]}; it is not read`}`);
        continue;
      }
      const file = isAbsolute(ref) ? ref : resolve(dirname(configPath), ref);
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

/**
 * In an untrusted workspace, what a config names but Paved Road does not read:
 * its schema files and URLs, and its CRDs. One information finding on each
 * entry it concerns (not on every document the entry would validate).
 */
export function untrustedConfigNotes(result: ConfigResult): Finding[] {
  const { config } = result;
  const doc = result.parsed.documents[0];
  if (!config || !doc) return [];
  const notes: Finding[] = [];
  const note = (path: PathSegment[], message: string) => notes.push({ ruleId: 'schema/unavailable', severity: 'info', message, range: doc.locate(path, 'value') });
  (config.schemas ?? []).forEach((entry, i) => {
    note(
      ['schemas', i, 'schema'],
      /^https?:\/\//i.test(entry.schema)
        ? 'Not fetched: this workspace is not trusted (schemas from URLs are read in trusted workspaces only); the files it names are not validated against it.'
        : 'Not used: this workspace is not trusted (schema files from the workspace are compiled in trusted workspaces only); the files it names are not validated against it.',
    );
  });
  (config.crds ?? []).forEach((_ref, i) => {
    note(['crds', i], 'Not read: this workspace is not trusted (CRDs named here are read in trusted workspaces only).');
  });
  return notes;
}
