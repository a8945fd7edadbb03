/**
 * The Paved Road `Policy` format: match documents by apiVersion, kind, file,
 * name and namespace globs; each rule a CEL expression that holds for a
 * compliant resource, a message template, a severity and where the finding
 * goes. `each: containers` checks every container of a workload wherever its
 * pod spec sits.
 */
import { relative, sep } from 'node:path';
import type { Finding, PathSegment } from '../../findings';
import { globMatcher } from '../../util/glob';
import { get, isObject, podSpecOf } from '../kubernetes';
import type { PolicyDocument, Rule, RuleFinding } from '../types';
import { celEnvironment, celToString, compileCel, runCel, toCel } from './cel';
import type { CelActivation, CelProgram } from './cel';
import { PolicySchema } from './model';
import type { PolicyMatch, PolicyRule } from './model';
import type { PolicyFormat, PolicyLoadOptions, PolicySourceDocument } from './types';
import { POLICY_PROBLEM } from './types';
import { existingPrefix, parseFieldPath, problem, rangeInString, templateParts } from './util';

const list = (v: string | string[] | undefined): string[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

type Matcher = (doc: PolicyDocument) => boolean;

function globs(patterns: string[] | undefined): ((s: string) => boolean) | undefined {
  if (!patterns) return undefined;
  // linear time: the names and paths matched come from the repository too
  return globMatcher(patterns, { dot: true });
}

/** A document matcher from match entries (any entry; every key of an entry). */
export function matcherOf(entries: readonly PolicyMatch[] | undefined, baseDir: string, fallback: boolean): Matcher {
  if (!entries?.length) return () => fallback;
  const tests = entries.map((e) => {
    const apiVersion = globs(list(e.apiVersion));
    const kind = globs(list(e.kind));
    const files = globs(list(e.files));
    const names = globs(list(e.names));
    const namespaces = globs(list(e.namespaces));
    return (doc: PolicyDocument): boolean => {
      if (apiVersion && !apiVersion(doc.apiVersion ?? '')) return false;
      if (kind && !kind(doc.kind ?? '')) return false;
      if (names && !names(doc.name ?? '')) return false;
      if (namespaces && !namespaces(doc.namespace ?? '')) return false;
      if (files) {
        const rel = relative(baseDir, doc.path).split(sep).join('/');
        if (rel.startsWith('..') || !files(rel)) return false;
      }
      return true;
    };
  });
  return (doc) => tests.some((t) => t(doc));
}

/** Variables evaluated on first use, in order (a variable sees the ones before it). */
export function lazyVariables(programs: readonly { name: string; program: CelProgram }[], base: CelActivation): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const activation = { ...base, variables: values };
  for (const { name, program } of programs) {
    let done = false;
    let value: unknown;
    Object.defineProperty(values, name, {
      enumerable: true,
      get() {
        if (!done) {
          const r = runCel(program, activation);
          if ('error' in r) throw new Error(`variable ${name}: ${r.error}`);
          value = r.value;
          done = true;
        }
        return value;
      },
    });
  }
  return values;
}

interface Compiled {
  expression: CelProgram;
  message?: { parts: ({ text: string } | { program: CelProgram })[] };
  messageExpression?: CelProgram;
}

function compileRule(
  doc: PolicySourceDocument,
  rule: PolicyRule,
  at: PathSegment[],
  env: ReturnType<typeof celEnvironment>,
  text: string,
  problems: Finding[],
): Compiled | undefined {
  let ok = true;
  const compile = (source: string, path: PathSegment[], offset = 0): CelProgram | undefined => {
    const c = compileCel(env, source);
    if ('program' in c) return c.program;
    ok = false;
    problems.push(
      problem(doc, POLICY_PROBLEM.expression, 'error', `Invalid CEL in ${path.at(-1)}: ${c.error.message}`, rangeInString(doc, path, c.error.offset !== undefined ? c.error.offset + offset : undefined, text)),
    );
    return undefined;
  };
  const expression = compile(rule.expression, [...at, 'expression']);
  let message: Compiled['message'];
  if (rule.message !== undefined) {
    const parts: ({ text: string } | { program: CelProgram })[] = [];
    for (const part of templateParts(rule.message)) {
      if ('text' in part) parts.push(part);
      else {
        const p = compile(part.expression, [...at, 'message'], part.offset);
        if (p) parts.push({ program: p });
      }
    }
    message = { parts };
  }
  const messageExpression = rule.messageExpression !== undefined ? compile(rule.messageExpression, [...at, 'messageExpression']) : undefined;
  if (!ok || !expression) return undefined;
  return { expression, ...(message ? { message } : {}), ...(messageExpression ? { messageExpression } : {}) };
}

interface Item {
  activation: CelActivation;
  base: PathSegment[];
}

/** The elements a rule with `each` checks, with their paths. */
function itemsOf(doc: PolicyDocument, each: string | undefined, eachPath: PathSegment[] | undefined, activation: CelActivation): Item[] {
  if (each === undefined) return [{ activation, base: [] }];
  if (each === 'containers') {
    const pod = podSpecOf(doc);
    return (pod?.containers ?? []).map((c, index) => ({ activation: { ...activation, element: toCel(c.container), index: BigInt(index) }, base: c.path }));
  }
  const items = eachPath ? get(doc.value, eachPath) : undefined;
  if (Array.isArray(items)) return items.map((e, index) => ({ activation: { ...activation, element: toCel(e), index: BigInt(index) }, base: [...(eachPath ?? []), index] }));
  if (isObject(items)) return Object.entries(items).map(([k, e], index) => ({ activation: { ...activation, element: toCel(e), index: BigInt(index), key: k }, base: [...(eachPath ?? []), k] }));
  return [];
}

function messageOf(c: Compiled, activation: CelActivation, fallback: string): string {
  if (c.messageExpression) {
    const r = runCel(c.messageExpression, activation);
    if ('value' in r && typeof r.value === 'string' && r.value.trim()) return r.value;
  }
  if (c.message) {
    return c.message.parts
      .map((p) => {
        if ('text' in p) return p.text;
        const r = runCel(p.program, activation);
        return 'value' in r ? celToString(r.value) : '<?>';
      })
      .join('');
  }
  return fallback;
}

export const pavedRoadFormat: PolicyFormat = {
  name: 'Paved Road Policy',
  reads: (doc) => doc.apiVersion === 'paved-road.dev/v1' && doc.kind === 'Policy',
  load(doc: PolicySourceDocument, options: PolicyLoadOptions) {
    const problems: Finding[] = [];
    const parsed = PolicySchema.safeParse(doc.value);
    if (!parsed.success) {
      // the schema also shows these in the editor; here they say why the policy does not run
      for (const issue of parsed.error.issues.slice(0, 10)) {
        const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
        problems.push(problem(doc, POLICY_PROBLEM.invalid, 'error', `This policy does not run: ${path.length ? `${path.join('.')}: ` : ''}${issue.message}`, existingPrefix(doc.value, path)));
      }
      return { rules: [], problems };
    }
    const policy = parsed.data;
    const text = options.text;
    const name = policy.metadata.name;
    const env = celEnvironment(['object', 'variables', 'file', 'element', 'index', 'key']);
    const variables: { name: string; program: CelProgram }[] = [];
    policy.spec.variables?.forEach((v, i) => {
      const c = compileCel(env, v.expression);
      if ('program' in c) variables.push({ name: v.name, program: c.program });
      else problems.push(problem(doc, POLICY_PROBLEM.expression, 'error', `Invalid CEL in variable ${v.name}: ${c.error.message}`, rangeInString(doc, ['spec', 'variables', i, 'expression'], c.error.offset, text)));
    });
    const policyMatch = matcherOf(policy.spec.match, options.baseDir, true);
    const policyExclude = matcherOf(policy.spec.exclude, options.baseDir, false);
    const rules: Rule[] = [];
    policy.spec.rules.forEach((r, i) => {
      const at: PathSegment[] = ['spec', 'rules', i];
      const compiled = compileRule(doc, r, at, env, text, problems);
      const eachPath = r.each !== undefined && r.each !== 'containers' ? parseFieldPath(r.each) : undefined;
      const findingPath = r.path !== undefined ? parseFieldPath(r.path) : undefined;
      if (r.each !== undefined && r.each !== 'containers' && !eachPath) {
        problems.push(problem(doc, POLICY_PROBLEM.invalid, 'error', `each: '${r.each}' is neither 'containers' nor a field path such as 'spec.rules'.`, [...at, 'each'], 'value'));
        return;
      }
      if (r.path !== undefined && !findingPath) {
        problems.push(problem(doc, POLICY_PROBLEM.invalid, 'error', `path: '${r.path}' is not a field path such as 'metadata.labels' or 'spec.containers[0].image'.`, [...at, 'path'], 'value'));
        return;
      }
      if (!compiled) return;
      const ruleMatch = r.match ? matcherOf(r.match, options.baseDir, true) : policyMatch;
      const ruleExclude = matcherOf(r.exclude, options.baseDir, false);
      const id = `${name}/${r.name}`;
      const fallback = r.title ?? `${id}: '${r.expression}' does not hold`;
      rules.push({
        id,
        title: r.title ?? r.name,
        category: 'team-policy',
        severity: r.severity ?? 'error',
        description: r.description ?? policy.spec.description ?? `Team policy ${name}.`,
        remediation: r.remediation ?? r.description ?? `See the policy ${name} (${relative(options.baseDir, doc.path).split(sep).join('/')}).`,
        exemptionNames: [`${name}.${r.name}`, name],
        origin: { path: doc.path, range: doc.locate([...at, 'name'], 'value'), format: 'Paved Road Policy' },
        appliesTo: (d) => ruleMatch(d) && !policyExclude(d) && !ruleExclude(d),
        check(d) {
          const object = toCel(d.value);
          const rel = relative(options.baseDir, d.path).split(sep).join('/');
          const base: CelActivation = { object, file: { path: rel, name: rel.slice(rel.lastIndexOf('/') + 1) }, element: null, index: null, key: null };
          base.variables = lazyVariables(variables, base);
          const out: RuleFinding[] = [];
          for (const item of itemsOf(d, r.each, eachPath, base)) {
            const result = runCel(compiled.expression, item.activation);
            const where = [...item.base, ...(findingPath ?? [])];
            const placed = findingPath || item.base.length ? existingPrefix(d.value, where) : ['kind'];
            if ('error' in result) {
              out.push({ path: placed, message: `${id} could not be evaluated on this resource: ${result.error}`, severity: 'warning' });
            } else if (result.value !== true) {
              const message = typeof result.value === 'boolean' ? messageOf(compiled, item.activation, fallback) : `${id}: the expression gave ${celToString(result.value)}, not true or false`;
              out.push({ path: placed, message });
            }
          }
          return out;
        },
      });
    });
    return { rules, problems };
  },
};
