/**
 * `paved-road validate [paths…]`: the editor's checks, from the terminal or CI.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Severity } from '../../core/findings';
import { SEVERITY_ORDER } from '../../core/findings';
import { checkFiles, describeFsError, errorCode, readFiles, resolveFiles } from '../../core/files';
import { buildContext } from '../../core/validate/discover';
import type { OutputFormat, ReportFile } from '../../core/report';
import { OUTPUT_FORMATS, formatReport, isOutputFormat } from '../../core/report';
import { defineCommand } from '../command';
import { useColor } from '../context';
import { CliError, EXIT_FINDINGS, EXIT_OK } from '../errors';
import { CLI_NAME, TOOL } from '../tool';

export const FAIL_ON_LEVELS = ['error', 'warning'] as const satisfies readonly Severity[];
export type FailOn = (typeof FAIL_ON_LEVELS)[number];

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
    `Exit codes: 0 no findings at or above --fail-on, 1 findings at or above it, 2 usage or I/O error.`,
  ].join('\n'),
  options: {
    format: { type: 'string', short: 'f', values: OUTPUT_FORMATS, description: 'Report format (default: text)' },
    'fail-on': { type: 'string', values: FAIL_ON_LEVELS, description: 'Lowest severity that makes the exit code 1 (default: error)' },
    output: { type: 'string', short: 'o', valueName: 'file', description: 'Write the report to a file instead of stdout' },
    offline: { type: 'boolean', description: 'Fetch no schema URL; use only schemas already in the cache' },
  },
  examples: [
    `${CLI_NAME} validate`,
    `${CLI_NAME} validate .paved-road.yaml services/`,
    `${CLI_NAME} validate 'deploy/**/*.yaml' --fail-on warning`,
    `${CLI_NAME} validate --format sarif --output paved-road.sarif`,
  ],
  async run({ options, positionals }, ctx) {
    const format: OutputFormat = options.format !== undefined && isOutputFormat(options.format) ? options.format : 'text';
    const failOn: FailOn = options['fail-on'] === 'warning' ? 'warning' : 'error';
    const paths = positionals.length > 0 ? positionals : ['.'];

    const { files, warnings } = await resolveFiles(paths, { cwd: ctx.cwd });
    for (const warning of warnings) ctx.stderr.write(`${CLI_NAME}: warning: ${warning}\n`);
    const contents = readFiles(files);
    const texts = new Map<string, string>();
    for (const [path, content] of contents) if (!(content instanceof Error) && content.ok) texts.set(path, content.text);
    const context = await buildContext({ texts, root: ctx.cwd, offline: options.offline === true, onProblem: (m) => ctx.stderr.write(`${CLI_NAME}: warning: ${m}\n`) });
    const results = await checkFiles(files, { context, contents });

    if (format === 'text') {
      for (const file of results) if (file.skipped !== undefined) ctx.stderr.write(`${file.path}: skipped: ${file.skipped}\n`);
    }
    const report = formatReport(format, results, {
      tool: TOOL,
      cwd: ctx.cwd,
      color: options.output === undefined && useColor(ctx),
    });
    if (options.output !== undefined) await writeReport(resolve(ctx.cwd, options.output), options.output, report);
    else ctx.stdout.write(report);
    return exitCode(results, failOn);
  },
});

/** 1 when any finding is at or above `failOn`, else 0. */
export function exitCode(results: readonly ReportFile[], failOn: FailOn): number {
  const threshold = SEVERITY_ORDER[failOn];
  const failing = results.some((file) => file.findings.some((f) => SEVERITY_ORDER[f.severity] <= threshold));
  return failing ? EXIT_FINDINGS : EXIT_OK;
}

async function writeReport(absolutePath: string, shown: string, report: string): Promise<void> {
  try {
    await mkdir(dirname(absolutePath), { recursive: true });
  } catch (err) {
    const code = errorCode(err);
    const reason = code === 'EEXIST' || code === 'ENOTDIR' ? 'a parent path is a file, not a directory' : describeFsError(err);
    throw new CliError(`cannot write ${shown}: ${reason}`);
  }
  try {
    await writeFile(absolutePath, report, 'utf8');
  } catch (err) {
    throw new CliError(`cannot write ${shown}: ${describeFsError(err)}`);
  }
}
