import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '../../src/core/findings';
import { SchemaRegistry } from '../../src/core/schema/registry';
import { RemoteSchemaCache } from '../../src/core/schema/remote';
import { SchemaValidator } from '../../src/core/schema/validator';
import { builtinContext, validateText } from '../../src/core/validate';
import type { DocumentCache, ValidationContext } from '../../src/core/validate';
import { buildContext, findConfigs, findCrds } from '../../src/core/validate/discover';
import { rulesFromConfigs, rulesFromSetting } from '../../src/core/validate/context';
import { matcher } from '../../src/core/schema/associate';
import picomatch from 'picomatch';

const show = (fs: Finding[]) => fs.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.ruleId} ${f.message}`);

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replica: 3
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          imagePullPolicy: Sometimes
          ports:
            - containerPort: "8080"
              name: http
          resources:
            limits: { cpu: 500m, memory: 256Mi }
          env:
            - name: FEATURE
              value: yes
            - name: QUOTED
              value: "no"
`;

function freshContext(extra: Partial<ValidationContext> = {}): ValidationContext {
  return { registry: new SchemaRegistry(), validator: new SchemaValidator(), ...extra };
}

describe('validation of manifests', () => {
  it('validates a Kubernetes Deployment against the bundled schema, at the exact places', () => {
    assert.deepEqual(show(validateText('/repo/deploy/web.yaml', DEPLOYMENT)), [
      "6:3 error schema/additionalProperties Unknown property 'replica' — did you mean 'replicas'?",
      `16:28 error schema/enum 'spec.template.spec.containers[0].imagePullPolicy' must be one of 'Always', 'IfNotPresent' or 'Never', got the string "Sometimes".`,
      `18:30 error schema/type 'spec.template.spec.containers[0].ports[0].containerPort' must be an integer, got the string "8080".`,
      `24:22 warning yaml/yaml11-boolean Kubernetes reads the unquoted 'yes' as the boolean true (YAML 1.1), not as the string "yes". Quote it, or write true.`,
    ]);
  });

  it('attaches the facts quick fixes need', () => {
    const [typo, enumFinding] = validateText('/repo/web.yaml', DEPLOYMENT);
    assert.deepEqual(typo?.data, { path: ['spec', 'replica'], property: 'replica', suggestion: 'replicas' });
    assert.deepEqual(enumFinding?.data?.allowed, ['Always', 'IfNotPresent', 'Never']);
  });

  it('validates Backstage entities by apiVersion and kind, in every document of a file', () => {
    const text = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: b\nspec:\n  type: service\n  lifecycle: production\n';
    assert.deepEqual(show(validateText('/repo/catalog-info.yaml', text)), ["14:1 error schema/required Missing required property 'owner' in 'spec'."]);
  });

  it('says what it does not know instead of guessing', () => {
    const text = 'apiVersion: apps/v1beta1\nkind: Deployment\nmetadata: { name: x }\n---\napiVersion: example.com/v1\nkind: Widget\n---\napiVersion: apps/v1\nkind: Deploymnet\n---\nplain: yaml\n';
    assert.deepEqual(
      validateText('/repo/x.yaml', text).map((f) => `${f.range.start.line + 1} ${f.severity} ${f.ruleId}`),
      ['1 error schema/unknown-api-version', '5 info schema/no-schema', '9 warning schema/unknown-kind'],
    );
  });

  it('validates custom resources against a CRD found among the files', () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  names: { kind: Widget, plural: widgets }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size]
              properties:
                size: { type: integer, minimum: 1 }
                port: { x-kubernetes-int-or-string: true }
                extra: { type: object, x-kubernetes-preserve-unknown-fields: true }
`;
    const registry = new SchemaRegistry();
    registry.setCrds(findCrds(new Map([['/repo/crds/widget.yaml', crd]])));
    const ctx = freshContext({ registry });
    const cr = 'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\nspec:\n  size: 0\n  port: http\n  colour: red\n  extra: { anything: [1, 2] }\n';
    assert.deepEqual(show(validateText('/repo/w.yaml', cr, ctx)), [
      "5:9 error schema/minimum 'spec.size' must be at least 1, got the number 0.",
      "7:3 error schema/additionalProperties Unknown property 'colour'.",
    ]);
  });

  it('follows the precedence chain: modeline, then config rules, then file names, then content', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pr-assoc-'));
    writeFileSync(join(dir, 'strict.json'), JSON.stringify({ type: 'object', required: ['team'], properties: { team: { type: 'string' } } }));
    const rules = rulesFromConfigs([{ path: join(dir, '.paved-road.yaml'), config: { schemas: [{ files: 'deploy/*.yaml', schema: './strict.json' }] } }]);
    const ctx = freshContext({ rules });
    // the config rule wins over the Deployment's apiVersion/kind
    assert.deepEqual(show(validateText(join(dir, 'deploy', 'a.yaml'), 'apiVersion: apps/v1\nkind: Deployment\n', ctx)), ["1:1 error schema/required Missing required property 'team'."]);
    // a modeline wins over the config rule; `none` turns validation off
    assert.deepEqual(validateText(join(dir, 'deploy', 'b.yaml'), '# yaml-language-server: $schema=none\nnothing: here\n', ctx), []);
    assert.deepEqual(
      show(validateText(join(dir, 'other.yaml'), '# yaml-language-server: $schema=./strict.json\nteam: 3\n', ctx)),
      ["2:7 error schema/type 'team' must be a string, got the number 3."],
    );
    // settings use Red Hat YAML's yaml.schemas shape
    const fromSetting = rulesFromSetting({ './strict.json': ['ops/**/*.yaml'] }, dir);
    assert.deepEqual(show(validateText(join(dir, 'ops', 'x.yaml'), 'a: 1\n', freshContext({ rules: fromSetting }))), ["1:1 error schema/required Missing required property 'team'."]);
  });

  it('reports a remote schema it may not or cannot fetch, and uses it once cached', async () => {
    const rules = rulesFromSetting({ 'https://schemas.example.test/s.json': 'x.yaml' }, '/repo');
    const untrusted = validateText('/repo/x.yaml', 'a: 1\n', freshContext({ rules }));
    assert.equal(untrusted[0]?.ruleId, 'schema/unavailable');
    assert.match(untrusted[0]?.message ?? '', /only read in a trusted workspace/);

    let calls = 0;
    const fakeFetch = (() => {
      calls++;
      return Promise.resolve(new Response(JSON.stringify({ type: 'object', properties: { a: { type: 'string' } } }), { status: 200 }));
    }) as typeof fetch;
    const cacheDir = mkdtempSync(join(tmpdir(), 'pr-remote-'));
    const remote = new RemoteSchemaCache({ cacheDir, fetch: fakeFetch });
    await remote.prefetch(['https://schemas.example.test/s.json']);
    assert.deepEqual(show(validateText('/repo/x.yaml', 'a: 1\n', freshContext({ rules, remote }))), ["1:4 error schema/type 'a' must be a string, got the number 1."]);
    // offline afterwards: the disk cache answers, no request is made
    const offline = new RemoteSchemaCache({ cacheDir, offline: true, fetch: fakeFetch });
    assert.equal(offline.get('https://schemas.example.test/s.json').status, 'ok');
    assert.equal(calls, 1);

    const slow = new RemoteSchemaCache({
      cacheDir: mkdtempSync(join(tmpdir(), 'pr-remote-')),
      timeoutMs: 50,
      fetch: ((_url: string, init?: RequestInit) =>
        new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error)))) as typeof fetch,
    });
    await slow.prefetch(['https://slow.example.test/s.json']);
    const timedOut = validateText('/repo/x.yaml', 'a: 1\n', freshContext({ rules: rulesFromSetting({ 'https://slow.example.test/s.json': 'x.yaml' }, '/repo'), remote: slow }));
    assert.match(timedOut[0]?.message ?? '', /could not be fetched: no answer within 0.05 s/);
  });

  it('leaves Helm templates alone and checks plain YAML files for syntax only', () => {
    assert.deepEqual(validateText('/chart/templates/deploy.yaml', 'metadata:\n  name: {{ .Release.Name }}\n  labels: {{- include "x" . }}\n'), []);
    assert.deepEqual(validateText('/repo/compose.yaml', 'services:\n  web: { image: nginx }\n'), []);
    assert.equal(validateText('/repo/compose.yaml', 'services: [\n')[0]?.ruleId, 'yaml/syntax');
    assert.deepEqual(validateText('/repo/notes.txt', 'not: [yaml'), []);
  });

  it('re-validates only the documents an edit touched, with findings moved to their new lines', () => {
    const cache: DocumentCache = new Map();
    const ctx = builtinContext();
    const doc = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: 1\n`;
    const text = [doc('one'), doc('two'), doc('three')].join('---\n');
    const first = validateText('/repo/cm.yaml', text, ctx, cache);
    assert.equal(first.length, 3); // data values must be strings
    assert.equal(cache.size, 3);
    const edited = `# a new first line\n${text.replace('name: two', 'name: second')}`;
    const second = validateText('/repo/cm.yaml', edited, ctx, cache);
    assert.deepEqual(second.map((f) => f.range.start.line), first.map((f) => f.range.start.line + 1));
    assert.equal(cache.size, 5, 'the edited documents were validated again; the unchanged one came from the cache');
  });

  it('builds the CLI context from configs up to the repository root, CRDs and prefetched schemas', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'pr-repo-'));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(repo, '.git'));
    mkdirSync(join(repo, 'svc', 'deploy'), { recursive: true });
    writeFileSync(join(repo, '.paved-road.yaml'), 'schemas:\n  - files: "**/release.yaml"\n    schema: ./release.json\n');
    writeFileSync(join(repo, 'release.json'), JSON.stringify({ type: 'object', additionalProperties: false, properties: { service: { type: 'string' } } }));
    const file = join(repo, 'svc', 'deploy', 'release.yaml');
    const ctx = await buildContext({ texts: new Map([[file, 'service: x\nextra: 1\n']]), root: repo, offline: true });
    assert.deepEqual(show(validateText(file, 'service: x\nextra: 1\n', ctx)), ["2:1 error schema/additionalProperties Unknown property 'extra'."]);
  });
});

describe('validation of the example workspace', () => {
  it('finds exactly the deliberate mistakes in examples/mistakes, nothing elsewhere', () => {
    const root = join(__dirname, '..', '..', 'examples');
    const texts = new Map<string, string>();
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(name)) texts.set(p, readFileSync(p, 'utf8'));
      }
    };
    walk(root);
    return buildContext({ texts, root, offline: true }).then((ctx) => {
      const found = [...texts].flatMap(([p, t]) => validateText(p, t, ctx).map((f) => `${p.slice(root.length + 1)}:${f.range.start.line + 1} ${f.ruleId}`));
      assert.deepEqual(found.sort(), [
        'mistakes/catalog-info.yaml:11 schema/required',
        'mistakes/deployment.yaml:18 schema/enum',
        'mistakes/deployment.yaml:21 yaml/yaml11-boolean',
        'mistakes/deployment.yaml:6 schema/type',
      ]);
      const typo = validateText(join(root, 'mistakes', 'catalog-info.yaml'), texts.get(join(root, 'mistakes', 'catalog-info.yaml')) ?? '', ctx)[0];
      assert.deepEqual(typo?.data, { path: ['spec'], property: 'owner', typo: 'ownr' });
    });
  });
});

describe('CRDs registered in .paved-road.yaml', () => {
  it('validates custom resources against a CRD named in the config, not in the files being checked', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'pr-crd-'));
    mkdirSync(join(repo, '.git'));
    mkdirSync(join(repo, 'vendor'));
    mkdirSync(join(repo, 'deploy'));
    writeFileSync(join(repo, '.paved-road.yaml'), 'crds:\n  - ./vendor/widgets.yaml\n  - ./vendor/missing.yaml\n');
    writeFileSync(
      join(repo, 'vendor', 'widgets.yaml'),
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: { name: widgets.example.com }\nspec:\n  group: example.com\n  names: { kind: Widget, plural: widgets }\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec: { type: object, properties: { size: { type: integer } } }\n',
    );
    const file = join(repo, 'deploy', 'w.yaml');
    const text = 'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\nspec:\n  size: big\n';
    const problems: string[] = [];
    const ctx = await buildContext({ texts: new Map([[file, text]]), root: repo, offline: true, onProblem: (m) => problems.push(m) });
    assert.deepEqual(show(validateText(file, text, ctx)), [`5:9 error schema/type 'spec.size' must be an integer, got the string "big".`]);
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /missing\.yaml .* cannot be read/);
  });
});

describe('findConfigs', () => {
  it('reads a config from the given texts when it is among them (the staged version in the hook), else from disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pr-configs-'));
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.paved-road.yaml'), 'policies:\n  rules:\n    k8s/priority-class: warning\n');
    const file = join(dir, 'd.yaml');
    assert.deepEqual(findConfigs([file])[0]?.config.policies?.rules, { 'k8s/priority-class': 'warning' });
    const staged = new Map([[join(dir, '.paved-road.yaml'), 'policies:\n  rules:\n    k8s/priority-class: off\n']]);
    const [c] = findConfigs([file], staged);
    assert.deepEqual(c?.config.policies?.rules, { 'k8s/priority-class': 'off' });
    assert.equal(c?.text, staged.get(join(dir, '.paved-road.yaml')));
  });
});

describe('file-name globs of the association chain', () => {
  it('match as picomatch does, also where only the file name is tested', () => {
    const globs = ['**/score.{yaml,yml}', '**/score.*.{yaml,yml}', '**/kustomization.{yaml,yml}', '**/Kustomization', '**/Chart.yaml', '**/*.yaml', '**/.github/workflows/*.{yml,yaml}', 'deploy/**/*.yaml', '**/x-*.yml'];
    const paths = [
      'score.yaml', 'a/score.yml', 'a/b/score.prod.yaml', 'a/.score.yaml', '.hidden/score.yaml', 'a/score.yaml.bak', 'kustomization.yaml', 'k/Kustomization', 'k/kustomization',
      'charts/x/Chart.yaml', 'Chart.yml', '.github/workflows/ci.yml', 'a/.github/workflows/ci.yaml', 'deploy/a/b.yaml', 'x/deploy/a.yaml', 'a/x-1.yml', '.x-1.yml', 'a/b/.yaml',
    ];
    for (const glob of globs) {
      const reference = picomatch(glob, { dot: true });
      const m = matcher(glob);
      for (const p of paths) assert.equal(m(p), reference(p), `${glob} on ${p}`);
    }
  });
});
