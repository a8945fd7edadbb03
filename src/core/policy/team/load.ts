/**
 * The team policies of one `.paved-road.yaml`: its sources read, their files
 * turned into rules. Problems land where the user can act on them: on a local
 * policy file itself, and for a file of a git or https source on the config
 * entry of that source (the cached copy is nobody's file to edit).
 */
import { dirname } from 'node:path';
import type { Finding } from '../../findings';
import type { ConfigLocation } from '../../validate/context';
import type { Rule } from '../types';
import { loadPolicies } from './index';
import { resolvePolicySources } from './sources';
import type { SourceOptions } from './sources';

export interface ConfigPolicies {
  /** The config these policies belong to: they apply to the files under its folder. */
  configPath: string;
  rules: Rule[];
  /** Problems by file: local policy files, and the config file. */
  problems: Map<string, Finding[]>;
  /** Local policy files read (to watch for changes). */
  files: string[];
}

export async function loadTeamPolicies(config: ConfigLocation, configText: string, options: SourceOptions): Promise<ConfigPolicies> {
  const resolved = await resolvePolicySources(config, configText, options);
  const loaded = loadPolicies(resolved.files, dirname(config.path));
  const problems = new Map<string, Finding[]>();
  const add = (path: string, list: readonly Finding[]): void => {
    if (list.length) problems.set(path, [...(problems.get(path) ?? []), ...list]);
  };
  add(config.path, resolved.problems);
  for (const [path, list] of loaded.problems) {
    const origin = resolved.origins.get(path);
    if (!origin) add(path, list);
    else add(config.path, list.map((f) => ({ ...f, message: `${origin.label}, line ${f.range.start.line + 1}: ${f.message}`, range: origin.range })));
  }
  for (const rule of loaded.rules) {
    const origin = rule.origin && resolved.origins.get(rule.origin.path);
    if (origin && rule.origin) rule.origin = { ...rule.origin, path: config.path, range: origin.range };
  }
  return { configPath: config.path, rules: loaded.rules, problems, files: resolved.files.filter((f) => !resolved.origins.has(f.path)).map((f) => f.path) };
}

export interface AllTeamPolicies {
  /** Team rules by config path (for `rulesFor`). */
  rules: Map<string, Rule[]>;
  /** Problems by file, merged over every config. */
  problems: Map<string, Finding[]>;
  /** How many configs list policy sources. */
  configs: number;
}

/** The team policies of every config that lists sources: what the editor and the CLI both need. */
export async function loadAllTeamPolicies(
  configs: readonly ConfigLocation[],
  textOf: (path: string) => string | undefined,
  options: SourceOptions,
): Promise<AllTeamPolicies> {
  const withSources = configs.filter((c) => c.config.policies?.sources?.length);
  const loaded = await Promise.all(withSources.map((c) => loadTeamPolicies(c, textOf(c.path) ?? '', options)));
  const rules = new Map<string, Rule[]>();
  const problems = new Map<string, Finding[]>();
  for (const l of loaded) {
    rules.set(l.configPath, l.rules);
    for (const [path, list] of l.problems) problems.set(path, [...(problems.get(path) ?? []), ...list]);
  }
  return { rules, problems, configs: withSources.length };
}
