/**
 * Issue 8, item 0: a repository must not make the CLI, the hook or the Action run a
 * command or print a byte of a file outside the repository. Each case plants a marker
 * that must never appear (a file the payload would write, a secret the report must not
 * quote), runs the real thing (the bundled CLI, real git, a real pre-commit hook, local
 * servers on 127.0.0.1), and is bounded in time.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { installHook } from '../../src/core/git';
import { resolvePolicySources } from '../../src/core/policy/team/sources';
import { associate } from '../../src/core/schema/associate';
import { SchemaRegistry } from '../../src/core/schema/registry';
import { RemoteSchemaCache } from '../../src/core/schema/remote';
import { rulesFromSetting } from '../../src/core/validate/context';
import { fetchGitSource, gitRefProblem, gitUrlProblem, runSourceGit } from '../../src/core/sources/git';
import { fetchCapped } from '../../src/core/sources/http';
import { displayText, escapeControl } from '../../src/core/util/text';
import { REPO_ROOT, buildCliBundle } from './helpers/cli-bundle';

const IS_WINDOWS = process.platform === 'win32';
const FAKE_SSH = resolve(__dirname, '..', 'fixtures', 'git', 'fake-ssh.sh');

const POLICY = (name: string) => `apiVersion: paved-road.dev/v1
kind: Policy
metadata:
  name: ${name}
spec:
  match:
    - kind: Deployment
  rules:
    - name: max-replicas
      title: At most 3 replicas
      expression: object.spec.replicas <= 3
      message: "{{ object.metadata.name }} asks for {{ object.spec.replicas }} replicas; the limit is 3"
      path: spec.replicas
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 5
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

function tmp(prefix: string): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

/** An environment with nothing of this machine's git or Paved Road setup: caches, user config and HOME in `dir`. */
function cleanEnv(dir: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('GIT_') && !k.startsWith('PAVED_ROAD_') && k !== 'XDG_CONFIG_HOME') env[k] = v;
  Object.assign(env, {
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, 'config'),
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    PAVED_ROAD_POLICY_CACHE_DIR: join(dir, 'policy-cache'),
    PAVED_ROAD_CACHE_DIR: join(dir, 'schema-cache'),
    PATH: [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter),
  });
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

function git(cwd: string, args: string[], env?: NodeJS.ProcessEnv): string {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8', timeout: 30_000, ...(env ? { env } : {}) });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A policy repository reachable as ssh://fake.test<path> through test/fixtures/git/fake-ssh.sh. */
function policyRepo(dir: string, files: Record<string, string>, links: Record<string, string> = {}): { path: string; url: string } {
  const path = join(dir, 'policy-repo');
  mkdirSync(path, { recursive: true });
  git(path, ['init', '-q']);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(path, name)), { recursive: true });
    writeFileSync(join(path, name), text);
  }
  for (const [name, target] of Object.entries(links)) symlinkSync(target, join(path, name));
  git(path, ['add', '-A']);
  git(path, ['commit', '-qm', 'policies']);
  return { path, url: `ssh://fake.test${path}` };
}

const SSH_ENV = { GIT_SSH_COMMAND: FAKE_SSH, GIT_SSH_VARIANT: 'simple' };

function withProcessEnv(vars: Record<string, string | undefined>): void {
  const saved: Record<string, string | undefined> = {};
  before(() => {
    for (const [k, v] of Object.entries(vars)) {
      saved[k] = process.env[k];
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  after(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}

function config(dir: string, sources: unknown[]) {
  const text = `policies:\n  sources:\n${sources.map((s) => `    - ${JSON.stringify(s)}`).join('\n')}\n`;
  return { location: { path: join(dir, '.paved-road.yaml'), config: { policies: { sources } } } as never, text };
}

function runAsync(cli: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, env });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}

function run(cli: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): { status: number | null; out: string; stdout: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
}

(IS_WINDOWS ? describe.skip : describe)('a hostile repository', function () {
  this.timeout(120_000);
  let cli: string;
  before(async () => {
    // under out/ (ignored by git), so that the bundle finds the shipped schemas/ two levels up
    cli = await buildCliBundle(join(REPO_ROOT, 'out', `hostile-${process.pid}`));
  });
  after(() => rmSync(dirname(cli), { recursive: true, force: true }));

  describe('git sources', () => {
    const payloadRef = (marker: string) => `--upload-pack=sh -c "id > ${marker}";`;

    it('accepts only remote https and ssh URLs, and refs as git check-ref-format does (never with a leading -)', () => {
      for (const url of ['https://github.com/org/policies.git', 'ssh://git@github.com/org/policies.git', 'ssh://git@git.example.com:2222/org/p', 'git@github.com:org/policies.git', 'github.com:org/p']) {
        assert.equal(gitUrlProblem(url), undefined, url);
      }
      for (const url of [
        'git@/x:y', // a "/" before the ":": git reads a local path
        '/tmp/repo',
        './repo',
        'file:///tmp/repo',
        'ext::sh -c touch% /tmp/x',
        'fd::17',
        'git::x',
        '-oProxyCommand=touch /tmp/x',
        'ssh://-oProxyCommand=touch/x',
        'ssh://git@-oProxyCommand/x',
        'C:repo',
        'http://example.com/p.git',
        'https://example.com',
        'https://exa mple.com/p',
        'git@host:-u',
      ]) {
        assert.ok(gitUrlProblem(url), `refused: ${url}`);
      }
      const refs = ['main', 'v1.2.3', 'refs/tags/v1', 'feature/x', '0123456789abcdef0123456789abcdef01234567', 'a..b', 'a b', '@', 'x@{1}', 'refs/heads/.hidden', 'x.lock', 'x/', '/x', 'a//b', 'x.', 'a~1', 'a^', 'a:b', 'a?', 'a*', 'a[b', 'a\\b', 'a\u0007b'];
      for (const ref of refs) {
        const git = spawnSync('git', ['check-ref-format', '--allow-onelevel', ref]).status === 0;
        assert.equal(gitRefProblem(ref) === undefined, git, `${JSON.stringify(ref)}: git says ${git ? 'valid' : 'invalid'}`);
      }
      for (const ref of ['--upload-pack=sh -c "id"', '-x', '--output=/tmp/x']) assert.ok(gitRefProblem(ref), ref);
    });

    it('git itself refuses a local path and an option-like ref, were the checks bypassed', async () => {
      const dir = tmp('pr-git-raw-');
      const marker = join(dir, 'pwned');
      mkdirSync(join(dir, 'work'));
      await runSourceGit(['init', '-q'], join(dir, 'work'), 10_000);
      // after "--" the ref is a refspec, not an option; GIT_ALLOW_PROTOCOL=https:ssh refuses the local path
      await assert.rejects(runSourceGit(['fetch', '-q', '--', 'git@/x:y', payloadRef(marker)], join(dir, 'work'), 10_000));
      await assert.rejects(runSourceGit(['fetch', '-q', '--', `ext::sh -c touch% ${marker}`, 'HEAD'], join(dir, 'work'), 10_000), /transport 'ext' not allowed|not allowed/);
      await assert.rejects(runSourceGit(['fetch', '-q', '--', dir, 'HEAD'], join(dir, 'work'), 10_000), /transport 'file' not allowed/);
      assert.equal(existsSync(marker), false, 'the payload never ran');
    });

    it('refuses the payload sources on the config entry, before git runs (even with remote sources allowed)', async () => {
      const dir = tmp('pr-git-refuse-');
      const marker = join(dir, 'pwned');
      const { location, text } = config(dir, [
        { git: 'git@/x:y', ref: payloadRef(marker) },
        { git: 'ssh://git@github.com/org/p.git', ref: payloadRef(marker) },
        { git: `ext::sh -c touch% ${marker}` },
        { git: `-oProxyCommand=touch ${marker}` },
        { git: `file://${dir}` },
      ]);
      const r = await resolvePolicySources(location, text, { trusted: true, allowRemote: true, cacheDir: join(dir, 'cache'), timeoutMs: 5000 });
      assert.deepEqual(r.files, []);
      assert.equal(r.problems.length, 5);
      for (const p of r.problems) {
        assert.equal(p.severity, 'error');
        assert.match(p.message, /is refused: /);
      }
      assert.equal(r.problems[1]?.range.start.line, 3, 'the bad ref is reported on its entry');
      assert.match(r.problems[1]?.message ?? '', /This ref is refused: a ref cannot start with "-"/);
      assert.equal(existsSync(marker), false);
      assert.equal(existsSync(join(dir, 'cache')), false, 'git never ran: nothing cached');
    });

    it('paved-road check and the pre-commit hook never run it, with or without the opt-in', async () => {
      const dir = tmp('pr-git-e2e-');
      const marker = join(dir, 'pwned');
      const repo = join(dir, 'repo');
      mkdirSync(repo);
      git(repo, ['init', '-q']);
      writeFileSync(join(repo, '.paved-road.yaml'), `policies:\n  sources:\n    - git: git@/x:y\n      ref: '${payloadRef(marker)}'\n    - git: 'ext::sh -c touch% ${marker}'\n`);
      writeFileSync(join(repo, 'web.yaml'), DEPLOYMENT);
      const checks: [string[], Record<string, string>][] = [
        [['check', 'web.yaml'], {}],
        [['check', '.'], {}],
        [['check', '--allow-remote-sources', '.'], {}],
        [['check', '.'], { PAVED_ROAD_ALLOW_REMOTE_SOURCES: '1' }],
        [['validate', '--allow-remote-sources', '.'], {}],
      ];
      for (const [args, extra] of checks) {
        const r = run(cli, args, repo, cleanEnv(dir, extra));
        assert.equal(existsSync(marker), false, `check ${args.join(' ')}: the payload ran`);
        assert.ok(r.status === 0 || r.status === 1, r.out);
        if (args.includes('.')) assert.match(r.out, /must be a remote git URL/, 'the config says what is wrong with it');
      }
      // the hook: a real pre-commit hook running the bundled CLI
      const env = cleanEnv(dir, { PAVED_ROAD_ALLOW_REMOTE_SOURCES: '1' });
      await installHook(repo, { command: cli, env });
      git(repo, ['add', '-A'], env);
      const commit = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'x'], { cwd: repo, env, encoding: 'utf8', timeout: 60_000 });
      assert.match(`${commit.stdout}${commit.stderr}`, /must be a remote git URL/, 'the hook checked the staged config');
      assert.equal(existsSync(marker), false, 'the hook ran the payload');
    });

    it('kills a fetch that times out with its whole process group (ssh and what ssh started)', async () => {
      const dir = tmp('pr-git-timeout-');
      const pids = join(dir, 'pids');
      const hang = join(dir, 'hang-ssh.sh');
      writeFileSync(hang, `#!/bin/sh\nsleep 300 &\necho $! >> ${pids}\necho $$ >> ${pids}\nwait\n`, { mode: 0o755 });
      const saved = process.env.GIT_SSH_COMMAND;
      process.env.GIT_SSH_COMMAND = hang;
      const started = Date.now();
      try {
        await assert.rejects(fetchGitSource('ssh://fake.test/repo', undefined, 'k', { cacheDir: join(dir, 'cache'), timeoutMs: 1500 }), /timed out after 2 s|timed out/);
      } finally {
        if (saved === undefined) delete process.env.GIT_SSH_COMMAND;
        else process.env.GIT_SSH_COMMAND = saved;
      }
      assert.ok(Date.now() - started < 10_000);
      const list = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
      assert.equal(list.length, 2);
      await new Promise((r) => setTimeout(r, 200));
      for (const pid of list) assert.equal(alive(pid), false, `process ${pid} survived the timeout`);
    });
  });

  describe('git sources over ssh (a stand-in for ssh runs git-upload-pack locally)', () => {
    withProcessEnv(SSH_ENV);

    it("keeps a git source's path inside the clone after resolving links", async () => {
      const dir = tmp('pr-git-links-');
      const outside = join(dir, 'outside');
      mkdirSync(outside);
      writeFileSync(join(outside, 'evil.yaml'), POLICY('outside-the-clone'));
      const remote = policyRepo(dir, { 'k8s/limits.yaml': POLICY('inside') }, { linked: outside, etc: '/etc', inner: 'k8s', 'k8s/escape.yaml': join(outside, 'evil.yaml') });
      const { location, text } = config(join(dir, 'repo'), [
        { git: remote.url, path: 'linked' },
        { git: remote.url, path: 'etc' },
        { git: remote.url, path: 'inner' },
      ]);
      const r = await resolvePolicySources(location, text, { trusted: true, cacheDir: join(dir, 'cache') });
      assert.deepEqual(r.files.map((f) => f.path.split('/').pop()), ['limits.yaml'], 'only the policy inside the clone, once; a link to a file outside is not followed either');
      assert.equal(r.problems.length, 2);
      for (const p of r.problems) assert.match(p.message, /is a symbolic link \(or lies under one\) that leads outside the repository it names/);
      assert.ok(r.files.every((f) => !f.text.includes('outside-the-clone')));
    });

    it('eight check runs sharing a cold cache all get the policies', async function () {
      this.timeout(180_000);
      const dir = tmp('pr-git-race-');
      const remote = policyRepo(dir, { 'k8s/limits.yaml': POLICY('shared') });
      const repo = join(dir, 'repo');
      mkdirSync(repo);
      writeFileSync(join(repo, '.paved-road.yaml'), `policies:\n  sources:\n    - git: ${remote.url}\n      path: k8s\n`);
      writeFileSync(join(repo, 'web.yaml'), DEPLOYMENT);
      const env = cleanEnv(dir, { ...SSH_ENV, PAVED_ROAD_ALLOW_REMOTE_SOURCES: '1' });
      const once = () => runAsync(cli, ['check', '.'], repo, env);
      const results = await Promise.all(Array.from({ length: 8 }, once));
      for (const r of results) {
        assert.equal(r.code, 1, r.out);
        assert.match(r.out, /web asks for 5 replicas; the limit is 3 \[shared\/max-replicas\]/, r.out);
        assert.doesNotMatch(r.out, /could not be fetched|could not update/);
      }
    });

    it('fetches remote sources named by the repository only with an opt-in made outside it', () => {
      const dir = tmp('pr-optin-');
      const remote = policyRepo(dir, { 'k8s/limits.yaml': POLICY('team') });
      const repo = join(dir, 'repo');
      mkdirSync(repo);
      writeFileSync(join(repo, '.paved-road.yaml'), `policies:\n  sources:\n    - git: ${remote.url}\n      path: k8s\n`);
      writeFileSync(join(repo, 'web.yaml'), DEPLOYMENT);
      const log = join(dir, 'ssh.log');
      const fetched = () => existsSync(log);
      const base = { ...SSH_ENV, FAKE_SSH_LOG: log };
      // no opt-in: a warning on the source entry, the commit is not blocked by it, and ssh never runs
      const off = run(cli, ['check', '.'], repo, cleanEnv(dir, base));
      assert.equal(fetched(), false);
      assert.match(off.out, /\.paved-road\.yaml:3:\d+: warning Not fetched: remote sources named by a repository are fetched only when you allow it outside the repository/);
      assert.doesNotMatch(off.out, /team\/max-replicas/);
      // the repository cannot opt itself in: its own .paved-road.yaml has no say, nor has a config file in it
      mkdirSync(join(repo, '.config', 'paved-road'), { recursive: true });
      writeFileSync(join(repo, '.config', 'paved-road', 'config.yaml'), 'allowRemoteSources: true\n');
      run(cli, ['check', '.'], repo, cleanEnv(dir, base));
      assert.equal(fetched(), false);
      // the flag, the environment, the user config
      for (const [args, extra, userConfig] of [
        [['check', '--allow-remote-sources', '.'], {}, undefined],
        [['check', '.'], { PAVED_ROAD_ALLOW_REMOTE_SOURCES: '1' }, undefined],
        [['check', '.'], {}, 'allowRemoteSources: true\n'],
      ] as const) {
        const home = tmp('pr-optin-home-');
        if (userConfig) {
          mkdirSync(join(home, 'config', 'paved-road'), { recursive: true });
          writeFileSync(join(home, 'config', 'paved-road', 'config.yaml'), userConfig);
        }
        const r = run(cli, [...args], repo, cleanEnv(home, { ...base, ...extra }));
        assert.match(r.out, /web asks for 5 replicas; the limit is 3 \[team\/max-replicas\]/, `${args.join(' ')} ${JSON.stringify(extra)}: ${r.out}`);
        assert.equal(r.status, 1);
      }
      // PAVED_ROAD_ALLOW_REMOTE_SOURCES=0 overrides the user config
      const home = tmp('pr-optin-off-');
      mkdirSync(join(home, 'config', 'paved-road'), { recursive: true });
      writeFileSync(join(home, 'config', 'paved-road', 'config.yaml'), 'allowRemoteSources: true\n');
      const zero = run(cli, ['check', '.'], repo, cleanEnv(home, { ...base, PAVED_ROAD_ALLOW_REMOTE_SOURCES: '0' }));
      assert.match(zero.out, /Not fetched/);
    });
  });

  it('the GitHub Action fetches no remote source unless its input says so', () => {
    const action = parseYaml(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }>; runs: { steps: { id?: string; env?: Record<string, string> }[] } };
    assert.equal(action.inputs['allow-remote-sources']?.default, 'false');
    const check = action.runs.steps.find((s) => s.id === 'check');
    assert.equal(check?.env?.PAVED_ROAD_ALLOW_REMOTE_SOURCES, "${{ inputs.allow-remote-sources == 'true' && '1' || '0' }}");
  });

  it('fetches no remote schema a modeline or config names without the opt-in', async () => {
    const dir = tmp('pr-optin-schema-');
    let connections = 0;
    const server = createServer((_q, res) => res.end('{}'));
    server.on('connection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      writeFileSync(join(dir, 'a.yaml'), `# yaml-language-server: $schema=https://127.0.0.1:${port}/schema.json\nname: x\n`);
      writeFileSync(join(dir, '.paved-road.yaml'), `crds:\n  - https://127.0.0.1:${port}/crd.yaml\n`);
      const off = run(cli, ['validate', 'a.yaml'], dir, cleanEnv(dir));
      assert.equal(connections, 0, 'no request at all');
      assert.match(off.out, /a\.yaml:1:1: warning The schema https:\/\/127\.0\.0\.1:\d+\/schema\.json \(the yaml-language-server modeline\) is not fetched: remote sources named by a repository are fetched only when you allow it/);
      assert.match(off.out, /CRD https:\/\/127\.0\.0\.1:\d+\/crd\.yaml .*not fetched: remote sources named by a repository/);
      await runAsync(cli, ['validate', '--allow-remote-sources', 'a.yaml'], dir, cleanEnv(dir));
      assert.ok(connections > 0, 'with the opt-in, it is fetched');
    } finally {
      server.close();
    }
  });

  describe('paths a repository names', () => {
    const SECRET = 'SECRET-7f3a9 root:x:0:0';

    function hostileRepo(): { dir: string; repo: string } {
      const dir = tmp('pr-paths-');
      const repo = join(dir, 'repo');
      mkdirSync(join(repo, 'schemas'), { recursive: true });
      git(repo, ['init', '-q']);
      // outside the repository: secrets that must never be quoted, a policy that must never run
      writeFileSync(join(dir, 'secret.json'), `${SECRET} {`);
      writeFileSync(join(dir, 'secret.yaml'), `${SECRET}: [\n`);
      mkdirSync(join(dir, 'outside-policies'));
      writeFileSync(join(dir, 'outside-policies', 'p.yaml'), POLICY('outside'));
      symlinkSync(join(dir, 'secret.json'), join(repo, 'schemas', 'link.json'));
      symlinkSync(join(dir, 'outside-policies'), join(repo, 'policies'));
      writeFileSync(
        join(repo, '.paved-road.yaml'),
        [
          'schemas:',
          '  - schema: ../secret.json',
          '    files: by-config.yaml',
          '  - schema: schemas/link.json',
          '    files: by-link.yaml',
          'crds:',
          '  - ../secret.yaml',
          'policies:',
          '  sources:',
          '    - path: ../outside-policies',
          '    - path: policies',
          '',
        ].join('\n'),
      );
      writeFileSync(join(repo, 'shadow.yaml'), '# yaml-language-server: $schema=/etc/shadow\nname: x\n');
      writeFileSync(join(repo, 'passwd.yaml'), '# yaml-language-server: $schema=/etc/passwd\nname: x\n');
      writeFileSync(join(repo, 'relative.yaml'), '# yaml-language-server: $schema=../secret.json\nname: x\n');
      writeFileSync(join(repo, 'by-config.yaml'), 'name: x\n');
      writeFileSync(join(repo, 'by-link.yaml'), 'name: x\n');
      writeFileSync(join(repo, 'web.yaml'), DEPLOYMENT);
      // inside the repository, but broken: the message says where, not what
      writeFileSync(join(repo, 'schemas', 'broken.json'), `{"type": "object", "x": ${SECRET}}`);
      writeFileSync(join(repo, 'schemas', 'broken.yaml'), `type: object\n${SECRET}: [unclosed\n`);
      writeFileSync(join(repo, 'uses-broken-json.yaml'), '# yaml-language-server: $schema=schemas/broken.json\nname: x\n');
      writeFileSync(join(repo, 'uses-broken-yaml.yaml'), '# yaml-language-server: $schema=schemas/broken.yaml\nname: x\n');
      return { dir, repo };
    }

    for (const format of ['text', 'sarif', 'json'] as const) {
      it(`read nothing outside the repository and quote nothing of a file that failed to parse (${format})`, () => {
        const { dir, repo } = hostileRepo();
        const r = run(cli, ['check', '--format', format, '.'], repo, cleanEnv(dir));
        assert.ok(r.status === 0 || r.status === 1, r.out);
        assert.doesNotMatch(r.out, /SECRET-7f3a9|root:x:0/, 'a byte of a file outside the repository, or of a broken schema');
        assert.doesNotMatch(r.out, /outside\/max-replicas/, 'a policy outside the repository ran');
        if (format === 'text') {
          assert.match(r.out, /shadow\.yaml:1:1: warning The schema \/etc\/shadow \(the yaml-language-server modeline\) is outside the repository: it is not read/);
          assert.match(r.out, /passwd\.yaml:1:1: warning The schema \/etc\/passwd .* is outside the repository/);
          assert.match(r.out, /relative\.yaml:1:1: warning The schema \.\.\/secret\.json .* is outside the repository/);
          assert.match(r.out, /by-config\.yaml:1:1: warning The schema \.\.\/secret\.json .* is outside the repository/);
          assert.match(r.out, /by-link\.yaml:1:1: warning The schema schemas\/link\.json .* is a symbolic link \(or lies under one\) that leads outside the repository/);
          assert.match(r.out, /CRD \.\.\/secret\.yaml .* is outside the repository; it is not read/);
          assert.match(r.out, /\.paved-road\.yaml:10:\d+: error The path \.\.\/outside-policies is outside the repository/);
          assert.match(r.out, /\.paved-road\.yaml:11:\d+: error The path policies is a symbolic link .* that leads outside the repository/);
          assert.match(r.out, /uses-broken-json\.yaml:1:1: warning The schema .*broken\.json .* cannot be used: not valid JSON( \(line 1, column \d+\))?/);
          assert.match(r.out, /uses-broken-yaml\.yaml:1:1: warning The schema .*broken\.yaml .* cannot be used: not valid YAML \(line \d+, column \d+: [A-Z_]+\)/);
        }
      });
    }

    it('outside any git repository, the workspace folder (or the working directory) is the boundary', async () => {
      const dir = tmp('pr-nogit-');
      mkdirSync(join(dir, 'ws', 'policies'), { recursive: true });
      mkdirSync(join(dir, 'ws', 'team'));
      writeFileSync(join(dir, 'ws', 'policies', 'p.yaml'), POLICY('shared'));
      const { location, text } = config(join(dir, 'ws', 'team'), [{ path: '../policies' }]);
      const inFolder = await resolvePolicySources(location, text, { trusted: true, cacheDir: join(dir, 'cache'), rootOf: () => join(dir, 'ws') });
      assert.deepEqual(inFolder.problems, []);
      assert.equal(inFolder.files.length, 1);
      const noFolder = await resolvePolicySources(location, text, { trusted: true, cacheDir: join(dir, 'cache') });
      assert.match(noFolder.problems[0]?.message ?? '', /is outside the repository/, "without a folder, the config's own folder is the boundary");
    });

    it('a pavedRoad.schemas setting resolves inside its workspace folder', () => {
      const { dir, repo } = hostileRepo();
      const rules = rulesFromSetting({ [join(dir, 'secret.json')]: '*.yaml', 'schemas/link.json': 'by-link.yaml' }, repo);
      const a = associate(join(repo, 'x.yaml'), 'name: x\n', { name: 'x' }, { registry: new SchemaRegistry(), rules });
      assert.equal(a?.type, 'unavailable');
      assert.match(a?.type === 'unavailable' ? a.message : '', /is outside the repository/);
    });
  });

  describe('names and keys in reports', () => {
    it('escapes control and bidi characters and bounds long names', () => {
      assert.equal(escapeControl('a\u001b[31mb\nc\rd\u0007e\u009bf\u202eg\th'), 'a\\e[31mb\\nc\\rd\\x07e\\x9bf\\u202eg\th');
      assert.equal(displayText('k'.repeat(1_000_000), 50).length < 80, true);
      assert.match(displayText('k'.repeat(1_000_000), 50), /… \(1000000 characters\)$/);
    });

    it('a file name with ESC and a newline and a 1 MB key reach the terminal escaped and bounded', () => {
      const dir = tmp('pr-names-');
      const name = 'evil\u001b]0;owned\u0007\u001b[2J\nfake.yaml:1:1: error forged.yaml';
      writeFileSync(join(dir, name), 'a: [\n');
      const key = 'k'.repeat(1024 * 1024);
      writeFileSync(join(dir, 'strict.json'), JSON.stringify({ type: 'object', properties: { name: { type: 'string' } }, additionalProperties: false }));
      writeFileSync(join(dir, 'big-key.yaml'), `# yaml-language-server: $schema=strict.json\nname: s\n? ${key}\n: 1\n"\\e[31mred": 2\n`);
      const text = run(cli, ['check', '.'], dir, cleanEnv(dir));
      // eslint-disable-next-line no-control-regex
      assert.equal(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text.out), false, 'no control character but newlines');
      assert.match(text.stdout, /^evil\\e\]0;owned\\x07\\e\[2J\\nfake\.yaml:1:1: error forged\.yaml:\d+:\d+: error /m, 'one line, escaped');
      assert.ok(text.stdout.length < 20_000, `the report is ${text.stdout.length} characters long`);
      assert.match(text.stdout, /Unknown property 'k{20,}… \(1048576 characters\)'/);
      const sarif = run(cli, ['check', '--format', 'sarif', '.'], dir, cleanEnv(dir));
      assert.ok(sarif.stdout.length < 40_000, `the SARIF report is ${sarif.stdout.length} characters long`);
      const log = JSON.parse(sarif.stdout) as { runs: { results: { message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
      const results = log.runs[0]?.results ?? [];
      // eslint-disable-next-line no-control-regex
      for (const r of results) assert.equal(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(r.message.text), false, r.message.text);
      const uris = results.map((r) => decodeURIComponent(r.locations[0]?.physicalLocation.artifactLocation.uri ?? ''));
      assert.ok(uris.includes(name), 'the location stays faithful: it is data');
    });
  });

  describe('https sources and remote schemas', () => {
    let server: ReturnType<typeof createServer>;
    let base: string;
    let sent = 0;
    const paths: string[] = [];
    before(async () => {
      server = createServer((req, res) => {
        paths.push(req.url ?? '');
        if (req.url === '/flood') {
          // as fast as the socket takes it, forever
          const chunk = Buffer.alloc(64 * 1024, 'a');
          const pump = () => {
            while (res.write(chunk)) {
              sent += chunk.length;
              if (res.destroyed) return;
            }
            if (!res.destroyed) res.once('drain', pump);
          };
          res.on('close', () => undefined);
          pump();
        } else if (req.url === '/declared') {
          res.writeHead(200, { 'content-length': String(10 * 1024 * 1024 * 1024) });
          res.write('a');
        } else if (req.url === '/to-http') {
          res.writeHead(302, { location: `${base}/final` });
          res.end();
        } else if (req.url?.startsWith('/hop')) {
          const n = Number(req.url.slice(4));
          res.writeHead(302, { location: n >= 3 ? '/final' : `/hop${n + 1}` });
          res.end();
        } else if (req.url === '/loop') {
          res.writeHead(301, { location: '/loop' });
          res.end();
        } else res.end('{"type": "object"}');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => {
      server.closeAllConnections();
      server.close();
    });
    /** https as a TLS terminator would serve it: the request goes to the local http server, redirects are seen as sent. */
    const tlsStub: typeof fetch = (input, init) => fetch((typeof input === 'string' ? input : input instanceof URL ? input.href : input.url).replace(/^https:\/\/127\.0\.0\.1/, 'http://127.0.0.1'), init);
    const httpsBase = () => base.replace('http://', 'https://');

    it('caps a fast endless body while it streams, and by Content-Length before it', async () => {
      const before = process.memoryUsage().rss;
      const started = Date.now();
      await assert.rejects(fetchCapped(`${base}/flood`, { timeoutMs: 30_000, maxBytes: 2 * 1024 * 1024 }), /larger than 2 MB/);
      assert.ok(Date.now() - started < 5000, 'long before the timeout');
      await new Promise((r) => setTimeout(r, 100));
      assert.ok(sent < 64 * 1024 * 1024, `the server got ${sent} bytes out before the client stopped reading`);
      assert.ok(process.memoryUsage().rss - before < 200 * 1024 * 1024);
      await assert.rejects(fetchCapped(`${base}/declared`, { timeoutMs: 30_000, maxBytes: 2 * 1024 * 1024 }), /larger than 2 MB \(10240 MB\)/);
    });

    it('refuses a redirect from https to http, follows others up to five', async () => {
      paths.length = 0;
      await assert.rejects(fetchCapped(`${httpsBase()}/to-http`, { timeoutMs: 5000, maxBytes: 1024, fetch: tlsStub }), /refused a redirect from https to http \(a downgrade\)/);
      assert.deepEqual(paths, ['/to-http'], 'the http URL was never asked for');
      assert.equal(await fetchCapped(`${base}/hop0`, { timeoutMs: 5000, maxBytes: 1024 }), '{"type": "object"}');
      await assert.rejects(fetchCapped(`${base}/loop`, { timeoutMs: 5000, maxBytes: 1024 }), /more than 5 redirects/);
    });

    it('a policy URL source and a remote schema say so on a flood or a downgrade, and keep nothing', async () => {
      const dir = tmp('pr-https-');
      const { location, text } = config(dir, [{ url: `${base}/flood` }]);
      const r = await resolvePolicySources(location, text, { trusted: true, cacheDir: join(dir, 'cache'), timeoutMs: 30_000 });
      assert.match(r.problems[0]?.message ?? '', /could not be fetched: larger than 2 MB/);
      const remote = new RemoteSchemaCache({ cacheDir: join(dir, 'schemas'), fetch: tlsStub });
      await remote.prefetch([`${httpsBase()}/flood`, `${httpsBase()}/to-http`]);
      assert.match(JSON.stringify(remote.get(`${httpsBase()}/flood`)), /larger than 5 MB/);
      assert.match(JSON.stringify(remote.get(`${httpsBase()}/to-http`)), /a downgrade/);
    });
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // a zombie (killed, not yet reaped by its new parent) is dead too
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}
