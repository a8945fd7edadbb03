/**
 * `paved-road validate [paths…]`: the editor's checks, from the terminal or CI.
 */
import { REPORT_OPTIONS, emitReport, exitCode, filesFromPaths, runChecks } from '../checks';
import type { FailOn } from '../checks';
import { defineCommand } from '../command';
import { CLI_NAME } from '../tool';

export { FAIL_ON_LEVELS, exitCode } from '../checks';
export type { FailOn } from '../checks';

export const validateCommand = defineCommand({
  name: 'validate',
  synopsis: '[options] [paths…]',
  summary: 'Validate manifests: files, directories or globs (default: the current directory)',
  description: [
    'Each path is a file, a directory or a glob (quote it: \'deploy/**/*.yaml\').',
    'Directories are walked recursively, honouring .gitignore and skipping .git and node_modules;',
    'only files Paved Road validates are checked there. A file named explicitly or matched by a glob',
    'is always listed: validated if Paved Road knows its kind, otherwise reported as skipped.',
    '',
    'Exit codes: 0 no findings at or above --fail-on, 1 findings at or above it (a file that cannot be read',
    'is a finding on it), 2 usage error or a fatal problem.',
  ].join('\n'),
  options: {
    ...REPORT_OPTIONS,
  },
  examples: [
    `${CLI_NAME} validate`,
    `${CLI_NAME} validate .paved-road.yaml services/`,
    `${CLI_NAME} validate 'deploy/**/*.yaml' --fail-on warning`,
    `${CLI_NAME} validate --format sarif --output paved-road.sarif`,
  ],
  async run({ options, positionals }, ctx) {
    const failOn: FailOn = options['fail-on'] === 'warning' ? 'warning' : 'error';
    const files = await filesFromPaths(positionals, ctx, options['no-error-on-unmatched-pattern'] === true);
    const results = await runChecks({ files, policies: false, offline: options.offline === true, allowRemoteSources: options['allow-remote-sources'] === true }, ctx);
    await emitReport(results, options, ctx);
    return exitCode(results, failOn);
  },
});
