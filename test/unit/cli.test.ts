import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { version as packageVersion } from '../../package.json';
import type { CliContext } from '../../src/cli/context';
import { useColor } from '../../src/cli/context';
import { runCli } from '../../src/cli/run';
import type { JsonReport } from '../../src/core/report';
import { buildCliBundle } from './helpers/cli-bundle';
import { makeTempDir, removeDir, writeTree } from './helpers/fs';
import { sarifSchemaErrors } from './helpers/sarif';

/** The fixture workspace every CLI test runs in. */
const FIXTURES = {
  'ok/.paved-road.yaml': 'version: 1\n',
  'ok/nested/.paved-road.yml': 'version: 1\npolicies:\n  rules:\n    k8s/run-as-non-root: warning\n',
  'ok/README.md': '# not a manifest\n',
  'bad/.paved-road.yaml': 'version: 1\npolices: {}\n',
  'warn/.paved-road.yaml': 'templates: !custom {}\n',
  'binary/.paved-road.yaml': new Uint8Array([0x76, 0x3a, 0x20, 0x00, 0xff]),
  'ignored/.gitignore': 'bad/\n',
  'ignored/bad/.paved-road.yaml': 'polices: {}\n',
  'ignored/good/.paved-road.yaml': 'version: 1\n',
  'empty/README.md': 'nothing to check\n',
};

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function runInProcess(args: string[], cwd: string, overrides: Partial<CliContext> = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const ctx: CliContext = {
    cwd,
    env: {},
    stdout: { write: (t) => void (stdout += t) },
    stderr: { write: (t) => void (stderr += t) },
    stdoutIsTTY: false,
    ...overrides,
  };
  const code = await runCli(args, ctx);
  return { code, stdout, stderr };
}

describe('paved-road CLI', () => {
  let root: string;

  before(async () => {
    root = await makeTempDir();
    await writeTree(root, FIXTURES);
  });
  after(async () => {
    await removeDir(root);
  });

  describe('in process', () => {
    it('prints the version of package.json', async () => {
      for (const flag of ['--version', '-v']) {
        const r = await runInProcess([flag], root);
        assert.deepEqual(r, { code: 0, stdout: `${packageVersion}\n`, stderr: '' });
      }
    });

    it('prints help with --help, help and help <command>', async () => {
      const global = await runInProcess(['--help'], root);
      assert.equal(global.code, 0);
      assert.match(global.stdout, /^Usage: paved-road <command> \[options\]$/m);
      assert.match(global.stdout, /^ {2}validate +Validate manifests/m);
      assert.equal((await runInProcess(['help'], root)).stdout, global.stdout);
      const validate = await runInProcess(['help', 'validate'], root);
      assert.equal(validate.code, 0);
      assert.match(validate.stdout, /^Usage: paved-road validate \[options\] \[paths…\]$/m);
      assert.match(validate.stdout, /-f, --format <text\|json\|sarif>/);
      assert.match(validate.stdout, /--fail-on <error\|warning>/);
      assert.match(validate.stdout, /-o, --output <file>/);
      assert.equal((await runInProcess(['validate', '--help'], root)).stdout, validate.stdout);
      assert.match(validate.stdout, /--no-error-on-unmatched-pattern/);
      // check says what runs besides validation: team policies and the config's exemptions
      const check = await runInProcess(['help', 'check'], root);
      assert.match(check.stdout, /team policies of the nearest \.paved-road\.yaml/);
      assert.match(check.stdout, /ValidatingAdmissionPolicies/);
      assert.match(check.stdout, /exemptions \(policies\.exemptions/);
      assert.doesNotMatch(check.stdout, /`/);
    });

    it('shows the help on stderr and exits 2 without a command', async () => {
      const r = await runInProcess([], root);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /Usage: paved-road <command>/);
    });

    it('rejects an unknown command with a suggestion and a pointer to --help', async () => {
      const r = await runInProcess(['valdate'], root);
      assert.deepEqual(r, {
        code: 2,
        stdout: '',
        stderr: "paved-road: unknown command 'valdate' — did you mean 'validate'? Run 'paved-road --help' for usage.\n",
      });
      assert.equal((await runInProcess(['help', 'nope'], root)).code, 2);
    });

    it('rejects unknown options, missing values and values outside the set', async () => {
      const unknown = await runInProcess(['validate', '--fromat', 'json'], root);
      assert.equal(unknown.code, 2);
      assert.equal(unknown.stderr, "paved-road: unknown option '--fromat' — did you mean '--format'? Run 'paved-road validate --help' for usage.\n");
      const missing = await runInProcess(['validate', '--format'], root);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /^paved-road: option '--format' needs a value: text, json or sarif\. Run 'paved-road validate --help' for usage\.\n$/);
      const swallowed = await runInProcess(['validate', '--output', '--format', 'json'], root);
      assert.match(swallowed.stderr, /option '--output' needs a value/);
      const bad = await runInProcess(['validate', '--format', 'xml'], root);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /invalid value 'xml' for '--format': expected text, json or sarif/);
      const failOn = await runInProcess(['validate', '--fail-on=warn'], root);
      assert.match(failOn.stderr, /invalid value 'warn' for '--fail-on': expected error or warning — did you mean 'warning'\?/);
      const flagValue = await runInProcess(['validate', '--help=yes'], root);
      assert.match(flagValue.stderr, /option '--help' takes no value/);
      const beforeCommand = await runInProcess(['--format', 'json', 'validate'], root);
      assert.equal(beforeCommand.code, 2);
      assert.match(beforeCommand.stderr, /unknown option '--format'/);
      assert.ok([unknown, missing, bad, failOn, flagValue, beforeCommand].every((r) => r.stdout === ''));
    });

    it('treats arguments after -- as paths', async () => {
      const r = await runInProcess(['validate', '--', '--format'], root);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, 'paved-road: no such file or directory: --format\n');
    });

    it('colours a terminal unless NO_COLOR is set', async () => {
      const tty = await runInProcess(['validate', 'bad'], root, { stdoutIsTTY: true });
      assert.ok(tty.stdout.includes('\u001b[31merror'), tty.stdout);
      const noColor = await runInProcess(['validate', 'bad'], root, { stdoutIsTTY: true, env: { NO_COLOR: '1' } });
      assert.ok(!noColor.stdout.includes('\u001b['), noColor.stdout);
      assert.equal(useColor({ env: {}, stdoutIsTTY: false }), false);
      assert.equal(useColor({ env: { NO_COLOR: '' }, stdoutIsTTY: true }), true);
      assert.equal(useColor({ env: { FORCE_COLOR: '1' }, stdoutIsTTY: false }), true);
      assert.equal(useColor({ env: { FORCE_COLOR: '0' }, stdoutIsTTY: true }), false);
    });

    it('writes the report to --output (creating its directory), not to stdout', async () => {
      const out = await makeTempDir();
      try {
        const r = await runInProcess(['validate', 'bad', '--format', 'json', '--output', join(out, 'reports', 'r.json')], root, { stdoutIsTTY: true });
        assert.equal(r.code, 1);
        assert.equal(r.stdout, '');
        const report = JSON.parse(await readFile(join(out, 'reports', 'r.json'), 'utf8')) as JsonReport;
        assert.equal(report.summary.errors, 1);
        const text = await runInProcess(['validate', 'bad', '-o', join(out, 'r.txt')], root, { stdoutIsTTY: true });
        assert.equal(text.code, 1);
        assert.ok(!(await readFile(join(out, 'r.txt'), 'utf8')).includes('\u001b[')); // no colours in a file
      } finally {
        await removeDir(out);
      }
    });

    it('reports a report it cannot write as an I/O error', async () => {
      const r = await runInProcess(['validate', 'ok', '--output', 'ok/.paved-road.yaml/report.json'], root);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, 'paved-road: cannot write ok/.paved-road.yaml/report.json: a parent path is a file, not a directory\n');
    });
  });

  describe('bundled, end to end', function () {
    this.timeout(30_000);
    let bundleDir: string;
    let cli: string;

    before(async () => {
      bundleDir = await makeTempDir('paved-road-cli-');
      cli = await buildCliBundle(bundleDir);
    });
    after(async () => {
      await removeDir(bundleDir);
    });

    function run(args: string[], cwd = root): Captured {
      const env = { ...process.env };
      delete env.NO_COLOR;
      delete env.FORCE_COLOR;
      const r = spawnSync(process.execPath, [cli, ...args], { cwd, env, encoding: 'utf8' });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    }

    it('is a CommonJS bundle with a shebang that never loads vscode', async () => {
      const source = await readFile(cli, 'utf8');
      assert.ok(source.startsWith('#!/usr/bin/env node\n'));
      assert.doesNotMatch(source, /require\(["']vscode["']\)/);
      assert.equal(run(['--version']).stdout, `${packageVersion}\n`);
    });

    it('exits 0 when everything is valid, validating the current directory by default', () => {
      const r = run(['validate'], join(root, 'ok'));
      assert.deepEqual(r, { code: 0, stdout: '✔ 2 files checked, no problems\n', stderr: '' });
    });

    it('exits 1 on errors, with clickable 1-based locations', () => {
      const r = run(['validate', 'bad', 'ok']);
      assert.equal(r.code, 1);
      assert.equal(
        r.stdout,
        [
          "bad/.paved-road.yaml:2:1: error Unknown property 'polices' — did you mean 'policies'? [schema/additionalProperties]",
          "    Allowed here: 'version', 'schemas', 'crds', 'policies', 'templates', 'github' and 'environments'.",
          '',
          '✖ 1 error in 1 file (3 files checked)',
          '',
        ].join('\n'),
      );
      assert.equal(r.stderr, '');
    });

    it('fails on warnings only with --fail-on warning', () => {
      const lenient = run(['validate', 'warn']);
      assert.equal(lenient.code, 0);
      assert.match(lenient.stdout, /^warn\/\.paved-road\.yaml:1:12: warning Unresolved tag: !custom \[yaml\/warning\]$/m);
      assert.match(lenient.stdout, /⚠ 1 warning in 1 file \(1 file checked\)/);
      assert.equal(run(['validate', 'warn', '--fail-on', 'warning']).code, 1);
      assert.equal(run(['validate', 'ok', '--fail-on', 'warning']).code, 0);
      assert.equal(run(['validate', 'bad', '--fail-on', 'error']).code, 1);
    });

    it('exits 2 with one line on stderr for a missing path', () => {
      assert.deepEqual(run(['validate', 'foo/']), { code: 2, stdout: '', stderr: 'paved-road: no such file or directory: foo/\n' });
    });

    it('exits 2 with a pointer to the help for an unknown flag or command', () => {
      const flag = run(['validate', '--strict']);
      assert.equal(flag.code, 2);
      assert.equal(flag.stderr, "paved-road: unknown option '--strict'. Run 'paved-road validate --help' for usage.\n");
      const command = run(['lint']);
      assert.equal(command.code, 2);
      assert.match(command.stderr, /^paved-road: unknown command 'lint'\. Run 'paved-road --help' for usage\.\n$/);
    });

    it('prints a JSON report that parses, with skipped files listed', () => {
      const r = run(['validate', '--format', 'json', 'ok', 'bad', 'ok/README.md']);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, '');
      const report = JSON.parse(r.stdout) as JsonReport;
      assert.equal(report.tool.version, packageVersion);
      assert.deepEqual(
        report.files.map((f) => [f.path, f.findings.length, f.skipped]),
        [
          ['bad/.paved-road.yaml', 1, undefined],
          ['ok/.paved-road.yaml', 0, undefined],
          ['ok/README.md', 0, 'not a manifest Paved Road validates'],
          ['ok/nested/.paved-road.yml', 0, undefined],
        ],
      );
      assert.deepEqual(report.files[0]?.findings[0]?.location, { line: 2, column: 1, endLine: 2, endColumn: 8 });
      assert.deepEqual(report.summary, { files: 3, skipped: 1, errors: 1, warnings: 0, infos: 0 });
    });

    it('says on stderr that a named file is skipped, in the text format', () => {
      const r = run(['validate', 'ok/README.md', 'ok/.paved-road.yaml']);
      assert.equal(r.code, 0);
      assert.equal(r.stderr, 'ok/README.md: skipped: not a manifest Paved Road validates\n');
      assert.equal(r.stdout, '✔ 1 file checked, no problems\n');
    });

    it('prints schema-valid SARIF', () => {
      const r = run(['validate', '-f', 'sarif', 'bad', 'warn', 'binary']);
      assert.equal(r.code, 1);
      const log = JSON.parse(r.stdout) as { runs: { results: { ruleId: string }[]; originalUriBaseIds: Record<string, { uri: string }> }[] };
      assert.deepEqual(sarifSchemaErrors(log), []);
      assert.deepEqual(
        log.runs[0]?.results.map((x) => x.ruleId),
        ['schema/additionalProperties', 'file/binary', 'yaml/warning'], // bad/, binary/, warn/
      );
      assert.ok(log.runs[0]?.originalUriBaseIds['%SRCROOT%']?.uri.endsWith('/'));
    });

    it('reports binary manifests as findings, honours .gitignore and globs, and refuses a path or glob that matches nothing', () => {
      const binary = run(['validate', 'binary']);
      assert.equal(binary.code, 1);
      assert.match(binary.stdout, /^binary\/\.paved-road\.yaml:1:1: error The file is binary/m);
      const ignored = run(['validate', 'ignored']);
      assert.deepEqual(ignored, { code: 0, stdout: '✔ 1 file checked, no problems\n', stderr: '' });
      const globbed = run(['validate', '*/.paved-road.y*ml']); // ok, bad, warn, binary: one level only
      assert.equal(globbed.code, 1);
      assert.match(globbed.stdout, /✖ 2 errors, 1 warning in 3 files \(4 files checked\)/);
      // as eslint: a typo in a path must not pass as "no problems"
      const unmatched = run(['validate', '*/.paved-road.y*ml', 'nothing/*.yaml']);
      assert.equal(unmatched.code, 2);
      assert.equal(unmatched.stdout, '');
      assert.match(unmatched.stderr, /no files to check match 'nothing\/\*\.yaml' \(pass --no-error-on-unmatched-pattern to allow this\)/);
      const nothing = run(['validate', 'empty']);
      assert.equal(nothing.code, 2);
      assert.match(nothing.stderr, /no files to check match 'empty'/);
      const allowed = run(['validate', '--no-error-on-unmatched-pattern', 'empty', 'nothing/*.yaml']);
      assert.deepEqual(allowed, { code: 0, stdout: '✔ no manifests to check\n', stderr: "paved-road: warning: no files to check match 'empty', 'nothing/*.yaml'\n" });
      const allowedCheck = run(['check', '--no-error-on-unmatched-pattern', 'nothing/*.yaml', 'ok']);
      assert.equal(allowedCheck.code, 0, allowedCheck.stderr);
    });
  });
});
