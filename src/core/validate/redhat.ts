/**
 * Living next to Red Hat YAML (redhat.vscode-yaml) without showing every error twice.
 *
 * The split: Paved Road owns schema validation, completion and hover for every
 * file it has a schema for (per document, offline, with its own messages);
 * Red Hat YAML owns YAML syntax checking and formatting of open files, and
 * every file Paved Road has no schema for.
 * - Through Red Hat's `registerContributor` API (which wins over `yaml.schemas`,
 *   `yamlValidation` and SchemaStore), Paved Road answers "the empty schema" for
 *   the files it validates, so Red Hat reports no schema errors there.
 * - A file with a `# yaml-language-server: $schema=` modeline is Red Hat's: its
 *   modeline beats contributors, so Paved Road leaves schema validation of that
 *   file to Red Hat.
 * - YAML syntax errors of open files come from Red Hat; Paved Road drops its own
 *   (it keeps them for files that are not open, which Red Hat does not check).
 */
import type { Finding } from '../findings';
import { fastValue, splitDocuments, DEFAULT_LIMITS } from '../manifest';
import { associate } from '../schema/associate';
import type { ValidationContext } from '.';

/** The URI Paved Road gives Red Hat YAML for the files it validates itself: a schema that accepts anything. */
export const EMPTY_SCHEMA_URI = 'paved-road-schema://schemas/owned-by-paved-road.json';
export const EMPTY_SCHEMA_CONTENT = JSON.stringify({ $comment: 'Validated by Paved Road (schemas, completion, hover); Red Hat YAML checks the YAML syntax.' });

const MODELINE = /^#\s*yaml-language-server\s*:\s*\$schema=/m;

/** True when Red Hat YAML's own modeline decides this file's schema. */
export function hasModeline(text: string): boolean {
  return MODELINE.test(text);
}

/** Whether Paved Road validates any document of this file against a schema (then Red Hat gets the empty schema). */
export function ownsSchema(path: string, text: string, ctx: ValidationContext): boolean {
  if (hasModeline(text)) return false;
  for (const slice of splitDocuments(text)) {
    const fast = fastValue(slice.text, { ...DEFAULT_LIMITS, ...ctx.limits });
    const value = fast.ok ? fast.value : undefined;
    const a = associate(path, slice.text, value, ctx);
    if (a && a.type !== 'none') return true;
  }
  return false;
}

const SYNTAX_RULES = new Set(['yaml/syntax', 'yaml/duplicate-key', 'yaml/warning']);

/**
 * The findings to show for an open file when Red Hat YAML validates it too: no
 * YAML syntax findings (Red Hat reports them), and no schema findings when a
 * modeline hands the file's schema to Red Hat.
 */
export function withRedHat(findings: readonly Finding[], text: string): Finding[] {
  const modeline = hasModeline(text);
  return findings.filter((f) => !SYNTAX_RULES.has(f.ruleId) && !(modeline && f.ruleId.startsWith('schema/')));
}
