/**
 * Runs policy rules over parsed documents: picks the rules that apply, places
 * their findings on ranges, applies the team's severity overrides and the
 * exemptions written on resources. Deterministic and offline; the editor, the
 * pre-commit hook and CI all call `checkPolicies`.
 */
import { dirname, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import type { Exemption } from '../config';
import type { Finding, Severity } from '../findings';
import { compareFindings } from '../findings';
import { DEFAULT_LIMITS, parseSlice, shiftRange, splitDocuments } from '../manifest';
import type { ParsedDocument, ParseLimits } from '../manifest';
import { isObject } from './kubernetes';
import type { PolicyContext, PolicyDocument, Rule, RuleFinding } from './types';

export type RuleSetting = Severity | 'off';

export interface PolicyOptions {
  /** Severity overrides by rule id (`.paved-road.yaml` `policies.rules`); `off` turns a rule off. */
  overrides?: Readonly<Record<string, RuleSetting>>;
  /** Exemptions of the config, with the folder their path globs are relative to. */
  exemptions?: readonly Exemption[];
  baseDir?: string;
  /** Today (YYYY-MM-DD): expired exemptions no longer apply. */
  today?: string;
  /**
   * Results of rules that looked only at their document (not at the set), by
   * document text then rule id: an edit re-runs them only on the documents it
   * changed. Rules across documents always run. Owned by the caller.
   */
  results?: PolicyResultCache;
}

export type PolicyResultCache = Map<string, Map<string, RuleFinding[]>>;

/** A context that notes whether a rule looked at the set of documents. */
function tracking(context: PolicyContext): { ctx: PolicyContext; used: () => boolean; reset: () => void } {
  let used = false;
  const ctx: PolicyContext = {
    get documents() {
      used = true;
      return context.documents;
    },
  };
  return { ctx, used: () => used, reset: () => (used = false) };
}

/** Whether a config exemption covers this rule on this document. */
function exemptedByConfig(doc: PolicyDocument, rule: Rule, options: PolicyOptions, now: string): boolean {
  if (!options.exemptions?.length) return false;
  return options.exemptions.some((e) => {
    if (e.rule !== rule.id || (e.expires !== undefined && e.expires < now)) return false;
    if (e.resource !== undefined) {
      const [kind, name] = e.resource.includes('/') ? e.resource.split('/', 2) : [undefined, e.resource];
      if (name !== doc.name || (kind !== undefined && kind !== doc.kind)) return false;
    }
    if (e.paths?.length) {
      const rel = relative(options.baseDir ?? dirname(doc.path), doc.path).split(sep).join('/');
      if (rel.startsWith('..') || !e.paths.some((g) => picomatch(g, { dot: true })(rel))) return false;
    }
    return true;
  });
}

/** Parsed documents by text, relative to their own first line (so they stay valid when lines move). */
export type PolicyParseCache = Map<string, ParsedDocument>;

/**
 * The documents of a file as rules see them (documents that do not parse are
 * left to validation). With a cache, unchanged documents are not parsed again.
 */
export function policyDocuments(path: string, text: string, limits: Partial<ParseLimits> = {}, cache?: PolicyParseCache): PolicyDocument[] {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  if (Buffer.byteLength(text, 'utf8') > lim.maxBytes) return [];
  const out: PolicyDocument[] = [];
  const next: PolicyParseCache | undefined = cache ? new Map() : undefined;
  for (const slice of splitDocuments(text)) {
    let doc = cache?.get(slice.text);
    if (!doc) doc = parseSlice({ ...slice, line: 0, offset: 0 }, lim);
    next?.set(slice.text, doc);
    if (!doc.ok || !isObject(doc.value)) continue;
    const parsed = doc;
    const lines = slice.line;
    const v = doc.value;
    const meta = isObject(v.metadata) ? v.metadata : {};
    out.push({
      path,
      index: doc.index,
      key: slice.text,
      value: v,
      ...(typeof v.apiVersion === 'string' ? { apiVersion: v.apiVersion } : {}),
      ...(typeof v.kind === 'string' ? { kind: v.kind } : {}),
      ...(typeof meta.name === 'string' ? { name: meta.name } : {}),
      ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
      locate: (p, target = 'key') => shiftRange(parsed.locate(p, target), lines),
    });
  }
  if (cache && next) {
    cache.clear();
    for (const [k, v] of next) cache.set(k, v);
  }
  return out;
}

/** The short name of a rule for annotations: `k8s/run-as-non-root` → `run-as-non-root`. */
function shortName(id: string): string {
  return id.slice(id.indexOf('/') + 1);
}

/**
 * An exemption written on the resource, with its reason: Paved Road's own
 * `paved-road.dev/exempt-<rule>: "<reason>"`, Polaris' `polaris.fairwinds.com/<check>-exempt`
 * and kube-linter's `ignore-check.kube-linter.io/<check>`.
 */
export function exemptionOf(doc: PolicyDocument, rule: Rule): string | undefined {
  const v = doc.value;
  const annotations = isObject(v) && isObject(v.metadata) && isObject(v.metadata.annotations) ? v.metadata.annotations : undefined;
  if (!annotations) return undefined;
  const reason = (key: string): string | undefined => {
    const a = annotations[key];
    return typeof a === 'string' ? a || 'exempted' : a === true ? 'exempted' : undefined;
  };
  const own = rule.exemptionNames ?? [shortName(rule.id)];
  for (const name of own) {
    const r = reason(`paved-road.dev/exempt-${name}`);
    if (r !== undefined) return r;
  }
  return (
    (rule.equivalents?.polaris ? reason(`polaris.fairwinds.com/${rule.equivalents.polaris}-exempt`) : undefined) ??
    (rule.equivalents?.kubeLinter ? reason(`ignore-check.kube-linter.io/${rule.equivalents.kubeLinter}`) : undefined)
  );
}

/** Findings of `rules` on `targets`, looking at `context.documents` for rules across documents. */
export function checkPolicies(targets: readonly PolicyDocument[], rules: readonly Rule[], context: PolicyContext, options: PolicyOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const track = tracking(context);
  const now = options.today ?? new Date().toISOString().slice(0, 10);
  const cache = options.results;
  const next: PolicyResultCache | undefined = cache ? new Map() : undefined;
  const active = rules.flatMap((rule) => {
    const setting = options.overrides?.[rule.id] ?? rule.severity;
    return setting === 'off' ? [] : [{ rule, setting }];
  });
  for (const doc of targets) {
    const known = doc.key !== undefined ? cache?.get(doc.key) : undefined;
    let keep: Map<string, RuleFinding[]> | undefined;
    if (next && doc.key !== undefined) {
      keep = next.get(doc.key);
      if (!keep) next.set(doc.key, (keep = new Map<string, RuleFinding[]>()));
    }
    for (const { rule, setting } of active) {
      // a rule that looked only at this document gave the same answer for the same text: not run again
      let found = known?.get(rule.id);
      if (!found) {
        try {
          track.reset();
          found = rule.appliesTo(doc) ? rule.check(doc, track.ctx) : [];
        } catch (err) {
          // a rule bug must not take the others down: say so on the document
          findings.push({
            ruleId: rule.id,
            severity: 'warning',
            message: `The rule ${rule.id} failed on this document: ${err instanceof Error ? err.message : String(err)}`,
            range: doc.locate([], 'key'),
          });
          continue;
        }
        if (track.used()) {
          if (found.length === 0) continue;
        } else {
          keep?.set(rule.id, found);
        }
      } else {
        keep?.set(rule.id, found);
      }
      if (found.length === 0 || exemptionOf(doc, rule) !== undefined || exemptedByConfig(doc, rule, options, now)) continue;
      for (const f of found) {
        findings.push({
          ruleId: rule.id,
          severity: setting,
          message: f.message,
          detail: rule.remediation,
          range: doc.locate(f.path, f.target ?? 'key'),
          data: { path: f.path },
        });
      }
    }
  }
  if (cache && next) {
    cache.clear();
    for (const [k, v] of next) cache.set(k, v);
  }
  return findings.sort(compareFindings);
}
