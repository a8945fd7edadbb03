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
 * - A document with a `yaml-language-server` modeline is Red Hat's: its modeline
 *   beats contributors, so Paved Road leaves that document's schema to Red Hat
 *   (modelines are read per document, exactly as Red Hat reads them).
 * - YAML syntax errors of open files come from Red Hat; Paved Road drops its own,
 *   except those only a strict parser sees (Red Hat parses leniently), and keeps
 *   them for files that are not open, which Red Hat does not check.
 * - While a document does not parse (the user is typing), ownership is decided
 *   from its `apiVersion`/`kind` lines, so Red Hat does not switch schemas mid-edit.
 */
import { parseAllDocuments } from 'yaml';
import type { Finding } from '../findings';
import { fastValue, splitDocuments, DEFAULT_LIMITS } from '../manifest';
import type { DocumentSlice } from '../manifest';
import { associate } from '../schema/associate';
import { modelineSchema, roughValue } from '../schema/modeline';
import type { ValidationContext } from '.';

/** The URI Paved Road gives Red Hat YAML for the files it validates itself: a schema that accepts anything. */
export const EMPTY_SCHEMA_URI = 'paved-road-schema://schemas/owned-by-paved-road.json';
export const EMPTY_SCHEMA_CONTENT = JSON.stringify({ $comment: 'Validated by Paved Road (schemas, completion, hover); Red Hat YAML checks the YAML syntax.' });

/** True when a document's modeline hands its schema to Red Hat YAML. */
export function hasModeline(docText: string): boolean {
  return modelineSchema(docText) !== undefined;
}

/** Whether Paved Road validates any document of this file against a schema (then Red Hat gets the empty schema). */
export function ownsSchema(path: string, text: string, ctx: ValidationContext): boolean {
  for (const slice of splitDocuments(text)) {
    if (hasModeline(slice.text)) continue; // Red Hat's modeline wins for this document
    const fast = fastValue(slice.text, { ...DEFAULT_LIMITS, ...ctx.limits });
    const value = fast.ok ? fast.value : roughValue(slice.text);
    const a = associate(path, slice.text, value, ctx);
    if (a && a.type !== 'none') return true;
  }
  return false;
}

const SYNTAX_RULES = new Set(['yaml/syntax', 'yaml/duplicate-key', 'yaml/warning']);

/** Whether a lenient parse (as yaml-language-server does) reports a problem on this line of the document. */
function lenientReports(slice: DocumentSlice, line: number): boolean {
  const rel = line - slice.line;
  const parsed = parseAllDocuments(slice.text, { strict: false, uniqueKeys: true, version: '1.2', logLevel: 'silent' });
  for (const doc of Array.isArray(parsed) ? parsed : []) {
    for (const e of [...doc.errors, ...doc.warnings]) {
      if (slice.text.slice(0, e.pos[0]).split('\n').length - 1 === rel) return true;
    }
  }
  return false;
}

/**
 * The findings to show for an open file when Red Hat YAML validates it too: no
 * YAML syntax findings Red Hat reports itself, and no schema findings in
 * documents whose modeline hands their schema to Red Hat.
 */
export function withRedHat(findings: readonly Finding[], text: string): Finding[] {
  const slices = splitDocuments(text);
  const sliceOf = (line: number): DocumentSlice | undefined => {
    let found = slices[0];
    for (const s of slices) if (s.line <= line) found = s;
    return found;
  };
  return findings.filter((f) => {
    const slice = sliceOf(f.range.start.line);
    if (!slice) return true;
    if (SYNTAX_RULES.has(f.ruleId)) return !lenientReports(slice, f.range.start.line);
    if (f.ruleId.startsWith('schema/') && hasModeline(slice.text)) return false;
    return true;
  });
}
