/**
 * SARIF 2.1.0, for GitHub code scanning and other SARIF viewers: one run, the
 * rules seen (described from the rule registry), one result per finding with a
 * 1-based region. Paths are relative to `%SRCROOT%`, the working directory.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArtifactLocation, Log, ReportingDescriptor, Result, Region, Run } from 'sarif';
import type { Finding, Severity } from '../findings';
import { SEVERITY_ORDER } from '../findings';
import type { Rule } from '../policy/types';
import { ruleMetadata } from './rules';
import { comparePaths, sortedFiles } from './summary';
import type { ReportFile, ToolInfo } from './types';
import { reportText } from '../util/text';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SRCROOT = '%SRCROOT%';

export interface SarifOptions {
  tool: ToolInfo;
  /** Directory the report's relative paths are relative to (the CLI's working directory). */
  cwd: string;
  /** Rules besides the built-in ones (the team's), for their metadata. */
  rules?: ReadonlyMap<string, Rule>;
}

const LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', info: 'note' };

export function toSarifLog(files: readonly ReportFile[], options: SarifOptions): Log {
  const validated = sortedFiles(files).filter((f) => f.skipped === undefined);

  // rules: one per id seen, sorted by id; an unknown id defaults to the most severe level it was reported with
  const worst = new Map<string, Severity>();
  for (const file of validated) {
    for (const f of file.findings) {
      const seen = worst.get(f.ruleId);
      if (seen === undefined || SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[seen]) worst.set(f.ruleId, f.severity);
    }
  }
  const ruleIds = [...worst.keys()].sort(comparePaths);
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const rules: ReportingDescriptor[] = ruleIds.map((id) => {
    const meta = ruleMetadata(id, worst.get(id), options.rules);
    return {
      id,
      name: meta.name,
      shortDescription: { text: meta.shortDescription },
      fullDescription: { text: meta.fullDescription },
      help: { text: meta.help },
      defaultConfiguration: { level: LEVEL[meta.defaultSeverity] },
    };
  });

  const results: Result[] = [];
  validated.forEach((file, artifactIndex) => {
    for (const f of file.findings) {
      results.push({
        ruleId: f.ruleId,
        ruleIndex: ruleIndex.get(f.ruleId) ?? 0,
        level: LEVEL[f.severity],
        // plain and bounded: code scanning shows it, and it may quote values of the file under check
        message: { text: reportText(f.detail ? `${f.message}\n${f.detail}` : f.message, { lines: true }) },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { ...artifactLocation(file.path, options.cwd), index: artifactIndex },
              region: toRegion(f),
            },
          },
        ],
      });
    }
  });

  const run: Run = {
    tool: {
      driver: {
        name: options.tool.name,
        version: options.tool.version,
        semanticVersion: options.tool.version,
        informationUri: options.tool.informationUri,
        rules,
      },
    },
    originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(options.cwd) } },
    artifacts: validated.map((file) => ({ location: artifactLocation(file.path, options.cwd) })),
    results,
    columnKind: 'utf16CodeUnits',
  };
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}

export function formatSarif(files: readonly ReportFile[], options: SarifOptions): string {
  return `${JSON.stringify(toSarifLog(files, options), null, 2)}\n`;
}

/** 1-based region; SARIF's end column is exclusive, like the finding's range end. */
export function toRegion(f: Finding): Region {
  const { start, end } = f.range;
  const endsBefore = end.line < start.line || (end.line === start.line && end.character < start.character);
  const last = endsBefore ? start : end;
  return {
    startLine: start.line + 1,
    startColumn: start.character + 1,
    endLine: last.line + 1,
    endColumn: last.character + 1,
  };
}

/** `file:///work/repo/` — the directory as a file URI ending in `/`, as SARIF requires for base ids. */
export function directoryUri(dir: string): string {
  const href = pathToFileURL(resolve(dir)).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/**
 * A report path as an artifact location: relative paths (the usual case) are
 * percent-encoded and relative to `%SRCROOT%`; absolute ones (another drive on
 * Windows) become file URIs.
 */
export function artifactLocation(path: string, cwd: string): ArtifactLocation {
  if (isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path)) return { uri: pathToFileURL(resolve(cwd, path)).href };
  const uri = path
    .split(/[\\/]/)
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  return { uri, uriBaseId: SRCROOT };
}
