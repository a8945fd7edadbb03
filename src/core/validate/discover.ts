/**
 * What the CLI (and the pre-commit hook) needs to validate like the editor:
 * the platform configs that apply to the files (each file's folder and its
 * parents, up to the repository root), the CRDs among the files, and the
 * remote schemas they name, fetched before validation starts.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { CONFIG_FILE_NAMES } from '../config/files';
import { loadConfig } from '../config';
import { describeFsError } from '../files/paths';
import { readTextFileSync } from '../files/regular';
import type { Finding } from '../findings';
import { pointRange } from '../findings';
import { DEFAULT_LIMITS, splitDocuments } from '../manifest';
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
 * Reads a config file: its text, `undefined` when there is none, or throws with
 * the reason it cannot be read. The default reads the disk (regular files only,
 * at most `DEFAULT_LIMITS.maxBytes`); the hook reads the git index.
 */
export type ConfigReader = (path: string) => string | undefined;

export function readConfigFromDisk(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  return readTextFileSync(path, DEFAULT_LIMITS.maxBytes);
}

/** A config that exists but cannot be read: a finding on it (its settings and policies are not applied). */
export function unreadableConfigFinding(reason: string): Finding {
  return {
    ruleId: 'file/unreadable',
    severity: 'error',
    message: `The platform config cannot be read (${reason}); its settings and policies are not applied.`,
    detail: 'Make it a regular file (not a FIFO, a device or a link to one), at most 5 MB.',
    range: pointRange(0, 0),
  };
}

/**
 * `.paved-road.yaml` files in the folders of `files` and their parents, up to
 * the repository root (a folder with `.git`), with the text each was read from:
 * the one in `texts` when the config is among them (the staged version in the
 * hook), else what `read` returns (default: the file on disk). A config that
 * cannot be read is told to `onUnreadable`.
 */
export function findConfigs(
  files: readonly string[],
  texts?: ReadonlyMap<string, string>,
  options: { read?: ConfigReader; onUnreadable?: (path: string, reason: string) => void } = {},
): (ConfigLocation & { text: string })[] {
  const read = options.read ?? readConfigFromDisk;
  const seenDirs = new Set<string>();
  const found = new Map<string, ConfigLocation & { text: string }>();
  for (const file of files) {
    let dir = dirname(file);
    while (!seenDirs.has(dir)) {
      seenDirs.add(dir);
      // `dir` is absolute and normalized: plain concatenation (join normalizes again, for thousands of folders)
      const prefix = dir.endsWith(sep) ? dir : dir + sep;
      for (const name of CONFIG_FILE_NAMES) {
        const path = prefix + name;
        if (found.has(path)) continue;
        let text = texts?.get(path);
        try {
          text ??= read(path);
        } catch (err) {
          options.onUnreadable?.(path, describeFsError(err));
          continue;
        }
        if (text === undefined) continue;
        const { config } = loadConfig(text);
        // a config that does not load is reported when validated itself
        if (config) found.set(path, { path, config, text });
      }
      if (existsSync(`${prefix}.git`) || dirname(dir) === dir) break;
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
  /** Where validators of schemas compiled at run time are kept between runs (default: `defaultValidatorCacheDir()`; null: none). */
  validatorCacheDir?: string | null;
  /** Told about CRDs named in a config that could not be used. */
  onProblem?: (message: string) => void;
  /** How configs not among `texts` are read (default: from disk; the hook: from the index). */
  readConfig?: ConfigReader;
}

/** The validators of team schemas, CRDs and remote schemas, compiled once and kept for the next run (the hook runs on every commit). */
export function defaultValidatorCacheDir(): string {
  return process.env.PAVED_ROAD_VALIDATOR_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'paved-road', 'validators');
}

export function defaultCacheDir(): string {
  return process.env.PAVED_ROAD_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'paved-road', 'schemas');
}

/** A context for validating `texts` outside the editor, with remote schemas already fetched (and the configs it found). */
export async function buildContext(
  options: CliContextOptions,
): Promise<ValidationContext & { configs: (ConfigLocation & { text: string })[]; problems: Map<string, Finding[]> }> {
  const registry = new SchemaRegistry();
  const problems = new Map<string, Finding[]>();
  const configs = findConfigs([...options.texts.keys()], options.texts, {
    ...(options.readConfig ? { read: options.readConfig } : {}),
    onUnreadable: (path, reason) => problems.set(path, [unreadableConfigFinding(reason)]),
  });
  const rules = rulesFromConfigs(configs);
  const validatorCacheDir = options.validatorCacheDir === undefined ? defaultValidatorCacheDir() : options.validatorCacheDir;
  if (options.remote !== undefined && options.remote !== true) {
    const denied = options.remote;
    const fromConfigs = crdsFromConfigs(configs, { remoteDenied: denied.reason, rootOf: () => options.root });
    for (const problem of fromConfigs.problems) options.onProblem?.(`CRD ${problem}`);
    registry.setCrds([...findCrds(options.texts), ...fromConfigs.crds]);
    return { registry, validator: new SchemaValidator({ cacheDir: validatorCacheDir }), rules, remoteDenied: denied, root: options.root, configs, problems };
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
  return { registry, validator: new SchemaValidator({ cacheDir: validatorCacheDir }), rules, remote, root: options.root, configs, problems };
}
