/**
 * `paved-road check [paths…]`: validation plus the policy rules — the checks the
 * editor shows, for the pre-commit hook and CI.
 */
import { REPORT_OPTIONS, emitReport, exitCode, filesFromPaths, runChecks } from '../checks';
import type { FailOn } from '../checks';
import { GitError, stagedConfigReader, stagedManifests } from '../../core/git';
import { defineCommand } from '../command';
import { CliError } from '../errors';
import { CLI_NAME } from '../tool';

export const checkCommand = defineCommand({
  name: 'check',
  synopsis: '[options] [paths…]',
  summary: 'Validate manifests and check them against the policy rules (default: the current directory)',
  description: [
    'Everything validate does, plus the policies:',
    '- the built-in rules (Kubernetes workload security and reliability, RBAC, networking; Backstage readiness);',
    '- the team policies of the nearest .paved-road.yaml (policies.sources: Paved Road CEL policies,',
    '  ValidatingAdmissionPolicies with their bindings, Kyverno validate rules), from local folders, git or https;',
    '- the severity overrides (policies.rules) and exemptions (policies.exemptions: rule, resource, paths,',
    '  reason, expires) of that config, and the exemptions written on resources',
    '  (paved-road.dev/exempt-<rule>: "<reason>", and the Polaris and kube-linter annotations).',
    'Every document checked together is the context of rules across documents (a Service and its workload).',
    'A policy that cannot be loaded (a syntax error, an unreachable source) is reported, whatever is checked.',
    '',
    'Exit codes: 0 no findings at or above --fail-on, 1 findings at or above it (a file that cannot be read,',
    'a config or team policy that does not load are findings too), 2 usage error or a fatal problem.',
  ].join('\n'),
  options: {
    ...REPORT_OPTIONS,
    staged: { type: 'boolean', description: 'Check what is staged for commit (the git index), not the working tree (the pre-commit hook uses this)' },
  },
  examples: [
    `${CLI_NAME} check`,
    `${CLI_NAME} check deploy/ --fail-on warning`,
    `${CLI_NAME} check --staged`,
    `${CLI_NAME} check --format sarif --output paved-road.sarif`,
  ],
  async run({ options, positionals }, ctx) {
    const failOn: FailOn = options['fail-on'] === 'warning' ? 'warning' : 'error';
    if (options.staged === true) {
      let staged;
      let readConfig;
      try {
        staged = await stagedManifests(ctx.cwd, { env: ctx.env, ...(positionals.length > 0 ? { paths: positionals } : {}) });
        // the configs that apply come from the index too (a config staged as a link is not followed)
        readConfig = await stagedConfigReader(staged.root, staged.files, { env: ctx.env });
      } catch (err) {
        if (err instanceof GitError) throw new CliError(err.message);
        throw err;
      }
      // skipped entries (binary, symlink, submodule) are reported, never read from the working tree
      const checked = await runChecks({ files: staged.files, contents: staged.contents, policies: true, offline: options.offline === true, allowRemoteSources: options['allow-remote-sources'] === true, readConfig }, ctx);
      const reported = new Set(checked.map((r) => r.path));
      const results = [...checked, ...staged.skipped.filter((s) => !reported.has(s.path))].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      await emitReport(results, options, ctx, checked.rules);
      return exitCode(results, failOn);
    }
    const files = await filesFromPaths(positionals, ctx, options['no-error-on-unmatched-pattern'] === true);
    const results = await runChecks({ files, policies: true, offline: options.offline === true, allowRemoteSources: options['allow-remote-sources'] === true }, ctx);
    await emitReport(results, options, ctx, results.rules);
    return exitCode(results, failOn);
  },
});
