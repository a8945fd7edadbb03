/**
 * Kubernetes schemas from the `kubernetes-models` packages.
 *
 * Those packages do not ship JSON Schema files: they ship TypeScript declarations
 * (property names, optionality, enums, descriptions) and ajv validators compiled
 * from the upstream OpenAPI schemas (types, patterns, lengths, bounds). This module
 * reads the declarations with the TypeScript parser for the structure and asks the
 * compiled validators, with probe values, for the constraints the declarations lose
 * (integer vs number, pattern, minLength, maxLength, minimum, maximum, minItems,
 * minProperties). The result is plain draft-07 JSON Schema, strict like
 * `kubectl --validate=strict`: unknown fields are errors.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import type { Schema } from './json';
import type { KindSpec } from './kinds';

type ProbeError = { instancePath: string; keyword: string; params: Record<string, unknown> };
type CompiledValidator = ((data: unknown) => boolean) & { errors?: ProbeError[] | null };

interface Def {
  name: string;
  file: string;
  pkgRoot: string;
  sf: ts.SourceFile;
  decl: ts.InterfaceDeclaration | ts.TypeAliasDeclaration;
  /** identifier in this file → definition name */
  names: Map<string, string>;
}

type Seg = { prop: string } | { item: true } | { key: true };

/** The Kubernetes quantity syntax (resource.Quantity), as in the upstream API documentation. */
export const QUANTITY_PATTERN =
  '^[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))?$';
/** Standard base64 with padding; line breaks are ignored, as Go's decoder (and so the API server) ignores them. */
const BASE64_PATTERN =
  '^[\\r\\n]*(?:(?:[A-Za-z0-9+/][\\r\\n]*){4})*(?:(?:[A-Za-z0-9+/][\\r\\n]*){2}=[\\r\\n]*=|(?:[A-Za-z0-9+/][\\r\\n]*){3}=)?[\\r\\n]*$';

const INT_OR_STRING = 'IoK8sApimachineryPkgUtilIntstrIntOrString';
const QUANTITY = 'IoK8sApimachineryPkgApiResourceQuantity';
const TIMES = new Set(['IoK8sApimachineryPkgApisMetaV1Time', 'IoK8sApimachineryPkgApisMetaV1MicroTime']);
const DELETE_OPTIONS = 'IoK8sApimachineryPkgApisMetaV1DeleteOptions';

/**
 * A string that breaks any maxLength up to 10,000 and that patterns reject at every position
 * (so unanchored patterns stay linear: a run of letters made some of them quadratic).
 */
const LONG_STRING = '\u0000'.repeat(10_000);

export interface ConvertStats {
  formatsStripped: Map<string, number>;
  /** Upstream (Go RE2) patterns JavaScript cannot run even after translation. */
  patternsDropped: string[];
}

export class KubernetesModels {
  private readonly defs = new Map<string, Def>();
  private readonly kindIndex = new Map<string, string>();
  private readonly validators = new Map<string, CompiledValidator | null>();
  private readonly converted = new Map<string, { schema: Schema; deps: Set<string> }>();
  readonly stats: ConvertStats = { formatsStripped: new Map(), patternsDropped: [] };

  constructor(private readonly nodeModules: string) {}

  /** Reads every declaration file of a package (and remembers which kinds it declares). */
  loadPackage(pkg: string): void {
    const root = join(this.nodeModules, pkg);
    if (!existsSync(join(root, 'package.json'))) throw new Error(`${pkg} is not installed: run npm install`);
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        if (entry.isDirectory()) {
          if (entry.name !== '_schemas' && entry.name !== 'node_modules') walk(join(dir, entry.name));
        } else if (entry.name.endsWith('.d.ts') && entry.name !== 'index.d.ts') {
          this.readDeclarationFile(root, join(dir, entry.name));
        }
      }
    };
    walk(root);
  }

  private readDeclarationFile(pkgRoot: string, file: string): void {
    const text = readFileSync(file, 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const names = new Map<string, string>();
    const locals = new Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>();
    const exported: Array<[string, string]> = [];
    for (const st of sf.statements) {
      if (ts.isImportDeclaration(st) && st.importClause?.namedBindings && ts.isNamedImports(st.importClause.namedBindings)) {
        for (const el of st.importClause.namedBindings.elements) {
          const local = el.name.text;
          if (/^I[A-Z]/.test(local)) names.set(local, (el.propertyName?.text ?? local).slice(1));
        }
      } else if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) {
        locals.set(st.name.text, st);
      } else if (ts.isExportDeclaration(st) && st.isTypeOnly && st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) {
          const local = el.propertyName?.text;
          if (local && /^I[A-Z]/.test(local) && /^I[A-Z]/.test(el.name.text)) exported.push([local, el.name.text.slice(1)]);
        }
      }
    }
    for (const [local, defName] of exported) {
      const decl = locals.get(local);
      if (!decl) continue;
      names.set(local, defName);
      if (this.defs.has(defName)) continue; // the same definition re-exported by a dependent package
      const def: Def = { name: defName, file, pkgRoot, sf, decl, names };
      this.defs.set(defName, def);
      const gvk = ts.isInterfaceDeclaration(decl) ? typeMeta(decl) : undefined;
      if (gvk && !this.kindIndex.has(`${gvk.apiVersion}/${gvk.kind}`)) this.kindIndex.set(`${gvk.apiVersion}/${gvk.kind}`, defName);
    }
  }

  /** The kinds (apiVersion and kind) the declarations of a loaded package fix with TypeMeta. */
  declaredKinds(pkg: string): Array<{ apiVersion: string; kind: string }> {
    const root = join(this.nodeModules, pkg);
    const out: Array<{ apiVersion: string; kind: string }> = [];
    for (const [key, name] of this.kindIndex) {
      const def = this.defs.get(name);
      if (!def || def.pkgRoot !== root) continue;
      const at = key.lastIndexOf('/');
      out.push({ apiVersion: key.slice(0, at), kind: key.slice(at + 1) });
    }
    return out;
  }

  definitionFor(apiVersion: string, kind: string): string {
    const name = this.kindIndex.get(`${apiVersion}/${kind}`);
    if (!name) throw new Error(`No model declares ${apiVersion} ${kind}`);
    return name;
  }

  private def(name: string): Def {
    const def = this.defs.get(name);
    if (!def) throw new Error(`Unknown definition ${name}`);
    return def;
  }

  private async validator(name: string): Promise<CompiledValidator | null> {
    if (this.validators.has(name)) return this.validators.get(name) ?? null;
    const def = this.def(name);
    const file = join(def.pkgRoot, '_schemas', `${name}.js`);
    let fn: CompiledValidator | null = null;
    if (existsSync(file)) {
      const mod = (await import(pathToFileURL(file).href)) as { validate?: CompiledValidator };
      fn = mod.validate ?? null;
    }
    this.validators.set(name, fn);
    return fn;
  }

  /** Errors the compiled validator of `defName` reports exactly at `path` for `value` placed there. */
  private probe(fn: CompiledValidator | null, path: Seg[], value: unknown): ProbeError[] {
    if (!fn) return [];
    let data = value;
    let pointer = '';
    for (let i = path.length - 1; i >= 0; i--) {
      const seg = path[i] as Seg;
      if ('prop' in seg) data = { [seg.prop]: data };
      else if ('item' in seg) data = [data];
      else data = { k: data };
    }
    for (const seg of path) {
      if ('prop' in seg) pointer += `/${seg.prop.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      else if ('item' in seg) pointer += '/0';
      else pointer += '/k';
    }
    fn(data);
    return (fn.errors ?? []).filter((e) => e.instancePath === pointer);
  }

  /** Converts one object definition (cached); returns its schema and the definitions it references. */
  async definition(name: string): Promise<{ schema: Schema; deps: Set<string> }> {
    const cached = this.converted.get(name);
    if (cached) return cached;
    const def = this.def(name);
    const deps = new Set<string>();
    const entry = { schema: {} as Schema, deps };
    this.converted.set(name, entry); // before converting: definitions may refer to themselves
    const fn = await this.validator(name);
    const ctx: Ctx = { def, fn, deps };
    if (ts.isInterfaceDeclaration(def.decl)) {
      entry.schema = await this.objectSchema(ctx, [], this.members(def), docOf(def.sf, def.decl));
    } else {
      entry.schema = await this.typeSchema(ctx, [], def.decl.type);
      const description = docOf(def.sf, def.decl);
      if (description && entry.schema.description === undefined) entry.schema = { description, ...entry.schema };
    }
    return entry;
  }

  /** An interface's members including those it extends (Go's embedded structs); `TypeMeta` is left out. */
  private members(def: Def): Array<{ member: ts.PropertySignature; owner: Def }> {
    const decl = def.decl as ts.InterfaceDeclaration;
    const out: Array<{ member: ts.PropertySignature; owner: Def }> = [];
    for (const clause of decl.heritageClauses ?? []) {
      for (const t of clause.types) {
        const id = t.expression.getText(def.sf);
        const base = def.names.get(id);
        if (!base) continue; // TypeMeta from @kubernetes-models/base: apiVersion and kind are declared directly
        const baseDef = this.def(base);
        if (ts.isInterfaceDeclaration(baseDef.decl)) out.push(...this.members(baseDef));
      }
    }
    for (const m of decl.members) if (ts.isPropertySignature(m)) out.push({ member: m, owner: def });
    // a member declared again in the interface itself wins over the embedded one
    const byName = new Map<string, { member: ts.PropertySignature; owner: Def }>();
    for (const m of out) byName.set(propName(m.member, m.owner.sf), m);
    return [...byName.values()];
  }

  private async objectSchema(ctx: Ctx, path: Seg[], members: Array<{ member: ts.PropertySignature; owner: Def }>, description: string | undefined): Promise<Schema> {
    if (members.length === 0) {
      // free-form (RawExtension, JSON, FieldsV1, …): the upstream schema preserves unknown fields
      const typeErrors = this.probe(ctx.fn, path, 'probe').filter((e) => e.keyword === 'type');
      const wantsObject = typeErrors.some((e) => String(e.params.type).includes('object'));
      return { ...(description ? { description } : {}), ...(wantsObject ? { type: 'object' } : {}) };
    }
    const properties: Schema = {};
    const required: string[] = [];
    for (const { member, owner } of members) {
      const name = propName(member, owner.sf);
      if (!member.questionToken) required.push(name);
      if (!member.type) continue;
      // a member of an embedded struct is resolved in its own file, probed in ours (same instance path)
      const memberCtx: Ctx = owner === ctx.def ? ctx : { ...ctx, def: owner };
      let schema = await this.typeSchema(memberCtx, [...path, { prop: name }], member.type);
      const doc = docOf(owner.sf, member);
      if (doc) schema = { ...schema, description: doc };
      properties[name] = schema;
    }
    return {
      ...(description ? { description } : {}),
      type: 'object',
      ...(required.length ? { required: required.sort() } : {}),
      properties,
      additionalProperties: false,
    };
  }

  private async typeSchema(ctx: Ctx, path: Seg[], node: ts.TypeNode): Promise<Schema> {
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return this.stringSchema(ctx, path);
      case ts.SyntaxKind.NumberKeyword:
        return this.numberSchema(ctx, path);
      case ts.SyntaxKind.BooleanKeyword:
        return { type: 'boolean' };
      case ts.SyntaxKind.AnyKeyword:
      case ts.SyntaxKind.UnknownKeyword:
        return {};
      case ts.SyntaxKind.ObjectKeyword:
        return { type: 'object' };
      default:
        break;
    }
    if (ts.isParenthesizedTypeNode(node)) return this.typeSchema(ctx, path, node.type);
    if (ts.isLiteralTypeNode(node) || ts.isUnionTypeNode(node)) {
      const members = ts.isUnionTypeNode(node) ? node.types : [node];
      const values = members.map((m) => literalValue(m));
      if (values.every((v) => v !== undefined)) {
        const types = [...new Set(values.map((v) => (typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v)))];
        if (values.length === 1) return { type: types[0], const: values[0] };
        return { type: types.length === 1 ? types[0] : types, enum: values };
      }
      // other unions: any of the member types
      return { anyOf: await Promise.all(members.map((m) => this.typeSchema(ctx, path, m))) };
    }
    if (ts.isArrayTypeNode(node)) return this.arraySchema(ctx, path, node.elementType);
    if (ts.isTypeReferenceNode(node)) {
      const id = node.typeName.getText(ctx.def.sf);
      if (id === 'Array' && node.typeArguments?.[0]) return this.arraySchema(ctx, path, node.typeArguments[0]);
      const target = ctx.def.names.get(id);
      if (!target) throw new Error(`${ctx.def.name}: cannot resolve type ${id}`);
      return this.referenceSchema(ctx, path, target);
    }
    if (ts.isTypeLiteralNode(node)) {
      const index = node.members.find(ts.isIndexSignatureDeclaration);
      if (index) {
        const value = await this.typeSchema(ctx, [...path, { key: true }], index.type);
        const limits = this.limits(this.probe(ctx.fn, path, {}));
        return { type: 'object', ...limits, additionalProperties: value };
      }
      const members = node.members.filter(ts.isPropertySignature).map((member) => ({ member, owner: ctx.def }));
      return this.objectSchema(ctx, path, members, undefined);
    }
    throw new Error(`${ctx.def.name}: unsupported type ${ts.SyntaxKind[node.kind]} (${node.getText(ctx.def.sf)})`);
  }

  private async arraySchema(ctx: Ctx, path: Seg[], element: ts.TypeNode): Promise<Schema> {
    const items = await this.typeSchema(ctx, [...path, { item: true }], element);
    const limits = this.limits(this.probe(ctx.fn, path, []));
    return { type: 'array', ...limits, items };
  }

  private async referenceSchema(ctx: Ctx, path: Seg[], target: string): Promise<Schema> {
    if (target === INT_OR_STRING) {
      return { anyOf: [{ type: 'integer' }, { type: 'string' }] };
    }
    if (target === QUANTITY) {
      return {
        anyOf: [
          { type: 'number' },
          { type: 'string', pattern: QUANTITY_PATTERN, patternErrorMessage: 'must be a Kubernetes quantity such as `500m`, `1.5`, `128Mi` or `2Gi`' },
        ],
      };
    }
    if (TIMES.has(target)) {
      // metav1.Time's zero value is written as `null` (e.g. `creationTimestamp: null` from `kubectl create --dry-run -o yaml`)
      return { type: ['string', 'null'] };
    }
    const def = this.def(target);
    if (ts.isInterfaceDeclaration(def.decl)) {
      ctx.deps.add(target);
      return { $ref: `#/definitions/${target}` };
    }
    // type aliases (string with a pattern, enums, maps) are inlined; they are resolved in their own file
    // but probed at the use site, whose validator checks them through its reference
    const aliasCtx: Ctx = { ...ctx, def };
    let schema = await this.typeSchema(aliasCtx, path, def.decl.type);
    const doc = docOf(def.sf, def.decl);
    if (doc) schema = { description: doc, ...schema };
    return schema;
  }

  private stringSchema(ctx: Ctx, path: Seg[]): Schema {
    const errors = [...this.probe(ctx.fn, path, ''), ...this.probe(ctx.fn, path, LONG_STRING)];
    const schema: Schema = { type: 'string', ...this.limits(errors) };
    for (const e of errors) {
      if (e.keyword === 'pattern') {
        const pattern = jsPattern(String(e.params.pattern));
        if (pattern === undefined) this.stats.patternsDropped.push(String(e.params.pattern));
        else schema.pattern = pattern;
      }
      if (e.keyword === 'enum' && Array.isArray(e.params.allowedValues)) schema.enum = e.params.allowedValues;
      if (e.keyword === 'format') {
        const format = String(e.params.format);
        if (format === 'byte' && !schema.pattern) {
          schema.pattern = BASE64_PATTERN;
          schema.patternErrorMessage = 'must be base64-encoded (put plain text under `stringData` instead)';
        }
        this.stats.formatsStripped.set(format, (this.stats.formatsStripped.get(format) ?? 0) + 1);
      }
    }
    return schema;
  }

  private numberSchema(ctx: Ctx, path: Seg[]): Schema {
    const errors = [...this.probe(ctx.fn, path, 0.5), ...this.probe(ctx.fn, path, -1e300), ...this.probe(ctx.fn, path, 1e300)];
    const integer = errors.some((e) => e.keyword === 'type' && String(e.params.type).split(',').includes('integer'));
    for (const e of errors) {
      if (e.keyword === 'format') {
        const format = String(e.params.format);
        this.stats.formatsStripped.set(format, (this.stats.formatsStripped.get(format) ?? 0) + 1);
      }
    }
    return { type: integer ? 'integer' : 'number', ...this.limits(errors) };
  }

  /** Length, size and bound keywords reported by a probe. */
  private limits(errors: ProbeError[]): Schema {
    const out: Schema = {};
    for (const e of errors) {
      const limit = e.params.limit;
      if (typeof limit !== 'number') continue;
      switch (e.keyword) {
        case 'minLength':
        case 'maxLength':
        case 'minItems':
        case 'maxItems':
        case 'minProperties':
        case 'maxProperties':
        case 'exclusiveMinimum':
        case 'exclusiveMaximum':
          out[e.keyword] = limit;
          break;
        case 'minimum':
        case 'maximum':
          out[e.params.comparison === '>' ? 'exclusiveMinimum' : e.params.comparison === '<' ? 'exclusiveMaximum' : e.keyword] = limit;
          break;
        default:
          break;
      }
    }
    return out;
  }

  /** The description of `apiVersion` and `kind` (TypeMeta), taken from a definition that documents them. */
  private typeMetaDocs(): { apiVersion?: string; kind?: string } {
    const def = this.defs.get(DELETE_OPTIONS);
    if (!def || !ts.isInterfaceDeclaration(def.decl)) return {};
    const out: { apiVersion?: string; kind?: string } = {};
    for (const m of def.decl.members) {
      if (!ts.isPropertySignature(m)) continue;
      const name = propName(m, def.sf);
      if (name === 'apiVersion' || name === 'kind') out[name] = docOf(def.sf, m);
    }
    return out;
  }

  /** One self-contained schema for a kind: its own definitions only, `status` left to the server. */
  async kindSchema(spec: KindSpec, sourceTitle: string): Promise<Schema> {
    const rootName = this.definitionFor(spec.apiVersion, spec.kind);
    const root = await this.definition(rootName);
    const schema = structuredClone(root.schema);
    const properties = schema.properties as Record<string, Schema>;
    const docs = this.typeMetaDocs();
    properties.apiVersion = { ...(docs.apiVersion ? { description: docs.apiVersion } : {}), type: 'string', const: spec.apiVersion };
    properties.kind = { ...(docs.kind ? { description: docs.kind } : {}), type: 'string', const: spec.kind };
    const items = properties.items;
    if (spec.kind.endsWith('List') && items?.type === 'array') {
      // a list's items are whole objects of the listed kind: checked as objects here, not against the kind's schema again
      properties.items = { ...(typeof items.description === 'string' ? { description: items.description } : {}), type: 'array', items: { type: 'object' } };
    }
    const status = properties.status;
    if (status) {
      // written by the cluster, not by people: accepted (e.g. `status: {}` from kubectl) but not checked
      properties.status = {
        description: `${typeof status.description === 'string' ? `${status.description} ` : ''}Written by Kubernetes; not validated here.`,
        type: 'object',
      };
    }
    schema.required = [...new Set([...((schema.required as string[] | undefined) ?? []), 'apiVersion', 'kind'])].sort();
    // tree-shake: the definitions reachable from the kind, without the status subtree
    const seen = new Set<string>();
    const queue: string[] = [];
    const visit = (s: unknown): void => {
      if (Array.isArray(s)) s.forEach(visit);
      else if (s && typeof s === 'object') {
        for (const [k, v] of Object.entries(s)) {
          if (k === '$ref' && typeof v === 'string') {
            const name = v.replace('#/definitions/', '');
            if (!seen.has(name)) {
              seen.add(name);
              queue.push(name);
            }
          } else visit(v);
        }
      }
    };
    visit(schema);
    const definitions: Schema = {};
    while (queue.length) {
      const name = queue.shift() as string;
      const d = await this.definition(name);
      definitions[name] = d.schema;
      visit(d.schema);
    }
    return {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: `${spec.kind} (${spec.apiVersion})`,
      ...schema,
      description: `${typeof schema.description === 'string' ? schema.description : spec.kind}\n\nSchema generated from ${sourceTitle}. Reference: ${spec.docs}`,
      ...(Object.keys(definitions).length ? { definitions } : {}),
    };
  }

  packageVersion(pkg: string): string {
    return (JSON.parse(readFileSync(join(this.nodeModules, pkg, 'package.json'), 'utf8')) as { version: string }).version;
  }
}

interface Ctx {
  def: Def;
  fn: CompiledValidator | null;
  deps: Set<string>;
}

function propName(m: ts.PropertySignature, sf: ts.SourceFile): string {
  const n = m.name;
  if (ts.isStringLiteral(n) || ts.isIdentifier(n) || ts.isNumericLiteral(n)) return n.text;
  return n.getText(sf);
}

function literalValue(node: ts.TypeNode): string | number | boolean | undefined {
  if (!ts.isLiteralTypeNode(node)) return undefined;
  const lit = node.literal;
  if (ts.isStringLiteral(lit)) return lit.text;
  if (ts.isNumericLiteral(lit)) return Number(lit.text);
  if (lit.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (lit.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (ts.isPrefixUnaryExpression(lit) && lit.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(lit.operand)) return -Number(lit.operand.text);
  return undefined;
}

/** `apiVersion`/`kind` of an interface that extends `TypeMeta` and fixes both to literals. */
function typeMeta(decl: ts.InterfaceDeclaration): { apiVersion: string; kind: string } | undefined {
  const extendsTypeMeta = decl.heritageClauses?.some((c) => c.types.some((t) => t.expression.getText() === 'TypeMeta'));
  if (!extendsTypeMeta) return undefined;
  let apiVersion: string | undefined;
  let kind: string | undefined;
  for (const m of decl.members) {
    if (!ts.isPropertySignature(m) || !m.type) continue;
    const name = propName(m, decl.getSourceFile());
    const value = literalValue(m.type);
    if (name === 'apiVersion' && typeof value === 'string') apiVersion = value;
    if (name === 'kind' && typeof value === 'string') kind = value;
  }
  return apiVersion && kind ? { apiVersion, kind } : undefined;
}

/** The JSDoc text right before a declaration, without the comment markers. */
function docOf(sf: ts.SourceFile, node: ts.Node): string | undefined {
  const ranges = ts.getLeadingCommentRanges(sf.text, node.pos) ?? [];
  const last = [...ranges].reverse().find((r) => sf.text.slice(r.pos, r.pos + 3) === '/**');
  if (!last) return undefined;
  const raw = sf.text.slice(last.pos + 3, last.end - 2);
  const lines = raw.split('\n').map((l) => l.replace(/^\s*\* ?/, '').replace(/\s+$/, ''));
  while (lines.length && lines[0] === '') lines.shift();
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  const text = lines.join('\n').replace(/\*\\\//g, '*/').trim();
  return text || undefined;
}

/**
 * An upstream pattern (Go RE2 syntax) as a JavaScript `u` regular expression: a leading `(?i)`,
 * which JavaScript does not have, becomes explicit upper/lower-case alternatives. `undefined`
 * when the result still does not compile (the pattern is then left out rather than breaking ajv).
 */
export function jsPattern(pattern: string): string | undefined {
  let out = pattern;
  if (out.includes('(?i)')) out = caseInsensitive(out.replace(/\(\?i\)/g, ''));
  try {
    new RegExp(out, 'u');
    return out;
  } catch {
    return undefined;
  }
}

function caseInsensitive(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      const range = /^([a-zA-Z])-([a-zA-Z])/.exec(pattern.slice(i));
      if (range) {
        const [, from, to] = range as unknown as [string, string, string];
        out += `${from.toLowerCase()}-${to.toLowerCase()}${from.toUpperCase()}-${to.toUpperCase()}`;
        i += 2;
      } else out += /[a-zA-Z]/.test(c) ? c.toLowerCase() + c.toUpperCase() : c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      if (pattern[i + 1] === '^') {
        out += '^';
        i++;
      }
    } else out += /[a-zA-Z]/.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c;
  }
  return out;
}

/** Writes a kind's file name: `apps.v1.Deployment.json`, core group as `core.v1.Pod.json`. */
export function kindFileName(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['core', apiVersion];
  return `${group}.${version}.${kind}.json`;
}

