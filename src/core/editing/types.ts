/**
 * Types of the editing engine: schema-driven completion, hover and quick fixes for
 * one YAML document. Positions are 0-based line/character (UTF-16), as everywhere in
 * the engine (see `../findings`).
 */
import type { Finding, Position, Range } from '../findings';

export type { PathSegment, Position, Range } from '../findings';

/**
 * A JSON Schema (draft-04 … 2020-12) as plain data. Only the keywords the editing
 * engine reads are typed; everything else passes through untouched.
 */
export interface JSONSchema {
  $ref?: string;
  type?: string | string[];
  title?: string;
  description?: string;
  markdownDescription?: string;
  properties?: Record<string, SchemaNode>;
  patternProperties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode;
  required?: string[];
  items?: SchemaNode | SchemaNode[];
  prefixItems?: SchemaNode[];
  additionalItems?: SchemaNode;
  allOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  not?: SchemaNode;
  if?: SchemaNode;
  then?: SchemaNode;
  else?: SchemaNode;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  examples?: unknown;
  enumDescriptions?: string[];
  markdownEnumDescriptions?: string[];
  deprecated?: boolean;
  deprecationMessage?: string;
  markdownDeprecationMessage?: string;
  doNotSuggest?: boolean;
  definitions?: Record<string, SchemaNode>;
  $defs?: Record<string, SchemaNode>;
  [keyword: string]: unknown;
}

/** A schema or a boolean schema (`true` allows anything, `false` nothing). */
export type SchemaNode = JSONSchema | boolean;

/** Documentation the adapter knows about the document's kind, for links and annotation help. */
export interface EditingDocs {
  /** Reference documentation of the document's kind (e.g. the kubernetes.io page of Deployment). */
  kindUrl?: string;
  /** Well-known `metadata.annotations` keys. */
  annotations?: Record<string, { description: string; url?: string }>;
}

export interface EditingRequest {
  /** Text of ONE YAML document. */
  text: string;
  position: Position;
  schema: SchemaNode;
  docs?: EditingDocs;
}

export interface CompletionItem {
  label: string;
  kind: 'property' | 'value' | 'snippet';
  /**
   * VS Code snippet syntax. Lines after the first are relative to the indentation of the
   * line the completion is inserted on (VS Code adds that line's leading whitespace to them,
   * as it does for every snippet).
   */
  insertText: string;
  filterText?: string;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  sortText: string;
  required?: boolean;
  deprecated?: boolean;
  /**
   * The text the completion replaces (the word being typed: a partial key, or the whole
   * scalar value on the line). Starts at or before the cursor, may end after it.
   */
  range?: Range;
}

export interface HoverResult {
  markdown: string;
  range: Range;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface QuickFix {
  title: string;
  edits: TextEdit[];
  isPreferred?: boolean;
}

export interface QuickFixRequest {
  /** Text of ONE YAML document; the finding's data paths are relative to it. */
  text: string;
  finding: Finding;
  schema?: SchemaNode;
}
