/**
 * Turns ajv's raw errors into findings a person understands: one per real problem,
 * on the key or value it is about, with "did you mean" where a typo is likely.
 * `anyOf`/`oneOf` noise is collapsed into the most likely branch.
 */
import { charge } from '../util/budget';
import type { ErrorObject } from 'ajv';
import type { PathSegment } from '../manifest';
import { closestMatch, codeList, describeValue, displayText } from '../util/text';

export interface SchemaIssue {
  /** `schema/<keyword>`, e.g. `schema/required`. */
  ruleId: string;
  message: string;
  detail?: string;
  /** Where the problem sits in the document value. */
  path: PathSegment[];
  /** Put the diagnostic on the key at `path` or on its value. */
  target: 'key' | 'value';
  /** Facts for quick fixes: the missing or unknown property, the allowed values, the likely intended one. */
  property?: string;
  allowed?: unknown[];
  suggestion?: string;
  /** For a missing property: the key in the document that is probably its misspelling. */
  typo?: string;
}

export function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (seg.length <= MAX_KEY_CHARS && /^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(shownKey(seg))}]`;
  }
  return out;
}

/** Longest key a message repeats: an unknown key can be a megabyte long. */
const MAX_KEY_CHARS = 100;

/** A key from the document, for a message: control characters escaped, at most MAX_KEY_CHARS. */
function shownKey(key: string): string {
  return displayText(key, MAX_KEY_CHARS);
}

function where(path: readonly PathSegment[]): string {
  return path.length === 0 ? 'The document' : `'${formatPath(path)}'`;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: "'true' or 'false'",
  object: 'a mapping',
  array: 'a list',
  null: 'empty',
};

function typeList(types: readonly string[]): string {
  const names = [...new Set(types)].map((t) => TYPE_NAMES[t] ?? t);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

type AjvError = ErrorObject<string, Record<string, unknown>, unknown>;

const UNION = new Set(['anyOf', 'oneOf']);

function isUnder(instancePath: string, parent: string): boolean {
  return instancePath === parent || instancePath.startsWith(`${parent}/`);
}

/** Resolves a local JSON pointer (`#/definitions/X`) in the root schema. */
function resolvePointer(root: unknown, ref: string): unknown {
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

/** Local `$ref`s reachable from a schema node (ajv reports errors inside them with the definition's path). */
function refsWithin(node: unknown, root: unknown, out: Set<string>, depth = 0): Set<string> {
  if (!node || typeof node !== 'object' || depth > 200) return out;
  if (Array.isArray(node)) {
    for (const n of node) refsWithin(n, root, out, depth + 1);
    return out;
  }
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#/')) {
      if (!out.has(v)) {
        out.add(v);
        refsWithin(resolvePointer(root, v), root, out, depth + 1);
      }
    } else if (typeof v === 'object') refsWithin(v, root, out, depth + 1);
  }
  return out;
}

/** Branch prefixes in the schema: the inline branch, and every local definition it reaches through `$ref`. */
function branchPrefixes(union: AjvError, root: unknown): string[][] {
  const branches = Array.isArray(union.schema) ? (union.schema as unknown[]) : [];
  return branches.map((b, i) => [`${union.schemaPath}/${i}/`, ...[...refsWithin(b, root, new Set())].map((r) => `${r}/`)]);
}

/**
 * Keep only the errors of the most likely branch of each failing `anyOf`/`oneOf`.
 * ajv (with allErrors) reports every branch's errors before the union's own error.
 */
export function collapseUnions(errors: readonly AjvError[], root?: unknown): AjvError[] {
  let result = [...errors];
  // outermost first: shallower in the document, and (ajv reports a union after its branches) later in the list
  const unions = errors
    .map((e, index) => ({ e, index }))
    .filter(({ e }) => UNION.has(e.keyword) && !(e.params && 'passingSchemas' in e.params && e.params.passingSchemas))
    .sort((a, b) => a.e.instancePath.length - b.e.instancePath.length || b.index - a.index)
    .map(({ e }) => e);
  for (const union of unions) {
    const unionIndex = result.indexOf(union);
    if (unionIndex < 0) continue; // removed with a branch of an outer union
    // each union looks through the errors before it: a fan-out's thousands of errors are bounded by the validation budget
    charge(unionIndex + result.length);
    const prefixes = branchPrefixes(union, root);
    const byBranch = new Map<number, AjvError[]>();
    for (let i = 0; i < unionIndex; i++) {
      const e = result[i] as AjvError;
      if (!isUnder(e.instancePath, union.instancePath)) continue;
      const branch = prefixes.findIndex((ps) => ps.some((p) => e.schemaPath.startsWith(p)));
      if (branch < 0) continue;
      const list = byBranch.get(branch) ?? [];
      list.push(e);
      byBranch.set(branch, list);
    }
    if (byBranch.size === 0) continue; // nothing to choose from: keep the union error itself
    const member = new Set([...byBranch.values()].flat());
    const replacement = chooseBranch(union, byBranch, prefixes.length);
    result = result.flatMap((e) => {
      if (e === union) return replacement; // the chosen branch's errors take the union's place
      return member.has(e) ? [] : [e];
    });
  }
  return result;
}

function chooseBranch(union: AjvError, byBranch: Map<number, AjvError[]>, branchCount: number): AjvError[] {
  const at = union.instancePath;
  const rootTypeMismatch = (errs: AjvError[]) => errs.some((e) => e.keyword === 'type' && e.instancePath === at);
  const discriminatorMismatch = (errs: AjvError[]) =>
    errs.some((e) => (e.keyword === 'const' || e.keyword === 'enum') && e.instancePath !== at && pointerToPath(e.instancePath).length === pointerToPath(at).length + 1);

  const branches = [...byBranch.entries()];
  // every branch wants another type here: one message listing the types
  if (branches.length === branchCount && branches.every(([, errs]) => rootTypeMismatch(errs))) {
    const types = branches.flatMap(([, errs]) => errs.filter((e) => e.keyword === 'type' && e.instancePath === at).flatMap((e) => toArray(e.params.type)));
    const first = branches[0]?.[1].find((e) => e.keyword === 'type') as AjvError;
    return [{ ...first, params: { type: types.join(',') } }];
  }
  // every branch is told apart by the same property: one message listing its allowed values
  if (branches.length === branchCount && branches.every(([, errs]) => discriminatorMismatch(errs))) {
    const discs = branches.map(([, errs]) => errs.find((e) => (e.keyword === 'const' || e.keyword === 'enum') && e.instancePath !== at) as AjvError);
    const samePath = discs.every((d) => d.instancePath === discs[0]?.instancePath);
    if (samePath && discs[0]) {
      const allowed = discs.flatMap((d) => (d.keyword === 'const' ? [d.params.allowedValue] : toArray(d.params.allowedValues)));
      return [{ ...discs[0], keyword: 'enum', params: { allowedValues: [...new Set(allowed)] } }];
    }
  }
  let best: AjvError[] = [];
  let bestScore = Infinity;
  for (const [, errs] of branches) {
    const depth = Math.max(...errs.map((e) => e.instancePath.length));
    const score = (rootTypeMismatch(errs) ? 1e6 : 0) + (discriminatorMismatch(errs) ? 1e4 : 0) + errs.length * 10 - Math.min(depth, 9);
    if (score < bestScore) {
      bestScore = score;
      best = errs;
    }
  }
  return best;
}

function toArray(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string' && v.includes(',')) return v.split(',');
  return v === undefined ? [] : [v];
}

/** Humanize ajv errors (after collapsing unions) into issues. */
export function toIssues(rawErrors: readonly AjvError[], root?: unknown): SchemaIssue[] {
  const errors = collapseUnions(rawErrors, root);
  const issues: SchemaIssue[] = [];
  // typos: an unknown key close to a required one explains the missing one too
  const explainedRequired = new Set<string>();
  const suggestions = new Map<AjvError, string | undefined>();
  for (const e of errors) {
    if (e.keyword !== 'additionalProperties') continue;
    const props = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    const suggestion = closestMatch(String(e.params.additionalProperty), props);
    suggestions.set(e, suggestion);
    if (suggestion) explainedRequired.add(`${e.instancePath}\u0000${suggestion}`);
  }
  const seen = new Set<string>();
  // a propertyNames error is reported once, as "`X` is not an allowed key", not also through the check inside it
  const propertyNameChecks = errors.filter((e) => e.keyword === 'propertyNames').map((e) => `${e.schemaPath}/`);
  for (const e of errors) {
    if (e.keyword !== 'propertyNames' && propertyNameChecks.some((prefix) => e.schemaPath.startsWith(prefix))) continue;
    if (e.keyword === 'required' && explainedRequired.has(`${e.instancePath}\u0000${String(e.params.missingProperty)}`)) continue;
    const issue = describe(e, suggestions.get(e));
    if (!issue) continue;
    const key = `${issue.ruleId}\u0000${formatPath(issue.path)}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

function describe(e: AjvError, suggestion: string | undefined): SchemaIssue | undefined {
  const path = pointerToPath(e.instancePath);
  const p = e.params;
  const ruleId = `schema/${e.keyword}`;
  const parent = e.parentSchema;
  const got = describeValue(e.data);
  switch (e.keyword) {
    case 'type':
      return { ruleId, path, target: 'value', message: `${where(path)} must be ${typeList(toArray(p.type).map(String))}, got ${got}.` };
    case 'required': {
      const missing = String(p.missingProperty);
      // a schema that allows extra keys cannot call `ownr` unknown, but it is likely the missing `owner`
      const known = new Set(Object.keys((parent?.properties as object | undefined) ?? {}));
      const present = e.data && typeof e.data === 'object' && !Array.isArray(e.data) ? Object.keys(e.data).filter((k) => !known.has(k)) : [];
      const typo = present.find((k) => closestMatch(k, [missing]) === missing);
      const base = path.length ? `Missing required property '${missing}' in ${where(path)}` : `Missing required property '${missing}'`;
      return {
        ruleId,
        path: typo ? [...path, typo] : path,
        target: 'key',
        message: typo ? `${base} — is '${shownKey(typo)}' a misspelling of it?` : `${base}.`,
        property: missing,
        ...(typo ? { typo } : {}),
      };
    }
    case 'additionalProperties': {
      const prop = String(p.additionalProperty);
      const allowed = Object.keys((parent?.properties as object | undefined) ?? {});
      return {
        ruleId,
        path: [...path, prop],
        target: 'key',
        message: `Unknown property '${shownKey(prop)}'${suggestion ? ` — did you mean '${suggestion}'?` : '.'}`,
        detail: allowed.length ? `Allowed here: ${codeList(allowed, 'and', 30)}.` : `No properties are allowed in ${where(path)}.`,
        property: prop,
        ...(suggestion ? { suggestion } : {}),
      };
    }
    case 'enum': {
      const allowed = toArray(p.allowedValues);
      const close = typeof e.data === 'string' ? closestMatch(e.data, allowed.filter((a): a is string => typeof a === 'string')) : undefined;
      return {
        ruleId,
        path,
        target: 'value',
        message: `${where(path)} must be ${allowed.length === 1 ? codeList(allowed) : `one of ${codeList(allowed)}`}, got ${got}.${close ? ` Did you mean '${close}'?` : ''}`,
        allowed,
        ...(close ? { suggestion: close } : {}),
      };
    }
    case 'const':
      return { ruleId, path, target: 'value', message: `${where(path)} must be ${codeList([p.allowedValue])}, got ${got}.`, allowed: [p.allowedValue] };
    case 'pattern': {
      const custom = typeof parent?.patternErrorMessage === 'string' ? parent.patternErrorMessage : undefined;
      if (custom) {
        // a schema's own wording may use markdown quotes: diagnostics are plain text
        const text = custom.replace(/\.$/, '').replace(/`/g, "'");
        return { ruleId, path, target: 'value', message: `${where(path)}${/^must\b/.test(text) ? ' ' : ': '}${text}, got ${got}.` };
      }
      return { ruleId, path, target: 'value', message: `${where(path)} must match the pattern '${String(p.pattern)}', got ${got}.` };
    }
    case 'minLength':
      return {
        ruleId,
        path,
        target: 'value',
        message: p.limit === 1 ? `${where(path)} must not be empty.` : `${where(path)} must be at least ${String(p.limit)} characters long.`,
      };
    case 'maxLength':
      return { ruleId, path, target: 'value', message: `${where(path)} must be at most ${String(p.limit)} characters long.` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const words: Record<string, string> = { minimum: 'at least', maximum: 'at most', exclusiveMinimum: 'greater than', exclusiveMaximum: 'less than' };
      return { ruleId, path, target: 'value', message: `${where(path)} must be ${words[e.keyword]} ${String(p.limit)}, got ${got}.` };
    }
    case 'minItems':
      return {
        ruleId,
        path,
        target: 'value',
        message: p.limit === 1 ? `${where(path)} must have at least one item.` : `${where(path)} must have at least ${String(p.limit)} items.`,
      };
    case 'maxItems':
      return { ruleId, path, target: 'value', message: `${where(path)} must have at most ${String(p.limit)} items.` };
    case 'uniqueItems':
      return { ruleId, path: [...path, Number(p.i)], target: 'value', message: `${where(path)} must not repeat items: items ${String(p.j)} and ${String(p.i)} are equal.` };
    case 'minProperties':
      return { ruleId, path, target: 'value', message: p.limit === 1 ? `${where(path)} must not be empty.` : `${where(path)} must have at least ${String(p.limit)} entries.` };
    case 'propertyNames':
      return { ruleId, path: [...path, String(p.propertyName)], target: 'key', message: `'${shownKey(String(p.propertyName))}' is not an allowed key in ${where(path)}.` };
    case 'format':
      return { ruleId, path, target: 'value', message: `${where(path)} must be a valid ${String(p.format)}, got ${got}.` };
    case 'if':
    case 'not':
    case 'anyOf':
    case 'oneOf':
      if (e.keyword === 'oneOf' && p.passingSchemas) {
        // the usual "exactly one of these keys" shape: branches that only require a key each
        const branches = Array.isArray(e.schema) ? (e.schema as Record<string, unknown>[]) : [];
        const keys = branches.map((b) => (Array.isArray(b.required) && b.required.length === 1 && Object.keys(b).every((k) => k === 'required') ? String(b.required[0]) : undefined));
        if (keys.length > 1 && keys.every((k) => k !== undefined)) {
          const present = e.data && typeof e.data === 'object' ? keys.filter((k) => k !== undefined && k in (e.data as object)) : [];
          return { ruleId, path, target: 'value', message: `${where(path)} may have only one of ${codeList(keys)}${present.length > 1 ? `; it has ${codeList(present, 'and')}` : ''}.` };
        }
        return { ruleId, path, target: 'value', message: `${where(path)} matches more than one of the allowed shapes; make it match exactly one.` };
      }
      if (e.keyword === 'if') return undefined; // the failing `then`/`else` keyword says what is wrong
      return { ruleId, path, target: 'value', message: `${where(path)} ${e.message ?? 'is not valid'}.` };
    default:
      return { ruleId, path, target: 'value', message: `${where(path)} ${e.message ?? 'is not valid'}.` };
  }
}
