/**
 * Profiles: how much of the built-in rule set a team adopts (`policies.profile`
 * in `.paved-road.yaml`, or the `pavedRoad.policies.profile` setting).
 *
 * - `minimal`: only what Pod Security Standards *baseline* forbids or what
 *   breaks at apply or run time, as errors;
 * - `recommended` (the default, adoptable on day one): those as errors, the
 *   *restricted* Standard and hygiene as warnings, advice as information;
 * - `strict`: everything at least a warning, *restricted* as errors.
 *
 * Each rule declares its severity per profile with one of the shapes below
 * (`profiles:` in its module); a rule that declares none gets `defaultProfiles`
 * of its severity. Overrides (`policies.rules`) apply on top of the profile.
 */
import type { Severity } from '../findings';
import type { Profile, ProfileSeverities, Rule } from './types';

export const PROFILES = ['minimal', 'recommended', 'strict'] as const satisfies readonly Profile[];
export const DEFAULT_PROFILE: Profile = 'recommended';

export function isProfile(v: unknown): v is Profile {
  return typeof v === 'string' && (PROFILES as readonly string[]).includes(v);
}

/** Forbidden by Pod Security baseline, or fails at apply or run time: an error in every profile. */
export const BASELINE: ProfileSeverities = { minimal: 'error', recommended: 'error', strict: 'error' };
/** Forbidden by Pod Security restricted (or as grave): a warning by default, an error in strict. */
export const RESTRICTED: ProfileSeverities = { minimal: 'off', recommended: 'warning', strict: 'error' };
/** Hygiene that prevents incidents (resources, probes, RBAC reach): a warning by default and in strict. */
export const HYGIENE: ProfileSeverities = { minimal: 'off', recommended: 'warning', strict: 'warning' };
/** Advice that depends on the workload (spread, priority, NetworkPolicy coverage): information by default, a warning in strict. */
export const ADVICE: ProfileSeverities = { minimal: 'off', recommended: 'info', strict: 'warning' };
/** Only in strict: opinions many teams do not share (CPU limits). */
export const STRICT_ONLY: ProfileSeverities = { minimal: 'off', recommended: 'off', strict: 'warning' };

/** The profiles of a rule that declares none, from its severity: errors everywhere, warnings and information off in minimal and at least warnings in strict. */
export function defaultProfiles(severity: Severity): ProfileSeverities {
  if (severity === 'error') return BASELINE;
  if (severity === 'warning') return HYGIENE;
  return ADVICE;
}

/** A rule's severity (or `off`) in a profile; team rules keep their own severity in every profile. */
export function severityIn(rule: Pick<Rule, 'severity' | 'profiles' | 'origin' | 'category'>, profile: Profile = DEFAULT_PROFILE): Severity | 'off' {
  if (rule.profiles) return rule.profiles[profile];
  if (rule.origin || rule.category === 'team-policy') return rule.severity;
  return defaultProfiles(rule.severity)[profile];
}
