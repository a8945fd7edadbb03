/**
 * What the CLI (and the pre-commit hook) needs to validate like the editor:
 * the platform configs that apply to the files (each file's folder and its
 * parents, up to the repository root), the CRDs among the files, and the
 * remote schemas they name, fetched before validation starts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, parse as parsePath } from 'node:path';
import { CONFIG_FILE_NAMES } from '../config/files';
import { loadConfig } from '../config';
import { splitDocuments } from '../manifest';
import { crdsInText } from '../schema/crd';
import { modelineSchema } from '../schema/modeline';
import type { CrdVersion } from '../schema/registry';
import { SchemaRegistry } from '../schema/registry';
import { RemoteSchemaCache } from '../schema/remote';
import { SchemaValidator } from '../schema/validator';
import { crdsFromConfigs, rulesFromConfigs } from './context';
import type { ConfigLocation } from './context';
import type { ValidationContext } from '.';


/**
 * `.paved-road.yaml` files in the folders of `files` and their parents, up to
 * the repository root (a folder with `.git`), with the text each was read from:
 * the one in `texts` when the config is among them (the staged version in the
 * hook), else the file on disk.
 */
export function findConfigs(files: readonly string[], texts?: ReadonlyMap<string, string>): (ConfigLocation & { text: string })[] {
  const seenDirs = new Set<string>();
  const found = new Map<string, ConfigLocation & { text: string }>();
  for (const file of files) {
    let dir = dirname(file);
    while (!seenDirs.has(dir)) {
      seenDirs.add(dir);
      for (const name of CONFIG_FILE_NAMES) {
        const path = join(dir, name);
        const known = texts?.get(path);
        if (!found.has(path) && (known !== undefined || existsSync(path))) {
          try {
            const text = known ?? readFileSync(path, 'utf8');
            const { config } = loadConfig(text);
            if (config) found.set(path, { path, config, text });
          } catch {
            // unreadable: it is reported when validated itself
          }
        }
      }
      if (existsSync(join(dir, '.git')) || dir === parsePath(dir).root) break;
      dir = dirname(dir);
    }
  }
  return [...found.values()];
}

/** CRDs declared in the given texts. */
export function findCrds(texts: ReadonlyMap<string, string>): CrdVersion[] {
  return [...texts].flatMap(([path, text]) => crdsInText(text, path));
}

export interface CliContextOptions {
  /** Absolute paths and texts of the files to validate. */
  texts: ReadonlyMap<string, string>;
  /** Root for built-in file-name patterns (the working directory). */
  root: string;
  /** Use no network: remote schemas come from the cache only. */
  offline?: boolean;
  /**
   * Whether remote schemas and CRDs (https URLs in configs and modelines) are used: `true`, or
   * why not (each document naming one gets a finding with that severity and reason). Default true.
   */
  remote?: true | { severity: 'info' | 'warning'; reason: string };
  cacheDir?: string;
  /** Told about CRDs named in a config that could not be used. */
  onProblem?: (message: string) => void;
}

export function defaultCacheDir(): string {
  return process.env.PAVED_ROAD_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'paved-road', 'schemas');
}

/** A context for validating `texts` outside the editor, with remote schemas already fetched (and the configs it found). */
export async function buildContext(options: CliContextOptions): Promise<ValidationContext & { configs: (ConfigLocation & { text: string })[] }> {
  const registry = new SchemaRegistry();
  const configs = findConfigs([...options.texts.keys()], options.texts);
  const rules = rulesFromConfigs(configs);
  if (options.remote !== undefined && options.remote !== true) {
    const denied = options.remote;
    const fromConfigs = crdsFromConfigs(configs, { remoteDenied: denied.reason, rootOf: () => options.root });
    for (const problem of fromConfigs.problems) options.onProblem?.(`CRD ${problem}`);
    registry.setCrds([...findCrds(options.texts), ...fromConfigs.crds]);
    return { registry, validator: new SchemaValidator(), rules, remoteDenied: denied, root: options.root, configs };
  }
  const remote = new RemoteSchemaCache({ cacheDir: options.cacheDir ?? defaultCacheDir(), offline: options.offline ?? false });
  const urls = rules.map((r) => r.schema).filter((s) => /^https:\/\//i.test(s));
  for (const { config } of configs) for (const c of config.crds ?? []) if (/^https:\/\//i.test(c)) urls.push(c);
  // the modelines the association chain will read (both of Red Hat's forms), so their schemas are here before validation
  for (const text of options.texts.values()) {
    if (!text.includes('$schema')) continue;
    for (const slice of splitDocuments(text)) {
      const url = modelineSchema(slice.text);
      if (url && /^https:\/\//i.test(url)) urls.push(url);
    }
  }
  await remote.prefetch(urls);
  const fromConfigs = crdsFromConfigs(configs, { remote, rootOf: () => options.root, root: options.root });
  for (const problem of fromConfigs.problems) options.onProblem?.(`CRD ${problem}`);
  registry.setCrds([...findCrds(options.texts), ...fromConfigs.crds]);
  return { registry, validator: new SchemaValidator(), rules, remote, root: options.root, configs };
}
