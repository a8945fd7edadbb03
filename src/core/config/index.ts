/**
 * Reading `.paved-road.yaml`: findings on the exact keys and values (validated
 * with the JSON Schema generated from the zod model, the same path every
 * manifest takes) and, when the file is valid, the typed config.
 */
import type { Finding } from '../findings';
import { parseManifest } from '../manifest';
import type { ParseLimits, ParsedFile } from '../manifest';
import { SchemaValidator } from '../schema/validator';
import configSchema from '../../../schemas/paved-road-config.schema.json';
import { CONFIG_SCHEMA_ID, ConfigSchema } from './model';
import type { PavedRoadConfig } from './model';

export { ConfigSchema, CONFIG_SCHEMA_ID } from './model';
export type { PavedRoadConfig, Source, RuleSeverity } from './model';

export { CONFIG_FILE_NAMES, isConfigFile } from './files';

export interface ConfigResult {
  /** The typed config; `undefined` when the file has errors. An empty file is an empty config. */
  config: PavedRoadConfig | undefined;
  findings: Finding[];
  parsed: ParsedFile;
}

let sharedValidator: SchemaValidator | undefined;

/** The validator that knows the config schema (compiled once per process). */
export function configValidator(validator?: SchemaValidator): SchemaValidator {
  const v = validator ?? (sharedValidator ??= new SchemaValidator());
  v.add(CONFIG_SCHEMA_ID, configSchema);
  return v;
}

export function loadConfig(text: string, options: { limits?: Partial<ParseLimits>; validator?: SchemaValidator } = {}): ConfigResult {
  const parsed = parseManifest(text, options.limits);
  const findings: Finding[] = [...parsed.findings];
  const [first, ...rest] = parsed.documents;
  for (const extra of rest) {
    findings.push({
      ruleId: 'config/one-document',
      severity: 'error',
      message: '`.paved-road.yaml` holds a single document; this one is ignored. Remove the `---` separator.',
      range: extra.range,
    });
  }
  if (findings.some((f) => f.severity === 'error')) return { config: undefined, findings, parsed };
  if (!first) return { config: {}, findings, parsed }; // an empty file: a valid, empty config
  if (!first.ok) return { config: undefined, findings, parsed };
  // an empty file (or one with only comments) is a valid, empty config
  const value = first.value === null || first.value === undefined ? {} : first.value;
  findings.push(...configValidator(options.validator).validateDocument(CONFIG_SCHEMA_ID, first, value));
  if (findings.some((f) => f.severity === 'error')) return { config: undefined, findings, parsed };
  const typed = ConfigSchema.safeParse(value);
  if (!typed.success) {
    // the JSON Schema is generated from this model, so this means they drifted apart: say so rather than pass silently
    findings.push({
      ruleId: 'config/model',
      severity: 'error',
      message: `The config does not match Paved Road's model: ${typed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      range: first.range,
    });
    return { config: undefined, findings, parsed };
  }
  return { config: typed.data, findings, parsed };
}
