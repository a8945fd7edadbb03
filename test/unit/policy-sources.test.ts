/** Policy sources (local, git, https) and team policies through the bundled CLI. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PavedRoadConfig } from '../../src/core/config';
import { loadTeamPolicies } from '../../src/core/policy/team/load';
import { resolvePolicySources } from '../../src/core/policy/team/sources';
import { buildCliBundle } from './helpers/cli-bundle';

const POLICY = (name: string, max = 3) => `apiVersion: paved-road.dev/v1
kind: Policy
metadata:
  name: ${name}
spec:
  match:
    - kind: Deployment
  rules:
    - name: max-replicas
      title: At most ${max} replicas
      expression: object.spec.replicas <= ${max}
      message: "{{ object.metadata.name }} asks for {{ object.spec.replicas }} replicas; the limit is ${max}"
      path: spec.replicas
`;

const DEPLOYMENT = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

const git = (cwd: string, ...args: string[]) => {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};

function config(dir: string, sources: NonNullable<NonNullable<PavedRoadConfig['policies']>['sources']>) {
  const text = `policies:\n  sources:\n${sources.map((s) => `    - ${JSON.stringify(s)}`).join('\n')}\n`;
  return { location: { path: join(dir, '.paved-road.yaml'), config: { policies: { sources } } }, text };
}

/** git's ssh transport to a repository on this machine (test/fixtures/git/fake-ssh.sh), for the duration of a suite. */
export const FAKE_SSH = resolve(__dirname, '..', 'fixtures', 'git', 'fake-ssh.sh');
function useFakeSsh(): void {
  const saved: Record<string, string | undefined> = {};
  before(() => {
    for (const k of ['GIT_SSH_COMMAND', 'GIT_SSH_VARIANT']) saved[k] = process.env[k];
    process.env.GIT_SSH_COMMAND = FAKE_SSH;
    process.env.GIT_SSH_VARIANT = 'simple';
  });
  after(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}

describe('policy sources', function () {
  this.timeout(60_000);
  useFakeSsh();

  it('reads a local folder, and says on the config when a path is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pr-src-'));
    mkdirSync(join(dir, 'policies', 'nested'), { recursive: true });
    writeFileSync(join(dir, 'policies', 'a.yaml'), POLICY('a'));
    writeFileSync(join(dir, 'policies', 'nested', 'b.yml'), POLICY('b'));
    writeFileSync(join(dir, 'policies', 'README.md'), '# not a policy');
    writeFileSync(join(dir, 'policies', 'huge.yaml'), `# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    const { location, text } = config(dir, [{ path: 'policies' }, { path: 'gone' }]);
    const r = await resolvePolicySources(location, text, { trusted: true, cacheDir: join(dir, 'cache') });
    assert.deepEqual(r.files.map((f) => f.path.slice(dir.length)), ['/policies/a.yaml', '/policies/nested/b.yml']);
    assert.equal(r.problems.length, 2);
    assert.match(r.problems[0]?.message ?? '', /'huge.yaml' is larger than 2 MB and was not read; its policies do not run/, 'never dropped in silence');
    assert.match(r.problems[1]?.message ?? '', /The path gone does not exist/);
    assert.equal(r.problems[1]?.range.start.line, 3, 'on the second source entry');
  });

  it('clones a git source at a ref into the cache, reuses it offline, and keeps the last copy when the remote is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pr-git-'));
    const remote = join(dir, 'remote');
    mkdirSync(join(remote, 'k8s'), { recursive: true });
    git(remote, 'init', '-q');
    writeFileSync(join(remote, 'k8s', 'limits.yaml'), POLICY('platform-limits', 3));
    git(remote, 'add', '.');
    git(remote, 'commit', '-qm', 'v1');
    git(remote, 'tag', 'v1');
    writeFileSync(join(remote, 'k8s', 'limits.yaml'), POLICY('platform-limits', 9));
    git(remote, 'commit', '-qam', 'v2');
    const cacheDir = join(dir, 'cache');
    const url = `ssh://fake.test${remote}`;
    const { location, text } = config(join(dir, 'repo'), [{ git: url, ref: 'v1', path: 'k8s' }]);
    const first = await loadTeamPolicies(location, text, { trusted: true, cacheDir });
    assert.deepEqual([...first.problems.values()].flat(), []);
    assert.equal(first.rules[0]?.title, 'At most 3 replicas', 'the tag, not the branch head');
    assert.equal(first.rules[0]?.origin?.path, location.path, 'a remote rule points at its config entry');
    // offline: the cached copy
    const offline = await loadTeamPolicies(location, text, { trusted: true, cacheDir, offline: true });
    assert.equal(offline.rules.length, 1);
    // the remote disappears: a forced refresh keeps the copy and says so
    git(dir, 'init', '-q', join(dir, 'elsewhere'));
    const moved = config(join(dir, 'repo'), [{ git: url, ref: 'v1', path: 'k8s' }]);
    spawnSync('rm', ['-rf', remote]);
    const stale = await loadTeamPolicies(moved.location, moved.text, { trusted: true, cacheDir, refresh: true });
    assert.equal(stale.rules.length, 1);
    const [note] = [...stale.problems.values()].flat();
    assert.equal(note?.severity, 'warning');
    assert.match(note?.message ?? '', /could not update .*using the copy fetched/);
    // a path leaving the repository is refused
    const escape = config(join(dir, 'repo'), [{ git: url, ref: 'v1', path: '../../..' }]);
    const refused = await resolvePolicySources(escape.location, escape.text, { trusted: true, cacheDir, offline: true });
    assert.match(refused.problems[0]?.message ?? '', /is outside the repository it names/);
  });

  it('reads no source in an untrusted workspace, and says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pr-untrusted-'));
    mkdirSync(join(dir, 'policies'));
    writeFileSync(join(dir, 'policies', 'a.yaml'), POLICY('a'));
    const { location, text } = config(dir, [{ git: 'https://example.invalid/p.git' }, { url: 'https://example.invalid/p.yaml' }, { path: 'policies' }]);
    const r = await resolvePolicySources(location, text, { trusted: false, cacheDir: join(dir, 'cache') });
    assert.deepEqual(r.files, [], 'not even local policy files');
    assert.deepEqual(r.problems.map((p) => [p.severity, /not trusted/.test(p.message)]), [['info', true], ['info', true], ['info', true]]);
    assert.equal(readdirSync(dir).includes('cache'), false, 'nothing fetched, nothing cached');
  });

  it('fetches an https policy into the cache, puts its problems on the config entry, and uses the cache when the server is down', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pr-url-'));
    let body = POLICY('remote').replace('object.spec.replicas <= 3', 'object.spec.replicas <=');
    const server = createServer((_req, res) => res.end(body));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/policies/remote.yaml`;
    const cacheDir = join(dir, 'cache');
    const { location, text } = config(dir, [{ url }]);
    const broken = await loadTeamPolicies(location, text, { trusted: true, cacheDir });
    const [p] = broken.problems.get(location.path) ?? [];
    assert.match(p?.message ?? '', /remote\.yaml, line 11: Invalid CEL/);
    assert.equal(p?.range.start.line, 2);
    body = POLICY('remote');
    const fixed = await loadTeamPolicies(location, text, { trusted: true, cacheDir, refresh: true });
    assert.equal(fixed.rules.length, 1);
    await new Promise((r) => server.close(r));
    const down = await loadTeamPolicies(location, text, { trusted: true, cacheDir, refresh: true, timeoutMs: 2000 });
    assert.equal(down.rules.length, 1);
    assert.match([...down.problems.values()].flat()[0]?.message ?? '', /using the copy fetched/);
    const none = await loadTeamPolicies(location, text, { trusted: true, cacheDir: join(dir, 'empty'), timeoutMs: 2000 });
    assert.equal(none.rules.length, 0);
    assert.match([...none.problems.values()].flat()[0]?.message ?? '', /could not be fetched.*Its rules do not run/);
  });
});

describe('team policies through paved-road check', function () {
  this.timeout(60_000);
  let cli: string;
  before(async () => {
    cli = await buildCliBundle(mkdtempSync(join(tmpdir(), 'pr-cli-team-')));
  });

  it('reports team findings with their metadata in SARIF, and a broken policy on its own file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pr-team-'));
    mkdirSync(join(dir, 'policies'));
    writeFileSync(join(dir, '.paved-road.yaml'), 'policies:\n  sources:\n    - path: policies\n');
    writeFileSync(join(dir, 'policies', 'limits.yaml'), POLICY('team-limits'));
    writeFileSync(join(dir, 'policies', 'broken.yaml'), POLICY('team-broken').replace('<= 3', '<='));
    writeFileSync(join(dir, 'web.yaml'), DEPLOYMENT(5));
    const env = { ...process.env, PAVED_ROAD_POLICY_CACHE_DIR: join(dir, '.cache') };
    const r = spawnSync(process.execPath, [cli, 'check', '--format', 'sarif', '.'], { cwd: dir, encoding: 'utf8', env });
    assert.equal(r.status, 1, r.stderr);
    const sarif = JSON.parse(r.stdout) as { runs: { tool: { driver: { rules: { id: string; shortDescription: { text: string } }[] } }; results: { ruleId: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    const run = sarif.runs[0];
    const team = run?.results.find((x) => x.ruleId === 'team-limits/max-replicas');
    assert.match(team?.message.text ?? '', /^web asks for 5 replicas; the limit is 3\nSee the policy team-limits \(policies\/limits\.yaml\)\.$/);
    assert.equal(team?.locations[0]?.physicalLocation.region.startLine, 6);
    assert.equal(run?.tool.driver.rules.find((x) => x.id === 'team-limits/max-replicas')?.shortDescription.text, 'At most 3 replicas.');
    const broken = run?.results.find((x) => x.ruleId === 'policy/invalid-expression');
    assert.equal(broken?.locations[0]?.physicalLocation.artifactLocation.uri, 'policies/broken.yaml');
    const text = spawnSync(process.execPath, [cli, 'check', 'web.yaml'], { cwd: dir, encoding: 'utf8', env });
    assert.match(text.stdout, /web asks for 5 replicas; the limit is 3 \[team-limits\/max-replicas\]/);
    writeFileSync(join(dir, 'web.yaml'), DEPLOYMENT(2));
    const ok = spawnSync(process.execPath, [cli, 'check', 'web.yaml'], { cwd: dir, encoding: 'utf8', env });
    assert.doesNotMatch(ok.stdout, /team-limits/);
  });
});
