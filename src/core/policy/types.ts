/**
 * The policy engine's contract. A rule is one small module: it says which
 * documents it applies to and returns findings at value paths; the engine puts
 * them on ranges, applies severity overrides and exemptions, and gives the same
 * answers in the editor, the pre-commit hook and CI.
 */
import type { PathSegment, Range, Severity } from '../findings';

/** One parsed YAML document, as rules see it. */
export interface PolicyDocument {
  /** Absolute path of the file. */
  path: string;
  /** 0-based index of the document in its file. */
  index: number;
  /** The document's value (a mapping for every Kubernetes or Backstage document). */
  value: unknown;
  apiVersion?: string;
  kind?: string;
  /** `metadata.name`, when there is one. */
  name?: string;
  /** `metadata.namespace`, when there is one. */
  namespace?: string;
  /** The document's text, when known: results of rules that look only at the document are cached by it. */
  key?: string;
  /** The range of a key or value at `path` in the file (the deepest existing ancestor when the path is missing). */
  locate(path: readonly PathSegment[], target?: 'key' | 'value'): Range;
}

/** Everything a rule may look at besides its document: the whole set checked together. */
export interface PolicyContext {
  /** Every document being checked (the file set, or the workspace): for rules across documents (Service → workload, PDB, NetworkPolicy). */
  documents: readonly PolicyDocument[];
}

/** What a rule reports: where (a path in the document) and what. */
export interface RuleFinding {
  path: PathSegment[];
  /** Put the finding on the key at `path` (default) or on its value. */
  target?: 'key' | 'value';
  message: string;
  /** Its own severity instead of the rule's: for "could not be evaluated" findings of team rules (the resource may well be fine). */
  severity?: Severity;
  /**
   * A setting missing on an object: findings of several rules with the same
   * `key` on one document and path are reported as one ("Container 'app' has
   * no CPU request or memory limit: set …"), under the first rule's id.
   */
  missing?: MissingSetting;
  /**
   * The field the finding is about when it is not at `path` (a missing field
   * reported on its parent): a finding inside a field the schema already
   * rejects (misspelt, wrong type) is not reported again.
   */
  field?: PathSegment[];
}

export interface MissingSetting {
  /** Findings with the same key (on the same document and path) are one finding. */
  key: string;
  /** Who lacks it, as the message starts: "Container 'app'". */
  subject: string;
  /** What is missing, in words: "CPU request". */
  what: string;
  /** The field to set: "resources.requests.cpu". */
  field: string;
}

/** How much a team wants checked (`policies.profile`): see ./profiles.ts. */
export type Profile = 'minimal' | 'recommended' | 'strict';

/** A rule's severity in each profile; `off` leaves it out of that profile. */
export type ProfileSeverities = Readonly<Record<Profile, Severity | 'off'>>;

export type RuleCategory =
  | 'kubernetes-security'
  | 'kubernetes-reliability'
  | 'kubernetes-efficiency'
  | 'kubernetes-rbac'
  | 'kubernetes-networking'
  | 'platform-readiness'
  | 'team-policy';

export interface Rule {
  /** Stable id, `<family>/<kebab-name>`, e.g. `k8s/run-as-non-root`. */
  id: string;
  title: string;
  category: RuleCategory;
  /** Severity in the default profile (`recommended`), or where the rule is on; `.paved-road.yaml` `policies.rules` may override it or turn the rule off. */
  severity: Severity;
  /**
   * Severity in each profile (`policies.profile`). A built-in rule that declares
   * none gets one from its severity (`defaultProfiles` in ./profiles.ts); team
   * rules keep their own severity in every profile.
   */
  profiles?: ProfileSeverities;
  /** What the rule checks and why it matters (one or two sentences). */
  description: string;
  /** How to fix a finding. */
  remediation: string;
  /** The same check in other tools, for teams that know them (a rule may cover several Polaris checks). */
  equivalents?: { polaris?: string | readonly string[]; kubeLinter?: string };
  /**
   * The names after `paved-road.dev/exempt-` that exempt a resource from the
   * rule. Default: the id without its family (`k8s/run-as-non-root` →
   * `run-as-non-root`); team rules use `<policy>.<rule>` and `<policy>`.
   */
  exemptionNames?: readonly string[];
  /** Where the rule comes from, for team rules: the policy file and the range of its definition. */
  origin?: { path: string; range: Range; format: string };
  /** Whether the rule looks at this document at all. */
  appliesTo(doc: PolicyDocument): boolean;
  check(doc: PolicyDocument, ctx: PolicyContext): RuleFinding[];
}
