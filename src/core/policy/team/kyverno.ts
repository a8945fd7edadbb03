/**
 * Kyverno `ClusterPolicy`/`Policy` (kyverno.io/v1, v2beta1): the validate rules
 * run before commit on the manifests themselves, as Kyverno's engine would
 * admit or deny them (a CREATE request): `pattern`, `anyPattern`,
 * `deny.conditions` and `cel`, with match/exclude, preconditions, `{{ }}`
 * variables (JMESPath), and the rules Kyverno generates for pod controllers.
 *
 * What cannot run before commit is said on the policy file, never passed in
 * silence: mutate/generate/verifyImages rules (info: only validate rules run),
 * foreach, podSecurity, manifests, assert, context entries, who-makes-the-request
 * filters and variables, and anything unknown. A malformed policy is an error
 * on the key at fault.
 */
import type { Finding, PathSegment, Severity } from '../../findings';
import { isObject } from '../kubernetes';
import type { PolicyDocument, Rule } from '../types';
import type { CelRuleSource, CompiledCel } from './kyverno-cel';
import { compileRuleCel } from './kyverno-cel';
import type { AutogenRule, AutogenVariant, MatchBlock } from './kyverno-match';
import { AUTOGEN_ANNOTATION, AUTOGEN_SHAPE, autogenControllers, autogenVariants, rewriteStrings } from './kyverno-match';
import type { Report } from './kyverno-parse';
import { checkPattern, checkStrings, parseConditions, parseMatch } from './kyverno-parse';
import type { Runnable, Validation } from './kyverno-rule';
import { checkRunnables, mayApply } from './kyverno-rule';
import { hasVariables } from './kyverno-variables';
import type { LoadedPolicies, PolicyFormat, PolicySourceDocument } from './types';
import { POLICY_PROBLEM } from './types';
import { problem, rangeInString, validName } from './util';

const SPEC_KEYS = new Set([
  'rules', 'validationFailureAction', 'validationFailureActionOverrides', 'background', 'admission', 'failurePolicy', 'webhookTimeoutSeconds',
  'schemaValidation', 'mutateExistingOnPolicyUpdate', 'generateExisting', 'generateExistingOnPolicyUpdate', 'useServerSideApply', 'applyRules',
  'webhookConfiguration', 'emitWarning',
]);
const RULE_KEYS = new Set(['name', 'match', 'exclude', 'context', 'preconditions', 'celPreconditions', 'validate', 'mutate', 'generate', 'verifyImages', 'imageExtractors', 'skipBackgroundRequests', 'reportProperties']);
const VALIDATE_FORMS = ['pattern', 'anyPattern', 'deny', 'cel'] as const;
const VALIDATE_UNSUPPORTED = ['foreach', 'podSecurity', 'manifests', 'assert'];
const VALIDATE_KEYS = new Set<string>([...VALIDATE_FORMS, ...VALIDATE_UNSUPPORTED, 'message', 'failureAction', 'failureActionOverrides', 'allowExistingViolations']);

interface PolicyInfo {
  doc: PolicySourceDocument;
  name: string;
  kind: string;
  namespace?: string;
  annotations: Record<string, unknown>;
  action: Severity;
  report: Report;
}

/** The rule as read, before autogen. */
interface ParsedRule {
  name: string;
  path: PathSegment[];
  raw: Record<string, unknown>;
  match: MatchBlock;
  exclude?: MatchBlock;
  severity: Severity;
  /** Undefined for a rule that is read only for autogen (mutate, generate, or one that cannot run). */
  runnable?: Runnable;
  cel?: CelRuleSource;
}

function reporter(doc: PolicySourceDocument, text: string, problems: Finding[]): Report {
  return {
    invalid: (path, message, target = 'key') => problems.push(problem(doc, POLICY_PROBLEM.invalid, 'error', message, path, target)),
    unsupported: (path, message, severity = 'warning') => problems.push(problem(doc, POLICY_PROBLEM.unsupported, severity, message, path)),
    expression: (path, offset, message) => problems.push(problem(doc, POLICY_PROBLEM.expression, 'error', message, rangeInString(doc, path, offset, text))),
  };
}

/** `Enforce` → error, `Audit` → warning (Kyverno's default); undefined for anything else. */
function actionSeverity(action: unknown): Severity | undefined {
  if (action === undefined) return 'warning';
  if (typeof action !== 'string') return undefined;
  const a = action.trim().toLowerCase();
  return a === 'enforce' ? 'error' : a === 'audit' ? 'warning' : undefined;
}

function severityAt(value: unknown, path: PathSegment[], fallback: Severity, report: Report): Severity {
  const s = actionSeverity(value);
  if (s === undefined) report.invalid(path, `'${String(value)}' is not a failure action: use Audit or Enforce.`, 'value');
  return value === undefined ? fallback : (s ?? fallback);
}

/** The validate form of a rule, with what it uses checked; undefined when the rule cannot run. */
function readValidate(v: Record<string, unknown>, path: PathSegment[], report: Report): { form: (typeof VALIDATE_FORMS)[number] } | undefined {
  const unknown = Object.keys(v).find((k) => !VALIDATE_KEYS.has(k));
  if (unknown !== undefined) {
    report.unsupported([...path, unknown], `'validate.${unknown}' is not something Paved Road knows: the rule is skipped.`);
    return undefined;
  }
  const other = VALIDATE_UNSUPPORTED.find((k) => v[k] !== undefined);
  if (other !== undefined) {
    report.unsupported([...path, other], `'validate.${other}' does not run before commit (Paved Road runs pattern, anyPattern, deny and cel): the rule is skipped.`);
    return undefined;
  }
  const forms = VALIDATE_FORMS.filter((k) => v[k] !== undefined);
  if (forms.length !== 1) {
    report.invalid(path, forms.length === 0 ? 'validate needs one of pattern, anyPattern, deny, cel (or foreach, podSecurity, manifests, assert).' : `validate may have only one of ${forms.join(', ')}.`);
    return undefined;
  }
  if (v.failureActionOverrides !== undefined) report.unsupported([...path, 'failureActionOverrides'], 'Per-namespace failure actions are not applied before commit: findings use the rule’s failure action.');
  if (v.message !== undefined && typeof v.message !== 'string') {
    report.invalid([...path, 'message'], 'validate.message must be a string.', 'value');
    return undefined;
  }
  if (typeof v.message === 'string') checkStrings(v.message, [...path, 'message'], report, false, true);
  return { form: forms[0] as (typeof VALIDATE_FORMS)[number] };
}

function celSource(cel: unknown, celPreconditions: unknown, path: PathSegment[], rulePath: PathSegment[], report: Report): CelRuleSource | undefined {
  const out: CelRuleSource = { expressions: [], variables: [], preconditions: [] };
  if (Array.isArray(celPreconditions)) {
    celPreconditions.forEach((p, i) => {
      if (isObject(p) && typeof p.expression === 'string') out.preconditions.push({ expression: p.expression, path: [...rulePath, 'celPreconditions', i, 'expression'] });
      else report.invalid([...rulePath, 'celPreconditions', i], 'A CEL precondition needs a name and an expression.');
    });
  }
  if (!isObject(cel)) {
    report.invalid(path, 'validate.cel must be a map with expressions.');
    return undefined;
  }
  for (const key of ['paramKind', 'paramRef'] as const) {
    if (cel[key] !== undefined) {
      report.unsupported([...path, key], `'${key}': parameter resources live in the cluster and are not read before commit: the rule is skipped.`);
      return undefined;
    }
  }
  if (!Array.isArray(cel.expressions) || cel.expressions.length === 0) {
    report.invalid(path, 'validate.cel needs a non-empty list of expressions.');
    return undefined;
  }
  let ok = true;
  cel.expressions.forEach((e, i) => {
    const at = [...path, 'expressions', i];
    if (!isObject(e) || typeof e.expression !== 'string' || e.expression.trim() === '') {
      report.invalid(at, 'A CEL validation needs an expression.');
      ok = false;
      return;
    }
    out.expressions.push({ expression: e.expression, path: [...at, 'expression'], ...(typeof e.message === 'string' ? { message: e.message } : {}), ...(typeof e.messageExpression === 'string' ? { messageExpression: e.messageExpression } : {}) });
  });
  (Array.isArray(cel.variables) ? cel.variables : []).forEach((v, i) => {
    if (isObject(v) && typeof v.name === 'string' && typeof v.expression === 'string') out.variables.push({ name: v.name, expression: v.expression, path: [...path, 'variables', i, 'expression'] });
    else {
      report.invalid([...path, 'variables', i], 'A CEL variable needs a name and an expression.');
      ok = false;
    }
  });
  return ok ? out : undefined;
}

/** Compiles CEL; `report` gets the errors (the rule as written), or they become an evaluation error (a generated rule). */
function compiledCel(source: CelRuleSource, report: Report | undefined): CompiledCel | { error: string } | undefined {
  const { compiled, errors } = compileRuleCel(source);
  if (errors.length === 0) return compiled;
  if (!report) return { error: errors.map((e) => e.message).join('; ') };
  for (const e of errors) {
    if (e.unsupported) report.unsupported(e.path, `${e.message} The rule is skipped.`);
    else report.expression(e.path, e.offset, e.message);
  }
  return undefined;
}

/** The validation of a rule (or of a generated rule, from its rewritten text); undefined when it cannot run. */
function validationOf(form: string, validate: Record<string, unknown>, rule: ParsedRule, report: Report | undefined, cel: CelRuleSource | undefined): Validation | undefined {
  const path = [...rule.path, 'validate', form];
  const quiet: Report = { invalid: () => undefined, unsupported: () => undefined, expression: () => undefined };
  const r = report ?? quiet;
  switch (form) {
    case 'pattern':
      return checkPattern(validate.pattern, path, r) && checkStrings(validate.pattern, path, r, true) ? { type: 'pattern', pattern: validate.pattern, dynamic: hasVariables(validate.pattern) } : undefined;
    case 'anyPattern': {
      const patterns = validate.anyPattern;
      if (!Array.isArray(patterns) || patterns.length === 0) {
        r.invalid(path, 'anyPattern must be a non-empty list of patterns.');
        return undefined;
      }
      return checkPattern(patterns, path, r) && checkStrings(patterns, path, r, true) ? { type: 'anyPattern', patterns, dynamic: hasVariables(patterns) } : undefined;
    }
    case 'deny': {
      const deny = validate.deny;
      if (!isObject(deny)) {
        r.invalid(path, "deny must be a map (with conditions; 'deny: {}' denies every resource the rule matches).");
        return undefined;
      }
      // no conditions: Kyverno denies whatever the rule matches
      const conditions = deny.conditions === undefined ? {} : parseConditions(deny.conditions, [...path, 'conditions'], r);
      return conditions && { type: 'deny', conditions };
    }
    default: {
      if (!cel) return undefined;
      const compiled = compiledCel(cel, report);
      const text = JSON.stringify(cel);
      return compiled && { type: 'cel', cel: compiled, usesNamespace: text.includes('namespaceObject') };
    }
  }
}

/** Reads one rule: problems are reported, and a rule that cannot run has no runnable. */
function readRule(raw: unknown, index: number, info: PolicyInfo): ParsedRule | undefined {
  const report = info.report;
  const path: PathSegment[] = ['spec', 'rules', index];
  if (!isObject(raw)) {
    report.invalid(path, 'A rule must be a map with name, match and validate.');
    return undefined;
  }
  if (typeof raw.name !== 'string' || !/^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/.test(raw.name)) {
    report.invalid(typeof raw.name === 'string' ? [...path, 'name'] : path, typeof raw.name === 'string' ? `'${raw.name}' is not a rule name (letters, digits, '-', '.', '_', at most 63).` : 'A rule needs a name.', 'value');
    return undefined;
  }
  if (raw.match === undefined) {
    report.invalid([...path, 'name'], "A rule needs 'match'.");
    return undefined;
  }
  const match = parseMatch(raw.match, [...path, 'match'], report, true);
  const exclude = raw.exclude !== undefined ? parseMatch(raw.exclude, [...path, 'exclude'], report, false) : undefined;
  if (!match || (raw.exclude !== undefined && !exclude)) return undefined;
  const severity = isObject(raw.validate) && raw.validate.failureAction !== undefined ? severityAt(raw.validate.failureAction, [...path, 'validate', 'failureAction'], info.action, report) : info.action;
  const rule: ParsedRule = { name: raw.name, path, raw, match, ...(exclude ? { exclude } : {}), severity };
  const kind = ['mutate', 'generate', 'verifyImages'].find((k) => raw[k] !== undefined);
  if (kind !== undefined) {
    report.unsupported([...path, kind], `'${kind}' rules change or verify resources in the cluster: only validate rules run before commit.`, 'info');
    return rule;
  }
  const unknown = Object.keys(raw).find((k) => !RULE_KEYS.has(k));
  if (unknown !== undefined) {
    report.unsupported([...path, unknown], `'${unknown}' is not something Paved Road knows in a Kyverno rule: the rule is skipped.`);
    return rule;
  }
  if (!isObject(raw.validate)) {
    report.invalid([...path, 'name'], 'A rule needs one of validate, mutate, generate or verifyImages.');
    return rule;
  }
  if (raw.context !== undefined) {
    report.unsupported([...path, 'context'], 'Context entries (ConfigMaps, API calls, image registries, variables) are not loaded before commit: the rule is skipped.');
    return rule;
  }
  const read = readValidate(raw.validate, [...path, 'validate'], report);
  if (!read) return rule;
  const preconditions = raw.preconditions !== undefined ? parseConditions(raw.preconditions, [...path, 'preconditions'], report) : undefined;
  if (raw.preconditions !== undefined && !preconditions) return rule;
  const cel = read.form === 'cel' ? celSource(raw.validate.cel, raw.celPreconditions, [...path, 'validate', 'cel'], path, report) : undefined;
  if (read.form === 'cel' && !cel) return rule;
  if (cel) rule.cel = cel;
  const validation = validationOf(read.form, raw.validate, rule, report, cel);
  if (!validation) return rule;
  rule.runnable = {
    name: rule.name,
    match,
    ...(exclude ? { exclude } : {}),
    ...(preconditions ? { preconditions } : {}),
    validation,
    ...(typeof raw.validate.message === 'string' ? { message: raw.validate.message } : {}),
  };
  return rule;
}

/** A rule Kyverno generates for controllers: the pattern moved under the pod template, `request.object.spec` & co rewritten. */
function generated(rule: ParsedRule, variant: AutogenVariant): Runnable | undefined {
  const base = rule.runnable;
  if (!base) return undefined;
  const shape = AUTOGEN_SHAPE[variant.kind];
  const isCel = base.validation.type === 'cel';
  const pairs = isCel ? shape.cel : shape.jmespath;
  const validate = rewriteStrings(rule.raw.validate, pairs) as Record<string, unknown>;
  if (base.validation.type === 'pattern') validate.pattern = shape.wrap(validate.pattern);
  if (base.validation.type === 'anyPattern' && Array.isArray(validate.anyPattern)) validate.anyPattern = validate.anyPattern.map((p) => shape.wrap(p));
  const cel = rule.cel && (rewriteStrings(rule.cel, pairs) as CelRuleSource);
  const validation = validationOf(base.validation.type, validate, rule, undefined, cel);
  if (!validation) return undefined;
  const preconditions = rule.raw.preconditions !== undefined ? parseConditions(rewriteStrings(rule.raw.preconditions, pairs), [], { invalid: () => undefined, unsupported: () => undefined, expression: () => undefined }) : undefined;
  return {
    name: variant.name,
    match: variant.match,
    ...(variant.exclude ? { exclude: variant.exclude } : {}),
    ...(preconditions ? { preconditions } : {}),
    validation,
    ...(typeof validate.message === 'string' ? { message: validate.message } : {}),
  };
}

function textOf(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.replace(/\s+/g, ' ').trim() : undefined;
}

function toRule(rule: ParsedRule, runs: Runnable[], info: PolicyInfo): Rule {
  const title = textOf(info.annotations['policies.kyverno.io/title']);
  const message = rule.runnable?.message?.trim();
  const scope = info.namespace !== undefined ? { namespace: info.namespace } : {};
  return {
    id: `${info.name}/${rule.name}`,
    title: title ? `${title} (${rule.name})` : rule.name,
    category: 'team-policy',
    severity: rule.severity,
    description: textOf(info.annotations['policies.kyverno.io/description']) ?? `Kyverno ${info.kind} ${info.name}, rule ${rule.name}.`,
    remediation: message ? message : `Change the resource so that the Kyverno rule ${rule.name} of ${info.name} passes.`,
    exemptionNames: [`${info.name}.${rule.name}`, info.name],
    origin: { path: info.doc.path, range: info.doc.locate([...rule.path, 'name'], 'value'), format: 'Kyverno' },
    appliesTo: (doc: PolicyDocument) => mayApply(runs, doc),
    check: (doc, ctx) => checkRunnables(runs, scope, doc, ctx),
  };
}

/** The policy-wide part: name, kind, namespace, default action, unknown keys. */
function policyInfo(doc: PolicySourceDocument, text: string, problems: Finding[]): PolicyInfo | undefined {
  const report = reporter(doc, text, problems);
  const meta = isObject(doc.value.metadata) ? doc.value.metadata : {};
  const name = doc.name;
  if (!name || !validName(name)) {
    report.invalid(name ? ['metadata', 'name'] : ['metadata'], name ? `'${name}' is not a policy name (lower-case letters, digits, '-' and '.').` : 'A Kyverno policy needs metadata.name.', 'value');
    return undefined;
  }
  const spec = doc.value.spec;
  if (!isObject(spec) || !Array.isArray(spec.rules) || spec.rules.length === 0) {
    report.invalid(isObject(spec) ? ['spec'] : [], 'This policy has no spec.rules: nothing to check.');
    return undefined;
  }
  for (const key of Object.keys(spec)) {
    if (!SPEC_KEYS.has(key)) report.unsupported(['spec', key], `'spec.${key}' is not something Paved Road knows in a Kyverno policy: it is ignored.`);
  }
  if (spec.validationFailureActionOverrides !== undefined) report.unsupported(['spec', 'validationFailureActionOverrides'], 'Per-namespace failure actions are not applied before commit: findings use the policy’s failure action.');
  if (spec.applyRules === 'One') report.unsupported(['spec', 'applyRules'], "'applyRules: One' is not applied before commit: every rule runs.");
  const kind = doc.kind ?? 'ClusterPolicy';
  return {
    doc,
    name,
    kind,
    ...(kind === 'Policy' ? { namespace: doc.namespace ?? 'default' } : {}),
    annotations: isObject(meta.annotations) ? meta.annotations : {},
    action: severityAt(spec.validationFailureAction, ['spec', 'validationFailureAction'], 'warning', report),
    report,
  };
}

function autogenInput(rule: ParsedRule): AutogenRule {
  const mutate = rule.raw.mutate;
  const patches = isObject(mutate) && (mutate.patchesJson6902 !== undefined || (Array.isArray(mutate.foreach) && mutate.foreach.some((f) => isObject(f) && f.patchesJson6902 !== undefined)));
  return { name: rule.name, match: rule.match, ...(rule.exclude ? { exclude: rule.exclude } : {}), generates: rule.raw.generate !== undefined, patchesJson6902: patches };
}

export const kyvernoFormat: PolicyFormat = {
  name: 'Kyverno policy',
  reads: (doc) => /^kyverno\.io\/v(1|2beta1)$/.test(doc.apiVersion ?? '') && (doc.kind === 'ClusterPolicy' || doc.kind === 'Policy'),
  load(doc, options): LoadedPolicies {
    const problems: Finding[] = [];
    const info = policyInfo(doc, options.text, problems);
    if (!info) return { rules: [], problems };
    const spec = doc.value.spec as { rules: unknown[] };
    const parsed = spec.rules.map((r, i) => readRule(r, i, info)).filter((r): r is ParsedRule => r !== undefined);
    const annotation = info.annotations[AUTOGEN_ANNOTATION];
    const controllers = autogenControllers(parsed.map(autogenInput), typeof annotation === 'string' ? annotation : undefined);
    const rules: Rule[] = [];
    for (const rule of parsed) {
      if (!rule.runnable) continue;
      const runs = [rule.runnable, ...autogenVariants(autogenInput(rule), controllers).flatMap((v) => generated(rule, v) ?? [])];
      rules.push(toRule(rule, runs, info));
    }
    return { rules, problems };
  },
};
