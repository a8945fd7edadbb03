/** Dependency-free, so the editor adapters can tell findings apart without loading the engine. */
import type { Finding } from '../findings';

/**
 * Findings of the policy rules (`k8s/…`, `backstage/…`, `policy/…` and the
 * team's own `<policy>/<rule>`), as opposed to validation findings (`yaml/…`,
 * `schema/…`, `file/…`, `config/…`).
 */
export function isPolicyFinding(f: Pick<Finding, 'ruleId'>): boolean {
  return !/^(yaml|schema|file|config)\//.test(f.ruleId);
}
