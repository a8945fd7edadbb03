/**
 * One YAML semantics: the fast path (js-yaml events) and the precise path
 * (`yaml`, the reference) must read every document the same way. Generated,
 * seeded documents with tricky scalars, collections and layouts, plus mutations
 * of them, are read both ways; any document the fast path accepts must give
 * exactly the value `yaml` gives, and the fast path must never accept a
 * document `yaml` rejects.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_LIMITS, fastValue, splitDocuments } from '../../src/core/manifest';
import { readLines } from '../../src/core/manifest/lines';
import { parsePrecise } from '../../src/core/manifest/precise';
import { mulberry32 } from './helpers/prng';


const SCALARS = [
  '1', '-1', '+1', '0', '007', '0o17', '0x1F', '0xff', '1_000', '1.5', '.5', '1.', '1e3', '-1.5e-3', '.inf', '-.Inf', '.nan', '.NaN',
  'true', 'True', 'TRUE', 'false', 'yes', 'no', 'on', 'off', 'y', 'n', 'null', 'Null', '~', '', '2024-01-01', '2024-01-01T10:00:00Z',
  '12:30', '1:2:3', '"quoted"', "'single ''q'''", '"esc \\n \\t \\u00e9 \\x41"', 'plain text', 'a: b', '"a: b"', 'http://x.example/a?b=c#d',
  '500m', '128Mi', '"8080"', '8080', '0.0.0.0', '*', '"*"', '-', '"-"', '"#not comment"', 'x # comment', 'é ü 日本', '"\\"', '@x', '`x',
  '!!str 1', '!!int "3"', '!custom x', '&a 1', '"multi\n  line"', "'multi\n  line'", '>\n  folded\n  text\n', '|\n  literal\n   kept\n', '|-\n  strip\n', '|+\n  keep\n\n',
  '[1, 2]', '[]', '{}', '{a: 1, b: [x, y]}', '[a, {b: c}]', '[1, 2,]', '{a: 1,}', '? x', '0b101', '+.inf', '-0', '0.0', '1e', '.', '..',
];
const KEYS = ['a', 'name', 'spec', 'replicas', '"quoted key"', "'k'", '1', 'true', 'null', '~', 'key with spaces', 'ä', '<<', '__proto__', 'x.y', '-', '"a:b"'];

function genValue(r: () => number, depth: number, indent: string): string {
  const roll = r();
  if (depth > 3 || roll < 0.55) return ` ${SCALARS[Math.floor(r() * SCALARS.length)]}`;
  if (roll < 0.8) {
    const n = 1 + Math.floor(r() * 4);
    const keys = new Set<string>();
    let out = '';
    for (let i = 0; i < n; i++) {
      const k = KEYS[Math.floor(r() * KEYS.length)] as string;
      if (keys.has(k)) continue;
      keys.add(k);
      out += `\n${indent}  ${k}:${genValue(r, depth + 1, `${indent}  `)}`;
    }
    return out;
  }
  const n = 1 + Math.floor(r() * 3);
  let out = '';
  for (let i = 0; i < n; i++) out += `\n${indent}  -${genValue(r, depth + 1, `${indent}  `)}`;
  return out;
}

function genDocument(r: () => number): string {
  const keys = new Set<string>();
  const lines: string[] = [];
  if (r() < 0.2) lines.push('# a comment');
  const n = 1 + Math.floor(r() * 5);
  for (let i = 0; i < n; i++) {
    const k = KEYS[Math.floor(r() * KEYS.length)] as string;
    if (keys.has(k)) continue;
    keys.add(k);
    lines.push(`${k}:${genValue(r, 0, '')}`);
  }
  return `${lines.join('\n')}\n`;
}

function mutate(text: string, r: () => number): string {
  const ops = [
    (t: string, i: number) => t.slice(0, i) + t.slice(i + 1),
    (t: string, i: number) => t.slice(0, i) + ' ' + t.slice(i),
    (t: string, i: number) => t.slice(0, i) + '\t' + t.slice(i),
    (t: string, i: number) => t.slice(0, i) + '"' + t.slice(i),
    (t: string, i: number) => t.slice(0, i) + ':' + t.slice(i),
    (t: string, i: number) => t.slice(0, i) + '\n' + t.slice(i),
    (t: string, i: number) => t.slice(0, i) + '- ' + t.slice(i),
    (t: string, i: number) => t.slice(0, i) + '[' + t.slice(i),
  ];
  const op = ops[Math.floor(r() * ops.length)] as (t: string, i: number) => string;
  return op(text, Math.floor(r() * (text.length + 1)));
}

function compare(text: string): string {
  const fast = fastValue(text, DEFAULT_LIMITS);
  if (!fast.ok) return 'deferred';
  const precise = parsePrecise(text, DEFAULT_LIMITS);
  if (!precise.ok) return `fast path accepted a document yaml rejects (${precise.findings[0]?.message ?? '?'})`;
  try {
    assert.deepStrictEqual(normalize(fast.value), normalize(precise.value));
    return 'same';
  } catch {
    return `values differ: fast ${JSON.stringify(fast.value)} vs yaml ${JSON.stringify(precise.value)}`;
  }
}

/** NaN is not equal to itself in assert; compare it as a marker. */
function normalize(v: unknown): unknown {
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN!';
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    // defineProperty: a `__proto__` key must stay a key, as both parsers keep it
    for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: normalize((v as Record<string, unknown>)[k]), enumerable: true });
    if (Object.getPrototypeOf(v) !== Object.prototype) return { prototypeChanged: true };
    return out;
  }
  return v;
}

describe('one YAML semantics: fast path vs yaml (differential)', function () {
  this.timeout(60_000);

  it('reads generated documents exactly as yaml does', () => {
    const r = mulberry32(20261123);
    let same = 0;
    let deferred = 0;
    const problems: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const doc = genDocument(r);
      const verdict = compare(doc);
      if (verdict === 'same') same++;
      else if (verdict === 'deferred') deferred++;
      else problems.push(`${verdict}\n--- document:\n${doc}`);
    }
    assert.deepEqual(problems.slice(0, 5), [], `${problems.length} disagreement(s)`);
    // this corpus is deliberately full of tags, anchors and null keys, which go to yaml; real manifests rarely have them
    assert.ok(same > 600, `a good share of documents take the fast path (${same} fast, ${deferred} deferred to yaml)`);
  });

  it('never accepts on the fast path a mutated document that yaml rejects or reads differently', () => {
    const r = mulberry32(42);
    const problems: string[] = [];
    let checked = 0;
    for (let i = 0; i < 3000; i++) {
      let doc = genDocument(r);
      const times = 1 + Math.floor(r() * 3);
      for (let m = 0; m < times; m++) doc = mutate(doc, r);
      for (const slice of splitDocuments(doc)) {
        checked++;
        const verdict = compare(slice.text);
        if (verdict !== 'same' && verdict !== 'deferred') problems.push(`${verdict}\n--- document:\n${JSON.stringify(slice.text)}`);
      }
    }
    assert.deepEqual(problems.slice(0, 5), [], `${problems.length} disagreement(s) in ${checked} documents`);
  });
});

describe('the fast path on real manifests', () => {
  it('takes every document of the example workspace and reads it as yaml does', () => {
    const root = path.join(__dirname, '..', '..', 'examples');
    const files = ['catalog-info.yaml', 'deploy/deployment.yaml', 'deploy/service.yaml', 'slo/checkout-api.sloth.yaml', '.paved-road.yaml'];
    for (const f of files) {
      for (const slice of splitDocuments(fs.readFileSync(path.join(root, f), 'utf8'))) {
        assert.equal(compare(slice.text), 'same', f);
      }
    }
  });
});

/** The line reader alone (the first reader of the fast path): whatever it takes, it must read as yaml does. */
function compareLines(text: string): string {
  const read = readLines(text, DEFAULT_LIMITS.maxFlowDepth);
  if (!read) return 'deferred';
  const precise = parsePrecise(text, DEFAULT_LIMITS);
  if (!precise.ok) return `the line reader accepted a document yaml rejects (${precise.findings[0]?.message ?? '?'})`;
  try {
    assert.deepStrictEqual(normalize(read.value), normalize(precise.value));
    return 'same';
  } catch {
    return `values differ: lines ${JSON.stringify(read.value)} vs yaml ${JSON.stringify(precise.value)}`;
  }
}

/** Manifest-shaped documents: what the line reader is for (nested blocks, compact sequence items, literals, comments, quotes). */
const LINE_SCALARS = [
  'nginx:1.27', '"8080"', '8080', "'x'", "''", '""', "'it''s'", '"a \\"b\\" \\\\ \\/ \\n \\t"', '"\\u00e9"', 'true', 'False', 'null', '~', '-1', '+2', '0o17', '0x1f', '1.5',
  '1e3', '.inf', '-.Inf', '.NaN', '007', '1_000', 'a b c', 'x # comment', 'x#y', 'http://x.example:8080/a', 'a:b', 'a: b', 'ends:', '{}', '[]', '{ }', '[a]', '-', '- x',
  '- ', 'é 日本', '@x', '`x', '%x', '!x', '&a x', '*a', '? x', ':x', '-x', '--x', '500m', '"#"', "'# x'", '"x" # c', '"x"#c', "'a' b", '12:30', '2024-01-01',
  '|\n  line one\n  line two\n', '|-\n  strip\n', '|+\n  keep\n', '>\n  folded\n', '|\n  a\n\n  b\n', '|\n    deeper\n  less\n', '|\n  # not a comment\n  x: y\n', '|2\n  x\n',
  '|\n\n  leading blank\n', '|\n  a\n   \n  b\n', '|\n  trailing\n\n',
];
const LINE_KEYS = ['name', 'image', 'app.kubernetes.io/name', '"quoted key"', "'single'", '""', '1', 'true', 'null', '~', '<<', '__proto__', 'a b', '-k', 'x:y', 'k#x', 'k #x'];

function genLineValue(r: () => number, depth: number, indent: string): string {
  const roll = r();
  if (depth > 4 || roll < 0.5) {
    // mostly what manifests hold, sometimes anything
    const s = LINE_SCALARS[Math.floor(r() * (r() < 0.7 ? 30 : LINE_SCALARS.length))] as string;
    return ` ${s.replace(/\n(?=.)/g, `\n${indent}`)}`;
  }
  if (roll < 0.75) {
    const n = 1 + Math.floor(r() * 4);
    const keys = new Set<string>();
    let out = r() < 0.1 ? ' # after a key' : '';
    for (let i = 0; i < n; i++) {
      const k = LINE_KEYS[Math.floor(r() * (r() < 0.7 ? 6 : LINE_KEYS.length))] as string;
      if (keys.has(k) && r() < 0.9) continue;
      keys.add(k);
      if (r() < 0.1) out += `\n${indent}  # a comment`;
      if (r() < 0.05) out += '\n';
      out += `\n${indent}  ${k}:${genLineValue(r, depth + 1, `${indent}  `)}`;
    }
    return out;
  }
  // a sequence: indented, or at the key's column; items scalars, nested blocks or compact mappings
  const at = r() < 0.3 ? indent : `${indent}  `;
  const n = 1 + Math.floor(r() * 3);
  let out = '';
  for (let i = 0; i < n; i++) {
    if (r() < 0.5) {
      const k = LINE_KEYS[Math.floor(r() * 4)] as string;
      out += `\n${at}- ${k}:${genLineValue(r, depth + 2, `${at}  `)}`;
      if (r() < 0.5) out += `\n${at}  other:${genLineValue(r, depth + 2, `${at}  `)}`;
    } else {
      out += `\n${at}-${genLineValue(r, depth + 1, `${at}  `)}`;
    }
  }
  return out;
}

function genLineDocument(r: () => number): string {
  const lines: string[] = [];
  if (r() < 0.2) lines.push('# Source: chart/templates/x.yaml');
  if (r() < 0.3) lines.push('---');
  const keys = new Set<string>();
  const n = 1 + Math.floor(r() * 5);
  for (let i = 0; i < n; i++) {
    const k = LINE_KEYS[Math.floor(r() * LINE_KEYS.length)] as string;
    if (keys.has(k)) continue;
    keys.add(k);
    lines.push(`${k}:${genLineValue(r, 0, '')}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('one YAML semantics: the line reader vs yaml (differential)', function () {
  this.timeout(120_000);

  it('reads generated manifest-shaped documents exactly as yaml does', () => {
    const r = mulberry32(20261204);
    let same = 0;
    const problems: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const doc = genLineDocument(r);
      const verdict = compareLines(doc);
      if (verdict === 'same') same++;
      else if (verdict !== 'deferred') problems.push(`${verdict}\n--- document:\n${doc}`);
    }
    assert.deepEqual(problems.slice(0, 5), [], `${problems.length} disagreement(s)`);
    assert.ok(same > 500, `documents read by the line reader (${same} of 6000; most hold something it leaves to the next reader)`);
  });

  it('never takes a mutated document that yaml rejects or reads differently', () => {
    const r = mulberry32(7);
    const problems: string[] = [];
    let taken = 0;
    for (let i = 0; i < 6000; i++) {
      let doc = r() < 0.5 ? genLineDocument(r) : genDocument(r);
      const times = 1 + Math.floor(r() * 3);
      for (let m = 0; m < times; m++) doc = mutate(doc, r);
      for (const slice of splitDocuments(doc)) {
        const verdict = compareLines(slice.text);
        if (verdict === 'same') taken++;
        else if (verdict !== 'deferred') problems.push(`${verdict}\n--- document:\n${JSON.stringify(slice.text)}`);
      }
    }
    assert.deepEqual(problems.slice(0, 5), [], `${problems.length} disagreement(s)`);
    assert.ok(taken > 200, `mutated documents the line reader still takes: ${taken}`);
  });

  it('reads the generated documents of the first differential test as yaml does', () => {
    const r = mulberry32(20261123);
    const problems: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const doc = genDocument(r);
      const verdict = compareLines(doc);
      if (verdict !== 'same' && verdict !== 'deferred') problems.push(`${verdict}\n--- document:\n${doc}`);
    }
    assert.deepEqual(problems.slice(0, 5), [], `${problems.length} disagreement(s)`);
  });

  const root = path.join(__dirname, '..', '..');
  const realFiles = (): string[] => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of fs.readdirSync(dir)) {
        const p = path.join(dir, name);
        if (fs.statSync(p).isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(name)) files.push(p);
      }
    };
    walk(path.join(root, 'examples'));
    walk(path.join(root, 'test', 'fixtures'));
    return files;
  };

  it('never takes a mutated real manifest that yaml rejects or reads differently', () => {
    const docs = realFiles().flatMap((f) => splitDocuments(fs.readFileSync(f, 'utf8')).map((d) => d.text));
    const ops = [
      ...[' ', ': ', '\n', '- ', '#', "'", '"', '|', '  ', '{', '[', ':', '-'].map((ins) => (t: string, i: number) => t.slice(0, i) + ins + t.slice(i)),
      (t: string, i: number) => t.slice(0, i) + t.slice(i + 1),
      (t: string, i: number) => {
        const at = t.lastIndexOf('\n', i);
        return t.slice(0, at + 1) + t.slice(at + 2); // one space less of indentation
      },
    ];
    const r = mulberry32(5);
    let taken = 0;
    const problems: string[] = [];
    for (let i = 0; i < 8000; i++) {
      let text = docs[Math.floor(r() * docs.length)] as string;
      for (let m = 1 + Math.floor(r() * 2); m > 0; m--) text = (ops[Math.floor(r() * ops.length)] as (t: string, i: number) => string)(text, Math.floor(r() * text.length));
      const verdict = compareLines(text);
      if (verdict === 'same') taken++;
      else if (verdict !== 'deferred') problems.push(`${verdict}\n--- document:\n${JSON.stringify(text)}`);
    }
    assert.deepEqual(problems.slice(0, 5), [], `${problems.length} disagreement(s)`);
    assert.ok(taken > 2000, `mutated real documents the line reader still takes: ${taken}`);
  });

  it('takes the documents of real manifests (examples, fixtures) and reads them as yaml does', () => {
    const files = realFiles();
    let taken = 0;
    let documents = 0;
    const problems: string[] = [];
    for (const f of files) {
      for (const slice of splitDocuments(fs.readFileSync(f, 'utf8'))) {
        documents++;
        const verdict = compareLines(slice.text);
        if (verdict === 'same') taken++;
        else if (verdict !== 'deferred') problems.push(`${path.relative(root, f)} #${slice.index}: ${verdict}`);
      }
    }
    assert.deepEqual(problems.slice(0, 5), [], `${problems.length} disagreement(s)`);
    assert.ok(taken > documents * 0.6, `the line reader takes most real documents (${taken} of ${documents})`);
  });
});
