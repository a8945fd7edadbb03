/**
 * Every finding the editor publishes lies inside its document, and one bad
 * finding never stops a file's publication (issue 8, item 2): an empty
 * sequence item (`- `) once gave a finding at character -1, VS Code's Range
 * threw "Illegal argument: character must be non-negative", and the file's
 * diagnostics froze. A property test over generated documents and edits (empty
 * items, empty lines, tabs, CRLF, unicode), through the engine as the editor
 * runs it (validation and policies) and the adapter's conversion with a
 * stand-in as strict as VS Code's Range.
 */
import { strict as assert } from 'node:assert';
import { builtinContext, validateText } from '../../src/core/validate';
import type { DocumentCache } from '../../src/core/validate';
import { checkPolicies, policyDocuments } from '../../src/core/policy';
import { BUILTIN_RULES } from '../../src/core/policy/rules';
import type { Finding, Range } from '../../src/core/findings';
import { clampRange, convertFindings, isInside, shapeOfText } from '../../src/extension/diagnostics/clamp';
import { mulberry32 } from './helpers/prng';

/** What VS Code's Range and Position constructors check (vs/workbench/api/common/extHostTypes.ts). */
class StrictPosition {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {
    if (line < 0) throw new Error('Illegal argument: line must be non-negative');
    if (character < 0) throw new Error('Illegal argument: character must be non-negative');
  }
}
class StrictRange {
  readonly start: StrictPosition;
  readonly end: StrictPosition;
  constructor(sl: number, sc: number, el: number, ec: number) {
    this.start = new StrictPosition(sl, sc);
    this.end = new StrictPosition(el, ec);
  }
}

/** Lines as VS Code's text model has them: \r\n, \r and \n all end a line. Written apart from the module under test. */
function linesOf(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

function inside(r: { start: StrictPosition; end: StrictPosition }, lines: readonly string[]): boolean {
  const ok = (p: StrictPosition) => Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= (lines[p.line] ?? '').length;
  const ordered = r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
  return ok(r.start) && ok(r.end) && ordered;
}

const BASE = [
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: app
          image: nginx:1.27
          ports:
            - containerPort: 80
          env:
            - name: A
              value: "1"
`,
  `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout
  tags:
    - payments
spec:
  type: service
  lifecycle: production
  owner: team-a
  consumesApis:
    - payments-api
`,
  `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: http
`,
];

/** Pieces a user types or pastes: the empty item first, as the completion of `consumesApis` inserts it. */
const PIECES = ['- ', '-', '- \n', '\n', '\n\n', '  ', '\t', '\t- ', '\r\n', '\r', '- - ', '-\t', ': ', 'key: ', '? ', '#', '---\n', '...', '[', ']', '{', '}', ',', '"', "'", '&a ', '*a', '!!str ', '|\n', '>-\n', 'é', 'ü: ü', '日本', '😀', '\u200b', '\uFEFF', '\u2028', '  - name: x\n', '    - \n', 'containers:\n  - \n', 'consumesApis:\n    - \n'];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T;
}

/** One random edit, as in an editor: insert, delete, replace a line, indent, duplicate a line, or switch the line breaks. */
function edit(text: string, r: () => number): string {
  const at = Math.floor(r() * (text.length + 1));
  switch (Math.floor(r() * 8)) {
    case 7: {
      // empty a list item, as deleting what follows the dash does (or as a completion inserts one)
      const lines = text.split('\n');
      const items = lines.flatMap((l, i) => (/^\s*- /.test(l) ? [i] : []));
      if (!items.length) return text;
      const i = pick(r, items);
      lines[i] = (lines[i] ?? '').replace(/^(\s*-)\s.*$/, pick(r, ['$1 ', '$1', '$1  ', '$1\t', '$1 # todo']));
      return lines.join('\n');
    }
    case 0:
    case 1:
      return text.slice(0, at) + pick(r, PIECES) + text.slice(at);
    case 2:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 6));
    case 3: {
      const lines = text.split('\n');
      const i = Math.floor(r() * lines.length);
      lines[i] = `${' '.repeat(Math.floor(r() * 8))}${pick(r, ['- ', '-', '', '- x', 'a:', '\t'])}`;
      return lines.join('\n');
    }
    case 4: {
      const lines = text.split('\n');
      const i = Math.floor(r() * lines.length);
      lines.splice(i, 0, lines[Math.floor(r() * lines.length)] ?? '');
      return lines.join('\n');
    }
    case 5:
      return r() < 0.5 ? text.replace(/\r?\n/g, '\r\n') : text.replace(/\r\n/g, '\n');
    default: {
      const lines = text.split('\n');
      const i = Math.floor(r() * lines.length);
      lines[i] = ' '.repeat(Math.floor(r() * 4)) + (lines[i] ?? '');
      return lines.join('\n');
    }
  }
}

/** The findings of a file as the editor computes them: validation (with its per-document cache, as while typing) and policies. */
function findingsOf(text: string, cache: DocumentCache): Finding[] {
  const ctx = builtinContext();
  const path = '/workspace/manifest.yaml';
  const findings = validateText(path, text, ctx, cache);
  const docs = policyDocuments(path, text, { maxBytes: 5 * 1024 * 1024 });
  return [...findings, ...checkPolicies(docs, BUILTIN_RULES, { documents: docs })];
}

const toStrict = (_f: Finding, r: Range) => new StrictRange(r.start.line, r.start.character, r.end.line, r.end.character);

describe('diagnostic ranges: every published finding lies inside its document', () => {
  it('the empty sequence item that froze diagnostics: the engine places its finding on the dash', () => {
    const text = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\nspec:\n  type: service\n  lifecycle: experimental\n  owner: team\n  consumesApis:\n    - \n';
    const f = validateText('/w/catalog-info.yaml', text, builtinContext()).find((x) => x.message.includes('consumesApis[0]'));
    assert.ok(f, 'the empty item is reported');
    assert.deepEqual(f.range, { start: { line: 9, character: 4 }, end: { line: 9, character: 5 } });
    // and in a Deployment's containers, which takes the fast (js-yaml events) path
    const dep = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - \n';
    const g = validateText('/w/d.yaml', dep, builtinContext()).find((x) => x.message.includes('containers[0]'));
    assert.ok(g);
    assert.deepEqual(g.range, { start: { line: 12, character: 8 }, end: { line: 12, character: 9 } });
  });

  it('property: 1,500 generated edits of real manifests; no engine range is negative, every converted range is inside, nothing throws', function () {
    this.timeout(120_000);
    const r = mulberry32(0x8a2);
    let published = 0;
    let emptyItems = 0;
    let texts = 0;
    for (let run = 0; run < 150; run++) {
      let text = pick(r, BASE);
      if (r() < 0.3) text = `${text}---\n${pick(r, BASE)}`;
      const cache: DocumentCache = new Map();
      for (let step = 0; step < 10; step++) {
        text = edit(text, r);
        texts++;
        if (/^\s*-[ \t]*\r?$/m.test(text)) emptyItems++;
        const findings = findingsOf(text, cache);
        for (const f of findings) {
          const { start, end } = f.range;
          assert.ok(start.line >= 0 && start.character >= 0 && end.line >= 0 && end.character >= 0, `negative position from the engine: ${f.ruleId} ${JSON.stringify(f.range)} in ${JSON.stringify(text)}`);
        }
        const lines = linesOf(text);
        const { items, failed } = convertFindings(findings, shapeOfText(text), toStrict);
        assert.equal(failed.length, 0, `a conversion threw: ${String(failed[0]?.error)}`);
        assert.equal(items.length, findings.length);
        for (const [i, d] of items.entries()) assert.ok(inside(d, lines), `outside the document: ${JSON.stringify(d)} from ${JSON.stringify(findings[i]?.range)} in ${JSON.stringify(text)}`);
        published += items.length;
      }
    }
    assert.equal(texts, 1500);
    assert.ok(emptyItems > 100, `the edits produced empty items (${emptyItems})`);
    assert.ok(published > 2000, `findings were published (${published})`);
  });

  it('property: arbitrary ranges (negative, NaN, past the end, reversed) are clamped inside any document', () => {
    const r = mulberry32(7);
    const numbers = [-1, -1000, 0, 1, 2, 5, 80, 1e9, Number.NaN, Number.POSITIVE_INFINITY, -0, 0.5, 3.7];
    for (let i = 0; i < 3000; i++) {
      let text = '';
      for (let j = Math.floor(r() * 8); j > 0; j--) text += pick(r, PIECES) + pick(r, ['a', 'key: v', '', '  x']);
      const lines = linesOf(text);
      const shape = shapeOfText(text);
      assert.equal(shape.lineCount, lines.length, JSON.stringify(text));
      for (let l = 0; l < lines.length; l++) assert.equal(shape.lineLength(l), (lines[l] ?? '').length, JSON.stringify(text));
      const range = { start: { line: pick(r, numbers), character: pick(r, numbers) }, end: { line: pick(r, numbers), character: pick(r, numbers) } };
      const c = clampRange(range, shape);
      assert.ok(isInside(c, shape), `${JSON.stringify(range)} → ${JSON.stringify(c)} in ${JSON.stringify(text)}`);
      assert.ok(inside(new StrictRange(c.start.line, c.start.character, c.end.line, c.end.character), lines));
    }
  });

  it('a range already inside comes back as the same object (the adapter keeps its converted diagnostic)', () => {
    const shape = shapeOfText('a: 1\nb: 2\n');
    const range = { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } };
    assert.equal(clampRange(range, shape), range);
    assert.deepEqual(clampRange({ start: { line: 0, character: -1 }, end: { line: 0, character: -1 } }, shape), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.deepEqual(clampRange({ start: { line: 9, character: 3 }, end: { line: 12, character: 0 } }, shape), { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } });
    assert.deepEqual(clampRange({ start: { line: 1, character: 3 }, end: { line: 0, character: 1 } }, shape), { start: { line: 1, character: 3 }, end: { line: 1, character: 3 } });
    // without a document: only made valid for VS Code
    assert.deepEqual(clampRange({ start: { line: -2, character: 4 }, end: { line: 3, character: Number.NaN } }), { start: { line: 0, character: 4 }, end: { line: 3, character: 0 } });
  });

  it('one finding that cannot be converted never stops the others of its file', () => {
    const text = 'a: 1\nb: 2\nc: 3\n';
    const f = (line: number, message: string): Finding => ({ ruleId: 'x/y', severity: 'error', message, range: { start: { line, character: 0 }, end: { line, character: 1 } } });
    const broken = { ruleId: 'x/broken', severity: 'error', message: 'no range' } as unknown as Finding;
    const findings = [f(0, 'first'), broken, { ...f(1, 'negative'), range: { start: { line: 1, character: -1 }, end: { line: 1, character: -1 } } }, f(2, 'boom'), f(2, 'last')];
    const { items, failed, clamped } = convertFindings(findings, shapeOfText(text), (finding, r) => {
      if (finding.message === 'boom') throw new Error('cannot convert');
      return `${finding.message}@${r.start.line}:${r.start.character}`;
    });
    assert.deepEqual(items, ['first@0:0', 'no range@0:0', 'negative@1:0', 'last@2:0']);
    assert.equal(clamped, 2);
    assert.deepEqual(failed.map((x) => x.finding.message), ['boom']);
  });

  it('CRLF, a lone CR and unicode count as VS Code counts them (UTF-16 units, line breaks excluded)', () => {
    const shape = shapeOfText('é😀\r\nab\rc\n');
    assert.equal(shape.lineCount, 4);
    assert.deepEqual([0, 1, 2, 3].map((l) => shape.lineLength(l)), [3, 2, 1, 0]);
    assert.deepEqual(clampRange({ start: { line: 0, character: 9 }, end: { line: 0, character: 9 } }, shape).start, { line: 0, character: 3 });
  });
});
