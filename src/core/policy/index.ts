/**
 * Policy checks over a set of files: the built-in rules (and, later, the team's
 * policies) with the severity overrides of the nearest `.paved-road.yaml`.
 * Every document of the set is the context of cross-document rules.
 */
import { dirname, relative, isAbsolute } from 'node:path';
import type { Finding } from '../findings';
import type { ConfigLocation } from '../validate/context';
import type { ParseLimits } from '../manifest';
import { checkPolicies, policyDocuments } from './engine';
import type { PolicyOptions } from './engine';
import type { PolicyDocument, Profile, Rule } from './types';

export { checkPolicies, policyDocuments, exemptionOf } from './engine';
export type { PolicyOptions, RuleSetting } from './engine';
export type { PolicyContext, PolicyDocument, Profile, ProfileSeverities, Rule, RuleFinding } from './types';
export { withoutShadowed } from './shadow';
export { DEFAULT_PROFILE, PROFILES, isProfile, severityIn } from './profiles';

function nearestConfig(file: string, configs: readonly ConfigLocation[]): ConfigLocation | undefined {
  let best: ConfigLocation | undefined;
  for (const c of configs) {
    const rel = relative(dirname(c.path), file);
    if (rel.startsWith('..') || isAbsolute(rel)) continue;
    if (!best || dirname(c.path).length > dirname(best.path).length) best = c;
  }
  return best;
}

/**
 * Everything of the nearest config that shapes policy findings on a file: the
 * profile, overrides and exemptions. The config's `policies.profile` wins over
 * `profile` (the editor's setting); without either, `recommended`.
 */
export function policyOptionsFor(file: string, configs: readonly ConfigLocation[], profile?: Profile): PolicyOptions {
  const c = nearestConfig(file, configs);
  const chosen = c?.config.policies?.profile ?? profile;
  const base: PolicyOptions = chosen ? { profile: chosen } : {};
  if (!c) return base;
  const p = c.config.policies;
  return { ...base, ...(p?.rules ? { overrides: p.rules } : {}), ...(p?.exemptions ? { exemptions: p.exemptions } : {}), baseDir: dirname(c.path) };
}

/**
 * The rules for a file: the built-in ones and the team rules of its nearest
 * config (a team's policies apply to the files under its `.paved-road.yaml`).
 */
export function rulesFor(file: string, builtin: readonly Rule[], configs: readonly ConfigLocation[], team?: ReadonlyMap<string, readonly Rule[]>): readonly Rule[] {
  const extra = team && team.size ? team.get(nearestConfig(file, configs)?.path ?? '') : undefined;
  return extra?.length ? [...builtin, ...extra] : builtin;
}

/** Policy findings for each file of the set (absolute path → findings); `team` holds the team rules by config path. */
export function checkFileSet(
  texts: ReadonlyMap<string, string>,
  rules: readonly Rule[],
  configs: readonly ConfigLocation[],
  limits: Partial<ParseLimits> = {},
  team?: ReadonlyMap<string, readonly Rule[]>,
): Map<string, Finding[]> {
  const byFile = new Map<string, PolicyDocument[]>();
  for (const [path, text] of texts) byFile.set(path, policyDocuments(path, text, limits));
  const documents = [...byFile.values()].flat();
  const out = new Map<string, Finding[]>();
  for (const [path, docs] of byFile) {
    out.set(path, checkPolicies(docs, rulesFor(path, rules, configs, team), { documents }, policyOptionsFor(path, configs)));
  }
  return out;
}
