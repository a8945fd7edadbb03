/**
 * The Paved Road `Policy` format (`apiVersion: paved-road.dev/v1`): a team's
 * own rules as CEL expressions. This zod model is the single source of truth:
 * `schemas/project/paved-road-policy.json` (completion, hover and validation in
 * the editor) is generated from it by `npm run schema`.
 */
import * as z from 'zod/mini';

const nonEmpty = z.string().check(z.minLength(1));

const dnsName = z.string().check(
  z.regex(/^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/),
  z.meta({ patternErrorMessage: 'must be lower-case letters, digits, `-` and `.` (at most 63), starting and ending with a letter or digit' }),
);

const oneOrMore = (description: string) =>
  z.optional(z.union([nonEmpty, z.array(nonEmpty).check(z.minLength(1))]).check(z.meta({ description })));

export const PolicyMatchSchema = z
  .strictObject({
    apiVersion: oneOrMore('apiVersion or apiVersions (globs: `apps/*`, `*`). Default: any.'),
    kind: oneOrMore('Kind or kinds (globs). Default: any.'),
    files: oneOrMore('Globs of the files, relative to the folder of `.paved-road.yaml` (e.g. `deploy/**`). Default: any file.'),
    names: oneOrMore('`metadata.name` globs. Default: any name.'),
    namespaces: oneOrMore('`metadata.namespace` globs. Default: any namespace.'),
  })
  .check(z.meta({ description: 'Documents that match every key given here.' }));

export const PolicyVariableSchema = z.strictObject({
  name: z.string().check(
    z.regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/),
    z.meta({ description: 'Read as `variables.<name>` in later variables and in rules.', patternErrorMessage: 'must be a CEL identifier' }),
  ),
  expression: nonEmpty.check(z.meta({ description: 'CEL expression; sees `object` and the variables before it.' })),
});

export const PolicyRuleSchema = z.strictObject({
  name: dnsName.check(z.meta({ description: 'The rule\'s name: its id is `<policy>/<name>`.' })),
  title: z.optional(nonEmpty.check(z.meta({ description: 'One line shown in the Policies view and in SARIF.' }))),
  description: z.optional(nonEmpty.check(z.meta({ description: 'What the rule checks and why.' }))),
  severity: z.optional(z.enum(['error', 'warning', 'info']).check(z.meta({ description: 'Severity of its findings. Default: error.' }))),
  match: z.optional(z.array(PolicyMatchSchema).check(z.meta({ description: 'Documents this rule looks at (any entry). Default: the policy\'s match.' }))),
  exclude: z.optional(z.array(PolicyMatchSchema).check(z.meta({ description: 'Documents this rule skips (any entry), besides the policy\'s exclude.' }))),
  each: z.optional(
    nonEmpty.check(
      z.meta({
        description:
          'Check each element of a list on its own: `containers` (every container, init and ephemeral container of a workload, wherever its pod spec sits) or a field path such as `spec.rules`. The expression then sees `element` and `index`, and `path` is relative to the element.',
      }),
    ),
  ),
  expression: nonEmpty.check(z.meta({ description: 'CEL expression that is true for a compliant resource. Sees `object`, `variables`, `file` (`path`, `name`), and with `each` `element` and `index`.' })),
  message: z.optional(
    nonEmpty.check(z.meta({ description: 'Message of a finding; `{{ cel }}` placeholders are evaluated, e.g. `{{ object.metadata.name }} has no team label`.' })),
  ),
  messageExpression: z.optional(nonEmpty.check(z.meta({ description: 'CEL expression giving the message (instead of `message`).' }))),
  path: z.optional(
    nonEmpty.check(
      z.meta({ description: 'Where the finding goes: a field path such as `metadata.labels` or `spec.template.spec.containers[0].image` (the deepest existing part is used). Default: the document\'s `kind`.' }),
    ),
  ),
  remediation: z.optional(nonEmpty.check(z.meta({ description: 'How to fix a finding (shown with it).' }))),
});

export const PolicySchema = z
  .strictObject({
    apiVersion: z.literal('paved-road.dev/v1').check(z.meta({ description: 'The Paved Road Policy format, version 1.' })),
    kind: z.literal('Policy').check(z.meta({ description: 'A team policy: rules as CEL expressions.' })),
    metadata: z
      .strictObject({
        name: dnsName.check(z.meta({ description: 'The policy\'s name: the family of its rule ids (`<name>/<rule>`).' })),
        annotations: z.optional(z.record(z.string(), z.string()).check(z.meta({ description: 'Free-form notes (not read by Paved Road).' }))),
        labels: z.optional(z.record(z.string(), z.string()).check(z.meta({ description: 'Free-form labels (not read by Paved Road).' }))),
      })
      .check(z.meta({ description: 'The policy\'s name.' })),
    spec: z.strictObject({
      description: z.optional(nonEmpty.check(z.meta({ description: 'What the policy is for.' }))),
      match: z.optional(z.array(PolicyMatchSchema).check(z.meta({ description: 'Documents the policy looks at (any entry). Default: every document.' }))),
      exclude: z.optional(z.array(PolicyMatchSchema).check(z.meta({ description: 'Documents the policy skips (any entry).' }))),
      variables: z.optional(z.array(PolicyVariableSchema).check(z.meta({ description: 'Named CEL expressions, evaluated in order, read as `variables.<name>`.' }))),
      rules: z.array(PolicyRuleSchema).check(z.minLength(1), z.meta({ description: 'The rules: each one a CEL expression that holds for compliant resources.' })),
    }).check(z.meta({ description: 'What the policy matches and its rules.' })),
  })
  .check(z.meta({ title: 'Paved Road Policy', description: 'A team\'s own policy: CEL rules run in the editor, the pre-commit hook and CI.' }));

export type PavedRoadPolicy = z.infer<typeof PolicySchema>;
export type PolicyRule = z.infer<typeof PolicyRuleSchema>;
export type PolicyMatch = z.infer<typeof PolicyMatchSchema>;

export const POLICY_SCHEMA_ID = 'https://paved-road.dev/schemas/paved-road-policy.json';

export function policyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(PolicySchema, { target: 'draft-7' }) as Record<string, unknown>;
  return { ...schema, $id: POLICY_SCHEMA_ID };
}
