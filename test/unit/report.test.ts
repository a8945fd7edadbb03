import { strict as assert } from 'node:assert';
import type { Finding } from '../../src/core/findings';
import {
  JSON_REPORT_VERSION,
  SARIF_SCHEMA,
  formatJson,
  formatReport,
  formatSarif,
  formatText,
  knownRuleIds,
  ruleMetadata,
  toSarifLog,
} from '../../src/core/report';
import type { JsonReport, ReportFile, ToolInfo } from '../../src/core/report';
import { sarifSchemaErrors } from './helpers/sarif';

const TOOL: ToolInfo = { name: 'paved-road', version: '1.2.3', informationUri: 'https://example.com/paved-road' };
const CWD = '/work/repo';

function finding(ruleId: string, severity: Finding['severity'], line: number, character: number, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId,
    severity,
    message: `${ruleId} message`,
    range: { start: { line, character }, end: { line, character: character + 4 } },
    ...extra,
  };
}

/** Two files with findings (given out of order), one clean, one skipped. */
function sample(): ReportFile[] {
  return [
    {
      path: 'services/api/.paved-road.yaml',
      findings: [
        finding('yaml/warning', 'warning', 4, 2),
        finding('schema/additionalProperties', 'error', 0, 0, { detail: 'Allowed here: `version`.\nSecond line.' }),
      ],
    },
    { path: '.paved-road.yaml', findings: [finding('schema/const', 'error', 2, 9)] },
    { path: 'clean/.paved-road.yaml', findings: [] },
    { path: 'README.md', findings: [], skipped: 'not a manifest Paved Road validates' },
  ];
}

describe('text reporter', () => {
  it('prints path:line:col with 1-based positions, sorted by path then position, and a summary', () => {
    const out = formatText(sample());
    assert.equal(
      out,
      [
        '.paved-road.yaml:3:10: error schema/const message [schema/const]',
        'services/api/.paved-road.yaml:1:1: error schema/additionalProperties message [schema/additionalProperties]',
        '    Allowed here: `version`.',
        '    Second line.',
        'services/api/.paved-road.yaml:5:3: warning yaml/warning message [yaml/warning]',
        '',
        '✖ 2 errors, 1 warning in 2 files (3 files checked)',
        '',
      ].join('\n'),
    );
  });

  it('says so when there are no problems, and counts in the singular', () => {
    assert.equal(formatText([{ path: 'a/.paved-road.yaml', findings: [] }]), '✔ 1 file checked, no problems\n');
    assert.equal(formatText([{ path: 'a', findings: [] }, { path: 'b', findings: [] }]), '✔ 2 files checked, no problems\n');
  });

  it('uses a warning symbol when there are only warnings, and counts infos', () => {
    const out = formatText([{ path: 'x.yaml', findings: [finding('yaml/warning', 'warning', 0, 0), finding('custom/note', 'info', 1, 0)] }]);
    assert.match(out, /^⚠ 1 warning, 1 info in 1 file \(1 file checked\)$/m);
  });

  it('reports that nothing was checked when every file was skipped', () => {
    assert.equal(formatText([{ path: 'README.md', findings: [], skipped: 'not a manifest' }]), '✔ no manifests to check\n');
  });

  it('colours only when asked', () => {
    const plain = formatText(sample());
    const coloured = formatText(sample(), { color: true });
    assert.ok(!plain.includes('\u001b['));
    assert.ok(coloured.includes('\u001b[31merror\u001b[39m'));
    // the clickable location stays free of escape codes
    assert.match(coloured, /^\.paved-road\.yaml:3:10: /m);
    const sgr = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g');
    assert.equal(coloured.replace(sgr, ''), plain);
  });
});

describe('json reporter', () => {
  it('has the documented, versioned shape with 1-based locations and 0-based ranges', () => {
    const report = JSON.parse(formatJson(sample(), { tool: TOOL })) as JsonReport;
    assert.equal(report.version, JSON_REPORT_VERSION);
    assert.deepEqual(report.tool, { name: 'paved-road', version: '1.2.3' });
    assert.deepEqual(
      report.files.map((f) => f.path),
      ['.paved-road.yaml', 'README.md', 'clean/.paved-road.yaml', 'services/api/.paved-road.yaml'],
    );
    assert.deepEqual(report.files[0]?.findings[0], {
      ruleId: 'schema/const',
      severity: 'error',
      message: 'schema/const message',
      location: { line: 3, column: 10, endLine: 3, endColumn: 14 },
      range: { start: { line: 2, character: 9 }, end: { line: 2, character: 13 } },
    });
    const api = report.files[3];
    assert.deepEqual(
      api?.findings.map((f) => [f.ruleId, f.location.line, f.detail]),
      [
        ['schema/additionalProperties', 1, 'Allowed here: `version`.\nSecond line.'],
        ['yaml/warning', 5, undefined],
      ],
    );
    assert.deepEqual(report.files[1], { path: 'README.md', findings: [], skipped: 'not a manifest Paved Road validates' });
    assert.equal('skipped' in (report.files[2] ?? {}), false);
    assert.deepEqual(report.summary, { files: 3, skipped: 1, errors: 2, warnings: 1, infos: 0 });
  });
});

describe('sarif reporter', () => {
  it('is valid against the SARIF 2.1.0 schema', () => {
    const log = JSON.parse(formatSarif(sample(), { tool: TOOL, cwd: CWD })) as unknown;
    assert.deepEqual(sarifSchemaErrors(log), []);
  });

  it('is valid with no findings, and with paths that need percent-encoding', () => {
    assert.deepEqual(sarifSchemaErrors(toSarifLog([], { tool: TOOL, cwd: CWD })), []);
    const odd: ReportFile[] = [{ path: 'dir with space/ünï #1/.paved-road.yaml', findings: [finding('yaml/syntax', 'error', 0, 0)] }];
    const log = toSarifLog(odd, { tool: TOOL, cwd: '/work/my repo' });
    assert.deepEqual(sarifSchemaErrors(log), []);
    const location = log.runs[0]?.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation;
    assert.equal(location?.uri, 'dir%20with%20space/%C3%BCn%C3%AF%20%231/.paved-road.yaml');
    assert.equal(log.runs[0]?.originalUriBaseIds?.['%SRCROOT%']?.uri, 'file:///work/my%20repo/');
  });

  it('would reject a malformed log (the schema check is not vacuous)', () => {
    const log = toSarifLog(sample(), { tool: TOOL, cwd: CWD });
    const broken = JSON.parse(JSON.stringify(log)) as { runs: { results: { level: string }[] }[] };
    const first = broken.runs[0]?.results[0];
    assert.ok(first);
    first.level = 'fatal';
    assert.notDeepEqual(sarifSchemaErrors(broken), []);
    assert.notDeepEqual(sarifSchemaErrors({ ...log, version: '2.0.0' }), []);
  });

  it('describes the tool, the source root and one rule per rule id', () => {
    const log = toSarifLog(sample(), { tool: TOOL, cwd: CWD });
    assert.equal(log.$schema, SARIF_SCHEMA);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    assert.ok(run);
    assert.equal(run.tool.driver.name, 'paved-road');
    assert.equal(run.tool.driver.version, '1.2.3');
    assert.equal(run.tool.driver.informationUri, 'https://example.com/paved-road');
    assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: 'file:///work/repo/' } });
    const rules = run.tool.driver.rules ?? [];
    assert.deepEqual(
      rules.map((r) => r.id),
      ['schema/additionalProperties', 'schema/const', 'yaml/warning'],
    );
    for (const rule of rules) {
      assert.ok(rule.name && /^[A-Z][A-Za-z0-9]*$/.test(rule.name), `name of ${rule.id}`);
      assert.ok(rule.shortDescription?.text);
      assert.ok(rule.fullDescription?.text);
      assert.ok(rule.help?.text);
    }
    assert.equal(rules[2]?.defaultConfiguration?.level, 'warning');
    assert.equal(rules[0]?.defaultConfiguration?.level, 'error');
    // skipped files are neither artifacts nor results
    assert.deepEqual(
      run.artifacts?.map((a) => a.location?.uri),
      ['.paved-road.yaml', 'clean/.paved-road.yaml', 'services/api/.paved-road.yaml'],
    );
  });

  it('gives each result its rule index, level and a 1-based region', () => {
    const run = toSarifLog(sample(), { tool: TOOL, cwd: CWD }).runs[0];
    assert.ok(run);
    const rules = run.tool.driver.rules ?? [];
    const results = run.results ?? [];
    assert.equal(results.length, 3);
    for (const result of results) {
      assert.equal(rules[result.ruleIndex ?? -1]?.id, result.ruleId);
      const artifact = result.locations?.[0]?.physicalLocation?.artifactLocation;
      assert.equal(artifact?.uriBaseId, '%SRCROOT%');
      assert.equal(run.artifacts?.[artifact?.index ?? -1]?.location?.uri, artifact?.uri);
    }
    const [first, second, third] = results;
    assert.equal(first?.ruleId, 'schema/const');
    assert.deepEqual(first?.locations?.[0]?.physicalLocation?.region, { startLine: 3, startColumn: 10, endLine: 3, endColumn: 14 });
    assert.equal(second?.level, 'error');
    assert.equal(second?.message.text, 'schema/additionalProperties message\nAllowed here: `version`.\nSecond line.');
    assert.deepEqual(second?.locations?.[0]?.physicalLocation?.region, { startLine: 1, startColumn: 1, endLine: 1, endColumn: 5 });
    assert.equal(third?.level, 'warning');
  });

  it('maps info to note and describes unknown rules from their most severe finding', () => {
    const log = toSarifLog([{ path: 'a.yaml', findings: [finding('acme/custom', 'info', 0, 0), finding('acme/custom', 'warning', 1, 0)] }], {
      tool: TOOL,
      cwd: CWD,
    });
    assert.deepEqual(sarifSchemaErrors(log), []);
    const run = log.runs[0];
    assert.deepEqual(
      run?.results?.map((r) => r.level),
      ['note', 'warning'],
    );
    assert.equal(run?.tool.driver.rules?.[0]?.defaultConfiguration?.level, 'warning');
    assert.equal(run?.tool.driver.rules?.[0]?.name, 'AcmeCustom');
  });
});

describe('formatReport', () => {
  it('dispatches on the format', () => {
    const files = sample();
    const options = { tool: TOOL, cwd: CWD };
    assert.equal(formatReport('text', files, options), formatText(files));
    assert.equal(formatReport('json', files, options), formatJson(files, options));
    assert.equal(formatReport('sarif', files, options), formatSarif(files, options));
  });
});

describe('rule registry', () => {
  it('describes every rule the engine reports today', () => {
    const engineRules = ['yaml/syntax', 'yaml/duplicate-key', 'yaml/warning', 'yaml/alias-limit', 'yaml/too-large', 'yaml/too-deep', 'config/one-document', 'config/model'];
    for (const id of [...engineRules, 'file/binary', 'file/encoding']) {
      assert.ok(knownRuleIds().includes(id), id);
      assert.doesNotMatch(ruleMetadata(id).shortDescription, /Paved Road rule/, id);
    }
  });

  it('describes schema keywords, known or not, and falls back for unknown ids', () => {
    assert.equal(ruleMetadata('schema/required').shortDescription, 'A required property is missing.');
    assert.equal(ruleMetadata('schema/required').defaultSeverity, 'error');
    assert.match(ruleMetadata('schema/contains').shortDescription, /`contains`/);
    assert.equal(ruleMetadata('schema/constructor').shortDescription, 'A value fails the JSON Schema keyword `constructor`.');
    const unknown = ruleMetadata('team/a-custom-rule', 'info');
    assert.equal(unknown.name, 'TeamACustomRule');
    assert.equal(unknown.defaultSeverity, 'info');
    assert.match(unknown.shortDescription, /team\/a-custom-rule/);
  });
});
