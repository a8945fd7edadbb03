/**
 * What `validate` and `check` share: resolve the paths, read the files once,
 * build the validation context (configs, CRDs, remote schemas), validate, and
 * for `check` add the policy findings. Also writes the report and computes the exit code.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Finding, Severity } from '../core/findings';
import { SEVERITY_ORDER, compareFindings } from '../core/findings';
import { checkFiles, describeFsError, displayPath, errorCode, readFiles, resolveFiles } from '../core/files';
import type { FileContent, ResolvedFile } from '../core/files';
import type { FileAccessError } from '../core/files/paths';
import { checkFileSet, withoutShadowed } from '../core/policy';
import type { Rule } from '../core/policy';
import { BUILTIN_RULES } from '../core/policy/rules';
import { loadAllTeamPolicies } from '../core/policy/team/load';
import { defaultPolicyCacheDir } from '../core/policy/team/sources';
import type { OutputFormat, ReportFile } from '../core/report';
import { OUTPUT_FORMATS, formatReport, isOutputFormat } from '../core/report';
import { buildContext } from '../core/validate/discover';
import type { ConfigReader } from '../core/validate/discover';
import type { CliContext } from './context';
import { useColor } from './context';
import { CliError, EXIT_FINDINGS, EXIT_OK } from './errors';
import { CLI_NAME, TOOL } from './tool';
import { REMOTE_DENIED, remoteSourcesAllowed } from './remote';
import { displayText } from '../core/util/text';

export const FAIL_ON_LEVELS = ['error', 'warning'] as const satisfies readonly Severity[];
export type FailOn = (typeof FAIL_ON_LEVELS)[number];

/** The options `validate` and `check` share. */
export const REPORT_OPTIONS = {
  format: { type: 'string', short: 'f', values: OUTPUT_FORMATS, description: 'Report format (default: text)' },
  'fail-on': { type: 'string', values: FAIL_ON_LEVELS, description: 'Lowest severity that makes the exit code 1 (default: error)' },
  output: { type: 'string', short: 'o', valueName: 'file', description: 'Write the report to a file instead of stdout' },
  offline: { type: 'boolean', description: 'Fetch no schema URL or policy source; use only what is already in the cache' },
  'no-error-on-unmatched-pattern': { type: 'boolean', description: 'A path or glob that matches no file is not an error (exit 2 otherwise)' },
  'allow-remote-sources': {
    type: 'boolean',
    description: 'Fetch the git and https sources the repository names (policy sources, schema and CRD URLs); off by default (also: PAVED_ROAD_ALLOW_REMOTE_SOURCES=1)',
  },
} as const;

export interface CheckRun {
  /** Files to check, and their contents when already known (staged blobs). */
  files: readonly ResolvedFile[];
  contents?: Map<string, FileContent | FileAccessError>;
  policies: boolean;
  offline: boolean;
  /** --allow-remote-sources was given (the environment and the user config may allow it too). */
  allowRemoteSources?: boolean;
  /** How configs that are not among the files are read (default: from disk; the hook: from the index). */
  readConfig?: ConfigReader;
}

/**
 * Files named by the user: paths, directories, globs (default: the current directory).
 * A path or glob the user named that gives no file is a usage error (exit 2), as in eslint,
 * unless `allowUnmatched`: a typo in CI must not pass as "no problems".
 */
export async function filesFromPaths(positionals: readonly string[], ctx: CliContext, allowUnmatched = false): Promise<ResolvedFile[]> {
  const { files, warnings, unmatched } = await resolveFiles(positionals.length > 0 ? positionals : ['.'], { cwd: ctx.cwd });
  for (const warning of warnings) ctx.stderr.write(`${CLI_NAME}: warning: ${displayText(warning, 500)}\n`);
  if (positionals.length > 0 && unmatched.length > 0) {
    const names = unmatched.map((arg) => `'${arg}'`).join(', ');
    if (!allowUnmatched) {
      throw new CliError(`no files to check match ${names} (pass --no-error-on-unmatched-pattern to allow this)`);
    }
    ctx.stderr.write(`${CLI_NAME}: warning: no files to check match ${displayText(names, 500)}\n`);
  }
  return files;
}

/** The reports of a run, and the team rules it used (for the report's rule metadata: SARIF). */
export type CheckResults = ReportFile[] & { rules?: ReadonlyMap<string, Rule> };

const BUILTIN_IDS = new Set(BUILTIN_RULES.map((r) => r.id));

export async function runChecks(run: CheckRun, ctx: CliContext): Promise<CheckResults> {
  const contents = run.contents ?? readFiles(run.files);
  const texts = new Map<string, string>();
  for (const [path, content] of contents) if (!(content instanceof Error) && content.ok) texts.set(path, content.text);
  const allowRemote = remoteSourcesAllowed(run.allowRemoteSources, ctx.env);
  const context = await buildContext({
    texts,
    root: ctx.cwd,
    offline: run.offline,
    remote: allowRemote ? true : { severity: 'warning', reason: REMOTE_DENIED },
    onProblem: (m) => ctx.stderr.write(`${CLI_NAME}: warning: ${displayText(m, 500)}\n`),
    ...(run.readConfig ? { readConfig: run.readConfig } : {}),
  });
  const results = await checkFiles(run.files, { context, contents });
  const checked = new Set(run.files.map((f) => f.absolutePath));
  // problems on files that are not checked themselves (a config that cannot be read, a team policy
  // that does not load): their own report entries, whatever was checked — never a silent pass
  const elsewhere = new Map<string, Finding[]>();
  const addElsewhere = (problems: ReadonlyMap<string, readonly Finding[]>): void => {
    for (const [path, list] of problems) if (!checked.has(path)) elsewhere.set(path, [...(elsewhere.get(path) ?? []), ...list]);
  };
  // (a config among the checked files reports its own read; team problems on checked files are merged below)
  addElsewhere(context.problems);
  if (!run.policies) return withElsewhere(results, elsewhere, ctx);
  // local sources are the repository's own files (read inside it only); remote ones need the opt-in above
  const configTexts = new Map(context.configs.map((c) => [c.path, c.text]));
  const team = await loadAllTeamPolicies(context.configs, (path) => configTexts.get(path), {
    trusted: true,
    allowRemote,
    remoteDenied: REMOTE_DENIED,
    rootOf: () => ctx.cwd,
    cacheDir: defaultPolicyCacheDir(),
    offline: run.offline,
  });
  addElsewhere(team.problems);
  const policy = checkFileSet(texts, BUILTIN_RULES, context.configs, context.limits, team.rules);
  const withPolicies = results.map((r, i) => {
    const path = run.files[i]?.absolutePath ?? '';
    const own = withoutShadowed(texts.get(path) ?? '', r.findings, policy.get(path) ?? [], (id) => !BUILTIN_IDS.has(id));
    const extra = [...own, ...(team.problems.get(path) ?? [])];
    return extra.length ? { ...r, findings: [...r.findings, ...extra].sort(compareFindings) } : r;
  });
  return Object.assign(withElsewhere(withPolicies, elsewhere, ctx), { rules: new Map([...team.rules.values()].flat().map((r) => [r.id, r])) });
}

/** The results with an entry for each file outside the run that has findings, sorted by path. */
function withElsewhere(results: ReportFile[], elsewhere: ReadonlyMap<string, Finding[]>, ctx: CliContext): ReportFile[] {
  if (elsewhere.size === 0) return results;
  const extra = [...elsewhere].map(([path, findings]) => ({ path: displayPath(path, ctx.cwd), findings: [...findings].sort(compareFindings) }));
  return [...results, ...extra].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export async function emitReport(
  results: readonly ReportFile[],
  options: { format?: string | undefined; output?: string | undefined },
  ctx: CliContext,
  rules?: ReadonlyMap<string, Rule>,
): Promise<void> {
  const format: OutputFormat = options.format !== undefined && isOutputFormat(options.format) ? options.format : 'text';
  if (format === 'text') {
    for (const file of results) if (file.skipped !== undefined) ctx.stderr.write(`${displayText(file.path, 300)}: skipped: ${displayText(file.skipped, 500)}\n`);
  }
  const report = formatReport(format, results, { tool: TOOL, cwd: ctx.cwd, color: options.output === undefined && useColor(ctx), ...(rules ? { rules } : {}) });
  if (options.output !== undefined) await writeReport(resolve(ctx.cwd, options.output), options.output, report);
  else ctx.stdout.write(report);
}

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
