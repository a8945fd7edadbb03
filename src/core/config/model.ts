/**
 * The model of `.paved-road.yaml`, the platform config a team keeps at the root
 * of a repository. This zod model is the single source of truth: the JSON Schema
 * in `schemas/paved-road-config.schema.json` is generated from it
 * (`npm run schema`), and a unit test fails when the two differ.
 *
 * zod/mini keeps the extension bundle small; its checks map one to one to JSON Schema.
 */
import * as z from 'zod/mini';

const nonEmpty = z.string().check(z.minLength(1));

const httpUrl = z.string().check(
  z.regex(/^https?:\/\/[^\s/?#]+[^\s]*$/),
  z.meta({ patternErrorMessage: 'must be an http:// or https:// URL' }),
);

const httpsUrl = z.string().check(
  z.regex(/^https:\/\/[^\s/?#]+[^\s]*$/),
  z.meta({ patternErrorMessage: 'must be an https:// URL' }),
);

// remote forms only: git reads `git@/x:y` (a "/" before the ":") as a local path, `a::b` as a transport helper,
// and a leading "-" as an option (src/core/sources/git.ts checks again, in full, before git runs)
const gitUrl = z.string().check(
  z.regex(/^(https:\/\/(?!-)[^\s/?#]+[^\s]*|ssh:\/\/(?!-)([^\s@/]+@)?(?!-)[^\s@/]+\/[^\s]*|([A-Za-z0-9._~+-]+@)?[A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9]:(?![:-])[^\s]+)$/),
  z.meta({ patternErrorMessage: 'must be a remote git URL: https://…, ssh://… or git@host:owner/repo' }),
);

const gitRef = z.string().check(
  z.regex(/^(?!-)(?!.*\.\.)(?!.*@\{)[^\s~^:?*[\\]+$/),
  z.meta({ patternErrorMessage: 'must be a branch, tag or commit: no spaces, no leading -, none of ~ ^ : ? * [ \\ or ..' }),
);

/** Where policies or templates come from. Exactly one of `path`, `git` or `url`. */
export const SourceSchema = z.union([
  z
    .strictObject({
      path: nonEmpty.check(z.meta({ description: 'A folder or file in the workspace, relative to this file (policies: every .yaml/.yml under it; read in trusted workspaces only).' })),
    })
    .check(z.meta({ title: 'Local source' })),
  z
    .strictObject({
      git: gitUrl.check(z.meta({ description: 'A git repository, cloned into a cache (trusted workspaces only).' })),
      ref: z.optional(gitRef.check(z.meta({ description: 'Branch, tag or commit to use. Default: the default branch.' }))),
      path: z.optional(nonEmpty.check(z.meta({ description: 'Folder inside the repository.' }))),
    })
    .check(z.meta({ title: 'Git source' })),
  z
    .strictObject({
      url: httpsUrl.check(z.meta({ description: 'An https URL, fetched and cached (trusted workspaces only).' })),
    })
    .check(z.meta({ title: 'URL source' })),
]);

export const ExemptionSchema = z.strictObject({
  rule: nonEmpty.check(z.meta({ description: 'The rule id the exemption is for, e.g. `k8s/run-as-non-root`.' })),
  paths: z.optional(z.array(nonEmpty).check(z.meta({ description: 'Globs, relative to this file, of the files it applies to. Default: every file.' }))),
  resource: z.optional(
    nonEmpty.check(z.meta({ description: 'The resource it applies to: `name`, or `Kind/name` (e.g. `Deployment/legacy-api`). Default: every resource.' })),
  ),
  reason: nonEmpty.check(z.meta({ description: 'Why the finding is accepted (shown in reports).' })),
  expires: z.optional(
    z.string().check(
      z.regex(/^\d{4}-\d{2}-\d{2}$/),
      z.meta({ description: 'Date (YYYY-MM-DD) after which the exemption no longer applies.', patternErrorMessage: 'must be a date written YYYY-MM-DD' }),
    ),
  ),
});

export const SeveritySchema = z.enum(['error', 'warning', 'info', 'off']).check(
  z.meta({ description: 'Severity of a rule\'s findings, or `off` to turn the rule off.' }),
);

export const SchemaAssociationSchema = z.strictObject({
  files: z
    .union([nonEmpty, z.array(nonEmpty).check(z.minLength(1))])
    .check(z.meta({ description: 'Glob or globs, relative to this file, of the files the schema applies to. Example: `deploy/**/*.yaml`.' })),
  schema: nonEmpty.check(
    z.meta({
      description:
        'The JSON Schema: a path relative to this file, or an https URL (fetched with a timeout and cached for offline use; never in an untrusted workspace).',
    }),
  ),
  description: z.optional(z.string().check(z.meta({ description: 'What this association is for (shown in the Paved Road view).' }))),
});

export const EnvironmentSchema = z.strictObject({
  prometheus: z.optional(
    z
      .strictObject({
        url: httpUrl.check(z.meta({ description: 'Base URL of the Prometheus HTTP API for this environment.' })),
      })
      .check(z.meta({ description: 'Where SLO data for this environment comes from.' })),
  ),
  kubernetes: z.optional(
    z
      .strictObject({
        context: z.optional(nonEmpty.check(z.meta({ description: 'kubeconfig context name for this environment.' }))),
        namespace: z.optional(nonEmpty.check(z.meta({ description: 'Namespace the service runs in, in this environment.' }))),
      })
      .check(z.meta({ description: 'Where the service runs in this environment.' })),
  ),
});

export const ConfigSchema = z
  .strictObject({
    version: z.optional(z.literal(1).check(z.meta({ description: 'Version of this file\'s format. Only `1` exists.' }))),
    schemas: z.optional(
      z.array(SchemaAssociationSchema).check(z.meta({ description: 'JSON Schemas for the team\'s own manifests, by file glob.' })),
    ),
    crds: z.optional(
      z.array(nonEmpty).check(
        z.meta({
          description:
            'CustomResourceDefinition files whose openAPIV3Schema validates your custom resources, besides the CRDs found in the workspace: paths relative to this file, or https URLs (fetched and cached; trusted workspaces only).',
        }),
      ),
    ),
    policies: z.optional(
      z
        .strictObject({
          sources: z.optional(z.array(SourceSchema).check(z.meta({ description: 'Where the team\'s policies come from.' }))),
          profile: z.optional(
            z.enum(['minimal', 'recommended', 'strict']).check(
              z.meta({
                description:
                  'Which severities the built-in rules get. minimal: only what Pod Security baseline forbids or what breaks at apply or run time, as errors. recommended (default): those as errors, Pod Security restricted and hygiene as warnings, advice as information. strict: everything at least a warning. Overrides in rules apply on top; this file wins over the pavedRoad.policies.profile setting.',
              }),
            ),
          ),
          rules: z.optional(
            z.record(nonEmpty, SeveritySchema).check(
              z.meta({ description: 'Severity overrides by rule id, e.g. `k8s/run-as-non-root: warning`; `off` turns a rule off.' }),
            ),
          ),
          exemptions: z.optional(
            z.array(ExemptionSchema).check(
              z.meta({ description: 'Findings a team has decided to accept, each with its reason and, best, an expiry date (an expired exemption is itself a finding).' }),
            ),
          ),
        })
        .check(z.meta({ description: 'Policy sources and rule severity overrides.' })),
    ),
    templates: z.optional(
      z
        .strictObject({
          sources: z.optional(z.array(SourceSchema).check(z.meta({ description: 'Where golden-path templates come from, besides the built-in ones.' }))),
        })
        .check(z.meta({ description: 'Golden-path template sources.' })),
    ),
    github: z.optional(
      z
        .strictObject({
          apiUrl: z.optional(
            httpUrl.check(
              z.meta({ description: 'GitHub API URL. Default https://api.github.com; for GitHub Enterprise Server, https://HOST/api/v3.' }),
            ),
          ),
        })
        .check(z.meta({ description: 'Where the service\'s pipelines run.' })),
    ),
    environments: z.optional(
      z.record(nonEmpty, EnvironmentSchema).check(
        z.meta({ description: 'Per environment (e.g. `staging`, `production`): Prometheus URL and Kubernetes context/namespace.' }),
      ),
    ),
  })
  .check(
    z.meta({
      title: 'Paved Road platform config',
      description: 'The platform config of a repository: schemas, policies, templates and the endpoints of its live views.',
    }),
  );

export type PavedRoadConfig = z.infer<typeof ConfigSchema>;
export type Source = z.infer<typeof SourceSchema>;
export type RuleSeverity = z.infer<typeof SeveritySchema>;
export type Exemption = z.infer<typeof ExemptionSchema>;

export const CONFIG_SCHEMA_ID = 'https://paved-road.dev/schemas/paved-road-config.schema.json';

/** The JSON Schema of the config, generated from the zod model (draft-07, what editors support best). */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ConfigSchema, { target: 'draft-7' }) as Record<string, unknown>;
  return { ...schema, $id: CONFIG_SCHEMA_ID };
}
