import { strict as assert } from 'node:assert';
import { flowDepth, parseManifest, splitDocuments } from '../../src/core/manifest';

const at = (r: { start: { line: number; character: number }; end: { line: number; character: number } }) => [r.start.line, r.start.character, r.end.line, r.end.character];

describe('manifest parsing', () => {
  it('reads every document of a multi-document file with its value', () => {
    const f = parseManifest('a: 1\n---\nb: [x, y]\n---\n# only a comment\n');
    assert.equal(f.documents.length, 3);
    assert.deepEqual(f.documents[0]?.value, { a: 1 });
    assert.deepEqual(f.documents[1]?.value, { b: ['x', 'y'] });
    assert.equal(f.documents[2]?.value, null);
    assert.deepEqual(f.findings, []);
  });

  it('maps a value path back to the exact key or value range', () => {
    const f = parseManifest('spec:\n  replicas: "3"\n  template:\n    containers:\n      - name: a\n        image: nginx\n');
    const doc = f.documents[0]!;
    assert.deepEqual(at(doc.locate(['spec', 'replicas'])), [1, 12, 1, 15]);
    assert.deepEqual(at(doc.locate(['spec', 'replicas'], 'key')), [1, 2, 1, 10]);
    assert.deepEqual(at(doc.locate(['spec', 'template', 'containers', 0, 'image'])), [5, 15, 5, 20]);
    // a missing path falls back to the deepest existing key, never the document start
    assert.deepEqual(at(doc.locate(['spec', 'template', 'volumes', 0])), [2, 2, 2, 10]);
  });

  it('gives one finding per document at the first syntax error', () => {
    const f = parseManifest('a: 1\nb: [1, 2\nc: 3\n');
    assert.equal(f.findings.length, 1);
    assert.equal(f.findings[0]?.ruleId, 'yaml/syntax');
    assert.ok(f.findings[0].range.start.line >= 1);
    assert.equal(f.documents[0]?.ok, false);
  });

  it('reports duplicate keys and tab indentation in words people use', () => {
    const dup = parseManifest('name: a\nname: b\n');
    assert.equal(dup.findings[0]?.ruleId, 'yaml/duplicate-key');
    assert.deepEqual(at(dup.findings[0].range).slice(0, 2), [1, 0]);
    assert.equal(dup.findings[0].message, 'Duplicate key "name": a key may appear only once in a mapping.');
    const nested = parseManifest('---\nfoo: 1\n---\nmetadata:\n  labels: { app: a, "app": b }\n');
    assert.equal(nested.findings[0]?.message, 'Duplicate key "app": a key may appear only once in a mapping.');
    assert.deepEqual(at(nested.findings[0].range).slice(0, 2), [4, 20]);
    const tabs = parseManifest('a:\n\tb: 1\n');
    assert.match(tabs.findings[0]?.message ?? '', /Tabs are not allowed/);
  });

  it('stops an alias bomb with a finding instead of expanding it', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd']] as const) {
      bomb.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    const f = parseManifest(`${bomb.join('\n')}\n`);
    assert.equal(f.findings[0]?.ruleId, 'yaml/alias-limit');
    assert.equal(f.documents[0]?.value, undefined);
  });

  it('rejects deep nesting with a finding at the place it gets too deep', () => {
    const deep = `x: ${'['.repeat(1000)}${']'.repeat(1000)}\n`;
    const f = parseManifest(deep);
    assert.equal(f.findings[0]?.ruleId, 'yaml/too-deep');
    assert.deepEqual(at(f.findings[0].range).slice(0, 2), [0, 102]);
    assert.equal(f.documents[0]?.ok, false);
    assert.equal(f.documents[0]?.value, undefined);
    // a hundred thousand levels are refused quickly, without recursion
    assert.equal(parseManifest('['.repeat(100_000)).findings[0]?.ruleId, 'yaml/too-deep');
    assert.equal(flowDepth('['.repeat(100_000)).depth, 100_000);
    // deep block nesting too
    const block = Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    assert.equal(parseManifest(`${block} 1\n`).findings[0]?.ruleId, 'yaml/too-deep');
    // brackets inside quoted strings are not nesting
    assert.equal(flowDepth('a: "[[[[[["\nb: [1, [2]]\n').depth, 2);
  });

  it('refuses a file over the size limit with one clear finding', () => {
    const f = parseManifest(`a: ${'x'.repeat(2048)}\n`, { maxBytes: 1024 });
    assert.equal(f.findings.length, 1);
    assert.equal(f.findings[0]?.ruleId, 'yaml/too-large');
    assert.match(f.findings[0].message, /File is too large to validate: 2 KB, the limit is 1 KB/);
  });

  it('keeps __proto__ keys as data, without polluting prototypes', () => {
    const f = parseManifest('__proto__:\n  polluted: true\n');
    const value = f.documents[0]?.value as Record<string, unknown>;
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.ok(Object.prototype.hasOwnProperty.call(value, '__proto__'));
  });

  it('never throws, whatever the input', () => {
    const inputs = ['', '\u0000\u0001\u0002', '- - - - -', '{', ']]]', '&a *a', '!!binary x', '? [a]\n: b', '%YAML 1.1\n---\na: yes', 'a: !!int "x"'];
    for (const text of inputs) assert.doesNotThrow(() => parseManifest(text), `input ${JSON.stringify(text)}`);
  });
});

describe('document splitting', () => {
  const parts = (text: string) => splitDocuments(text).map((s) => [s.line, s.text]);

  it('splits at --- lines and keeps each document with its first line', () => {
    assert.deepEqual(parts('a: 1\n---\nb: 2\n---\nc: 3'), [
      [0, 'a: 1\n'],
      [1, '---\nb: 2\n'],
      [3, '---\nc: 3'],
    ]);
  });

  it('keeps leading comments and directives with the first explicit document', () => {
    assert.deepEqual(parts('# header\n%YAML 1.2\n---\na: 1\n'), [[0, '# header\n%YAML 1.2\n---\na: 1\n']]);
    assert.deepEqual(parts(''), []);
    assert.deepEqual(parts('# only a comment\n'), []);
  });

  it('treats --- inside a block scalar as a marker, as the YAML spec does, and ignores ---- or ---x', () => {
    assert.equal(splitDocuments('a: |\n  x\n---\nb: 1\n').length, 2);
    assert.equal(splitDocuments('a: 1\n----\n').length, 1);
    assert.equal(splitDocuments('a: "---x"\nb: ---x\n').length, 1);
  });

  it('starts a bare document after ... only when it has content', () => {
    assert.equal(splitDocuments('a: 1\n...\n# trailing\n').length, 1);
    assert.deepEqual(parts('a: 1\n...\nb: 2\n'), [
      [0, 'a: 1\n...\n'],
      [2, 'b: 2\n'],
    ]);
  });

  it('gives findings and ranges in file positions for later documents', () => {
    const f = parseManifest('a: 1\n---\nb: [1\n---\nc:\n  d: x\n');
    assert.equal(f.findings.length, 1);
    assert.equal(f.findings[0]!.range.start.line, 2);
    assert.deepEqual(at(f.documents[2]!.locate(['c', 'd'])), [5, 5, 5, 6]);
  });
});
