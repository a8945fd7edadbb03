/**
 * Kyverno `validate.cel` (and `celPreconditions`): the expressions Kyverno
 * hands to the Kubernetes admission CEL validator, with `object` (the
 * manifest), `oldObject` (null: a CREATE), `request`, `namespaceObject` and
 * `variables`. `params` (`paramKind`/`paramRef`) and `authorizer` need the
 * cluster: reported as not supported by the loader.
 */
import type { PathSegment } from '../../findings';
import type { PolicyContext, PolicyDocument } from '../types';
import { celEnvironment, celToString, compileCel, runCel, toCel } from './cel';
import type { CelActivation, CelProgram } from './cel';
import { lazyVariables } from './paved';
import { existingPrefix, namespaceView, parseFieldPath } from './util';

const VARIABLES = ['object', 'oldObject', 'request', 'namespaceObject', 'variables', 'params'];

export interface CelSource {
  expression: string;
  message?: string;
  messageExpression?: string;
  /** Where the expression is in the policy (for compile errors). */
  path: PathSegment[];
}

export interface CelRuleSource {
  expressions: CelSource[];
  variables: { name: string; expression: string; path: PathSegment[] }[];
  preconditions: { expression: string; path: PathSegment[] }[];
}

export interface CelCompileError {
  message: string;
  path: PathSegment[];
  offset?: number;
  unsupported?: boolean;
}

export interface CompiledCel {
  expressions: { source: string; program: CelProgram; message?: string; messageExpression?: CelProgram }[];
  variables: { name: string; program: CelProgram }[];
  preconditions: CelProgram[];
}

/** What needs the cluster, by a look at the source (the checker would only say "unknown variable"). */
function unsupportedIn(source: string): string | undefined {
  // a variable, not a field of something (`object.spec.params` is fine)
  if (/(?<![\w.])authorizer\b/.test(source)) return "'authorizer' checks need the cluster: this expression does not run before commit.";
  if (/(?<![\w.])request\.userInfo\b/.test(source)) return "'request.userInfo' (who applies the change) is not known before commit.";
  if (/(?<![\w.])params\b/.test(source)) return "'params' need the parameter resource in the cluster (paramKind/paramRef): not supported before commit.";
  return undefined;
}

/** Compiles a rule's CEL; every problem comes back with the path of the expression in the policy. */
export function compileRuleCel(source: CelRuleSource): { compiled: CompiledCel; errors: CelCompileError[] } {
  const env = celEnvironment(VARIABLES);
  const errors: CelCompileError[] = [];
  const compile = (expression: string, path: PathSegment[]): CelProgram | undefined => {
    const unsupported = unsupportedIn(expression);
    if (unsupported) {
      errors.push({ message: unsupported, path, unsupported: true });
      return undefined;
    }
    const c = compileCel(env, expression);
    if ('program' in c) return c.program;
    errors.push({ message: `Invalid CEL: ${c.error.message}`, path, ...(c.error.offset !== undefined ? { offset: c.error.offset } : {}) });
    return undefined;
  };
  const compiled: CompiledCel = { expressions: [], variables: [], preconditions: [] };
  for (const p of source.preconditions) {
    const program = compile(p.expression, p.path);
    if (program) compiled.preconditions.push(program);
  }
  for (const v of source.variables) {
    const program = compile(v.expression, v.path);
    if (program) compiled.variables.push({ name: v.name, program });
  }
  for (const e of source.expressions) {
    const program = compile(e.expression, e.path);
    const messageExpression = e.messageExpression !== undefined ? compile(e.messageExpression, [...e.path.slice(0, -1), 'messageExpression']) : undefined;
    if (program) compiled.expressions.push({ source: e.expression, program, ...(e.message !== undefined ? { message: e.message } : {}), ...(messageExpression ? { messageExpression } : {}) });
  }
  return { compiled, errors };
}

export type CelOutcome = { status: 'pass' | 'skip' } | { status: 'fail'; message: string; path: PathSegment[] } | { status: 'error'; message: string };

/** The first `object.a.b` an expression reads, cut to what the manifest has: where a failure is shown. */
function pathOf(source: string, value: unknown): PathSegment[] | undefined {
  const m = /(?<![\w.])object((?:\.[A-Za-z_]\w*)+)/.exec(source);
  const path = m ? parseFieldPath(m[1] ?? '') : undefined;
  const found = path ? existingPrefix(value, path) : [];
  return found.length > 0 ? found : undefined;
}

/** Runs a rule's CEL on a manifest as Kyverno does: preconditions, then the expressions in order; the first denial or error decides. */
export function runRuleCel(compiled: CompiledCel, doc: PolicyDocument, request: Record<string, unknown>, namespaceObject: Record<string, unknown> | null, fallbackMessage: string | undefined): CelOutcome {
  const base: CelActivation = { object: toCel(doc.value), oldObject: null, request: toCel(request), namespaceObject: namespaceObject ? toCel(namespaceObject) : null, params: null };
  base.variables = lazyVariables(compiled.variables, base);
  for (const p of compiled.preconditions) {
    const r = runCel(p, base);
    if ('error' in r) return { status: 'error', message: `a CEL precondition could not be evaluated: ${r.error}` };
    if (r.value !== true) return { status: 'skip' };
  }
  for (const e of compiled.expressions) {
    const r = runCel(e.program, base);
    if ('error' in r) return { status: 'error', message: `'${e.source.trim()}': ${r.error}` };
    if (typeof r.value !== 'boolean') return { status: 'error', message: `'${e.source.trim()}' gave ${celToString(r.value)}, not a boolean` };
    if (r.value) continue;
    return { status: 'fail', message: messageOf(e, base, fallbackMessage), path: pathOf(e.source, doc.value) ?? ['kind'] };
  }
  return { status: 'pass' };
}

/** `messageExpression` when it gives a one-line string, else `message`, else the rule's message, else Kubernetes' default. */
function messageOf(e: CompiledCel['expressions'][number], base: CelActivation, fallback: string | undefined): string {
  if (e.messageExpression) {
    const m = runCel(e.messageExpression, base);
    if ('value' in m && typeof m.value === 'string' && m.value.trim() !== '' && !m.value.includes('\n')) return m.value;
  }
  const message = e.message?.trim() ? e.message : fallback?.trim() ? fallback : undefined;
  return message ?? `failed expression: ${e.source.trim()}`;
}

/** The namespace a CEL rule sees: the Namespace manifest among the checked files, else what every namespace has (name and metadata.name label). */
export function namespaceObjectOf(namespace: string, ctx: PolicyContext): Record<string, unknown> | null {
  return namespace === '' ? null : namespaceView(ctx, namespace).value;
}
