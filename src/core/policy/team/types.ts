/**
 * What every team-policy format (Paved Road `Policy`, Kubernetes
 * ValidatingAdmissionPolicy, Kyverno) turns a policy file into: rules the
 * engine runs like the built-in ones, and problems with the policy file itself
 * (diagnostics on that file; a policy that cannot run is never a silent pass).
 */
import type { Finding } from '../../findings';
import type { PolicyDocument, Rule } from '../types';

/** One document of a policy file, with positions. */
export type PolicySourceDocument = PolicyDocument & { value: Record<string, unknown> };

export interface PolicyLoadOptions {
  /** The repository root the policies apply to (the folder of `.paved-road.yaml`): file globs are relative to it. */
  baseDir: string;
  /** Every document of the policy files of this source set (bindings and parameter resources live next to policies). */
  all: readonly PolicySourceDocument[];
  /** The text of the file `doc` is in (to point at a column inside an expression). */
  text: string;
}

export interface LoadedPolicies {
  rules: Rule[];
  /** Problems with policy files, by the absolute path of the file they are on. */
  problems: Finding[];
}

/** A format: whether it reads a document, and what it makes of it. */
export interface PolicyFormat {
  /** e.g. `Paved Road Policy`, for messages. */
  name: string;
  reads(doc: PolicySourceDocument): boolean;
  load(doc: PolicySourceDocument, options: PolicyLoadOptions): LoadedPolicies;
}

/** Rule ids the built-in families own: a team policy may not use them as its name. */
export const RESERVED_FAMILIES = ['k8s', 'backstage', 'policy', 'yaml', 'schema', 'file', 'config'];

/** Finding ids on policy files. */
export const POLICY_PROBLEM = {
  /** The policy is malformed and does not run. */
  invalid: 'policy/invalid-policy',
  /** A CEL expression does not compile or type-check. */
  expression: 'policy/invalid-expression',
  /** A feature the policy uses does not run before commit: the rule (or part) is skipped, and said so. */
  unsupported: 'policy/unsupported',
  /** A policy source could not be read or fetched. */
  source: 'policy/source-unavailable',
  /** A rule could not be evaluated on a resource (a CEL runtime error). */
  evaluation: 'policy/evaluation-error',
} as const;
