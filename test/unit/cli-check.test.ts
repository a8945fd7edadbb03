/** `paved-road check` and the pre-commit hook end to end: the bundled CLI, a real git repository. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCliBundle } from './helpers/cli-bundle';

const DEPLOYMENT = (privileged: boolean) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          securityContext:
            runAsNonRoot: true
            privileged: ${privileged}
`;

describe('paved-road check and the pre-commit hook', function () {
  this.timeout(60_000);
  let cli: string;
  before(async () => {
    cli = await buildCliBundle(mkdtempSync(join(tmpdir(), 'pr-cli-')));
  });

  const git = (cwd: string, ...args: string[]) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' });

  it('reports policy findings with exit code 1, and honours an exemption annotation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pr-check-'));
    writeFileSync(join(dir, 'd.yaml'), DEPLOYMENT(true));
    const bad = spawnSync(process.execPath, [cli, 'check', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8' });
    assert.equal(bad.status, 1, bad.stderr);
    const report = JSON.parse(bad.stdout) as { files: { findings: { ruleId: string; severity: string }[] }[] };
    const privileged = report.files[0]?.findings.find((f) => f.ruleId === 'k8s/privileged-container');
    assert.equal(privileged?.severity, 'error');
    writeFileSync(join(dir, 'd.yaml'), DEPLOYMENT(true).replace('  name: web\n', '  name: web\n  annotations:\n    paved-road.dev/exempt-privileged-container: "the GPU driver needs it"\n'));
    const exempted = spawnSync(process.execPath, [cli, 'check', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8' });
    const after = JSON.parse(exempted.stdout) as { files: { findings: { ruleId: string }[] }[] };
    assert.ok(!after.files[0]?.findings.some((f) => f.ruleId === 'k8s/privileged-container'));
    // validate alone runs no policy
    const validate = spawnSync(process.execPath, [cli, 'validate', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8' });
    assert.ok(!(JSON.parse(validate.stdout) as { files: { findings: { ruleId: string }[] }[] }).files[0]?.findings.some((f) => f.ruleId.startsWith('k8s/')));
  });

  it('blocks a commit whose staged content fails, even when the working tree is fixed; passes a clean one', () => {
    const repo = mkdtempSync(join(tmpdir(), 'pr-hook-'));
    assert.equal(git(repo, 'init', '-q').status, 0);
    mkdirSync(join(repo, 'deploy'));
    const install = spawnSync(process.execPath, [cli, 'hook', 'install', '--cli', cli], { cwd: repo, encoding: 'utf8' });
    assert.equal(install.status, 0, install.stderr);
    assert.match(install.stdout, /installed: .*pre-commit/);
    // stage the privileged version, then fix only the working tree
    writeFileSync(join(repo, 'deploy', 'web.yaml'), DEPLOYMENT(true));
    git(repo, 'add', 'deploy/web.yaml');
    writeFileSync(join(repo, 'deploy', 'web.yaml'), DEPLOYMENT(false));
    const statusBefore = git(repo, 'status', '--porcelain').stdout;
    const blocked = git(repo, 'commit', '-q', '-m', 'bad');
    assert.notEqual(blocked.status, 0, 'the commit is blocked');
    assert.match(`${blocked.stdout}${blocked.stderr}`, /k8s\/privileged-container/);
    assert.match(`${blocked.stdout}${blocked.stderr}`, /--no-verify/);
    assert.equal(git(repo, 'status', '--porcelain').stdout, statusBefore, 'the hook changed nothing');
    // stage the fix: the commit goes through
    git(repo, 'add', 'deploy/web.yaml');
    const ok = git(repo, 'commit', '-q', '-m', 'good');
    assert.equal(ok.status, 0, `${ok.stdout}${ok.stderr}`);
    const uninstall = spawnSync(process.execPath, [cli, 'hook', 'uninstall'], { cwd: repo, encoding: 'utf8' });
    assert.equal(uninstall.status, 0, uninstall.stderr);
    assert.equal(existsSync(join(repo, '.git', 'hooks', 'pre-commit')), false);
  });
});
