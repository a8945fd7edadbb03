/** Document symbols (Outline, breadcrumbs, Go to Symbol): one per YAML document, named Kind/name, keys as children. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_DOCUMENTS_WITH_KEYS, documentSymbols } from '../../src/core/editing/symbols';
import type { YamlSymbol } from '../../src/core/editing/symbols';
import { objectLabel, objectName } from '../../src/core/model/objects';
import { splitDocuments } from '../../src/core/manifest/split';
import { checkPolicies, policyDocuments } from '../../src/core/policy';
import { BUILTIN_RULES } from '../../src/core/policy/rules';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const at = (s: YamlSymbol) => `${s.range.start.line}:${s.range.start.character}-${s.range.end.line}:${s.range.end.character}`;
const child = (s: YamlSymbol | undefined, ...names: string[]): YamlSymbol | undefined => {
  let node = s;
  for (const n of names) node = node?.children.find((c) => c.name === n);
  return node;
};

function inside(inner: YamlSymbol['range'], outer: YamlSymbol['range']): boolean {
  const le = (a: YamlSymbol['range']['start'], b: YamlSymbol['range']['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

/** Every child inside its parent, every selection inside its symbol (VS Code rejects a symbol otherwise). */
function assertNested(symbols: readonly YamlSymbol[], parent?: YamlSymbol): void {
  for (const s of symbols) {
    assert.ok(inside(s.selectionRange, s.range), `${s.name}: selection ${JSON.stringify(s.selectionRange)} outside ${at(s)}`);
    if (parent) assert.ok(inside(s.range, parent.range), `${s.name} ${at(s)} outside ${parent.name} ${at(parent)}`);
    assertNested(s.children, s);
  }
}

describe('document symbols', () => {
  it('one symbol per document named Kind/name, over the whole document, revealing the name', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  replicas: 2\n---\n# the service\napiVersion: v1\nkind: Service\nmetadata:\n  name: "web"\nspec:\n  ports:\n    - port: 80\n\n';
    const symbols = documentSymbols(text);
    assert.deepEqual(symbols.map((s) => s.name), ['Deployment/web', 'Service/web']);
    const [dep, svc] = symbols as [YamlSymbol, YamlSymbol];
    assert.equal(dep.kind, 'document');
    assert.equal(dep.detail, 'apps/v1 · namespace shop');
    assert.equal(at(dep), '0:0-6:13');
    assert.deepEqual(dep.selectionRange, { start: { line: 3, character: 2 }, end: { line: 3, character: 11 } });
    assert.equal(at(svc), '9:0-15:14', 'from its first key to its last content, trailing blank lines left out');
    assert.deepEqual(dep.children.map((c) => c.name), ['apiVersion', 'kind', 'metadata', 'spec']);
    assert.equal(child(dep, 'spec', 'replicas')?.detail, '2');
    assertNested(symbols);
  });

  it('nested keys, list items named by their name: (containers), items of scalars left out, block scalars skipped', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      'spec:',
      '  containers:',
      '  - name: app', // a list at the key's own indentation
      '    image: nginx',
      '    args:',
      '      - --port',
      '      - "80"',
      '    command: |',
      '      kind: NotAKey',
      '      name: nope',
      '    env:',
      '      - name: A',
      '        value: "1"',
      '      - value: no-name',
      '  - ',
      '  volumes: []',
    ].join('\n');
    const [pod] = documentSymbols(text) as [YamlSymbol];
    assert.equal(pod.name, 'Pod/p');
    const containers = child(pod, 'spec', 'containers');
    assert.equal(containers?.kind, 'array');
    assert.deepEqual(containers?.children.map((c) => c.name), ['app']);
    const app = child(containers, 'app');
    assert.equal(app?.kind, 'item');
    assert.deepEqual(app?.children.map((c) => c.name), ['name', 'image', 'args', 'command', 'env']);
    assert.deepEqual(child(app, 'args')?.children, []);
    assert.deepEqual(child(app, 'command')?.children, [], 'block scalar content is not keys');
    assert.equal(at(child(app, 'command') as YamlSymbol), '11:4-13:16');
    assert.deepEqual(child(app, 'env')?.children.map((c) => c.name), ['A', '1']);
    assert.ok(child(pod, 'spec', 'volumes'));
    assertNested([pod]);
  });

  it('a generateName object is named by its prefix (Pod/web-), and says so', () => {
    const [pod] = documentSymbols('apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: web-\n');
    assert.equal(pod?.name, 'Pod/web-');
    assert.equal(pod?.detail, 'v1 · generateName');
    assert.equal(objectName({ metadata: { generateName: 'job-' } }), 'job-');
    assert.equal(objectName({ metadata: { name: 'a', generateName: 'job-' } }), 'a');
    assert.equal(objectLabel({ kind: 'Job', metadata: { generateName: 'job-' } }), 'Job/job-');
    assert.equal(objectLabel({ kind: 'Job', metadata: {} }), 'Job');
    assert.equal(objectLabel({ metadata: { name: 'x' } }), undefined);
  });

  it('a name in a flow mapping, a kind without a name, a document without a kind', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\n---\nkind: Namespace\n---\nfoo: 1\n';
    assert.deepEqual(documentSymbols(text).map((s) => s.name), ['ConfigMap/settings', 'Namespace', 'document 3']);
  });

  it('a single document without a kind (a config, a workflow) gets its top-level keys', () => {
    const text = readFileSync(join(EXAMPLES, '.paved-road.yaml'), 'utf8');
    const symbols = documentSymbols(text);
    assert.ok(symbols.some((s) => s.name === 'version'), symbols.map((s) => s.name).join());
    assert.ok(symbols.every((s) => s.kind !== 'document'));
    assertNested(symbols);
  });

  it('CRLF line ends, comments, quoted keys, anchors', () => {
    const text = 'apiVersion: v1 # core\r\nkind: Secret\r\nmetadata:\r\n  name: s\r\n  "quoted key": &a x\r\nstringData:\r\n  k: *a\r\n';
    const [s] = documentSymbols(text) as [YamlSymbol];
    assert.equal(s.name, 'Secret/s');
    assert.equal(child(s, 'apiVersion')?.detail, 'v1');
    assert.ok(child(s, 'metadata', 'quoted key'));
    assert.equal(at(s), '0:0-6:7', 'ranges end before the \\r');
  });

  it('every example and fixture: each document a symbol, each symbol well nested (never throws)', () => {
    const files = [
      'deploy/deployment.yaml', 'deploy/service.yaml', 'deploy/networkpolicy.yaml', 'deploy/pdb.yaml', 'deploy/serviceaccount.yaml',
      'catalog-info.yaml', 'mistakes/deployment.yaml', 'mistakes/insecure-deployment.yaml', 'policies/checkout-standards.yaml', 'slo/checkout-api.sloth.yaml', 'release.yaml', 'mkdocs.yml',
    ];
    for (const f of files) {
      const text = readFileSync(join(EXAMPLES, f), 'utf8');
      const symbols = documentSymbols(text);
      assertNested(symbols);
      const docs = splitDocuments(text).length;
      if (symbols.some((s) => s.kind === 'document')) assert.equal(symbols.length, docs, f);
    }
    const catalog = documentSymbols(readFileSync(join(EXAMPLES, 'catalog-info.yaml'), 'utf8'));
    assert.ok(catalog.some((s) => /^Component\//.test(s.name)), catalog.map((s) => s.name).join());
  });

  it('a file of many documents: the documents only, and an edit gives what a fresh scan gives (documents are reused by text)', () => {
    const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  k: "${i}"\n`;
    const many = Array.from({ length: MAX_DOCUMENTS_WITH_KEYS + 1 }, (_, i) => doc(i)).join('---\n');
    const symbols = documentSymbols(many);
    assert.equal(symbols.length, MAX_DOCUMENTS_WITH_KEYS + 1);
    assert.ok(symbols.every((x) => x.children.length === 0));
    assert.equal(symbols[3]?.name, 'ConfigMap/c3');
    assert.equal(symbols[3]?.range.start.line, 21);
    // insert a line at the top: every later document moves one line down, names stay
    const edited = `# moved\n${many}`;
    const after = documentSymbols(edited);
    documentSymbols('unrelated: 1\n');
    const fresh = documentSymbols(edited);
    assert.deepEqual(after, fresh);
    assert.equal(after[3]?.range.start.line, 22);
    // a few documents: keys too; the same text twice gives equal, separate trees
    const few = documentSymbols(`${doc(1)}---\n${doc(1)}`);
    assert.deepEqual(few.map((x) => x.range.start.line), [0, 7]);
    assert.notEqual(few[0]?.children, few[1]?.children);
    assert.equal(few[1]?.children[2]?.range.start.line, 9);
  });

  it('malformed text never throws and stays nested', () => {
    for (const text of ['', '-', '- - -', ':', 'a:\n\tb: 1', 'key: [unclosed\n  x: 1', '---\n---\n', '  - a: 1\n b: 2\n- c', 'a: |\n', '? complex\n: value', 'kind: X\nmetadata:\n  name:\n']) {
      assertNested(documentSymbols(text));
    }
    assert.equal(documentSymbols('kind: X\nmetadata:\n  name:\n')[0]?.name, 'X');
  });
});

describe('objects named by generateName', () => {
  it('policy messages name a generateName object by its prefix, and sit on generateName', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: web-\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n';
    const docs = policyDocuments('/w/pod.yaml', text, { maxBytes: 1 << 20 });
    const findings = checkPolicies(docs, BUILTIN_RULES, { documents: docs });
    const named = findings.filter((f) => f.message.includes('Pod '));
    assert.ok(named.length > 0, findings.map((f) => f.message).join('\n'));
    for (const f of named) {
      assert.ok(f.message.includes('web-'), f.message);
      assert.ok(!f.message.includes('?'), f.message);
    }
    assert.ok(named.some((f) => f.range.start.line === 3), 'a finding about the whole object sits on generateName');
  });
});
