/**
 * JSON Schema validation with ajv: each schema compiled once and cached by id,
 * `$data` off, strict mode switchable (on in tests so schema typos fail the build).
 * Editor-only annotation keywords used by VS Code / Red Hat YAML schemas are known.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import type { AnySchema, Options as AjvOptions, ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { version as ajvVersion } from 'ajv/package.json';
import type { Finding } from '../findings';
import type { ParsedDocument } from '../manifest';
import { BudgetExceeded, charge, withBudget } from '../util/budget';
import { schemaRegExp, trustingPatterns } from '../util/regexp';
import { toIssues } from './messages';
import { PrecompiledValidators, defaultValidatorsDir, instantiateValidator, schemaDigest } from './precompiled';
import type { SchemaIssue } from './messages';

/** Keywords that only annotate (editors read them; validation ignores them). */
export const ANNOTATION_KEYWORDS = [
  'markdownDescription',
  'patternErrorMessage',
  'errorMessage',
  'deprecationMessage',
  'markdownDeprecationMessage',
  'enumDescriptions',
  'markdownEnumDescriptions',
  'doNotSuggest',
  'defaultSnippets',
  'suggestSortText',
  'allowComments',
  'allowTrailingCommas',
];

/**
 * Steps one validation may take: a call of a generated validation function (one
 * per `$ref` that is not inlined) is one, each error it returns one more, so an
 * `anyOf` fan-out through `$ref` chains, whose errors multiply, is cut off. A
 * document gets at least this many, and more in proportion to its size (a
 * Deployment of examples/deploy takes 17).
 */
export const SCHEMA_BUDGET = 200_000;
/** Steps per character of the document beyond `SCHEMA_BUDGET`. */
export const SCHEMA_BUDGET_PER_CHAR = 10;

/**
 * Schema nodes, with the inlined `$ref`s repeated (`compiledSize`), of a schema
 * compiled here: ajv generates code for about a thousand a second, and the
 * largest bundled schema has 1,587 (the Deployment's 1,491).
 */
export const COMPILE_SIZE_BUDGET = 50_000;

/** Characters of generated code one schema's compile may produce (the Deployment schema's take about half a million). */
export const COMPILE_BUDGET = 20_000_000;

const FUNCTION_START = /function validate\d+\(data, \{[^}]*\}=\{\}\)\{/g;
const FUNCTION_END = /(validate\d+)\.errors = vErrors;return errors === 0;/g;

/**
 * ajv's generated code with the validation budget charged at the start of every
 * validation function and for the errors it returns; `chargeName` names
 * `charge` (src/core/util/budget.ts) in that code.
 */
export function meterValidators(code: string, chargeName: string): string {
  return code.replace(FUNCTION_START, (start) => `${start}${chargeName}();`).replace(FUNCTION_END, (end) => `${chargeName}(errors);${end}`);
}

/**
 * How many schema nodes ajv's generated code will hold: ajv inlines a local
 * `$ref` whose target holds no `$ref` (inlineRefs), so a small schema whose
 * many `$ref`s point at one large definition compiles into code that repeats
 * it each time (a 40 KB schema of 100 references to 1,000 properties took
 * 96 s and 2.8 GB to compile). Computed in one walk, each target's size once.
 */
export function compiledSize(root: unknown): number {
  const hasRefMemo = new Map<object, boolean>();
  const sizeMemo = new Map<object, number>();
  const hasRef = (node: unknown): boolean => {
    if (node === null || typeof node !== 'object') return false;
    let known = hasRefMemo.get(node);
    if (known === undefined) {
      hasRefMemo.set(node, false); // a cycle through plain objects adds nothing
      known = ('$ref' in node && typeof node.$ref === 'string') || Object.values(node).some(hasRef);
      hasRefMemo.set(node, known);
    }
    return known;
  };
  const target = (ref: string): unknown => {
    if (!ref.startsWith('#')) return undefined;
    let node: unknown = root;
    for (const raw of ref.slice(1).split('/').slice(1)) {
      const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      if (node === null || typeof node !== 'object') return undefined;
      node = (node as Record<string, unknown>)[key];
    }
    return node;
  };
  const size = (node: unknown): number => {
    if (node === null || typeof node !== 'object') return 0;
    let known = sizeMemo.get(node);
    if (known === undefined) {
      sizeMemo.set(node, 1);
      known = 1;
      for (const v of Object.values(node)) known += size(v);
      const ref = (node as { $ref?: unknown }).$ref;
      if (typeof ref === 'string') {
        const t = target(ref);
        if (t !== undefined && !hasRef(t)) known += size(t);
      }
      sizeMemo.set(node, known);
    }
    return known;
  };
  return size(root);
}

/** Run-time validators find `charge` on the ajv instance (`self` in ajv's generated code). */
interface MeteredAjv {
  pavedRoadCharge: typeof charge;
}

export interface ValidatorOptions {
  /** ajv strict mode: unknown keywords and other schema mistakes throw at compile time. */
  strict?: boolean;
  /**
   * Where the build put the validators of the bundled schemas (`precompiled.ts`): a schema
   * found there is not compiled again. Default: `validators/` next to the bundle; `null`: none.
   */
  validatorsDir?: string | null;
  /**
   * A folder where validators compiled at run time (team schemas, CRDs, remote
   * schemas) are kept as ajv standalone code, by the SHA-256 of the schema and the
   * generator (ajv's version, these options): the next run loads one instead of
   * compiling the schema again. Default: none (the editor compiles once per session).
   */
  cacheDir?: string | null;
}

/** Bump when createAjv's options change: cached validators of other options are not used. */
const CACHE_GENERATOR = `paved-road-runtime-validators/2 ajv/${ajvVersion}`;
/** A cached validator larger than this is not read (the largest bundled one is ~1 MB of code). */
const MAX_CACHED_BYTES = 16 * 1024 * 1024;

/**
 * The ajv instance every schema is compiled with; the build precompiles the
 * bundled schemas with the same options (`precompile.ts`), so both give the
 * same errors.
 */
export function createAjv(options: ValidatorOptions = {}, extra: Pick<AjvOptions, 'code'> = {}): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    strict: options.strict ?? false,
    $data: false,
    allowUnionTypes: true,
    validateSchema: options.strict ?? false,
    messages: true,
    // no console output: a failed compile would print the whole generated function (tens of MB for a hostile schema); the error is thrown
    logger: false,
    // inlineRefs stays on (ajv's default): with it off compiles are ~35 % faster, but errors inside a
    // non-inlined $ref carry a schema path relative to the definition, and anyOf/oneOf noise can no longer
    // be told apart by branch (see collapseUnions)
    ...extra,
    // patterns run on RE2 (src/core/util/regexp.ts); every validation function charges the budget
    code: {
      regExp: schemaRegExp,
      process: (code) => {
        charge(code.length); // the compile budget (validatorFor)
        return `const __charge = self.pavedRoadCharge;${meterValidators(code, '__charge')}`;
      },
      ...extra.code,
    },
  });
  (ajv as unknown as MeteredAjv).pavedRoadCharge = charge;
  ajv.addVocabulary(ANNOTATION_KEYWORDS);
  return ajv;
}

/** The schema as ajv gets it: a shallow copy without `$id` (schemas are registered under their own ids). */
export function schemaForAjv(schema: AnySchema): AnySchema {
  const copy = typeof schema === 'object' ? { ...schema } : schema;
  if (typeof copy === 'object') delete (copy as { $id?: unknown }).$id;
  return copy;
}

export class SchemaValidator {
  private instance: Ajv | undefined;
  private readonly compiled = new Map<string, ValidateFunction>();
  /** Schemas registered to be compiled here, until they are (for the size estimate). */
  private readonly pending = new Map<string, AnySchema>();
  /** Ids of schemas Paved Road ships (`add(…, true)`): their patterns are trusted. */
  private readonly bundled = new Set<string>();
  private readonly precompiled: PrecompiledValidators | undefined;

  /** Ids compiled at run time, with the file their standalone code goes to once compiled. */
  private readonly toCache = new Map<string, string>();

  constructor(private readonly options: ValidatorOptions = {}) {
    this.precompiled = options.validatorsDir === null || options.strict ? undefined : new PrecompiledValidators(options.validatorsDir ?? defaultValidatorsDir());
  }

  private get cacheDir(): string | undefined {
    return this.options.strict ? undefined : (this.options.cacheDir ?? undefined);
  }

  /** ajv, made when a schema has to be compiled here (not when every schema used was compiled at build time). */
  private get ajv(): Ajv {
    // with a cache, ajv keeps the generated source so it can be written as standalone code
    return (this.instance ??= createAjv(this.options, this.cacheDir ? { code: { source: true } } : {}));
  }

  /** The cached validator of a schema compiled at run time by an earlier run, if any and readable. */
  private fromCache(file: string): ValidateFunction | undefined {
    let fd: number | undefined;
    try {
      fd = openSync(file, 'r');
      const st = fstatSync(fd);
      if (!st.isFile() || st.size > MAX_CACHED_BYTES) return undefined;
      const buf = Buffer.alloc(st.size);
      let got = 0;
      while (got < st.size) {
        const n = readSync(fd, buf, got, st.size - got, got);
        if (n === 0) break;
        got += n;
      }
      return instantiateValidator(buf.subarray(0, got).toString('utf8'));
    } catch {
      return undefined; // missing, unreadable or broken: compiled again
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  private writeCache(file: string, fn: ValidateFunction): void {
    const dir = this.cacheDir;
    if (!dir || !this.instance) return;
    const temp = `${file}.${process.pid}.tmp`;
    try {
      // as precompile.ts writes the bundled ones: every validation function charges the budget, patterns run on RE2
      const code = meterValidators(standaloneCode(this.instance, fn), '__charge').replace(/^"use strict";/, '$&const __charge = require("paved-road/runtime").charge;');
      if (!code.includes('const __charge')) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(temp, code);
      renameSync(temp, file); // atomic: a concurrent run reads the old file or the new one, never half
    } catch {
      // a cache that cannot be written is no cache: the validator works as compiled
      try {
        rmSync(temp, { force: true });
      } catch {
        // nothing was written
      }
    }
  }

  /**
   * Registers a schema under an id; compiled on first use, unless it is one of
   * the schemas compiled at build time. Registering an id twice is a no-op.
   * `bundled`: a schema Paved Road ships, whose patterns are trusted (`trustingPatterns`).
   */
  add(id: string, schema: AnySchema, bundled = false): void {
    if (this.has(id)) return;
    const copy = schemaForAjv(schema);
    const built = this.precompiled?.get(copy);
    if (built) {
      // the root the messages resolve `$ref`s in, as ajv's own validators carry it
      this.compiled.set(id, Object.assign(built, { schema: copy }));
      return;
    }
    // the cache holds the team's schemas (the bundled ones are precompiled; their patterns are trusted only while compiled here)
    const dir = bundled ? undefined : this.cacheDir;
    if (dir) {
      const file = join(dir, `${schemaDigest({ generator: CACHE_GENERATOR, schema: copy })}.js`);
      const cached = this.fromCache(file);
      if (cached) {
        this.compiled.set(id, Object.assign(cached, { schema: copy }));
        return;
      }
      this.toCache.set(id, file);
    }
    this.ajv.addSchema(copy, id);
    this.pending.set(id, copy);
    if (bundled) this.bundled.add(id);
  }

  has(id: string): boolean {
    return this.compiled.has(id) || (this.instance !== undefined && this.instance.getSchema(id) !== undefined);
  }

  private validatorFor(id: string): ValidateFunction {
    let fn = this.compiled.get(id);
    if (!fn) {
      const instance = this.instance;
      const schema = this.pending.get(id);
      this.pending.delete(id);
      // ajv's code generation cannot be interrupted: a schema whose code would be too large is refused before it starts
      if (schema !== undefined && compiledSize(schema) > COMPILE_SIZE_BUDGET) throw new BudgetExceeded('schema compilation', COMPILE_SIZE_BUDGET);
      const compile = (): ValidateFunction | undefined => instance?.getSchema(id);
      const compiled = instance && withBudget(COMPILE_BUDGET, 'schema compilation', () => (this.bundled.has(id) ? trustingPatterns(compile) : compile()));
      if (compiled && 'exceeded' in compiled) throw compiled.exceeded;
      fn = compiled?.value;
      if (!fn) throw new Error(`No schema registered with id ${id}`);
      this.compiled.set(id, fn);
      const file = this.toCache.get(id);
      if (file !== undefined) {
        this.toCache.delete(id);
        this.writeCache(file, fn);
      }
    }
    return fn;
  }

  /**
   * Validates a plain value; returns humanized issues (empty when valid).
   * Throws `BudgetExceeded` when validation takes more than its budget (`SCHEMA_BUDGET`,
   * and `SCHEMA_BUDGET_PER_CHAR` for each of the `size` characters of the document).
   */
  validateValue(id: string, value: unknown, size = 0): SchemaIssue[] {
    const fn = this.validatorFor(id);
    // the messages too: choosing among a fan-out's errors looks through all of them
    const run = withBudget(SCHEMA_BUDGET + SCHEMA_BUDGET_PER_CHAR * size, 'schema validation', () => (fn(value) ? [] : toIssues(fn.errors ?? [], fn.schema)));
    if ('exceeded' in run) throw run.exceeded;
    return run.value;
  }

  /** Validates a parsed document and places each issue on its key or value. */
  validateDocument(id: string, doc: ParsedDocument, value: unknown = doc.value): Finding[] {
    return this.validateValue(id, value, doc.slice.text.length).map((issue) => ({
      ruleId: issue.ruleId,
      severity: 'error',
      message: issue.message,
      ...(issue.detail ? { detail: issue.detail } : {}),
      range: doc.locate(issue.path, issue.target),
      data: {
        // for a missing property, the object that lacks it (the diagnostic itself may sit on a misspelt key)
        path: issue.typo !== undefined ? issue.path.slice(0, -1) : issue.path,
        ...(issue.property !== undefined ? { property: issue.property } : {}),
        ...(issue.allowed ? { allowed: issue.allowed } : {}),
        ...(issue.suggestion !== undefined ? { suggestion: issue.suggestion } : {}),
        ...(issue.typo !== undefined ? { typo: issue.typo } : {}),
      },
    }));
  }
}
