/**
 * Runs policy rules over parsed documents: picks the rules that apply, places
 * their findings on ranges, applies the team's severity overrides and the
 * exemptions written on resources. Deterministic and offline; the editor, the
 * pre-commit hook and CI all call `checkPolicies`.
 */
import { dirname, relative, sep } from 'node:path';
import { today } from '../config';
import type { Exemption } from '../config';
import type { Finding, Range, Severity } from '../findings';
import { compareFindings } from '../findings';
import { DEFAULT_LIMITS, parseSlice, shiftRange, splitDocuments } from '../manifest';
import type { ParsedDocument, ParseLimits } from '../manifest';
import { POLICY_BUDGET, withBudget } from '../util/budget';
import { globMatcher } from '../util/glob';
import { isObject } from './kubernetes';
import { severityIn } from './profiles';
import type { MissingSetting, PolicyContext, PolicyDocument, Profile, Rule, RuleFinding } from './types';

export type RuleSetting = Severity | 'off';

export interface PolicyOptions {
  /** Which severities the built-in rules get (`policies.profile`; default `recommended`). */
  profile?: Profile;
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
   * changed. With it the engine also keeps the results of rules across documents
   * that read the set through `documentsForPart` (reused while the parts they read
   * are unchanged; a rule that reads `ctx.documents` runs every time), and each
   * document's findings, placed. Owned by the caller; one per file checked.
   */
  results?: PolicyResultCache;
}

export type PolicyResultCache = Map<string, Map<string, RuleFinding[]>>;

/**
 * A named part of a set of documents (the documents of one kind, the pod
 * owners…) and how to list its members in a set. Helpers that read only a part
 * of the set name it (`documentsForPart`), so that the engine can reuse a rule's
 * result on a document while the parts it read are unchanged.
 */
export interface ContextPart {
  /** Names the part: two parts with the same key have the same members in any set. */
  key: string;
  members(documents: readonly PolicyDocument[]): readonly PolicyDocument[];
}

/** What a rule read of the set while it ran: nothing, some parts (key → version), or all of it (not cacheable). */
type Reads = undefined | 'all' | Map<string, number>;

interface Reader {
  ctx: PolicyContext;
  documents: readonly PolicyDocument[];
  read(part: ContextPart | undefined): void;
}

const readers = new WeakMap<PolicyContext, Reader>();

/**
 * The documents of the set, for a helper that reads only `part` of them (or,
 * without a part, only documents it was given). A rule that reads
 * `ctx.documents` directly has read all of the set: its results are never reused.
 */
export function documentsForPart(ctx: PolicyContext, part?: ContextPart): readonly PolicyDocument[] {
  const reader = readers.get(ctx);
  if (!reader) return ctx.documents;
  reader.read(part);
  return reader.documents;
}

/**
 * What a results cache keeps besides the results of rules that read only their
 * document (the `PolicyResultCache` itself), by document text:
 * - results of rules across documents, with the version of each part of the set
 *   the rule read. A part gets a new version whenever its members change
 *   (another document, text, path or position), so a result is reused only
 *   while everything it read is the same;
 * - the document's plan: for one set of active rules and severities, the rules
 *   that have findings on it or must be asked again (across documents), with
 *   their findings placed relative to the document. An edit that changes one
 *   document of 3,000 then costs little more than the findings of the others.
 */
interface CrossState {
  parts: Map<string, { part: ContextPart; members: readonly PolicyDocument[]; version: number }>;
  versions: number;
  docs: Map<string, DocState>;
  /** One token per list of active rules and their severities. */
  tokens: Map<string, object>;
}

interface DocState {
  cross?: Map<string, CrossResult>;
  plan?: Plan;
}

interface Plan {
  token: object;
  path: string;
  index: number;
  items: PlanItem[];
}

interface Failure {
  message: string;
  severity: Severity;
}

interface PlanItem {
  rule: Rule;
  setting: Severity;
  /** `fixed`: the result of a rule that read only the document; `cross`: reused while fresh; `always`: run every time. */
  how: 'fixed' | 'cross' | 'always';
  found: RuleFinding[];
  cross?: CrossResult;
  /** A rule that threw, or ran out of its evaluation budget: its finding. */
  failure?: Failure;
  /** Exempted by an annotation of the resource (depends on the text only). */
  exempt?: boolean;
  /** The findings' ranges relative to the document's first line, once placed. */
  ranges?: Range[];
  /** The findings as last reported, with the line the document started on. */
  placed?: { line: number; findings: Finding[] };
}

interface CrossResult {
  path: string;
  index: number;
  reads: Map<string, number>;
  found: RuleFinding[];
}

const crossStates = new WeakMap<PolicyResultCache, CrossState>();

/** A number per rule object, for plans: rules loaded again (a team policy edited) make new plans. */
const ruleNumbers = new WeakMap<Rule, number>();
let rulesSeen = 0;
function ruleNumber(rule: Rule): number {
  let n = ruleNumbers.get(rule);
  if (n === undefined) ruleNumbers.set(rule, (n = ++rulesSeen));
  return n;
}

function sameMembers(a: readonly PolicyDocument[], b: readonly PolicyDocument[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as PolicyDocument;
    const y = b[i] as PolicyDocument;
    // a document without its text may have changed in place
    if (x.key === undefined || (x !== y && (x.key !== y.key || x.path !== y.path || x.index !== y.index))) return false;
  }
  return true;
}

/** Tracks what each rule run reads of the set, and the versions of the parts of this set. */
function reading(context: PolicyContext, state: CrossState | undefined): Reader & { start(): void; stop(): Reads; version(key: string): number | undefined; seen(key: string): boolean } {
  let reads: Reads;
  const versions = new Map<string, number>();
  const version = (key: string, given?: ContextPart): number | undefined => {
    let v = versions.get(key);
    if (v !== undefined || !state) return v;
    const known = state.parts.get(key);
    const part = given ?? known?.part;
    if (!part) return undefined;
    const members = part.members(context.documents);
    if (known && sameMembers(known.members, members)) {
      v = known.version;
      known.members = members;
    } else {
      v = ++state.versions;
      state.parts.set(key, { part, members, version: v });
    }
    versions.set(key, v);
    return v;
  };
  const reader = {
    ctx: {
      get documents() {
        reads = 'all';
        return context.documents;
      },
    } as PolicyContext,
    get documents() {
      return context.documents;
    },
    read(part: ContextPart | undefined) {
      if (!part || reads === 'all') return;
      reads ??= new Map();
      if (!reads.has(part.key)) reads.set(part.key, version(part.key, part) ?? -1);
    },
    start() {
      reads = undefined;
    },
    stop(): Reads {
      return reads;
    },
    version: (key: string) => version(key),
    seen: (key: string) => versions.has(key),
  };
  readers.set(reader.ctx, reader);
  return reader;
}

/** Whether an exemption's path globs match (in linear time); a glob that cannot be matched so exempts nothing. */
function pathsMatch(globs: readonly string[], rel: string): boolean {
  try {
    return globMatcher(globs, { dot: true })(rel);
  } catch {
    return false;
  }
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
      if (rel.startsWith('..') || !pathsMatch(e.paths, rel)) return false;
    }
    return true;
  });
}

/** Where the documents made by `policyDocuments` sit: their parse (relative to their first line) and that line in the file. */
const placements = new WeakMap<PolicyDocument, { parsed: ParsedDocument; line: number }>();
/** The documents of the last text read with a parse cache, in order. */
const lastSlices = new WeakMap<PolicyParseCache, { text: string; doc: ParsedDocument }[]>();
/** The last document made from a cached parse. */
const madeFrom = new WeakMap<ParsedDocument, PolicyDocument>();

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
  const before = cache ? lastSlices.get(cache) : undefined;
  const slices: { text: string; doc: ParsedDocument }[] = [];
  for (const slice of splitDocuments(text)) {
    // most documents are where they were, with the same text: comparing is cheaper than hashing 4 MB of text
    let key = slice.text;
    let doc: ParsedDocument | undefined;
    const was = before?.[slice.index];
    if (was && was.text === key && cache?.get(was.text) === was.doc) {
      key = was.text;
      doc = was.doc;
    } else {
      doc = cache?.get(key);
    }
    if (!doc) doc = parseSlice({ ...slice, line: 0, offset: 0 }, lim);
    next?.set(key, doc);
    slices.push({ text: key, doc });
    if (!doc.ok || !isObject(doc.value)) continue;
    // the same text at the same place: the same document as last time
    const last = madeFrom.get(doc);
    if (last && last.path === path && last.index === slice.index && placements.get(last)?.line === slice.line) {
      out.push(last);
      continue;
    }
    const parsed = doc;
    const lines = slice.line;
    const v = doc.value;
    const meta = isObject(v.metadata) ? v.metadata : {};
    const policyDoc: PolicyDocument = {
      path,
      // the slice's: a cached parse keeps the index the text had when it was parsed
      index: slice.index,
      key,
      value: v,
      ...(typeof v.apiVersion === 'string' ? { apiVersion: v.apiVersion } : {}),
      ...(typeof v.kind === 'string' ? { kind: v.kind } : {}),
      ...(typeof meta.name === 'string' ? { name: meta.name } : {}),
      ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
      locate: (p, target = 'key') => shiftRange(parsed.locate(p, target), lines),
    };
    placements.set(policyDoc, { parsed, line: lines });
    if (cache) madeFrom.set(doc, policyDoc);
    out.push(policyDoc);
  }
  if (cache && next) {
    cache.clear();
    for (const [k, v] of next) cache.set(k, v);
    lastSlices.set(cache, slices);
  }
  return out;
}

/**
 * The annotation keys that exempt a resource from a rule, the one quick fixes
 * write first: `paved-road.dev/exempt-<name>` for each of the rule's
 * `exemptionNames`, by default its id without the family
 * (`k8s/run-as-non-root` → `paved-road.dev/exempt-run-as-non-root`).
 */
export function exemptionKeys(rule: Pick<Rule, 'id' | 'exemptionNames'>): string[] {
  return (rule.exemptionNames ?? [rule.id.slice(rule.id.indexOf('/') + 1)]).map((name) => `paved-road.dev/exempt-${name}`);
}

/** The Polaris checks a rule stands for (none, one or several). */
export function polarisChecks(rule: Pick<Rule, 'equivalents'>): readonly string[] {
  const p = rule.equivalents?.polaris;
  return p === undefined ? [] : typeof p === 'string' ? [p] : p;
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
  for (const key of exemptionKeys(rule)) {
    const r = reason(key);
    if (r !== undefined) return r;
  }
  for (const check of polarisChecks(rule)) {
    const r = reason(`polaris.fairwinds.com/${check}-exempt`);
    if (r !== undefined) return r;
  }
  return (
    (rule.equivalents?.kubeLinter ? reason(`ignore-check.kube-linter.io/${rule.equivalents.kubeLinter}`) : undefined)
  );
}

/** Findings of `rules` on `targets`, looking at `context.documents` for rules across documents. */
export function checkPolicies(targets: readonly PolicyDocument[], rules: readonly Rule[], context: PolicyContext, options: PolicyOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const now = options.today ?? today();
  const cache = options.results;
  const next: PolicyResultCache | undefined = cache ? new Map() : undefined;
  let state: CrossState | undefined;
  if (cache) {
    state = crossStates.get(cache);
    if (!state) crossStates.set(cache, (state = { parts: new Map(), versions: 0, docs: new Map(), tokens: new Map() }));
  }
  const nextDocs = state ? new Map<string, DocState>() : undefined;
  const reader = reading(context, state);
  const fresh = (r: CrossResult, doc: PolicyDocument): boolean => {
    if (r.path !== doc.path || r.index !== doc.index) return false;
    for (const [key, v] of r.reads) if (reader.version(key) !== v) return false;
    return true;
  };
  const active = rules.flatMap((rule) => {
    const setting = options.overrides?.[rule.id] ?? severityIn(rule, options.profile);
    return setting === 'off' ? [] : [{ rule, setting }];
  });
  let token: object | undefined;
  if (state) {
    const signature = active.map((a) => `${ruleNumber(a.rule)}=${a.setting}`).join(',');
    token = state.tokens.get(signature);
    if (!token) state.tokens.set(signature, (token = {}));
  }

  /**
   * Runs a rule on a document, under the evaluation budget (src/core/util/budget.ts):
   * its findings, and what it read of the set (or the error it threw, or the budget it ran out of).
   */
  const run = (rule: Rule, doc: PolicyDocument): { found: RuleFinding[]; reads: Reads; failure?: Failure } => {
    try {
      reader.start();
      const r = withBudget(POLICY_BUDGET, 'policy evaluation', () => (rule.appliesTo(doc) ? rule.check(doc, reader.ctx) : []));
      if ('exceeded' in r) {
        reader.stop();
        // Kubernetes rejects an object whose CEL exceeds its cost budget: the same answer here, never a silent pass
        return { found: [], reads: 'all', failure: { severity: 'error', message: `The rule ${rule.id} was stopped on this document: its ${r.exceeded.what} exceeded the budget of ${r.exceeded.limit.toLocaleString('en-US')} steps, so the document is not checked by it.` } };
      }
      return { found: r.value, reads: reader.stop() };
    } catch (err) {
      return { found: [], reads: 'all', failure: { severity: 'warning', message: `The rule ${rule.id} failed on this document: ${err instanceof Error ? err.message : String(err)}` } };
    }
  };
  const crossResult = (doc: PolicyDocument, reads: Reads, found: RuleFinding[]): CrossResult | undefined =>
    reads instanceof Map && ![...reads.values()].includes(-1) ? { path: doc.path, index: doc.index, reads, found } : undefined;

  /** Adds the findings of one rule on one document. */
  const emit = (doc: PolicyDocument, item: PlanItem): void => {
    if (item.failure !== undefined) {
      // a rule bug must not take the others down: say so on the document
      findings.push({ ruleId: item.rule.id, severity: item.failure.severity, message: item.failure.message, range: doc.locate([], 'key') });
      return;
    }
    const { found, rule } = item;
    if (found.length === 0) return;
    item.exempt ??= exemptionOf(doc, rule) !== undefined;
    if (item.exempt || exemptedByConfig(doc, rule, options, now)) return;
    const placement = placements.get(doc);
    if (!placement) {
      for (const f of found) findings.push(finding(item, f, doc.locate(f.path, f.target ?? 'key')));
      return;
    }
    // the same findings on a document that has not moved: the same objects as last time
    if (item.placed?.line === placement.line) {
      for (const f of item.placed.findings) findings.push(f);
      return;
    }
    const ranges = (item.ranges ??= found.map((f) => placement.parsed.locate(f.path, f.target ?? 'key')));
    const placed = found.map((f, i) => finding(item, f, moved(ranges[i] as Range, placement.line)));
    item.placed = { line: placement.line, findings: placed };
    for (const f of placed) findings.push(f);
  };

  for (const doc of targets) {
    const key = doc.key;
    const known = key !== undefined ? cache?.get(key) : undefined;
    const docState = key !== undefined ? state?.docs.get(key) : undefined;

    // the common case in the editor: the document was checked with these rules before
    const plan = docState?.plan;
    if (plan && plan.token === token && plan.path === doc.path && plan.index === doc.index && key !== undefined && known) {
      next?.set(key, known);
      nextDocs?.set(key, docState);
      for (const item of plan.items) {
        if (item.how === 'always' || (item.how === 'cross' && !(item.cross && fresh(item.cross, doc)))) {
          const r = run(item.rule, doc);
          if (!samePlaces(item.found, r.found)) item.ranges = undefined;
          item.placed = undefined;
          item.found = r.found;
          item.failure = r.failure;
          item.cross = crossResult(doc, r.reads, r.found);
          item.how = r.reads === undefined ? 'fixed' : item.cross ? 'cross' : 'always';
          if (item.cross) (docState.cross ??= new Map()).set(item.rule.id, item.cross);
        }
        emit(doc, item);
      }
      continue;
    }

    let keep: Map<string, RuleFinding[]> | undefined;
    let keepCross: Map<string, CrossResult> | undefined;
    const items: PlanItem[] = [];
    if (next && nextDocs && key !== undefined) {
      keep = next.get(key);
      if (!keep) next.set(key, (keep = new Map<string, RuleFinding[]>()));
      keepCross = nextDocs.get(key)?.cross;
      if (!keepCross) nextDocs.set(key, { cross: (keepCross = new Map<string, CrossResult>()) });
    }
    const knownCross = docState?.cross;
    for (const { rule, setting } of active) {
      // a rule that looked only at this document gave the same answer for the same text: not run again
      let found = known?.get(rule.id);
      let item: PlanItem;
      if (found) {
        keep?.set(rule.id, found);
        item = { rule, setting, how: 'fixed', found };
      } else {
        // a rule across documents gave the same answer while the parts of the set it read are the same
        const cached = knownCross?.get(rule.id);
        if (cached && fresh(cached, doc)) {
          keepCross?.set(rule.id, cached);
          item = { rule, setting, how: 'cross', found: cached.found, cross: cached };
        } else {
          const r = run(rule, doc);
          found = r.found;
          const cross = crossResult(doc, r.reads, found);
          if (r.reads === undefined) keep?.set(rule.id, found);
          else if (cross) keepCross?.set(rule.id, cross);
          item = { rule, setting, how: r.reads === undefined ? 'fixed' : cross ? 'cross' : 'always', found, ...(cross ? { cross } : {}), ...(r.failure !== undefined ? { failure: r.failure } : {}) };
        }
      }
      if (item.how !== 'fixed' || item.found.length > 0) items.push(item);
      emit(doc, item);
    }
    if (token && key !== undefined) {
      const ds = nextDocs?.get(key);
      if (ds) ds.plan = { token, path: doc.path, index: doc.index, items };
    }
  }
  if (cache && next) {
    cache.clear();
    for (const [k, v] of next) cache.set(k, v);
  }
  if (state && nextDocs) {
    state.docs = nextDocs;
    // every result kept was checked against the parts it read in this run: the others are not needed
    for (const key of [...state.parts.keys()]) if (!reader.seen(key)) state.parts.delete(key);
  }
  return mergeMissing(findings).sort(compareFindings);
}

/** The missing setting a reported finding stands for (see `RuleFinding.missing`). */
const missingOf = new WeakMap<Finding, MissingSetting>();

/** A rule's finding as reported: the rule's severity (or the config's override), unless the finding carries its own. */
function finding(item: PlanItem, f: RuleFinding, range: Range): Finding {
  const out: Finding = { ruleId: item.rule.id, severity: f.severity ?? item.setting, message: f.message, detail: item.rule.remediation, range, data: { path: f.path, ...(f.field ? { field: f.field } : {}) } };
  if (f.missing) missingOf.set(out, f.missing);
  return out;
}

/** "a", "a or b", "a, b or c". */
function list(items: readonly string[], last: string): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1] ?? ''}`;
}

/**
 * One finding per object for the settings it lacks: findings with the same
 * `missing.key` and severity (same document: the key names the object) become
 * one, under the first rule's id, naming every missing setting.
 * New objects: the cached findings are not changed.
 */
function mergeMissing(findings: Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const m = missingOf.get(f);
    if (!m) continue;
    // of one severity: an information is not shown as a warning because it shares an object with one
    const key = `${f.range.start.line}:${f.range.start.character}\u0000${f.severity}\u0000${m.key}`;
    const g = groups.get(key);
    if (g) g.push(f);
    else groups.set(key, [f]);
  }
  if (![...groups.values()].some((g) => g.length > 1)) return findings;
  const replaced = new Map<Finding, Finding | undefined>();
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const first = g[0] as Finding;
    const parts = g.map((f) => missingOf.get(f) as MissingSetting);
    const merged: Finding = {
      ...first,
      message: `${parts[0]?.subject ?? ''} has no ${list(parts.map((p) => p.what), 'or')}: set ${list(parts.map((p) => p.field), 'and')}.`,
      data: { ...first.data, rules: g.slice(1).map((f) => f.ruleId) },
    };
    replaced.set(first, merged);
    for (const f of g.slice(1)) replaced.set(f, undefined);
  }
  return findings.flatMap((f) => {
    if (!replaced.has(f)) return [f];
    const r = replaced.get(f);
    return r ? [r] : [];
  });
}

/** Findings at the same paths and targets: placed on the same ranges. */
function samePlaces(a: readonly RuleFinding[], b: readonly RuleFinding[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as RuleFinding;
    const y = b[i] as RuleFinding;
    if ((x.target ?? 'key') !== (y.target ?? 'key') || x.path.length !== y.path.length || x.path.some((seg, j) => seg !== y.path[j])) return false;
  }
  return true;
}

/** A copy of a document-relative range in file positions. */
function moved(r: Range, lines: number): Range {
  return { start: { line: r.start.line + lines, character: r.start.character }, end: { line: r.end.line + lines, character: r.end.character } };
}
