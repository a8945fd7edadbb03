/** Dependency-free, so the editor adapters can tell findings apart without loading the engine. */
import type { Finding } from '../findings';

/** Findings of the policy rules (`k8s/…`, `backstage/…`, `policy/…`), as opposed to validation findings. */
export function isPolicyFinding(f: Pick<Finding, 'ruleId'>): boolean {
  return /^(k8s|backstage|policy)\//.test(f.ruleId);
}
