/**
 * What each rule id means, for reports that describe their rules (SARIF's
 * `tool.driver.rules`, shown by GitHub code scanning and SARIF viewers).
 * Ids not listed here get a generic description built from the id, so a new
 * check never breaks a report; add it here to describe it properly.
 */
import type { Severity } from '../findings';
import { polarisChecks } from '../policy/engine';
import { BUILTIN_RULES } from '../policy/rules';
import type { Rule } from '../policy/types';

export interface RuleMetadata {
  id: string;
  /** Opaque PascalCase name (SARIF `reportingDescriptor.name`), e.g. `YamlDuplicateKey`. */
  name: string;
  /** One sentence. */
  shortDescription: string;
  /** A paragraph. */
  fullDescription: string;
  /** How to fix it. */
  help: string;
  /** Severity the rule reports with unless configured otherwise. */
  defaultSeverity: Severity;
}

type RuleText = Omit<RuleMetadata, 'id' | 'name'>;

const error = 'error' as const;

const RULES: Record<string, RuleText> = {
  'yaml/syntax': {
    shortDescription: 'The file is not valid YAML.',
    fullDescription: 'The YAML parser reported a syntax error. The document it is in is not validated further.',
    help: 'Fix the YAML syntax at the reported position: indentation, unclosed brackets or quotes, a missing `:`.',
    defaultSeverity: error,
  },
  'yaml/duplicate-key': {
    shortDescription: 'A key appears twice in the same mapping.',
    fullDescription: 'YAML requires the keys of a mapping to be unique; tools disagree about which value wins when they are not.',
    help: 'Remove or rename one of the duplicate keys.',
    defaultSeverity: error,
  },
  'yaml/warning': {
    shortDescription: 'The YAML parser reported a warning.',
    fullDescription: 'The file parses, but the YAML parser found something that is likely a mistake, such as an unresolved tag.',
    help: 'Read the message and change the YAML so the parser does not need to guess.',
    defaultSeverity: 'warning',
  },
  'yaml/alias-limit': {
    shortDescription: 'Aliases expand to too many nodes.',
    fullDescription: 'Repeated aliases to large anchors (an "alias bomb") would use unbounded memory, so the document is not validated.',
    help: 'Use fewer aliases, or aliases to smaller anchors.',
    defaultSeverity: error,
  },
  'yaml/too-large': {
    shortDescription: 'The file is too large to validate.',
    fullDescription: 'Files larger than the size limit are not parsed, to keep validation fast and memory bounded.',
    help: 'Split the file, or raise the limit (in VS Code: the setting pavedRoad.validation.maxFileSizeKb).',
    defaultSeverity: error,
  },
  'yaml/too-deep': {
    shortDescription: 'Flow collections are nested too deeply.',
    fullDescription: 'Deeply nested `[ ]` or `{ }` can exhaust the parser, so the file is rejected before parsing.',
    help: 'Flatten the structure.',
    defaultSeverity: error,
  },
  'file/binary': {
    shortDescription: 'The file is binary, not text.',
    fullDescription: 'The file contains NUL bytes, so it is not a YAML text file and is not validated.',
    help: 'Check that the path points at the manifest you meant, and that the file was not corrupted.',
    defaultSeverity: error,
  },
  'file/encoding': {
    shortDescription: 'The file is not UTF-8 text.',
    fullDescription: 'Manifests are read as UTF-8. The file contains bytes that are not valid UTF-8 (or it is UTF-16), so it is not validated.',
    help: 'Save the file as UTF-8.',
    defaultSeverity: error,
  },
  'config/one-document': {
    shortDescription: '`.paved-road.yaml` holds more than one document.',
    fullDescription: 'The platform config is a single YAML document; documents after a `---` separator are ignored.',
    help: 'Remove the `---` separator and merge the documents.',
    defaultSeverity: error,
  },
  'config/model': {
    shortDescription: "The config does not match Paved Road's model.",
    fullDescription: "The config passed the JSON Schema but not Paved Road's typed model. The two are generated from one source, so this is a bug in Paved Road.",
    help: 'Report this as a Paved Road bug, with the config that triggers it.',
    defaultSeverity: error,
  },
};

/** JSON Schema keywords: `schema/<keyword>` ids. */
const SCHEMA_KEYWORDS: Record<string, { short: string; help: string }> = {
  type: { short: 'A value has the wrong type.', help: 'Change the value to the type the schema expects (string, number, list, mapping, …).' },
  required: { short: 'A required property is missing.', help: 'Add the missing property.' },
  additionalProperties: { short: 'A property is not allowed here.', help: 'Remove the property, or fix its spelling; the message lists the allowed ones.' },
  enum: { short: 'A value is not one of the allowed values.', help: 'Use one of the values listed in the message.' },
  const: { short: 'A value is not the one value allowed.', help: 'Use the value given in the message.' },
  pattern: { short: 'A string does not have the required form.', help: 'Change the string to match the described form.' },
  format: { short: 'A string is not in the required format.', help: 'Change the string to the format named in the message (URI, date, …).' },
  minLength: { short: 'A string is too short (or empty).', help: 'Fill in the value.' },
  maxLength: { short: 'A string is too long.', help: 'Shorten the value.' },
  minimum: { short: 'A number is too small.', help: 'Use a number within the allowed range.' },
  maximum: { short: 'A number is too large.', help: 'Use a number within the allowed range.' },
  exclusiveMinimum: { short: 'A number is too small.', help: 'Use a number within the allowed range.' },
  exclusiveMaximum: { short: 'A number is too large.', help: 'Use a number within the allowed range.' },
  multipleOf: { short: 'A number is not a multiple of the required step.', help: 'Use a multiple of the number in the message.' },
  minItems: { short: 'A list has too few items.', help: 'Add items to the list.' },
  maxItems: { short: 'A list has too many items.', help: 'Remove items from the list.' },
  uniqueItems: { short: 'A list repeats an item.', help: 'Remove the duplicate item.' },
  minProperties: { short: 'A mapping has too few entries (or is empty).', help: 'Add entries to the mapping.' },
  maxProperties: { short: 'A mapping has too many entries.', help: 'Remove entries from the mapping.' },
  propertyNames: { short: 'A key is not allowed.', help: 'Rename the key to one the schema allows.' },
  anyOf: { short: 'A value matches none of the allowed shapes.', help: 'Change the value to match one of the shapes the schema allows.' },
  oneOf: { short: 'A value does not match exactly one of the allowed shapes.', help: 'Change the value to match exactly one of the shapes the schema allows.' },
  not: { short: 'A value has a shape that is not allowed.', help: 'Change the value; the schema forbids this shape.' },
  dependencies: { short: 'A property requires another property.', help: 'Add the property the message names, or remove the one that requires it.' },
  dependentRequired: { short: 'A property requires another property.', help: 'Add the property the message names, or remove the one that requires it.' },
};

/** `yaml/duplicate-key` → `YamlDuplicateKey`. */
export function ruleName(id: string): string {
  const name = id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return name || 'Rule';
}

/**
 * Metadata for a rule id. Unknown ids get a generic description; their default
 * severity is `fallbackSeverity` (e.g. the severity seen in a report).
 */
export function ruleMetadata(id: string, fallbackSeverity: Severity = 'warning', extra?: ReadonlyMap<string, Rule>): RuleMetadata {
  const known = RULES[id];
  if (known) return { id, name: ruleName(id), ...known };
  if (id.startsWith('schema/')) {
    const keyword = id.slice('schema/'.length);
    const text = Object.prototype.hasOwnProperty.call(SCHEMA_KEYWORDS, keyword) ? SCHEMA_KEYWORDS[keyword] : undefined;
    return {
      id,
      name: ruleName(id),
      shortDescription: text?.short ?? `A value fails the JSON Schema keyword \`${keyword}\`.`,
      fullDescription: `The manifest does not satisfy its JSON Schema: the \`${keyword}\` keyword failed. ${text?.short ?? ''}`.trim(),
      help: text?.help ?? 'Change the value so it satisfies the schema; the message says what is expected.',
      defaultSeverity: error,
    };
  }
  if (id.startsWith('apiserver/')) {
    return {
      id,
      name: ruleName(id),
      shortDescription: 'The Kubernetes API server would reject the manifest.',
      fullDescription:
        "The manifest breaks a rule of the API server's own validation beyond its OpenAPI schema (names, labels, annotations, selectors, ports, container and volume names, environment variable names); the message cites the rule as k8s.io/apimachinery words it.",
      help: 'Change the value as the cited rule says.',
      defaultSeverity: error,
    };
  }
  if (id === 'backstage/entity-format') {
    return {
      id,
      name: ruleName(id),
      shortDescription: "Backstage's catalog would refuse the entity at ingestion.",
      fullDescription: "A metadata field breaks the format of the catalog's FieldFormatEntityPolicy (entity name, namespace, label, annotation key, tag, link URL), checked with @backstage/catalog-model's own validators.",
      help: 'Change the value to the format the message names.',
      defaultSeverity: error,
    };
  }
  const policy = policyRule(id) ?? extra?.get(id);
  if (policy) {
    const same = [...polarisChecks(policy).map((c) => `Polaris \`${c}\``), policy.equivalents?.kubeLinter && `kube-linter \`${policy.equivalents.kubeLinter}\``].filter(Boolean);
    return {
      id,
      name: ruleName(id),
      shortDescription: `${policy.title}.`,
      fullDescription: `${policy.description}${same.length ? ` Same check: ${same.join(', ')}.` : ''}`,
      help: policy.remediation,
      defaultSeverity: policy.severity,
    };
  }
  return {
    id,
    name: ruleName(id),
    shortDescription: `Paved Road rule ${id}.`,
    fullDescription: `A finding of the Paved Road rule ${id}.`,
    help: 'Read the message of the finding: it says what is wrong and where.',
    defaultSeverity: fallbackSeverity,
  };
}

let policyRules: Map<string, Rule> | undefined;
function policyRule(id: string): Rule | undefined {
  return (policyRules ??= new Map(BUILTIN_RULES.map((r) => [r.id, r]))).get(id);
}

/** Ids with a written description (for tests and docs). */
export function knownRuleIds(): string[] {
  return [...Object.keys(RULES), ...Object.keys(SCHEMA_KEYWORDS).map((k) => `schema/${k}`)].sort();
}
