/**
 * Hostile repositories: files that are FIFOs, devices or links to them, directories
 * named like manifests, files that vanish between listing and reading, a schema far
 * over its limit, policies that cannot load. Each case runs the bundled CLI (or git
 * with the real hook) as a child process under a time limit and a small heap, and
 * asserts a clear finding: before the one file reader (src/core/files/regular.ts)
 * these ran until killed, or grew to 16 GB and aborted.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, ftruncateSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFiles, readFiles, readRegularFileSync, readTextFileSync, resolveFiles } from '../../src/core/files';
import { REPO_ROOT, buildCliBundle } from './helpers/cli-bundle';
import { makeTempDir, removeDir } from './helpers/fs';

const POSIX = process.platform !== 'win32';
/** Generous for a 2-core machine shared with other runs; the cases used to run until killed. */
const TIME_LIMIT_MS = 30_000;
const HEAP = '--max-old-space-size=192';

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  colour: "blue"\n';

interface Report {
  files: { path: string; findings: { ruleId: string; severity: string; message: string }[] }[];
}

(POSIX ? describe : describe.skip)('hostile files (each case bounded in time and memory)', function () {
  this.timeout(120_000);
  let bundle: string;
  let cli: string;
  let dir: string;

  before(async () => {
    bundle = mkdtempSync(join(tmpdir(), 'pr-hostile-cli-'));
    // the bundled schemas next to the bundle, where the CLI looks for them (../schemas)
    symlinkSync(join(REPO_ROOT, 'schemas'), join(bundle, 'schemas'));
    cli = await buildCliBundle(join(bundle, 'dist'));
  });
  after(() => rmSync(bundle, { recursive: true, force: true }));
  beforeEach(async () => {
    dir = await makeTempDir('pr-hostile-');
  });
  afterEach(async () => removeDir(dir));

  function run(args: readonly string[], cwd = dir): { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
    const env = { ...process.env, PAVED_ROAD_POLICY_CACHE_DIR: join(cwd, '.cache-policies'), PAVED_ROAD_CACHE_DIR: join(cwd, '.cache-schemas') };
    const r = spawnSync(process.execPath, [HEAP, cli, ...args], { cwd, env, encoding: 'utf8', timeout: TIME_LIMIT_MS });
    assert.equal(r.signal, null, `killed (${r.signal}) after ${TIME_LIMIT_MS} ms or out of memory: ${r.stderr}`);
    return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
  }

  function report(args: readonly string[]): { status: number | null; report: Report; stderr: string } {
    const r = run([...args, '--format', 'json']);
    return { status: r.status, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
  }

  const findingsOf = (rep: Report, path: string) => rep.files.find((f) => f.path === path)?.findings ?? [];

  const write = (path: string, text: string): void => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const mkfifo = (path: string): void => {
    execFileSync('mkfifo', [join(dir, path)]);
  };

  it('a .paved-road.yaml that is a FIFO, or a link to /dev/zero: a finding on the config, the rest checked', () => {
    write('deploy/app.yaml', CONFIG_MAP);
    for (const make of [() => mkfifo('.paved-road.yaml'), () => symlinkSync('/dev/zero', join(dir, '.paved-road.yaml'))]) {
      rmSync(join(dir, '.paved-road.yaml'), { force: true });
      make();
      for (const command of ['check', 'validate']) {
        const { status, report: rep } = report([command, 'deploy']);
        assert.equal(status, 1);
        const [config] = findingsOf(rep, '.paved-road.yaml');
        assert.equal(config?.ruleId, 'file/unreadable');
        assert.match(config?.message ?? '', /^The platform config cannot be read \((a FIFO|a character device), not a regular file\)/);
        assert.ok(rep.files.some((f) => f.path === 'deploy/app.yaml'), 'the manifest is still checked');
      }
    }
  });

  it('a .gitignore that is a FIFO or a link to /dev/urandom does not stop the walk', () => {
    write('a/x.yaml', CONFIG_MAP);
    write('b/y.yaml', CONFIG_MAP);
    mkfifo('a/.gitignore');
    symlinkSync('/dev/urandom', join(dir, 'b', '.gitignore'));
    const r = run(['validate', '.']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /2 files checked, no problems/);
  });

  it('manifests that are FIFOs, devices, links to them, dangling links, link loops, or directories: one finding each', () => {
    write('deploy/ok.yaml', CONFIG_MAP);
    mkfifo('deploy/fifo.yaml');
    symlinkSync('/dev/zero', join(dir, 'deploy', 'zero.yaml'));
    symlinkSync('/dev/urandom', join(dir, 'deploy', 'random.yaml'));
    symlinkSync('nowhere.yaml', join(dir, 'deploy', 'dangling.yaml'));
    symlinkSync('loop-b.yaml', join(dir, 'deploy', 'loop-a.yaml'));
    symlinkSync('loop-a.yaml', join(dir, 'deploy', 'loop-b.yaml'));
    mkdirSync(join(dir, 'deploy', 'dir.yaml'));
    // named one by one (as a shell glob expands them) and through a quoted glob
    const named = ['ok', 'fifo', 'zero', 'random'].map((n) => `deploy/${n}.yaml`);
    for (const args of [named, ['deploy/*.yaml']]) {
      const { status, report: rep } = report(['check', ...args]);
      assert.equal(status, 1);
      assert.deepEqual(findingsOf(rep, 'deploy/ok.yaml'), []);
      for (const [name, kind] of [['zero', 'a character device'], ['random', 'a character device'], ...(args === named ? [['fifo', 'a FIFO']] : [])] as const) {
        assert.deepEqual(
          findingsOf(rep, `deploy/${name}.yaml`).map((f) => [f.ruleId, f.message]),
          [['file/unreadable', `The file cannot be read (${kind}, not a regular file); it is not validated.`]],
          name,
        );
      }
    }
    // the walk leaves what git would not list (FIFOs, links to devices, dangling links) alone
    const walked = run(['validate', 'deploy']);
    assert.equal(walked.status, 0, walked.stdout);
  });

  it('a file gone between listing and reading, a directory, a link loop: findings on them, the others checked', async () => {
    write('ok.yaml', CONFIG_MAP);
    write('gone.yaml', CONFIG_MAP);
    const { files } = await resolveFiles(['ok.yaml', 'gone.yaml'], { cwd: dir });
    rmSync(join(dir, 'gone.yaml'));
    mkdirSync(join(dir, 'dir.yaml'));
    symlinkSync('loop-b.yaml', join(dir, 'loop-a.yaml'));
    symlinkSync('loop-a.yaml', join(dir, 'loop-b.yaml'));
    const listed = [
      ...files,
      { path: 'dir.yaml', absolutePath: join(dir, 'dir.yaml'), explicit: true },
      { path: 'loop-a.yaml', absolutePath: join(dir, 'loop-a.yaml'), explicit: true },
    ];
    const results = await checkFiles(listed, { contents: readFiles(listed) });
    assert.deepEqual(
      results.map((r) => [r.path, r.findings.map((f) => f.message)]),
      [
        ['gone.yaml', ['The file cannot be read (no such file or directory); it is not validated.']],
        ['ok.yaml', []],
        ['dir.yaml', ['The file cannot be read (a directory, not a regular file); it is not validated.']],
        ['loop-a.yaml', ['The file cannot be read (too many levels of symbolic links); it is not validated.']],
      ],
    );
    // and without contents read beforehand (the editor's path)
    assert.equal((await checkFiles(listed.slice(0, 1)))[0]?.findings[0]?.ruleId, 'file/unreadable');
  });

  it('a schema or CRD path that is a device, and a schema file over 16 MB: a finding or a warning, never a hang', () => {
    write('.paved-road.yaml', 'schemas:\n  - files: "svc/*.yaml"\n    schema: ./schemas/zero.json\n  - files: "big/*.yaml"\n    schema: ./schemas/big.json\ncrds:\n  - ./crds/zero.yaml\n  - ./crds/fifo.yaml\n');
    write('svc/a.yaml', 'name: a\n');
    write('big/b.yaml', 'name: b\n');
    mkdirSync(join(dir, 'schemas'));
    mkdirSync(join(dir, 'crds'));
    // a FIFO inside the repository reaches the reader; a link to /dev/zero is refused before it, as a path leaving the repository
    mkfifo('schemas/zero.json');
    symlinkSync('/dev/zero', join(dir, 'crds', 'zero.yaml'));
    mkfifo('crds/fifo.yaml');
    // 200 MB, sparse: took 859 MB of memory before the limit
    const fd = openSync(join(dir, 'schemas', 'big.json'), 'w');
    ftruncateSync(fd, 200 * 1024 * 1024);
    closeSync(fd);
    const { report: rep, stderr } = report(['validate', 'svc', 'big']);
    assert.match(findingsOf(rep, 'svc/a.yaml')[0]?.message ?? '', /cannot be used: a FIFO, not a regular file/);
    assert.match(findingsOf(rep, 'big/b.yaml')[0]?.message ?? '', /cannot be used: larger than 16\.0 MB \(200\.0 MB\)/);
    assert.match(stderr, /crds\/zero\.yaml .*leads outside the repository/);
    assert.match(stderr, /crds\/fifo\.yaml .*cannot be read \(a FIFO, not a regular file\)/);
  });

  it('a team policy that does not load is reported by check whatever is checked', () => {
    write('.paved-road.yaml', 'policies:\n  sources:\n    - path: ./policies\n    - path: ./missing\n');
    write(
      'policies/broken.yaml',
      'apiVersion: paved-road.dev/v1\nkind: Policy\nmetadata:\n  name: broken\nspec:\n  match:\n    - apiVersion: v1\n      kind: ConfigMap\n  rules:\n    - name: bad\n      expression: "object.metadata.name.startsWith(\'a\'"\n      message: nope\n',
    );
    write('deploy/app.yaml', CONFIG_MAP);
    const { status, report: rep } = report(['check', 'deploy/']);
    assert.equal(status, 1);
    assert.deepEqual(findingsOf(rep, 'policies/broken.yaml').map((f) => [f.ruleId, f.severity]), [['policy/invalid-expression', 'error']]);
    assert.match(findingsOf(rep, '.paved-road.yaml').map((f) => f.message).join('\n'), /missing/);
    // validate runs no policy: nothing to report about them
    assert.equal(report(['validate', 'deploy/']).status, 0);
  });

  describe('the pre-commit hook', () => {
    const git = (cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) =>
      spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
        cwd,
        encoding: 'utf8',
        timeout: TIME_LIMIT_MS,
        env: { ...cleanEnv(), ...env },
      });

    function repo(): string {
      const root = join(dir, 'repo');
      mkdirSync(root);
      assert.equal(git(root, ['init', '-q']).status, 0);
      const install = spawnSync(process.execPath, [cli, 'hook', 'install', '--cli', cli], { cwd: root, encoding: 'utf8', env: cleanEnv() });
      assert.equal(install.status, 0, install.stderr);
      return root;
    }

    it('a staged .paved-road.yaml that is a link to /dev/zero blocks the commit with a finding (it grew the hook to 16 GB)', () => {
      const root = repo();
      mkdirSync(join(root, 'deploy'));
      writeFileSync(join(root, 'deploy', 'app.yaml'), CONFIG_MAP);
      symlinkSync('/dev/zero', join(root, '.paved-road.yaml'));
      assert.equal(git(root, ['add', '.']).status, 0);
      const commit = git(root, ['commit', '-q', '-m', 'x'], { NODE_OPTIONS: HEAP });
      assert.equal(commit.signal, null, 'the hook finished in time');
      assert.notEqual(commit.status, 0, 'the commit is blocked');
      assert.match(`${commit.stdout}${commit.stderr}`, /\.paved-road\.yaml:1:1: error The platform config cannot be read \(staged as a symbolic link\)/);
      assert.doesNotMatch(`${commit.stdout}${commit.stderr}`, /bad_alloc|heap out of memory/);
    });

    it('a team policy with a CEL syntax error blocks a commit that stages only a manifest', () => {
      const root = repo();
      mkdirSync(join(root, 'deploy'));
      mkdirSync(join(root, 'policies'));
      writeFileSync(join(root, '.paved-road.yaml'), 'policies:\n  sources:\n    - path: ./policies\n');
      writeFileSync(
        join(root, 'policies', 'broken.yaml'),
        'apiVersion: paved-road.dev/v1\nkind: Policy\nmetadata:\n  name: broken\nspec:\n  match:\n    - apiVersion: v1\n      kind: ConfigMap\n  rules:\n    - name: bad\n      expression: "object.metadata.name.startsWith(\'a\'"\n      message: nope\n',
      );
      assert.equal(git(root, ['add', '.paved-road.yaml', 'policies']).status, 0);
      assert.equal(git(root, ['commit', '-q', '--no-verify', '-m', 'policies']).status, 0);
      writeFileSync(join(root, 'deploy', 'app.yaml'), CONFIG_MAP);
      assert.equal(git(root, ['add', 'deploy/app.yaml']).status, 0);
      const commit = git(root, ['commit', '-q', '-m', 'app'], { NODE_OPTIONS: HEAP, PAVED_ROAD_POLICY_CACHE_DIR: join(dir, 'cache') });
      assert.notEqual(commit.status, 0, `${commit.stdout}${commit.stderr}`);
      assert.match(`${commit.stdout}${commit.stderr}`, /policies\/broken\.yaml:11:\d+: error Invalid CEL/);
    });
  });
});

describe('the one file reader (src/core/files/regular.ts)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('pr-regular-');
  });
  afterEach(async () => removeDir(dir));

  it('reads a regular file whole, and only the head of one over the limit', () => {
    writeFileSync(join(dir, 'a'), 'x'.repeat(1000));
    assert.deepEqual({ ...readRegularFileSync(join(dir, 'a'), { maxBytes: 1000 }), bytes: undefined }, { size: 1000, bytes: undefined, complete: true });
    const over = readRegularFileSync(join(dir, 'a'), { maxBytes: 999, headBytes: 10 });
    assert.deepEqual([over.size, over.bytes.length, over.complete], [1000, 10, false]);
    assert.throws(() => readTextFileSync(join(dir, 'a'), 999), /larger than 999 bytes \(1000 bytes\)/);
    writeFileSync(join(dir, 'bom'), '\uFEFFkey: 1\n');
    assert.equal(readTextFileSync(join(dir, 'bom'), 100), 'key: 1\n');
    writeFileSync(join(dir, 'empty'), '');
    assert.equal(readTextFileSync(join(dir, 'empty'), 100), '');
  });

  (POSIX ? it : it.skip)('refuses devices and directories before opening them', () => {
    symlinkSync('/dev/zero', join(dir, 'zero'));
    assert.throws(() => readRegularFileSync(join(dir, 'zero'), { maxBytes: 10 }), (err: Error & { code?: string }) => err.code === 'ENOTREG' && err.message === 'a character device, not a regular file');
    assert.throws(() => readTextFileSync(dir, 10), /a directory, not a regular file/);
  });
});

/** No GIT_* variable inherited (a test run from a hook must not reach the outer repository), no global config. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith('GIT_') && !key.startsWith('PAVED_ROAD_')) env[key] = value;
  env.GIT_CONFIG_GLOBAL = '/dev/null';
  env.GIT_CONFIG_NOSYSTEM = '1';
  return env;
}
