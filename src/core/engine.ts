/**
 * The engine as the editor uses it, built as its own bundle (dist/engine.js)
 * and loaded on first use, so activating the extension does not pay for
 * parsing and validation libraries (yaml, js-yaml, ajv, zod) before they are needed.
 */
export { loadConfig } from './config';
export { validateText, manifestKind, isHelmTemplate } from './validate';
export { compareFindings } from './findings';
export type { DocumentCache, ValidationContext } from './validate';
export { rulesFromConfigs, rulesFromSetting, crdsFromConfigs, untrustedConfigNotes } from './validate/context';
export type { ConfigLocation } from './validate/context';
export { SchemaRegistry } from './schema/registry';
export { SchemaValidator } from './schema/validator';
export { RemoteSchemaCache } from './schema/remote';
export { crdVersions, crdsInText } from './schema/crd';
export { parseSlice, splitDocuments, tooLargeFinding } from './manifest';
export { decodeManifestBytes, unreadableFinding } from './files/read';
export { readRegularFile } from './files/regular';
export { completionsAt, hoverAt, fixesFor } from './validate/editing';
export { documentSymbols } from './editing/symbols';
export type { YamlSymbol } from './editing/symbols';
export { ownsSchema, withRedHat, EMPTY_SCHEMA_URI, EMPTY_SCHEMA_CONTENT } from './validate/redhat';
export { checkPolicies, isProfile, policyDocuments, policyOptionsFor, rulesFor, withoutShadowed } from './policy';
export type { Rule } from './policy';
export { loadAllTeamPolicies } from './policy/team/load';
export { localSourcePaths } from './policy/team/sources';
export type { PolicyDocument } from './policy';
export type { PolicyParseCache } from './policy/engine';
export { BUILTIN_RULES } from './policy/rules';
export { policyFixes, exemptionFix, exemptionKey, exemptionTitle } from './policy/fixes';
export { findRepoRoot, hookStatus, installHook, uninstallHook, HookError } from './git';
