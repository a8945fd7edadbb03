/**
 * Editing help for a whole file: finds the YAML document under the cursor, the
 * schema the association chain gives it, and runs the editing engine on that
 * document alone (positions moved between file and document).
 */
import type { Finding, Position, Range } from '../findings';
import { complete, hover, quickFixes } from '../editing';
import type { CompletionItem, EditingDocs, HoverResult, QuickFix, SchemaNode } from '../editing';
import { parseSlice, splitDocuments } from '../manifest';
import type { DocumentSlice } from '../manifest';
import { associate } from '../schema/associate';
import { roughValue } from '../schema/modeline';
import type { ValidationContext } from '.';

export interface DocumentAt {
  slice: DocumentSlice;
  schema?: SchemaNode;
  docs: EditingDocs;
  /** What the schema is, for messages ("Kubernetes 1.36 apps/v1 Deployment"). */
  title?: string;
}

export function documentAt(path: string, text: string, line: number, ctx: ValidationContext): DocumentAt | undefined {
  const slices = splitDocuments(text);
  let slice = slices[0];
  for (const s of slices) if (s.line <= line) slice = s;
  if (!slice) {
    // an empty file: completion at its start still gets skeletons from file-name associations
    slice = { index: 0, text, offset: 0, line: 0 };
  }
  const doc = parseSlice(slice, ctx.limits);
  const value = doc.ok && doc.value !== undefined && doc.value !== null ? doc.value : roughValue(slice.text);
  const association = associate(path, slice.text, value, ctx);
  const annotations = Object.fromEntries(Object.entries(ctx.registry.annotations()).map(([k, v]) => [k, { description: v.description, ...(v.docs ? { url: v.docs } : {}) }]));
  if (association?.type !== 'schema') return { slice, docs: { annotations } };
  try {
    const schema = association.schema.load() as SchemaNode;
    return { slice, schema, title: association.schema.title, docs: { ...(association.schema.docs ? { kindUrl: association.schema.docs } : {}), annotations } };
  } catch {
    return { slice, docs: { annotations } };
  }
}

const toDoc = (p: Position, slice: DocumentSlice): Position => ({ line: p.line - slice.line, character: p.character });
const toFile = (r: Range, slice: DocumentSlice): Range => ({
  start: { line: r.start.line + slice.line, character: r.start.character },
  end: { line: r.end.line + slice.line, character: r.end.character },
});

export function completionsAt(path: string, text: string, position: Position, ctx: ValidationContext): CompletionItem[] {
  const at = documentAt(path, text, position.line, ctx);
  if (!at?.schema) return [];
  return complete({ text: at.slice.text, position: toDoc(position, at.slice), schema: at.schema, docs: at.docs }).map((item) =>
    item.range ? { ...item, range: toFile(item.range, at.slice) } : item,
  );
}

export function hoverAt(path: string, text: string, position: Position, ctx: ValidationContext): HoverResult | undefined {
  const at = documentAt(path, text, position.line, ctx);
  if (!at?.schema) return undefined;
  const h = hover({ text: at.slice.text, position: toDoc(position, at.slice), schema: at.schema, docs: at.docs });
  if (!h) return undefined;
  // every hover in a Kubernetes or Backstage document links the kind's reference page
  const url = at.docs.kindUrl;
  const markdown = url && !h.markdown.includes(url) ? `${h.markdown}\n\n[${at.title ?? 'Reference'} — reference documentation](${url})` : h.markdown;
  return { markdown, range: toFile(h.range, at.slice) };
}

/** Quick fixes for a finding of this file (file positions in, file positions out). */
export function fixesFor(path: string, text: string, finding: Finding, ctx: ValidationContext): QuickFix[] {
  const at = documentAt(path, text, finding.range.start.line, ctx);
  if (!at) return [];
  const local: Finding = { ...finding, range: { start: toDoc(finding.range.start, at.slice), end: toDoc(finding.range.end, at.slice) } };
  const fixes: QuickFix[] = [];
  // a required property next to its misspelling: rename the misspelt key
  if (finding.ruleId === 'schema/required' && finding.data?.typo && finding.data.property) {
    fixes.push({ title: `Rename '${finding.data.typo}' to '${finding.data.property}'`, edits: [{ range: finding.range, newText: finding.data.property }], isPreferred: true });
  }
  for (const fix of quickFixes({ text: at.slice.text, finding: local, ...(at.schema !== undefined ? { schema: at.schema } : {}) })) {
    fixes.push({ ...fix, ...(fixes.length && fix.isPreferred ? { isPreferred: false } : {}), edits: fix.edits.map((e) => ({ ...e, range: toFile(e.range, at.slice) })) });
  }
  return fixes;
}
