/**
 * One finding per cause across validation and policies. The API server
 * validates a manifest against its schema before admission runs, so:
 * - a team rule or admission policy is not evaluated on a document the schema
 *   rejects (`replicas: "2"` is one schema error, not also a CEL "no such
 *   overload");
 * - a built-in rule's finding about a field the schema already reports
 *   (misspelt, of the wrong type, not allowed) is not reported again: an empty
 *   `lifecycle:` is a schema error and nothing else, and `resource:` (a typo of
 *   `resources`) is not also "no CPU request".
 */
import type { Finding, PathSegment } from '../findings';
import { splitDocuments } from '../manifest';

const isSchemaError = (f: Finding): boolean => f.severity === 'error' && f.ruleId.startsWith('schema/');

function startsWith(path: readonly PathSegment[], prefix: readonly PathSegment[]): boolean {
  return prefix.length > 0 && prefix.length <= path.length && prefix.every((seg, i) => seg === path[i]);
}

/** The fields a schema finding rejects: the value at its path; for a missing property the property; for an unknown key also the key it is a typo of. */
function rejectedFields(f: Finding): PathSegment[][] {
  const path = f.data?.path;
  if (!path) return [];
  const property = f.data?.property;
  if (f.ruleId === 'schema/required') return property !== undefined ? [[...path, property]] : [];
  const out = [path];
  const suggestion = f.data?.suggestion;
  if (f.ruleId === 'schema/additionalProperties' && suggestion !== undefined) out.push([...path.slice(0, -1), suggestion]);
  return out;
}

/**
 * The policy findings of a file that say something validation has not:
 * without team-rule findings (`isTeamRule`) on documents with a schema error,
 * and without findings inside a field a schema error is about.
 */
export function withoutShadowed(text: string, validation: readonly Finding[], policy: readonly Finding[], isTeamRule: (ruleId: string) => boolean): Finding[] {
  const errors = validation.filter(isSchemaError);
  if (errors.length === 0 || policy.length === 0) return [...policy];
  const starts = splitDocuments(text).map((s) => s.line);
  const docOf = (f: Finding): number => {
    const line = f.range.start.line;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= line) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const rejected = new Map<number, PathSegment[][]>();
  for (const e of errors) {
    const d = docOf(e);
    const list = rejected.get(d) ?? [];
    list.push(...rejectedFields(e));
    rejected.set(d, list);
  }
  return policy.filter((f) => {
    const fields = rejected.get(docOf(f));
    if (!fields) return true;
    if (isTeamRule(f.ruleId)) return false;
    const about = f.data?.field ?? f.data?.path;
    return !about || !fields.some((r) => startsWith(about, r));
  });
}
