/**
 * Reading the parts of a Kyverno rule (match/exclude, conditions, patterns)
 * and telling, before anything runs, what is malformed and what does not run
 * before commit. Every problem goes to a `Report` with its path in the policy
 * document; a part that comes back undefined means "skip this rule".
 */
import type { PathSegment, Severity } from '../../findings';
import { isObject } from '../kubernetes';
import type { Condition, Conditions } from './kyverno-conditions';
import { operatorNamed } from './kyverno-conditions';
import type { MatchBlock, ResourceFilter } from './kyverno-match';
import { parseKindSelector } from './kyverno-match';
import { parseAnchor } from './kyverno-pattern';
import { checkVariables, stringsOf } from './kyverno-variables';

export interface Report {
  invalid(path: readonly PathSegment[], message: string, target?: 'key' | 'value'): void;
  unsupported(path: readonly PathSegment[], message: string, severity?: Severity): void;
  /** A syntax error in an expression, at `offset` in the string at `path` (when known). */
  expression(path: readonly PathSegment[], offset: number | undefined, message: string): void;
}

const FILTER_KEYS = new Set(['kinds', 'name', 'names', 'namespaces', 'annotations', 'selector', 'namespaceSelector', 'operations']);
const USER_KEYS = ['subjects', 'roles', 'clusterRoles'];

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined);

/** One `resources` block; undefined when it cannot run. */
function parseResources(raw: unknown, path: PathSegment[], report: Report): ResourceFilter | undefined {
  if (!isObject(raw)) {
    report.invalid(path, "'resources' must be a map (kinds, names, namespaces, selector, …).");
    return undefined;
  }
  let ok = true;
  for (const key of Object.keys(raw)) {
    if (!FILTER_KEYS.has(key)) {
      report.unsupported([...path, key], `'${key}' in resources is not something Paved Road knows: the rule is skipped.`);
      ok = false;
    }
  }
  const list = (key: string): string[] => {
    if (raw[key] === undefined) return [];
    const v = strings(raw[key]);
    if (!v) {
      report.invalid([...path, key], `'${key}' must be a list of strings.`);
      ok = false;
    }
    return v ?? [];
  };
  const filter: ResourceFilter = { kinds: list('kinds'), names: list('names'), namespaces: list('namespaces'), operations: list('operations') };
  for (const kind of filter.kinds) {
    if (parseKindSelector(kind)[2] === '') {
      report.invalid([...path, 'kinds'], `'${kind}' is not a kind (Pod, apps/v1/Deployment, apps/*/Deployment, *).`);
      ok = false;
    }
  }
  if (typeof raw.name === 'string') filter.name = raw.name;
  for (const key of ['annotations', 'selector', 'namespaceSelector'] as const) {
    if (raw[key] === undefined) continue;
    if (!isObject(raw[key])) {
      report.invalid([...path, key], `'${key}' must be a map.`);
      ok = false;
    } else if (key === 'annotations') filter.annotations = Object.fromEntries(Object.entries(raw[key]).map(([k, v]) => [k, String(v)]));
    else filter[key] = raw[key];
  }
  return ok ? filter : undefined;
}

/** A filter (`any`/`all` entry, or the block itself): `resources`, plus user info that only the cluster knows. */
function parseFilter(raw: unknown, path: PathSegment[], report: Report): ResourceFilter | undefined {
  if (!isObject(raw)) {
    report.invalid(path, "A match filter must be a map with 'resources'.");
    return undefined;
  }
  const user = USER_KEYS.find((k) => raw[k] !== undefined);
  if (user) {
    report.unsupported([...path, user], `'${user}' selects who makes the request, which is not known before commit: the rule is skipped.`);
    return undefined;
  }
  if (raw.resources === undefined) return { kinds: [], names: [], namespaces: [], operations: [] };
  return parseResources(raw.resources, [...path, 'resources'], report);
}

/** `match` or `exclude`. */
export function parseMatch(raw: unknown, path: PathSegment[], report: Report, isMatch: boolean): MatchBlock | undefined {
  const what = isMatch ? 'match' : 'exclude';
  if (!isObject(raw)) {
    report.invalid(path, `'${what}' must be a map with 'any', 'all' or 'resources'.`);
    return undefined;
  }
  if (raw.any !== undefined && raw.all !== undefined) {
    report.invalid(path, `'${what}' may have 'any' or 'all', not both.`);
    return undefined;
  }
  for (const mode of ['any', 'all'] as const) {
    const list = raw[mode];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length === 0) {
      report.invalid([...path, mode], `'${what}.${mode}' must be a non-empty list of filters.`);
      return undefined;
    }
    const filters = list.map((f, i) => parseFilter(f, [...path, mode, i], report));
    if (filters.some((f) => !f)) return undefined;
    const parsed = filters as ResourceFilter[];
    if (isMatch && parsed.some((f) => f.kinds.length === 0)) {
      report.invalid([...path, mode], "Kyverno requires 'kinds' in every match filter.");
      return undefined;
    }
    return { mode, filters: parsed };
  }
  const single = parseFilter(raw, path, report);
  if (!single) return undefined;
  if (isMatch && single.kinds.length === 0) {
    report.invalid(path, "Kyverno requires 'kinds' in match (under 'any', 'all' or 'resources').");
    return undefined;
  }
  return { mode: 'single', filters: [single] };
}

/**
 * Checks the `{{ }}` variables and `$( )` references of every string under a
 * value; false when the rule cannot run (never for a `message`: the rule runs
 * and shows it as written). What does not run before commit is one finding (at
 * the first string that needs it), with every reason.
 */
export function checkStrings(value: unknown, path: PathSegment[], report: Report, references: boolean, message = false): boolean {
  let ok = true;
  const reasons: string[] = [];
  let at: PathSegment[] | undefined;
  const unsupported = (where: PathSegment[], reason: string): void => {
    at ??= where;
    if (!reasons.includes(reason)) reasons.push(reason);
  };
  for (const s of stringsOf(value, path)) {
    if (references && /(^|[^\\])\$\(.[^ ]*\)/.test(s.text)) unsupported(s.path, "a '$( )' reference to another part of the pattern is not supported before commit");
    for (const issue of checkVariables(s.text)) {
      ok = false;
      if (issue.kind === 'syntax') report.expression(s.path, s.key ? undefined : issue.offset, issue.message);
      else if (issue.kind === 'invalid') report.invalid(s.path, `${issue.message.charAt(0).toUpperCase()}${issue.message.slice(1)}.`, 'value');
      else unsupported(s.path, issue.message);
    }
  }
  if (at) {
    const text = reasons.join('; ');
    // a message Kyverno cannot fill in does not stop the rule: it is shown as written
    report.unsupported(at, `${text.charAt(0).toUpperCase()}${text.slice(1)}: ${message ? 'the message is shown as written' : 'the rule is skipped'}.`);
    return message;
  }
  return ok || message;
}

function parseCondition(raw: unknown, path: PathSegment[], report: Report): Condition | undefined {
  if (!isObject(raw)) {
    report.invalid(path, 'A condition must be a map with key, operator and value.');
    return undefined;
  }
  const operator = operatorNamed(raw.operator);
  if (!operator) {
    report.invalid(raw.operator === undefined ? path : [...path, 'operator'], `Unknown condition operator '${String(raw.operator)}' (Equals, NotEquals, AnyIn, AllIn, AnyNotIn, AllNotIn, GreaterThan, …).`, 'value');
    return undefined;
  }
  if (!checkStrings({ key: raw.key, value: raw.value, message: raw.message }, path, report, false)) return undefined;
  return { key: raw.key ?? null, operator, value: raw.value ?? null, ...(typeof raw.message === 'string' ? { message: raw.message } : {}) };
}

/** `preconditions` or `deny.conditions`: `any`/`all`, or a plain list (all must hold). */
export function parseConditions(raw: unknown, path: PathSegment[], report: Report): Conditions | undefined {
  const list = (items: unknown, at: PathSegment[]): Condition[] | undefined => {
    if (!Array.isArray(items)) {
      report.invalid(at, 'Conditions must be a list.');
      return undefined;
    }
    const parsed = items.map((c, i) => parseCondition(c, [...at, i], report));
    return parsed.every((c) => c !== undefined) ? (parsed) : undefined;
  };
  if (Array.isArray(raw)) {
    const all = list(raw, path);
    return all && { all };
  }
  if (!isObject(raw)) {
    report.invalid(path, "Conditions must be 'any'/'all' lists of conditions.");
    return undefined;
  }
  const extra = Object.keys(raw).find((k) => k !== 'any' && k !== 'all');
  if (extra !== undefined || (raw.any === undefined && raw.all === undefined)) {
    report.invalid(extra !== undefined ? [...path, extra] : path, "Conditions take only 'any' and 'all'.");
    return undefined;
  }
  const out: Conditions = {};
  if (raw.any !== undefined) {
    const any = list(raw.any, [...path, 'any']);
    if (!any) return undefined;
    out.any = any;
  }
  if (raw.all !== undefined) {
    const all = list(raw.all, [...path, 'all']);
    if (!all) return undefined;
    out.all = all;
  }
  return out;
}

/** What in a pattern cannot run: `+()` (mutate only), empty lists, a misused existence anchor. */
export function checkPattern(pattern: unknown, path: PathSegment[], report: Report): boolean {
  let ok = true;
  const walk = (p: unknown, at: PathSegment[]): void => {
    if (Array.isArray(p)) {
      if (p.length === 0) {
        report.invalid(at, 'An empty list in a pattern never matches anything (Kyverno fails the rule): give one element.');
        ok = false;
      }
      p.forEach((x, i) => walk(x, [...at, i]));
      return;
    }
    if (!isObject(p)) return;
    for (const [key, value] of Object.entries(p)) {
      const a = parseAnchor(key);
      if (a?.kind === '+') {
        report.unsupported([...at, key], "The add-if-not-present anchor '+()' belongs to mutate rules: the rule is skipped.");
        ok = false;
      }
      if (a?.kind === '^' && !(Array.isArray(value) && value.every(isObject))) {
        report.invalid([...at, key], "The existence anchor '^()' needs a list of maps.");
        ok = false;
      }
      walk(value, [...at, key]);
    }
  };
  walk(pattern, path);
  return ok;
}
