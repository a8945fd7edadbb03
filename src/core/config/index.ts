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
export type { PavedRoadConfig, Source, RuleSeverity, Exemption } from './model';

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
  v.add(CONFIG_SCHEMA_ID, configSchema, true);
  return v;
}

/** Today as YYYY-MM-DD (UTC), for exemption expiry. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function loadConfig(text: string, options: { limits?: Partial<ParseLimits>; validator?: SchemaValidator; today?: string } = {}): ConfigResult {
  const parsed = parseManifest(text, options.limits);
  const findings: Finding[] = [...parsed.findings];
  const [first, ...rest] = parsed.documents;
  for (const extra of rest) {
    findings.push({
      ruleId: 'config/one-document',
      severity: 'error',
      message: "'.paved-road.yaml' holds a single document; this one is ignored. Remove the '---' separator.",
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
  // an exemption past its date no longer applies, and says so where it is written
  const now = options.today ?? today();
  (typed.data.policies?.exemptions ?? []).forEach((e, i) => {
    if (e.expires !== undefined && e.expires < now) {
      findings.push({
        ruleId: 'policy/expired-exemption',
        severity: 'warning',
        message: `The exemption from '${e.rule}'${e.resource ? ` for '${e.resource}'` : ''} expired on ${e.expires}; its findings are reported again.`,
        detail: `Reason given: ${e.reason}. Fix the findings, or extend the date with a new reason.`,
        range: first.locate(['policies', 'exemptions', i, 'expires'], 'value'),
        data: { path: ['policies', 'exemptions', i, 'expires'] },
      });
    }
  });
  return { config: typed.data, findings, parsed };
}
