/**
 * The git side of "policy checks before commit": staged content (src/core/git/staged.ts)
 * and Paved Road's pre-commit hook (hook.ts, script.ts), in real temporary repositories
 * with real `git commit`s. The hook runs a fake CLI (test/fixtures/git/fake-cli.cjs)
 * that reads the staged YAML with src/core/git and fails on `privileged: true`, so
 * these tests do not depend on the policy engine.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import {
  CHAINED_HOOK_NAME,
  HOOK_MARKER,
  HookError,
  SKIPPED_BINARY,
  SKIPPED_NOT_STAGED,
  SKIPPED_SUBMODULE,
  SKIPPED_SYMLINK,
  findRepoRoot,
  hookPaths,
  hookScript,
  hookStatus,
  installHook,
  readStaged,
  readStagedFiles,
  stagedEntries,
  stagedFiles,
  stagedManifests,
  uninstallHook,
} from '../../src/core/git';
import { makeTempDir, removeDir } from './helpers/fs';

const FAKE_CLI = resolve(__dirname, '..', 'fixtures', 'git', 'fake-cli.cjs');
const IS_WINDOWS = process.platform === 'win32';

const BAD = 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: app\n      securityContext:\n        privileged: true\n';
const GOOD = 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: app\n';

/**
 * The environment for git in these tests: no GIT_* variable inherited (a test run from a
 * hook must not reach the outer repository), no global or system configuration, and
 * node's directory first on PATH.
 */
function testEnv(home: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith('GIT_') || key.startsWith('PAVED_ROAD_') || key === 'HUSKY' || key === 'XDG_CONFIG_HOME') continue;
    env[key] = value;
  }
  env.HOME = home;
  env.GIT_CONFIG_GLOBAL = IS_WINDOWS ? 'NUL' : '/dev/null';
  env.GIT_CONFIG_NOSYSTEM = '1';
  env.PATH = [dirname(process.execPath), env.PATH ?? ''].join(delimiter);
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

interface Repo {
  /** Temporary directory holding the repository and anything else a test needs. */
  tmp: string;
  root: string;
  env: NodeJS.ProcessEnv;
  /** Runs git; asserts exit code 0 unless `allowFailure`. */
  git(args: readonly string[], options?: { allowFailure?: boolean; env?: NodeJS.ProcessEnv; input?: string; cwd?: string }): SpawnSyncReturns<string>;
  write(path: string, content: string | Uint8Array, mode?: number): void;
  read(path: string): Buffer;
  /** `git commit` with a message; returns the result (not asserted) with stdout+stderr as `output`. */
  commit(args?: readonly string[], env?: NodeJS.ProcessEnv): { status: number | null; output: string };
  head(): string;
}

async function makeRepo(options: { initialCommit?: boolean } = {}): Promise<Repo> {
  const tmp = await makeTempDir('paved-road-git-');
  const root = join(tmp, 'repo');
  mkdirSync(root);
  const env = testEnv(tmp);
  const repo: Repo = {
    tmp,
    root,
    env,
    git(args, opts = {}) {
      const result = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
        cwd: opts.cwd ?? root,
        env: opts.env ?? env,
        encoding: 'utf8',
        input: opts.input ?? '',
      });
      if (result.error) throw result.error;
      if (!opts.allowFailure && result.status !== 0) {
        assert.fail(`git ${args.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`);
      }
      return result;
    },
    write(path, content, mode) {
      const absolute = join(root, path);
      mkdirSync(dirname(absolute), { recursive: true });
      writeFileSync(absolute, content);
      if (mode !== undefined) chmodSync(absolute, mode);
    },
    read(path) {
      return readFileSync(join(root, path));
    },
    commit(args = [], commitEnv) {
      const result = repo.git(['commit', '-m', 'test commit', ...args], { allowFailure: true, ...(commitEnv ? { env: commitEnv } : {}) });
      return { status: result.status, output: `${result.stdout}${result.stderr}` };
    },
    head() {
      return repo.git(['rev-parse', '--verify', '-q', 'HEAD'], { allowFailure: true }).stdout.trim();
    },
  };
  repo.git(['init', '-q', '-b', 'main', '.']);
  if (options.initialCommit !== false) {
    repo.write('README.md', '# test\n');
    repo.git(['add', 'README.md']);
    repo.git(['commit', '-q', '-m', 'initial']);
  }
  return repo;
}

/** `git status --porcelain` with untracked files, plus the staged and unstaged diffs: what a hook must never change. */
function snapshot(repo: Repo): string {
  return [
    repo.git(['status', '--porcelain=v1', '-z', '--untracked-files=all']).stdout,
    repo.git(['diff', '--cached', '--binary']).stdout,
    repo.git(['diff', '--binary']).stdout,
    repo.git(['ls-files', '--stage']).stdout,
  ].join('\n---\n');
}

function modeOf(path: string): number {
  return lstatSync(path).mode & 0o7777;
}

(IS_WINDOWS ? describe.skip : describe)('git: staged files and the pre-commit hook', function () {
  this.timeout(60_000);
  let repo: Repo;

  afterEach(async () => {
    await removeDir(repo?.tmp);
  });

  describe('staged content', () => {
    it('lists added, modified, renamed, copied and type-changed paths, not deleted ones, nor unstaged changes', async () => {
      repo = await makeRepo();
      repo.write('keep.yaml', 'a: 1\n');
      repo.write('gone.yaml', 'b: 1\n');
      repo.write('old-name.yaml', 'c: 1\nlong enough to be detected as a rename: yes\n');
      repo.write('was-file.yaml', 'd: 1\n');
      repo.write('untouched.yaml', 'e: 1\n');
      repo.git(['add', '.']);
      repo.git(['commit', '-q', '-m', 'files']);

      repo.write('keep.yaml', 'a: 2\n');
      repo.git(['rm', '-q', 'gone.yaml']);
      repo.git(['mv', 'old-name.yaml', 'new-name.yaml']);
      rmSync(join(repo.root, 'was-file.yaml'));
      symlinkSync('keep.yaml', join(repo.root, 'was-file.yaml'));
      repo.write('dir with space/ünïcode\nnewline.yaml', 'f: 1\n');
      repo.git(['add', '-A']);
      repo.write('untouched.yaml', 'e: 2\n'); // not staged
      repo.write('untracked.yaml', 'g: 1\n'); // not staged

      const env = repo.env;
      const files = await stagedFiles(repo.root, { env });
      assert.deepEqual([...files].sort(), ['dir with space/ünïcode\nnewline.yaml', 'keep.yaml', 'new-name.yaml', 'was-file.yaml']);
      const entries = await stagedEntries(repo.root, { env });
      assert.equal(entries.find((e) => e.path === 'was-file.yaml')?.mode, '120000');
      assert.equal(entries.find((e) => e.path === 'keep.yaml')?.status, 'M');
      assert.equal(entries.find((e) => e.path === 'new-name.yaml')?.status, 'A');
      assert.ok(entries.every((e) => /^[0-9a-f]{40,64}$/.test(e.oid)));

      // the same from a subdirectory: paths stay relative to the top level
      mkdirSync(join(repo.root, 'sub'));
      assert.deepEqual([...(await stagedFiles(join(repo.root, 'sub'), { env }))].sort(), [...files].sort());
      assert.equal(await findRepoRoot(join(repo.root, 'sub'), { env }), repo.root);
    });

    it('works before the first commit', async () => {
      repo = await makeRepo({ initialCommit: false });
      repo.write('a.yaml', GOOD);
      repo.git(['add', 'a.yaml']);
      assert.deepEqual(await stagedFiles(repo.root, { env: repo.env }), ['a.yaml']);
      const content = await readStaged(repo.root, 'a.yaml', { env: repo.env });
      assert.deepEqual(content, { ok: true, text: GOOD });
    });

    it('reads the staged blob, not the working tree, and never touches either', async () => {
      repo = await makeRepo();
      repo.write('bad.yaml', BAD);
      repo.git(['add', 'bad.yaml']);
      repo.write('bad.yaml', GOOD); // fixed in the working tree only
      const before = snapshot(repo);
      assert.deepEqual(await readStaged(repo.root, 'bad.yaml', { env: repo.env }), { ok: true, text: BAD });
      const [path, content] = [...(await readStagedFiles(repo.root, await stagedEntries(repo.root, { env: repo.env }), { env: repo.env }))][0] ?? [];
      assert.equal(path, 'bad.yaml');
      assert.deepEqual(content, { ok: true, text: BAD });
      assert.equal(snapshot(repo), before);
      assert.equal(repo.read('bad.yaml').toString(), GOOD);
    });

    it('skips binary blobs, symbolic links and submodules with a note; too large and non-UTF-8 blobs get findings', async () => {
      repo = await makeRepo();
      const binary = Buffer.concat([Buffer.from('kind: Pod\n'), Buffer.from([0, 1, 2, 0])]);
      repo.write('binary.yaml', binary);
      repo.write('latin1.yaml', Buffer.from('name: caf\xe9\n', 'latin1'));
      repo.write('big.yaml', `a: "${'x'.repeat(3000)}"\n`);
      repo.write('bom.yaml', '\ufeffa: 1\n');
      symlinkSync('bom.yaml', join(repo.root, 'link.yaml'));
      repo.git(['add', '.']);
      // a submodule: a gitlink entry in the index
      const oid = repo.git(['rev-parse', 'HEAD']).stdout.trim();
      repo.git(['update-index', '--add', '--cacheinfo', `160000,${oid},sub.yaml`]);

      const entries = await stagedEntries(repo.root, { env: repo.env });
      const contents = await readStagedFiles(repo.root, entries, { env: repo.env, maxBytes: 2048 });
      assert.deepEqual(contents.get('binary.yaml'), { ok: false, skipped: SKIPPED_BINARY });
      assert.deepEqual(contents.get('link.yaml'), { ok: false, skipped: SKIPPED_SYMLINK });
      assert.deepEqual(contents.get('sub.yaml'), { ok: false, skipped: SKIPPED_SUBMODULE });
      const latin1 = contents.get('latin1.yaml');
      assert.ok(latin1 && !latin1.ok && 'finding' in latin1 && latin1.finding.ruleId === 'file/encoding');
      const big = contents.get('big.yaml');
      assert.ok(big && !big.ok && 'finding' in big && /too-large$/.test(big.finding.ruleId), JSON.stringify(big));
      assert.deepEqual(contents.get('bom.yaml'), { ok: true, text: 'a: 1\n' });
      // by path too, and a path that is not in the index
      const byPath = await readStagedFiles(repo.root, ['bom.yaml', 'link.yaml', 'nope.yaml', 'README.md'], { env: repo.env });
      assert.deepEqual([...byPath.keys()], ['bom.yaml', 'link.yaml', 'nope.yaml', 'README.md']);
      assert.deepEqual(byPath.get('nope.yaml'), { ok: false, skipped: SKIPPED_NOT_STAGED });
      assert.deepEqual(byPath.get('README.md'), { ok: true, text: '# test\n' });
      assert.deepEqual(byPath.get('link.yaml'), { ok: false, skipped: SKIPPED_SYMLINK });
    });

    it('reads 50 files with one git cat-file process', async () => {
      repo = await makeRepo();
      for (let i = 0; i < 50; i++) repo.write(`svc/${i}.yaml`, `index: ${i}\n`);
      repo.git(['add', '.']);
      const trace = join(repo.tmp, 'trace.log');
      const env = { ...repo.env, GIT_TRACE: trace };
      const contents = await readStagedFiles(repo.root, await stagedEntries(repo.root, { env }), { env });
      assert.equal(contents.size, 50);
      assert.deepEqual(contents.get('svc/42.yaml'), { ok: true, text: 'index: 42\n' });
      const runs = readFileSync(trace, 'utf8').split('\n').filter((line) => /trace: built-in: git (diff|diff-index|cat-file|show|ls-files)\b/.test(line));
      assert.deepEqual(runs.map((line) => /git (\S+)/.exec(line)?.[1]), ['diff-index', 'cat-file']);
    });

    it('honours GIT_INDEX_FILE', async () => {
      repo = await makeRepo();
      repo.write('a.yaml', GOOD);
      repo.write('b.yaml', BAD);
      repo.git(['add', 'a.yaml']);
      const other = join(repo.tmp, 'other-index');
      const otherEnv = { ...repo.env, GIT_INDEX_FILE: other };
      repo.git(['read-tree', 'HEAD'], { env: otherEnv });
      repo.git(['add', 'b.yaml'], { env: otherEnv });
      assert.deepEqual(await stagedFiles(repo.root, { env: repo.env }), ['a.yaml']);
      assert.deepEqual(await stagedFiles(repo.root, { env: otherEnv }), ['b.yaml']);
      assert.deepEqual(await readStaged(repo.root, 'b.yaml', { env: otherEnv }), { ok: true, text: BAD });
      assert.deepEqual(await readStaged(repo.root, 'b.yaml', { env: repo.env }), { ok: false, skipped: SKIPPED_NOT_STAGED });
    });

    it('gives `check --staged` its input: the staged manifests as files and contents, relative to the working directory', async () => {
      repo = await makeRepo();
      repo.write('.paved-road.yaml', 'version: 1\n');
      repo.write('deploy/app.yaml', BAD);
      repo.write('deploy/blob.yaml', Buffer.from([0x61, 0, 0x62]));
      repo.write('deploy/notes.txt', 'not a manifest\n');
      repo.write('other/x.yml', GOOD);
      repo.git(['add', '.']);
      repo.write('deploy/app.yaml', GOOD); // the working tree is not what is checked

      const cwd = join(repo.root, 'deploy');
      const staged = await stagedManifests(cwd, { env: repo.env });
      assert.equal(staged.root, repo.root);
      assert.deepEqual(
        staged.files.map((f) => f.path),
        ['../.paved-road.yaml', '../other/x.yml', 'app.yaml'].sort(),
      );
      assert.deepEqual(staged.contents.get(join(repo.root, 'deploy', 'app.yaml')), { ok: true, text: BAD });
      assert.deepEqual(staged.skipped, [{ path: 'blob.yaml', findings: [], skipped: SKIPPED_BINARY }]);

      const only = await stagedManifests(repo.root, { env: repo.env, paths: ['deploy'] });
      assert.deepEqual(only.files.map((f) => f.path), ['deploy/app.yaml']);
      assert.deepEqual(only.skipped.map((f) => f.path), ['deploy/blob.yaml']);
    });

    it('says clearly when the directory is not in a repository', async () => {
      repo = await makeRepo();
      const outside = join(repo.tmp, 'outside');
      mkdirSync(outside);
      await assert.rejects(stagedFiles(outside, { env: { ...repo.env, GIT_CEILING_DIRECTORIES: repo.tmp } }), /is not in a git repository/);
    });
  });

  describe('the pre-commit hook', () => {
    async function install(command = FAKE_CLI): Promise<Awaited<ReturnType<typeof installHook>>> {
      return installHook(repo.root, { command, env: repo.env });
    }

    it('blocks a commit whose staged content fails, even when the working tree is fixed', async () => {
      repo = await makeRepo();
      const result = await install();
      assert.equal(result.action, 'installed');
      assert.equal(result.hookPath, join(repo.root, '.git', 'hooks', 'pre-commit'));
      assert.equal(result.chainedHook, undefined);
      assert.deepEqual(result.notes, []);
      assert.equal(modeOf(result.hookPath), 0o755);

      repo.write('bad.yaml', BAD);
      repo.git(['add', 'bad.yaml']);
      repo.write('bad.yaml', GOOD);
      const head = repo.head();
      const before = snapshot(repo);
      const { status, output } = repo.commit();
      assert.notEqual(status, 0, output);
      assert.match(output, /fake-check: bad\.yaml: privileged: true is not allowed/);
      assert.match(output, /git commit --no-verify/);
      assert.equal(repo.head(), head);
      assert.equal(snapshot(repo), before, 'the failed commit changed the status, the index or the working tree');
      assert.equal(repo.read('bad.yaml').toString(), GOOD);

      // --no-verify is the way around it
      assert.equal(repo.commit(['--no-verify']).status, 0);
    });

    it('lets a commit through when the staged content passes, even when the working tree is dirty', async () => {
      repo = await makeRepo();
      await install();
      repo.write('bad.yaml', GOOD);
      repo.git(['add', 'bad.yaml']);
      repo.write('bad.yaml', BAD);
      const { status, output } = repo.commit();
      assert.equal(status, 0, output);
      assert.match(output, /fake-check: checked 1 file\(s\)/);
      assert.equal(repo.git(['show', 'HEAD:bad.yaml']).stdout, GOOD);
      assert.equal(repo.read('bad.yaml').toString(), BAD);
    });

    it('checks what `git commit <path>` and `git commit -a` commit (a temporary index), not the index', async () => {
      repo = await makeRepo();
      await install();
      // staged: clean; working tree: bad. `git commit bad.yaml` commits the working tree.
      repo.write('bad.yaml', GOOD);
      repo.git(['add', 'bad.yaml']);
      repo.git(['commit', '-q', '--no-verify', '-m', 'good']);
      repo.write('bad.yaml', `${GOOD}# staged\n`);
      repo.git(['add', 'bad.yaml']);
      repo.write('bad.yaml', BAD);
      let result = repo.commit(['bad.yaml']);
      assert.notEqual(result.status, 0, result.output);
      assert.match(result.output, /fake-check: bad\.yaml: privileged: true/);
      assert.match(result.output, /index \S*next-index-\d+\.lock/, 'the check did not see the temporary index');
      result = repo.commit(['-a']);
      assert.notEqual(result.status, 0, result.output);

      // staged: bad; working tree: clean. `git commit other.yaml` does not commit bad.yaml.
      repo.write('bad.yaml', BAD);
      repo.git(['add', 'bad.yaml']);
      repo.write('bad.yaml', `${GOOD}# fixed\n`);
      repo.write('other.yaml', GOOD);
      repo.git(['add', 'other.yaml']);
      result = repo.commit(['other.yaml']);
      assert.equal(result.status, 0, result.output);
      assert.match(result.output, /checked 1 file\(s\)/);
      assert.equal(repo.git(['show', 'HEAD:other.yaml']).stdout, GOOD);
      // … and `git commit bad.yaml` commits the clean working tree file
      result = repo.commit(['bad.yaml']);
      assert.equal(result.status, 0, result.output);
      assert.equal(repo.git(['show', 'HEAD:bad.yaml']).stdout, `${GOOD}# fixed\n`);
    });

    it('fails open when the CLI is missing, with a message; PAVED_ROAD_CLI overrides the path', async () => {
      repo = await makeRepo();
      const missing = join(repo.tmp, 'gone', 'dist', 'cli.js');
      const result = await install(missing);
      assert.match(result.notes.join('\n'), /does not exist/);
      repo.write('bad.yaml', BAD);
      repo.git(['add', 'bad.yaml']);
      let commit = repo.commit([], { ...repo.env, PAVED_ROAD_CLI: FAKE_CLI });
      assert.notEqual(commit.status, 0, commit.output);
      assert.match(commit.output, /fake-check: bad\.yaml: privileged/);
      commit = repo.commit();
      assert.equal(commit.status, 0, commit.output);
      assert.ok(
        commit.output.includes(`paved-road: the pre-commit check is skipped: ${missing} not found (reinstall with 'Paved Road: Install Pre-commit Hook'`),
        commit.output,
      );
    });

    it('fails open when node cannot be found', async function () {
      repo = await makeRepo();
      // a PATH with git and the few tools the hook uses, but no node
      const bin = join(repo.tmp, 'bin');
      mkdirSync(bin);
      for (const tool of ['git', 'sh', 'dirname']) {
        const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
        if (!found) this.skip();
        symlinkSync(found, join(bin, tool));
      }
      await install();
      repo.write('bad.yaml', BAD);
      repo.git(['add', 'bad.yaml']);
      const commit = repo.commit([], { ...repo.env, PATH: bin });
      assert.equal(commit.status, 0, commit.output);
      assert.match(commit.output, /paved-road: the pre-commit check is skipped: node not found/);
      // a node recorded at install time is used even when node is not on PATH
      await installHook(repo.root, { command: FAKE_CLI, node: process.execPath, env: repo.env });
      repo.write('bad.yaml', `${BAD}# again\n`);
      repo.git(['add', 'bad.yaml']);
      const blocked = repo.commit([], { ...repo.env, PATH: bin });
      assert.notEqual(blocked.status, 0, blocked.output);
    });

    it('chains a hand-written hook (same arguments and stdin, its failure stops the commit) and restores it byte for byte', async () => {
      repo = await makeRepo();
      const own = '#!/bin/sh\n# my own hook\t\r\nprintf "hand-written hook: %s args [%s]\\n" "$#" "$*"\nif [ -t 0 ]; then :; else printf "stdin: %s\\n" "$(cat)"; fi\nexit "${HAND_EXIT:-0}"\n';
      const hookPath = join(repo.root, '.git', 'hooks', 'pre-commit');
      writeFileSync(hookPath, own);
      chmodSync(hookPath, 0o750);
      const before = { bytes: readFileSync(hookPath), mode: modeOf(hookPath), ino: statSync(hookPath).ino };

      const result = await install();
      assert.equal(result.chainedHook, join(repo.root, '.git', 'hooks', CHAINED_HOOK_NAME));
      assert.deepEqual(readFileSync(result.chainedPath), before.bytes);
      assert.equal(modeOf(result.chainedPath), 0o750);
      assert.ok(readFileSync(hookPath, 'utf8').includes(HOOK_MARKER));

      repo.write('bad.yaml', BAD);
      repo.git(['add', 'bad.yaml']);
      let commit = repo.commit();
      assert.notEqual(commit.status, 0);
      assert.match(commit.output, /hand-written hook: 0 args/);
      assert.match(commit.output, /fake-check: bad\.yaml: privileged/);
      assert.ok(commit.output.indexOf('hand-written hook') < commit.output.indexOf('fake-check'), 'the existing hook runs first');

      // its failure stops the commit with its exit code, before the Paved Road check
      repo.write('bad.yaml', GOOD);
      repo.git(['add', 'bad.yaml']);
      commit = repo.commit([], { ...repo.env, HAND_EXIT: '3' });
      assert.notEqual(commit.status, 0);
      assert.match(commit.output, /hand-written hook/);
      assert.doesNotMatch(commit.output, /fake-check/);
      const direct = spawnSync(hookPath, ['one', 'two words'], { cwd: repo.root, env: { ...repo.env, HAND_EXIT: '3' }, input: 'some input', encoding: 'utf8' });
      assert.equal(direct.status, 3);
      assert.match(direct.stdout, /hand-written hook: 2 args \[one two words\]/);
      assert.match(direct.stdout, /stdin: some input/);
      // arguments reach the check too
      const passing = spawnSync(hookPath, ['one', 'two words'], { cwd: repo.root, env: repo.env, input: '', encoding: 'utf8' });
      assert.equal(passing.status, 0, passing.stdout + passing.stderr);
      assert.match(passing.stdout, /extra args \["one","two words"\]/);

      commit = repo.commit();
      assert.equal(commit.status, 0, commit.output);

      const removed = await uninstallHook(repo.root, { env: repo.env });
      assert.equal(removed.action, 'restored');
      assert.deepEqual(readFileSync(hookPath), before.bytes);
      assert.equal(modeOf(hookPath), 0o750);
      assert.equal(statSync(hookPath).ino, before.ino, 'the very same file is back');
      assert.equal(existsSync(result.chainedPath), false);
      assert.equal((await hookStatus(repo.root, { env: repo.env })).state, 'other');
    });

    it('chains hooks that are not shell scripts (run directly) and a symbolic link (restored as a link)', async () => {
      repo = await makeRepo();
      const hookPath = join(repo.root, '.git', 'hooks', 'pre-commit');
      const script = join(repo.tmp, 'shared-hook.js');
      writeFileSync(script, '#!/usr/bin/env node\nconsole.log("node hook ran as " + require("path").basename(process.argv[1]));\n');
      chmodSync(script, 0o755);
      symlinkSync(script, hookPath);
      await install();
      repo.write('a.yaml', GOOD);
      repo.git(['add', 'a.yaml']);
      const commit = repo.commit();
      assert.equal(commit.status, 0, commit.output);
      assert.match(commit.output, /node hook ran as pre-commit\.paved-road-chained/);
      assert.match(commit.output, /fake-check: checked 1/);
      await uninstallHook(repo.root, { env: repo.env });
      assert.ok(lstatSync(hookPath).isSymbolicLink());
      assert.equal(readlinkSync(hookPath), script);
    });

    it('does not run a chained hook that is not executable (git would not either)', async () => {
      repo = await makeRepo();
      const hookPath = join(repo.root, '.git', 'hooks', 'pre-commit');
      writeFileSync(hookPath, '#!/bin/sh\necho "disabled hook ran"\nexit 1\n', { mode: 0o644 });
      chmodSync(hookPath, 0o644);
      await install();
      repo.write('a.yaml', GOOD);
      repo.git(['add', 'a.yaml']);
      const commit = repo.commit();
      assert.equal(commit.status, 0, commit.output);
      assert.doesNotMatch(commit.output, /disabled hook ran/);
      await uninstallHook(repo.root, { env: repo.env });
      assert.equal(modeOf(hookPath), 0o644);
    });

    it('installs next to a husky v9 layout (core.hooksPath=.husky/_): the husky script and the check both run; uninstall restores it', async () => {
      repo = await makeRepo();
      // husky v9's layout: .husky/pre-commit is the user's script (committed); .husky/_/ is generated
      // (ignored): one wrapper per hook that sources `h`, which finds the user's script from $0.
      repo.write('.husky/pre-commit', 'echo "husky user script ran"\n[ -z "$HUSKY_USER_FAIL" ]\n');
      repo.write('.husky/_/.gitignore', '*');
      repo.write(
        '.husky/_/h',
        [
          '#!/usr/bin/env sh',
          '# like husky v9: the user script has the name of the hook, one folder up',
          'hook_name=$(basename "$0")',
          'user_script=$(dirname "$(dirname "$0")")/$hook_name',
          '[ -f "$user_script" ] || exit 0',
          'sh -e "$user_script" "$@"',
          'code=$?',
          '[ "$code" = 0 ] || echo "husky - $hook_name script failed (code $code)"',
          'exit "$code"',
          '',
        ].join('\n'),
      );
      repo.write('.husky/_/pre-commit', '#!/usr/bin/env sh\n. "${0%/*}/h"', 0o755);
      repo.git(['add', '.husky/pre-commit']);
      repo.git(['commit', '-q', '-m', 'husky']);
      repo.git(['config', 'core.hooksPath', '.husky/_']);
      const wrapper = repo.read('.husky/_/pre-commit');
      const statusBefore = repo.git(['status', '--porcelain=v1', '--untracked-files=all']).stdout;

      repo.write('a.yaml', GOOD);
      repo.git(['add', 'a.yaml']);
      let commit = repo.commit();
      assert.equal(commit.status, 0, commit.output);
      assert.match(commit.output, /husky user script ran/);

      const result = await install();
      assert.equal(result.hooksDir, join(repo.root, '.husky', '_'));
      assert.deepEqual(result.notes, [], 'the hooks folder is ignored: nothing shows in git status');
      assert.equal(repo.git(['status', '--porcelain=v1', '--untracked-files=all']).stdout, statusBefore);

      repo.write('bad.yaml', BAD);
      repo.git(['add', 'bad.yaml']);
      commit = repo.commit();
      assert.notEqual(commit.status, 0);
      assert.match(commit.output, /husky user script ran/);
      assert.match(commit.output, /fake-check: bad\.yaml: privileged/);

      repo.write('bad.yaml', GOOD);
      repo.git(['add', 'bad.yaml']);
      commit = repo.commit([], { ...repo.env, HUSKY_USER_FAIL: '1' });
      assert.notEqual(commit.status, 0);
      assert.match(commit.output, /husky - pre-commit script failed/);
      assert.doesNotMatch(commit.output, /fake-check/);
      commit = repo.commit();
      assert.equal(commit.status, 0, commit.output);
      assert.match(commit.output, /husky user script ran[\s\S]*fake-check: checked 1/);

      // husky rewrites its wrappers on every `npm install`: Paved Road's hook is gone, the aside copy is the same
      repo.write('.husky/_/pre-commit', wrapper, 0o755);
      const status = await hookStatus(repo.root, { env: repo.env });
      assert.equal(status.state, 'other');
      assert.equal(status.chained, true);
      const again = await install();
      assert.equal(again.action, 'installed');
      assert.deepEqual(readFileSync(again.chainedPath), wrapper);

      const removed = await uninstallHook(repo.root, { env: repo.env });
      assert.equal(removed.action, 'restored');
      assert.deepEqual(repo.read('.husky/_/pre-commit'), wrapper);
      assert.equal(modeOf(join(repo.root, '.husky/_/pre-commit')), 0o755);
      assert.equal(existsSync(join(repo.root, '.husky/_', CHAINED_HOOK_NAME)), false);
      repo.write('c.yaml', GOOD);
      repo.git(['add', 'c.yaml']);
      commit = repo.commit();
      assert.equal(commit.status, 0, commit.output);
      assert.match(commit.output, /husky user script ran/);
      assert.doesNotMatch(commit.output, /fake-check/);
    });

    it('warns when the hooks folder is part of the work tree (core.hooksPath=.githooks, tracked)', async () => {
      repo = await makeRepo();
      repo.write('.githooks/pre-commit', '#!/bin/sh\necho "team hook ran"\n', 0o755);
      repo.git(['add', '.githooks']);
      repo.git(['commit', '-q', '-m', 'hooks']);
      repo.git(['config', 'core.hooksPath', '.githooks']);
      const original = repo.read('.githooks/pre-commit');
      const result = await install();
      assert.equal(result.hooksDir, join(repo.root, '.githooks'));
      assert.match(result.notes.join('\n'), /part of the work tree/);
      repo.write('a.yaml', GOOD);
      repo.git(['add', 'a.yaml']);
      const commit = repo.commit();
      assert.equal(commit.status, 0, commit.output);
      assert.match(commit.output, /team hook ran[\s\S]*fake-check/);
      await uninstallHook(repo.root, { env: repo.env });
      assert.deepEqual(repo.read('.githooks/pre-commit'), original);
      assert.equal(repo.git(['status', '--porcelain']).stdout, '');
    });

    it('installs into the common hooks folder from a linked worktree', async () => {
      repo = await makeRepo();
      const worktree = join(repo.tmp, 'wt');
      repo.git(['worktree', 'add', '-q', '-b', 'feature', worktree]);
      const result = await installHook(worktree, { command: FAKE_CLI, env: repo.env });
      assert.equal(result.hookPath, join(repo.root, '.git', 'hooks', 'pre-commit'));
      writeFileSync(join(worktree, 'bad.yaml'), BAD);
      repo.git(['add', 'bad.yaml'], { cwd: worktree });
      const commit = repo.git(['commit', '-m', 'x'], { cwd: worktree, allowFailure: true });
      assert.notEqual(commit.status, 0);
      assert.match(commit.stdout + commit.stderr, /fake-check: bad\.yaml: privileged/);
    });

    it('is idempotent: installing again updates the command and never chains itself', async () => {
      repo = await makeRepo();
      const hookPath = join(repo.root, '.git', 'hooks', 'pre-commit');
      writeFileSync(hookPath, '#!/bin/sh\necho "original hook ran"\n', { mode: 0o755 });
      const original = readFileSync(hookPath);
      const first = await install();
      assert.equal(first.action, 'installed');
      const installed = readFileSync(hookPath);
      const second = await install();
      assert.equal(second.action, 'unchanged');
      assert.deepEqual(readFileSync(hookPath), installed);
      assert.deepEqual(readFileSync(first.chainedPath), original);

      const other = join(repo.tmp, 'other', 'cli.js');
      const third = await installHook(repo.root, { command: other, env: repo.env });
      assert.equal(third.action, 'updated');
      assert.equal(third.chainedHook, first.chainedPath);
      assert.deepEqual(readFileSync(first.chainedPath), original, 'the chained hook is still the original, not a Paved Road hook');
      const status = await hookStatus(repo.root, { env: repo.env });
      assert.equal(status.state, 'installed');
      assert.equal(status.command, other);
      assert.equal(readFileSync(hookPath, 'utf8'), hookScript({ command: other }));

      await uninstallHook(repo.root, { env: repo.env });
      assert.deepEqual(readFileSync(hookPath), original);
      assert.equal((await uninstallHook(repo.root, { env: repo.env }).catch((e: unknown) => e)) instanceof HookError, true);
    });

    it('uninstall refuses when someone replaced the hook, and removes it when there was none', async () => {
      repo = await makeRepo();
      const paths = await hookPaths(repo.root, { env: repo.env });
      assert.equal((await uninstallHook(repo.root, { env: repo.env })).action, 'not-installed');
      assert.equal((await hookStatus(repo.root, { env: repo.env })).state, 'absent');

      await install();
      assert.equal((await hookStatus(repo.root, { env: repo.env })).command, FAKE_CLI);
      assert.equal((await uninstallHook(repo.root, { env: repo.env })).action, 'removed');
      assert.equal(existsSync(paths.hookPath), false);

      // chained, then replaced by someone else
      writeFileSync(paths.hookPath, '#!/bin/sh\necho first\n', { mode: 0o755 });
      await install();
      const replacement = '#!/bin/sh\necho "someone else\'s hook"\n';
      writeFileSync(paths.hookPath, replacement);
      await assert.rejects(uninstallHook(repo.root, { env: repo.env }), (err: unknown) => {
        assert.ok(err instanceof HookError);
        assert.match(err.message, /is not Paved Road's hook \(it was replaced/);
        return true;
      });
      assert.equal(readFileSync(paths.hookPath, 'utf8'), replacement);
      assert.equal(readFileSync(paths.chainedPath, 'utf8'), '#!/bin/sh\necho first\n');
      // installing again would put two different hooks in one place: refused as well
      await assert.rejects(install(), /holds a different one/);
      assert.equal(readFileSync(paths.hookPath, 'utf8'), replacement);

      // never installed, someone's hook: refused, untouched
      rmSync(paths.chainedPath);
      await assert.rejects(uninstallHook(repo.root, { env: repo.env }), /is not Paved Road's hook; nothing was changed/);
      assert.equal(readFileSync(paths.hookPath, 'utf8'), replacement);
    });

    it('refuses a hooks folder shared with other repositories (core.hooksPath outside the repository) unless allowed', async () => {
      repo = await makeRepo();
      const shared = join(repo.tmp, 'global-hooks');
      repo.git(['config', 'core.hooksPath', shared]);
      const paths = await hookPaths(repo.root, { env: repo.env });
      assert.equal(paths.hooksDir, shared);
      assert.equal(paths.shared, true);
      await assert.rejects(install(), (err: unknown) => err instanceof HookError && /other repositories/.test(err.message));
      assert.equal(existsSync(shared), false);
      const result = await installHook(repo.root, { command: FAKE_CLI, env: repo.env, allowShared: true });
      assert.equal(result.hookPath, join(shared, 'pre-commit'));
      assert.equal((await hookPaths(join(repo.root), { env: repo.env })).shared, true);
      repo.git(['config', '--unset', 'core.hooksPath']);
      assert.equal((await hookPaths(repo.root, { env: repo.env })).shared, false);
    });

    it('rejects a relative command path', async () => {
      repo = await makeRepo();
      await assert.rejects(install('dist/cli.js'), /absolute path/);
      assert.equal((await hookStatus(repo.root, { env: repo.env })).state, 'absent');
    });
  });
});
