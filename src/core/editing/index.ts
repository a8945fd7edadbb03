/**
 * Schema-driven editing help for ONE YAML document (the adapter slices multi-document
 * files): completion, hover and quick fixes. Pure (no editor API), fast, and never
 * throws on malformed or incomplete YAML.
 */
export { complete } from './complete';
export { hover } from './hover';
export { quickFixes } from './fixes';
export { subSchemas, appliedAt, resolveRef } from './navigate';
export type { Applied } from './navigate';
export { cursorContext } from './cursor';
export type { CursorContext } from './cursor';
export type {
  CompletionItem,
  EditingDocs,
  EditingRequest,
  HoverResult,
  JSONSchema,
  PathSegment,
  Position,
  QuickFix,
  QuickFixRequest,
  Range,
  SchemaNode,
  TextEdit,
} from './types';
