/**
 * Validation against the official SARIF 2.1.0 JSON Schema (2.1.0-rtm.5, the
 * version published on schemastore), as shipped in @microsoft/jest-sarif.
 * The schema is draft-04, hence ajv-draft-04; its `language` pattern is not a
 * valid Unicode regular expression, hence `unicodeRegExp: false`.
 */
import Ajv from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import sarifSchema from '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json';

let validate: ValidateFunction | undefined;

/** Schema errors of `log` (empty when it is a valid SARIF 2.1.0 log). */
export function sarifSchemaErrors(log: unknown): ErrorObject[] {
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    validate = ajv.compile(sarifSchema);
  }
  return validate(log) ? [] : [...(validate.errors ?? [])];
}
