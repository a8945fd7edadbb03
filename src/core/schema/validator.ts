/**
 * JSON Schema validation with ajv: each schema compiled once and cached by id,
 * `$data` off, strict mode switchable (on in tests so schema typos fail the build).
 * Editor-only annotation keywords used by VS Code / Red Hat YAML schemas are known.
 */
import Ajv from 'ajv';
import type { AnySchema, Options as AjvOptions, ValidateFunction } from 'ajv';
import type { Finding } from '../findings';
import type { ParsedDocument } from '../manifest';
import { toIssues } from './messages';
import { PrecompiledValidators, defaultValidatorsDir } from './precompiled';
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

export interface ValidatorOptions {
  /** ajv strict mode: unknown keywords and other schema mistakes throw at compile time. */
  strict?: boolean;
  /**
   * Where the build put the validators of the bundled schemas (`precompiled.ts`): a schema
   * found there is not compiled again. Default: `validators/` next to the bundle; `null`: none.
   */
  validatorsDir?: string | null;
}

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
    // inlineRefs stays on (ajv's default): with it off compiles are ~35 % faster, but errors inside a
    // non-inlined $ref carry a schema path relative to the definition, and anyOf/oneOf noise can no longer
    // be told apart by branch (see collapseUnions)
    ...extra,
  });
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
  private readonly precompiled: PrecompiledValidators | undefined;

  constructor(private readonly options: ValidatorOptions = {}) {
    this.precompiled = options.validatorsDir === null || options.strict ? undefined : new PrecompiledValidators(options.validatorsDir ?? defaultValidatorsDir());
  }

  /** ajv, made when a schema has to be compiled here (not when every schema used was compiled at build time). */
  private get ajv(): Ajv {
    return (this.instance ??= createAjv(this.options));
  }

  /**
   * Registers a schema under an id; compiled on first use, unless it is one of
   * the schemas compiled at build time. Registering an id twice is a no-op.
   */
  add(id: string, schema: AnySchema): void {
    if (this.has(id)) return;
    const copy = schemaForAjv(schema);
    const built = this.precompiled?.get(copy);
    if (built) {
      // the root the messages resolve `$ref`s in, as ajv's own validators carry it
      this.compiled.set(id, Object.assign(built, { schema: copy }));
      return;
    }
    this.ajv.addSchema(copy, id);
  }

  has(id: string): boolean {
    return this.compiled.has(id) || (this.instance !== undefined && this.instance.getSchema(id) !== undefined);
  }

  private validatorFor(id: string): ValidateFunction {
    let fn = this.compiled.get(id);
    if (!fn) {
      fn = this.instance?.getSchema(id);
      if (!fn) throw new Error(`No schema registered with id ${id}`);
      this.compiled.set(id, fn);
    }
    return fn;
  }

  /** Validates a plain value; returns humanized issues (empty when valid). */
  validateValue(id: string, value: unknown): SchemaIssue[] {
    const fn = this.validatorFor(id);
    if (fn(value)) return [];
    return toIssues(fn.errors ?? [], fn.schema);
  }

  /** Validates a parsed document and places each issue on its key or value. */
  validateDocument(id: string, doc: ParsedDocument, value: unknown = doc.value): Finding[] {
    return this.validateValue(id, value).map((issue) => ({
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
