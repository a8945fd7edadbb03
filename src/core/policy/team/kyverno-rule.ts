/**
 * One Kyverno validate rule as a Paved Road rule: the rule and the rules
 * Kyverno generates from it for pod controllers, each matched and evaluated as
 * Kyverno's engine does (match/exclude, preconditions, then the pattern,
 * anyPattern, deny conditions or CEL), with Kyverno's own messages.
 */
import type { PathSegment, Severity } from '../../findings';
import { get } from '../kubernetes';
import type { PolicyContext, PolicyDocument, RuleFinding } from '../types';
import type { CompiledCel } from './kyverno-cel';
import { namespaceObjectOf, runRuleCel } from './kyverno-cel';
import type { Condition, Conditions } from './kyverno-conditions';
import { evaluateConditions } from './kyverno-conditions';
import { objectPathOf, parseJmesPath } from './kyverno-jmespath';
import type { MatchBlock, ResourceFacts } from './kyverno-match';
import { blockExcludes, blockMatches, factsOf, kindMatches } from './kyverno-match';
import { kyvernoPath, matchPattern } from './kyverno-pattern';
import type { Resolve } from './kyverno-variables';
import { requestOf, resolverFor, substituteAll, substituteString } from './kyverno-variables';
import { labelsOf, namespaceView } from './util';
import { stringifyValue } from './kyverno-values';
import { existingPrefix } from './util';

export type Validation =
  | { type: 'pattern'; pattern: unknown; dynamic: boolean }
  | { type: 'anyPattern'; patterns: unknown[]; dynamic: boolean }
  | { type: 'deny'; conditions: Conditions }
  | { type: 'cel'; cel: CompiledCel | { error: string }; usesNamespace: boolean };

/** The rule or one rule Kyverno generates from it, ready to run. */
export interface Runnable {
  /** The name Kyverno reports (`autogen-…` for generated rules). */
  name: string;
  match: MatchBlock;
  exclude?: MatchBlock;
  preconditions?: Conditions;
  validation: Validation;
  message?: string;
}

export interface RuleScope {
  /** For a namespaced `Policy`: the only namespace it applies to. */
  namespace?: string;
}

/** What a rule says about a manifest; `severity` is set on "could not be evaluated" findings (a warning whatever the rule's action). */
export type KyvernoFinding = RuleFinding & { severity?: Severity };

function namespaceLabelsOf(namespace: string, ctx: PolicyContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labelsOf(namespaceView(ctx, namespace).value) ?? {})) if (typeof v === 'string') out[k] = v;
  return out;
}

export function runnableApplies(run: Runnable, facts: ResourceFacts, scope: RuleScope, ctx: PolicyContext): boolean {
  if (scope.namespace !== undefined && facts.namespace !== scope.namespace) return false;
  let labels: Record<string, string> | undefined;
  // read only when a selector needs it: reading the set makes the engine re-run the rule on every change
  const namespaceLabels = (): Record<string, string> => (labels ??= namespaceLabelsOf(facts.namespace, ctx));
  if (!blockMatches(run.match, facts, namespaceLabels)) return false;
  return !(run.exclude && blockExcludes(run.exclude, facts, namespaceLabels));
}

/** A cheap first look for the engine: could any of the runnables match this kind at all. */
export function mayApply(runs: readonly Runnable[], doc: PolicyDocument): boolean {
  if (!doc.kind) return false;
  const facts = factsOf(doc);
  return runs.some((r) => r.match.filters.some((f) => kindMatches(f.kinds, facts)));
}

function evaluationError(name: string, message: string): KyvernoFinding {
  return { path: ['kind'], message: `Kyverno rule ${name} could not be evaluated: ${message}`, severity: 'warning' };
}

/** Where a finding goes: the failing value when it is a scalar, its key otherwise (or the nearest parent that exists). */
function findingAt(doc: PolicyDocument, path: PathSegment[]): Pick<RuleFinding, 'path' | 'target'> {
  if (path.length === 0) return { path: ['kind'], target: 'key' };
  const exists = existingPrefix(doc.value, path).length === path.length;
  const value = exists ? get(doc.value, path) : undefined;
  return { path, target: exists && value !== null && typeof value !== 'object' ? 'value' : 'key' };
}

function substitutedMessage(template: string | undefined, resolve: Resolve): string | undefined {
  if (template === undefined || template.trim() === '') return undefined;
  try {
    return stringifyValue(substituteString(template, resolve));
  } catch {
    // Kyverno falls back too: a message that cannot be filled in is shown as written
    return template;
  }
}

function patternMessage(run: Runnable, message: string | undefined, path: PathSegment[]): string {
  if (!message) return `validation error: rule ${run.name} failed at path ${kyvernoPath(path)}`;
  return `validation error: ${message}${message.endsWith('.') ? '' : '.'} rule ${run.name} failed at path ${kyvernoPath(path)}`;
}

function checkPatterns(run: Runnable, doc: PolicyDocument, patterns: unknown[], dynamic: boolean, resolve: Resolve): KyvernoFinding[] {
  const single = run.validation.type === 'pattern';
  let resolved = patterns;
  try {
    // most patterns have no variables: nothing to substitute, nothing to copy
    if (dynamic) resolved = patterns.map((p) => substituteAll(p, resolve));
  } catch (err) {
    return [evaluationError(run.name, `variable substitution failed: ${errorText(err)}`)];
  }
  const failures: { path: PathSegment[]; text: string }[] = [];
  for (const [i, pattern] of resolved.entries()) {
    const r = matchPattern(doc.value, pattern);
    if (r.status === 'pass') return [];
    if (r.status === 'skip') continue;
    if (r.status === 'error') {
      if (single) return [evaluationError(run.name, r.message)];
      failures.push({ path: [], text: `rule ${run.name}[${i}] failed: ${r.message}` });
    } else failures.push({ path: r.path, text: single ? '' : `rule ${run.name}[${i}] failed at path ${kyvernoPath(r.path)}` });
  }
  // only skipped: Kyverno skips the rule
  if (failures.length === 0) return [];
  const message = substitutedMessage(run.message, resolve);
  const deepest = failures.reduce((a, b) => (b.path.length > a.path.length ? b : a));
  if (single) return [{ ...findingAt(doc, deepest.path), message: patternMessage(run, message, deepest.path) }];
  const detail = failures.map((f) => f.text).join(' ');
  const text = message ? `validation error: ${message}${message.endsWith('.') ? '' : '.'} ${detail}` : `validation error: ${detail}`;
  return [{ ...findingAt(doc, deepest.path), message: text }];
}

/** The manifest path a deny points at: the first `request.object.…` its deciding conditions read. */
function denyPath(held: readonly Condition[], doc: PolicyDocument): PathSegment[] {
  for (const c of held) {
    for (const side of [c.key, c.value]) {
      if (typeof side !== 'string') continue;
      for (const m of side.matchAll(/\{\{-?([^{}]*)\}\}/g)) {
        let path: PathSegment[] | undefined;
        try {
          path = objectPathOf(parseJmesPath((m[1] ?? '').trim()));
        } catch {
          path = undefined;
        }
        const found = path ? existingPrefix(doc.value, path) : [];
        if (found.length > 0) return found;
      }
    }
  }
  return ['kind'];
}

function checkDeny(run: Runnable, doc: PolicyDocument, conditions: Conditions, resolve: Resolve): KyvernoFinding[] {
  let r;
  try {
    r = evaluateConditions(conditions, resolve);
  } catch (err) {
    return [evaluationError(run.name, `deny conditions: ${errorText(err)}`)];
  }
  if (!r.result) return [];
  const parts = [run.message ?? '', r.message].filter((s) => s.trim() !== '');
  const message = parts.length === 0 ? `validation error: rule ${run.name} failed` : (substitutedMessage(parts.join('; '), resolve) ?? parts.join('; '));
  const path = denyPath(r.held, doc);
  return [{ ...findingAt(doc, path), message }];
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Runs one runnable on a manifest it matches. */
export function evaluate(run: Runnable, doc: PolicyDocument, ctx: PolicyContext): KyvernoFinding[] {
  const request = requestOf(doc);
  const resolve = resolverFor(request);
  if (run.preconditions) {
    try {
      if (!evaluateConditions(run.preconditions, resolve).result) return [];
    } catch (err) {
      return [evaluationError(run.name, `preconditions: ${errorText(err)}`)];
    }
  }
  const v = run.validation;
  switch (v.type) {
    case 'pattern':
      return checkPatterns(run, doc, [v.pattern], v.dynamic, resolve);
    case 'anyPattern':
      return checkPatterns(run, doc, v.patterns, v.dynamic, resolve);
    case 'deny':
      return checkDeny(run, doc, v.conditions, resolve);
    case 'cel': {
      if ('error' in v.cel) return [evaluationError(run.name, v.cel.error)];
      const namespace = String(request.namespace);
      const ns = v.usesNamespace ? namespaceObjectOf(namespace, ctx) : null;
      const r = runRuleCel(v.cel, doc, request, ns, run.message);
      if (r.status === 'error') return [evaluationError(run.name, r.message)];
      return r.status === 'fail' ? [{ ...findingAt(doc, r.path), message: r.message }] : [];
    }
  }
}

/** Every runnable that matches, evaluated; the same finding twice is reported once. */
export function checkRunnables(runs: readonly Runnable[], scope: RuleScope, doc: PolicyDocument, ctx: PolicyContext): KyvernoFinding[] {
  const facts = factsOf(doc);
  const out: KyvernoFinding[] = [];
  for (const run of runs) {
    if (!runnableApplies(run, facts, scope, ctx)) continue;
    for (const f of evaluate(run, doc, ctx)) {
      if (!out.some((o) => o.message === f.message && o.path.join('/') === f.path.join('/'))) out.push(f);
    }
  }
  return out;
}
