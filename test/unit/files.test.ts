import { strict as assert } from 'node:assert';
import { mkdir, open, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  FileAccessError,
  SKIPPED_NOT_A_MANIFEST,
  checkFile,
  decodeUtf8,
  firstInvalidUtf8Offset,
  nonTextFinding,
  readManifestText,
  resolveFiles,
  tooLargeFinding,
} from '../../src/core/files';
import type { ResolvedFile } from '../../src/core/files';
import { DEFAULT_LIMITS, parseManifest } from '../../src/core/manifest';
import { makeTempDir, removeDir, writeTree } from './helpers/fs';

const VALID = 'version: 1\n';
const INVALID = 'polices: {}\n';

function paths(files: readonly ResolvedFile[]): string[] {
  return files.map((f) => f.path);
}

describe('file resolution', () => {
  let root: string;

  beforeEach(async () => {
    root = await makeTempDir();
  });
  afterEach(async () => {
    await removeDir(root);
  });

  it('walks a directory recursively and returns only manifests, sorted, relative to cwd with /', async () => {
    await writeTree(root, {
      '.paved-road.yaml': VALID,
      'services/b/.paved-road.yml': VALID,
      'services/a/.paved-road.yaml': VALID,
      'services/a/deployment.yaml': 'kind: Deployment\n',
      'README.md': '# hi\n',
      'src/index.ts': 'export {};\n',
    });
    const { files, warnings } = await resolveFiles(['.'], { cwd: root });
    assert.deepEqual(paths(files), ['.paved-road.yaml', 'services/a/.paved-road.yaml', 'services/a/deployment.yaml', 'services/b/.paved-road.yml']);
    assert.ok(files.every((f) => !f.explicit));
    assert.equal(files[1]?.absolutePath, join(root, 'services', 'a', '.paved-road.yaml'));
    assert.deepEqual(warnings, []);
  });

  it('honours root and nested .gitignore files, negations included, and always skips .git and node_modules', async () => {
    await writeTree(root, {
      '.gitignore': 'build/\ngenerated*/\n*.tmp/\n',
      'build/.paved-road.yaml': INVALID,
      'generated-1/.paved-road.yaml': INVALID,
      'node_modules/pkg/.paved-road.yaml': INVALID,
      '.git/.paved-road.yaml': INVALID,
      'apps/.gitignore': 'legacy/\n!keep/\n',
      'apps/legacy/.paved-road.yaml': INVALID,
      'apps/web/.paved-road.yaml': VALID,
      'apps/web/.gitignore': '.paved-road.yaml\n',
      'apps/api/.paved-road.yaml': VALID,
      'libs/.gitignore': '/vendor\n',
      'libs/vendor/.paved-road.yaml': INVALID,
      'libs/core/vendor/.paved-road.yaml': VALID, // `/vendor` is anchored to libs/
    });
    const { files } = await resolveFiles([root], { cwd: root });
    assert.deepEqual(paths(files), ['apps/api/.paved-road.yaml', 'libs/core/vendor/.paved-road.yaml']);
  });

  it('lets a nested .gitignore re-include what a shallower one ignores', async () => {
    await writeTree(root, {
      '.gitignore': '*.yml\n',
      'a/.paved-road.yml': VALID,
      'b/.gitignore': '!.paved-road.yml\n',
      'b/.paved-road.yml': VALID,
    });
    const { files } = await resolveFiles(['.'], { cwd: root });
    assert.deepEqual(paths(files), ['b/.paved-road.yml']);
  });

  it('applies the .gitignore files above a walked subdirectory up to the repository root', async () => {
    await writeTree(root, {
      '.git': { HEAD: 'ref: refs/heads/main\n', info: { exclude: 'secret/\n' } },
      '.gitignore': 'tmp/\n',
      'services/.gitignore': 'old/\n',
      'services/api/.paved-road.yaml': VALID,
      'services/api/tmp/.paved-road.yaml': INVALID,
      'services/api/old/.paved-road.yaml': INVALID,
      'services/api/secret/.paved-road.yaml': INVALID,
      'tmp/x/.paved-road.yaml': INVALID,
    });
    const { files } = await resolveFiles(['services/api'], { cwd: root });
    assert.deepEqual(paths(files), ['services/api/.paved-road.yaml']);
    // a directory named on purpose is walked even when it is ignored itself
    const named = await resolveFiles(['tmp/x'], { cwd: root });
    assert.deepEqual(paths(named.files), ['tmp/x/.paved-road.yaml']);
  });

  it('returns a file named explicitly whatever its kind, even when it is ignored', async () => {
    await writeTree(root, {
      '.gitignore': 'ignored/\n',
      'README.md': '# hi\n',
      'ignored/.paved-road.yaml': VALID,
    });
    const { files } = await resolveFiles(['README.md', 'ignored/.paved-road.yaml'], { cwd: root });
    assert.deepEqual(
      files.map((f) => [f.path, f.explicit]),
      [
        ['README.md', true],
        ['ignored/.paved-road.yaml', true],
      ],
    );
  });

  it('expands globs as if each match were named, skipping node_modules and .git', async () => {
    await writeTree(root, {
      'deploy/prod/app.yaml': 'kind: Deployment\n',
      'deploy/prod/.paved-road.yaml': VALID,
      'deploy/dev/app.yaml': 'kind: Deployment\n',
      'deploy/dev/notes.txt': 'x\n',
      'deploy/node_modules/x/app.yaml': 'kind: Deployment\n',
    });
    const { files, warnings } = await resolveFiles(['deploy/**/*.yaml'], { cwd: root });
    assert.deepEqual(paths(files), ['deploy/dev/app.yaml', 'deploy/prod/.paved-road.yaml', 'deploy/prod/app.yaml']);
    assert.ok(files.every((f) => f.explicit));
    assert.deepEqual(warnings, []);
  });

  it('lists a glob that matches nothing and a directory without manifests as unmatched, without failing', async () => {
    await writeTree(root, { '.paved-road.yaml': VALID, 'docs/notes.txt': 'x\n' });
    const { files, warnings, unmatched } = await resolveFiles(['nothing/**/*.yaml', '.', 'docs'], { cwd: root });
    assert.deepEqual(paths(files), ['.paved-road.yaml']);
    assert.deepEqual(warnings, []);
    assert.deepEqual(unmatched, ['nothing/**/*.yaml', 'docs']);
  });

  it('deduplicates a file reached several ways, keeping it explicit', async () => {
    await writeTree(root, { 'a/.paved-road.yaml': VALID });
    const { files } = await resolveFiles(['a', 'a/.paved-road.yaml', './a/../a/.paved-road.yaml', 'a/*.yaml'], { cwd: root });
    assert.deepEqual(
      files.map((f) => [f.path, f.explicit]),
      [['a/.paved-road.yaml', true]],
    );
  });

  it('shows paths outside the working directory relative to it', async () => {
    await writeTree(root, { 'other/.paved-road.yaml': VALID, 'here/.keep': '' });
    const { files } = await resolveFiles(['../other'], { cwd: join(root, 'here') });
    assert.deepEqual(paths(files), ['../other/.paved-road.yaml']);
  });

  it('rejects a path that does not exist with the path as given', async () => {
    await assert.rejects(resolveFiles(['missing/'], { cwd: root }), (err: unknown) => {
      assert.ok(err instanceof FileAccessError);
      assert.equal(err.code, 'ENOENT');
      assert.equal(err.path, 'missing/');
      assert.equal(err.reason, 'no such file or directory');
      return true;
    });
  });

  it('does not follow symbolic links to directories, but does follow links to files', async function () {
    if (process.platform === 'win32') this.skip();
    await writeTree(root, { 'real/.paved-road.yaml': VALID, 'links/.keep': '' });
    await symlink(join(root, 'real'), join(root, 'links', 'dir'));
    await mkdir(join(root, 'links', 'f'));
    await symlink(join(root, 'real', '.paved-road.yaml'), join(root, 'links', 'f', '.paved-road.yaml'));
    await symlink(join(root, 'links'), join(root, 'links', 'loop'));
    const { files } = await resolveFiles(['links'], { cwd: root });
    assert.deepEqual(paths(files), ['links/f/.paved-road.yaml']);
  });
});

describe('reading manifests from disk', () => {
  let root: string;

  beforeEach(async () => {
    root = await makeTempDir();
  });
  afterEach(async () => {
    await removeDir(root);
  });

  it('reads UTF-8 text and drops a byte-order mark', async () => {
    await writeTree(root, { 'a.yaml': new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('version: 1\nname: café\n')]) });
    assert.deepEqual(await readManifestText(join(root, 'a.yaml')), { ok: true, text: 'version: 1\nname: café\n' });
  });

  it('reports a binary file as one file/binary finding at the top', async () => {
    await writeTree(root, { 'b.yaml': new Uint8Array([0x76, 0x3a, 0x00, 0x01, 0x02]) });
    const content = await readManifestText(join(root, 'b.yaml'));
    assert.equal(content.ok, false);
    if (content.ok) return;
    assert.equal(content.finding.ruleId, 'file/binary');
    assert.equal(content.finding.severity, 'error');
    assert.deepEqual(content.finding.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  });

  it('reports text that is not UTF-8 as file/encoding, naming the line of the first bad byte', async () => {
    const latin1 = Buffer.from('version: 1\nname: caf\xe9\n', 'latin1');
    await writeTree(root, { 'c.yaml': latin1 });
    const content = await readManifestText(join(root, 'c.yaml'));
    assert.equal(content.ok, false);
    if (content.ok) return;
    assert.equal(content.finding.ruleId, 'file/encoding');
    assert.equal(content.finding.range.start.line, 0);
    assert.match(content.finding.message, /line 2, at byte offset 20/);
  });

  it('reports UTF-16 by its byte-order mark rather than as binary', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('version: 1\n', 'utf16le')]);
    assert.equal(nonTextFinding(utf16)?.ruleId, 'file/encoding');
    assert.match(nonTextFinding(utf16)?.message ?? '', /UTF-16/);
  });

  it('finds the first invalid UTF-8 sequence', () => {
    assert.equal(firstInvalidUtf8Offset(Buffer.from('abc')), 3);
    assert.equal(firstInvalidUtf8Offset(new Uint8Array([0x80])), 0);
    assert.equal(firstInvalidUtf8Offset(new Uint8Array([0x61, 0x62, 0xe9, 0x74])), 2); // Latin-1 é before ASCII
    assert.equal(firstInvalidUtf8Offset(new Uint8Array([0x61, 0xe2, 0x82])), 1); // cut short at the end
    assert.equal(firstInvalidUtf8Offset(Buffer.concat([Buffer.from('€ok'), Buffer.from([0xc3, 0x28])])), 5);
    const decoded = decodeUtf8(new Uint8Array([0x61, 0x0a, 0x0a, 0xff]));
    assert.ok(!decoded.ok && /line 3, at byte offset 3/.test(decoded.finding.message));
  });

  it('refuses a file over the size limit without reading it whole', async () => {
    // a 3 GB sparse file, text for the first 8 KB looked at: reading it whole would fail (larger than a Buffer can be)
    const path = join(root, 'huge.yaml');
    await writeFile(path, `version: 1\n#${'-'.repeat(9000)}\n`);
    const handle = await open(path, 'r+');
    await handle.truncate(3 * 1024 ** 3);
    await handle.close();
    const content = await readManifestText(path);
    assert.equal(content.ok, false);
    if (content.ok) return;
    assert.deepEqual(content.finding, tooLargeFinding(3 * 1024 ** 3, DEFAULT_LIMITS.maxBytes));
    assert.match(content.finding.message, /3072\.0 MB, the limit is 64\.0 MB/);
  });

  it('honours a smaller limit', async () => {
    await writeTree(root, { 'a.yaml': 'x'.repeat(2000) });
    const content = await readManifestText(join(root, 'a.yaml'), { maxBytes: 1024 });
    assert.ok(!content.ok && content.finding.ruleId === 'yaml/too-large');
  });

  it('gives the same too-large finding as the parser', () => {
    for (const [bytes, limit] of [
      [2000, 1024],
      [3 * 1024 * 1024, 1024 * 1024],
      [900, 500],
    ] as const) {
      const parsed = parseManifest('x'.repeat(bytes), { maxBytes: limit });
      assert.deepEqual([tooLargeFinding(bytes, limit)], parsed.findings);
    }
  });
});

describe('checking a file', () => {
  let root: string;

  beforeEach(async () => {
    root = await makeTempDir();
  });
  afterEach(async () => {
    await removeDir(root);
  });

  const file = (path: string): ResolvedFile => ({ path, absolutePath: join(root, path), explicit: true });

  it('validates a manifest with the engine', async () => {
    await writeTree(root, { 'x/.paved-road.yaml': INVALID });
    const result = await checkFile(file('x/.paved-road.yaml'));
    assert.equal(result.path, 'x/.paved-road.yaml');
    assert.deepEqual(
      result.findings.map((f) => [f.ruleId, f.range.start.line]),
      [['schema/additionalProperties', 0]],
    );
    assert.equal(result.skipped, undefined);
  });

  it('skips a file Paved Road does not validate, without reading it', async () => {
    const result = await checkFile(file('does-not-exist.md'));
    assert.deepEqual(result, { path: 'does-not-exist.md', findings: [], skipped: SKIPPED_NOT_A_MANIFEST });
  });

  it('turns a binary manifest into a finding, and one gone since it was listed into a file/unreadable finding', async () => {
    await writeTree(root, { 'bin/.paved-road.yaml': new Uint8Array([0, 1, 2, 3]) });
    assert.deepEqual(
      (await checkFile(file('bin/.paved-road.yaml'))).findings.map((f) => f.ruleId),
      ['file/binary'],
    );
    const gone = await checkFile(file('gone/.paved-road.yaml'));
    assert.equal(gone.path, 'gone/.paved-road.yaml');
    assert.deepEqual(
      gone.findings.map((f) => [f.ruleId, f.severity, f.message]),
      [['file/unreadable', 'error', 'The file cannot be read (no such file or directory); it is not validated.']],
    );
  });
});
