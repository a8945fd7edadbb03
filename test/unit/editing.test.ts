import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { complete, cursorContext, hover, quickFixes, subSchemas } from '../../src/core/editing';
import type { CompletionItem, EditingDocs, JSONSchema, QuickFix, SchemaNode, TextEdit } from '../../src/core/editing';
import { LineIndex } from '../../src/core/editing/text';
import type { Finding, FindingData } from '../../src/core/findings';
import { parseManifest } from '../../src/core/manifest';

// ---------------------------------------------------------------------------------------------
// helpers

/** Text with a `¦` marking the cursor → the text without it and the cursor position. */
function at(src: string): { text: string; position: { line: number; character: number } } {
  const i = src.indexOf('¦');
  assert.ok(i >= 0, 'test text needs a ¦ cursor');
  const text = src.slice(0, i) + src.slice(i + 1);
  const before = text.slice(0, i).split('\n');
  return { text, position: { line: before.length - 1, character: (before[before.length - 1] as string).length } };
}

function completeAt(schema: SchemaNode, src: string, docs?: EditingDocs): CompletionItem[] {
  return complete({ ...at(src), schema, ...(docs ? { docs } : {}) });
}

function labels(items: CompletionItem[], kind?: CompletionItem['kind']): string[] {
  return items.filter((i) => !kind || i.kind === kind).map((i) => i.label);
}

function item(items: CompletionItem[], label: string, kind?: CompletionItem['kind']): CompletionItem {
  const found = items.find((i) => i.label === label && (!kind || i.kind === kind));
  assert.ok(found, `no completion ${label}; got ${labels(items).join(', ')}`);
  return found;
}

/** A snippet as the text it inserts when every placeholder keeps its default (first choice, placeholder text, empty stop). */
function snippetText(snippet: string): string {
  let out = snippet;
  for (let i = 0; i < 5; i++) {
    out = out
      .replace(/\$\{\d+\|((?:\\.|[^,|\\])*)(?:,(?:\\.|[^|\\])*)*\|\}/g, '$1')
      .replace(/\$\{\d+:((?:\\.|[^}\\])*)\}/g, '$1')
      .replace(/\$\{\d+\}|\$\d+/g, '');
  }
  return out.replace(/\\([\\$},|])/g, '$1');
}

/** Inserts a completion the way VS Code does: replaces its range, re-indents following lines by the line's leading whitespace. */
function insert(text: string, position: { line: number; character: number }, it: CompletionItem, fill?: (s: string) => string): string {
  const li = new LineIndex(text);
  const range = it.range ?? { start: position, end: position };
  const start = li.offsetAt(range.start);
  const end = li.offsetAt(range.end);
  const lineText = li.line(range.start.line);
  const lead = /^\s*/.exec(lineText.slice(0, range.start.character))?.[0] ?? '';
  const body = (fill ?? snippetText)(it.insertText).split('\n').join(`\n${lead}`);
  return text.slice(0, start) + body + text.slice(end);
}

function applyEdits(text: string, edits: TextEdit[]): string {
  const li = new LineIndex(text);
  const sorted = [...edits].sort((a, b) => li.offsetAt(b.range.start) - li.offsetAt(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, li.offsetAt(e.range.start)) + e.newText + out.slice(li.offsetAt(e.range.end));
  return out;
}

function finding(ruleId: string, data: FindingData): Finding {
  return { ruleId, severity: 'error', message: ruleId, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, data };
}

/** Applies a fix and parses the result as the engine does (strict YAML 1.2); fails on any YAML error. */
function applyFix(text: string, fix: QuickFix | undefined): unknown {
  assert.ok(fix, 'expected a quick fix');
  const out = applyEdits(text, fix.edits);
  const parsed = parseManifest(out);
  assert.deepEqual(parsed.findings, [], `fix "${fix.title}" left invalid YAML:\n${out}`);
  return parsed.documents[0]?.value;
}

/** The value at a dotted path (`spec.containers.0.name`) of a parsed document. */
function dig(value: unknown, path = ''): unknown {
  let v = value;
  for (const seg of path ? path.split('.') : []) {
    if (Array.isArray(v)) v = v[Number(seg)];
    else if (v && typeof v === 'object') v = (v as Record<string, unknown>)[seg];
    else return undefined;
  }
  return v;
}

function keysOf(value: unknown): string[] {
  return value && typeof value === 'object' ? Object.keys(value) : [];
}

function fixed(text: string, fix: QuickFix | undefined): string {
  assert.ok(fix);
  return applyEdits(text, fix.edits);
}

// ---------------------------------------------------------------------------------------------
// schemas

const objectMeta: JSONSchema = {
  type: 'object',
  description: 'Standard object metadata.',
  properties: {
    name: { type: 'string', description: 'Name must be unique within a namespace.' },
    namespace: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

const deploymentDefinitions: Record<string, JSONSchema> = {
  ObjectMeta: objectMeta,
  DeploymentSpec: {
    type: 'object',
    required: ['selector', 'template'],
    properties: {
      replicas: { type: 'integer', default: 1, description: 'Number of desired pods.' },
      paused: { type: 'boolean', description: 'Indicates that the deployment is paused.' },
      selector: { $ref: '#/definitions/LabelSelector' },
      template: { $ref: '#/definitions/PodTemplateSpec' },
      strategy: {
        type: 'object',
        properties: {
          type: {
            type: 'string',
            title: 'Strategy type',
            enum: ['Recreate', 'RollingUpdate'],
            enumDescriptions: ['Kill all existing pods before creating new ones.', 'Replace the old pods by new ones gradually.'],
          },
        },
      },
      revisionHistoryLimit: { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^[0-9]+$' }] },
      minReadySeconds: { type: 'integer', deprecated: true, description: 'Old field.' },
      internal: { type: 'string', doNotSuggest: true },
    },
    additionalProperties: false,
  },
  LabelSelector: {
    type: 'object',
    properties: {
      matchLabels: { type: 'object', additionalProperties: { type: 'string' } },
      matchExpressions: { type: 'array', items: { type: 'object', properties: { key: { type: 'string' } } } },
    },
  },
  PodTemplateSpec: { type: 'object', properties: { metadata: { $ref: '#/definitions/ObjectMeta' }, spec: { $ref: '#/definitions/PodSpec' } } },
  PodSpec: {
    type: 'object',
    required: ['containers'],
    properties: {
      containers: { type: 'array', items: { $ref: '#/definitions/Container' } },
      restartPolicy: { type: 'string', enum: ['Always', 'OnFailure', 'Never'], default: 'Always' },
      hostNetwork: { type: 'boolean' },
      tree: { $ref: '#/definitions/Tree' },
      loop: { $ref: '#/definitions/Loop' },
    },
  },
  Container: {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string' },
      image: { type: 'string', description: 'Container image name.' },
      imagePullPolicy: { type: 'string', enum: ['Always', 'IfNotPresent', 'Never'] },
      args: { type: 'array', items: { type: 'string' } },
      ports: {
        type: 'array',
        items: {
          type: 'object',
          required: ['containerPort'],
          properties: { containerPort: { type: 'integer' }, protocol: { type: 'string', enum: ['TCP', 'UDP', 'SCTP'], default: 'TCP' } },
        },
      },
      tuple: { type: 'array', prefixItems: [{ type: 'string', enum: ['first'] }, { type: 'integer' }], items: { type: 'boolean' } },
      oldTuple: { type: 'array', items: [{ type: 'string', const: 'zero' }], additionalItems: { type: 'number' } },
    },
    additionalProperties: false,
  },
  // cycles: a recursive structure and a $ref to itself
  Tree: { type: 'object', properties: { label: { type: 'string' }, children: { type: 'array', items: { $ref: '#/definitions/Tree' } } } },
  Loop: { $ref: '#/definitions/Loop' },
};

const deployment: JSONSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Deployment',
  type: 'object',
  required: ['apiVersion', 'kind'],
  properties: {
    apiVersion: { type: 'string', const: 'apps/v1', description: 'The API version.' },
    kind: { type: 'string', const: 'Deployment', description: 'The kind of object.' },
    metadata: { $ref: '#/definitions/ObjectMeta', description: "Standard object's metadata." },
    spec: { $ref: '#/definitions/DeploymentSpec' },
  },
  additionalProperties: false,
  definitions: deploymentDefinitions,
};

/** Two kinds told apart by `kind`/`apiVersion`, in `oneOf` and `$defs`. */
const multiKind: JSONSchema = {
  oneOf: [{ $ref: '#/$defs/Deployment' }, { $ref: '#/$defs/Service' }],
  $defs: {
    Deployment: {
      type: 'object',
      required: ['apiVersion', 'kind'],
      properties: {
        apiVersion: { const: 'apps/v1' },
        kind: { const: 'Deployment' },
        metadata: { $ref: '#/definitions/ObjectMeta' },
        spec: { $ref: '#/definitions/DeploymentSpec' },
      },
    },
    Service: {
      type: 'object',
      required: ['apiVersion', 'kind'],
      properties: {
        apiVersion: { enum: ['v1'] },
        kind: { enum: ['Service'] },
        metadata: { $ref: '#/definitions/ObjectMeta' },
        spec: {
          type: 'object',
          properties: {
            type: { type: 'string', enum: ['ClusterIP', 'NodePort', 'LoadBalancer'], default: 'ClusterIP' },
            ports: { type: 'array', items: { type: 'object', properties: { port: { type: 'integer' } } } },
          },
        },
      },
    },
  },
  definitions: deploymentDefinitions,
};

/** Backstage-like: an Entity envelope and per-kind specs chosen with allOf + if/then on `kind`. */
const backstage: JSONSchema = {
  allOf: [
    { $ref: '#/definitions/Entity' },
    {
      if: { properties: { kind: { const: 'Component' } } },
      then: {
        properties: {
          apiVersion: { enum: ['backstage.io/v1alpha1', 'backstage.io/v1beta1'] },
          spec: { $ref: '#/definitions/ComponentSpec' },
        },
        required: ['spec'],
      },
    },
    {
      if: { properties: { kind: { const: 'API' } }, required: ['kind'] },
      then: { properties: { spec: { $ref: '#/definitions/ApiSpec' } } },
      else: { properties: { spec: { type: 'object' } } },
    },
  ],
  definitions: {
    Entity: {
      type: 'object',
      required: ['apiVersion', 'kind', 'metadata'],
      properties: {
        apiVersion: { type: 'string', examples: ['backstage.io/v1alpha1', 'my-company.net/v1'] },
        kind: { type: 'string', description: 'The high level entity type being described.', examples: ['Component', 'API', 'Group'] },
        metadata: { $ref: '#/definitions/EntityMeta' },
        spec: { type: 'object' },
      },
      additionalProperties: false,
    },
    EntityMeta: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string' },
        title: { type: 'string' },
        annotations: { type: 'object', additionalProperties: { type: 'string' } },
        tags: { type: 'array', items: { type: 'string' } },
      },
    },
    ComponentSpec: {
      type: 'object',
      required: ['type', 'lifecycle', 'owner'],
      properties: {
        type: { type: 'string', description: 'The type of component.', examples: ['service', 'website', 'library'] },
        lifecycle: { type: 'string', description: 'The lifecycle state of the component.', minLength: 1, examples: ['experimental', 'production', 'deprecated'] },
        owner: { type: 'string', markdownDescription: 'An **entity reference** to the owner.' },
        system: { type: 'string' },
      },
    },
    ApiSpec: {
      type: 'object',
      required: ['type', 'definition'],
      properties: {
        type: { type: 'string', enum: ['openapi', 'asyncapi', 'graphql', 'grpc'] },
        definition: { type: 'string' },
      },
    },
  },
};

const docs: EditingDocs = {
  kindUrl: 'https://example.com/reference/deployment',
  annotations: {
    'backstage.io/techdocs-ref': { description: 'Where TechDocs finds the documentation.', url: 'https://backstage.io/docs/techdocs' },
    'github.com/project-slug': { description: 'The `owner/repository` on GitHub.' },
  },
};

// ---------------------------------------------------------------------------------------------

describe('editing: subSchemas', () => {
  it('follows $ref, properties, additionalProperties and items', () => {
    const spec = subSchemas(deployment, ['spec']);
    assert.ok(spec.some((s) => s.properties && 'replicas' in s.properties));
    const labels = subSchemas(deployment, ['metadata', 'labels', 'app']);
    assert.deepEqual(labels.map((s) => s.type), ['string']);
    const image = subSchemas(deployment, ['spec', 'template', 'spec', 'containers', 3, 'image']);
    assert.equal(image[0]?.description, 'Container image name.');
  });

  it('reads tuples in both forms (prefixItems / items array + additionalItems)', () => {
    const base = ['spec', 'template', 'spec', 'containers', 0];
    assert.deepEqual(subSchemas(deployment, [...base, 'tuple', 0])[0]?.enum, ['first']);
    assert.equal(subSchemas(deployment, [...base, 'tuple', 1])[0]?.type, 'integer');
    assert.equal(subSchemas(deployment, [...base, 'tuple', 5])[0]?.type, 'boolean');
    assert.equal(subSchemas(deployment, [...base, 'oldTuple', 0])[0]?.const, 'zero');
    assert.equal(subSchemas(deployment, [...base, 'oldTuple', 2])[0]?.type, 'number');
  });

  it('merges allOf and picks the anyOf/oneOf branch the value matches by kind', () => {
    const service = subSchemas(multiKind, ['spec'], { apiVersion: 'v1', kind: 'Service' });
    const props = service.flatMap((s) => Object.keys(s.properties ?? {}));
    assert.ok(props.includes('type') && !props.includes('replicas'));
    const dep = subSchemas(multiKind, ['spec'], { kind: 'Deployment' });
    assert.ok(dep.flatMap((s) => Object.keys(s.properties ?? {})).includes('replicas'));
    // undecided: both branches
    const both = subSchemas(multiKind, ['spec']).flatMap((s) => Object.keys(s.properties ?? {}));
    assert.ok(both.includes('replicas') && both.includes('type'));
    // a value no branch accepts: all branches rather than none
    assert.ok(subSchemas(multiKind, ['spec'], { kind: 'Pod' }).length >= 2);
    // anyOf by type
    const rhl = subSchemas(deployment, ['spec', 'revisionHistoryLimit'], { spec: { revisionHistoryLimit: 'x' } });
    assert.deepEqual(rhl.map((s) => s.type).filter(Boolean), ['string']);
  });

  it('evaluates if/then/else against the value', () => {
    const component = subSchemas(backstage, ['spec'], { kind: 'Component' }).flatMap((s) => Object.keys(s.properties ?? {}));
    assert.ok(component.includes('lifecycle') && !component.includes('definition'));
    const api = subSchemas(backstage, ['spec'], { kind: 'API' }).flatMap((s) => Object.keys(s.properties ?? {}));
    assert.ok(api.includes('definition') && !api.includes('lifecycle'));
    // `required: [kind]` in the `if`: no kind means the else branch
    const none = subSchemas(backstage, ['spec'], {}).flatMap((s) => Object.keys(s.properties ?? {}));
    assert.ok(!none.includes('definition'));
  });

  it('survives $ref cycles and dangling references', () => {
    assert.deepEqual(subSchemas(deployment, ['spec', 'template', 'spec', 'loop']), []);
    const deep = subSchemas(deployment, ['spec', 'template', 'spec', 'tree', 'children', 0, 'children', 1, 'label']);
    assert.equal(deep[0]?.type, 'string');
    assert.deepEqual(subSchemas({ $ref: '#/definitions/missing' }, ['a']), []);
    assert.deepEqual(subSchemas({ $ref: 'https://example.com/remote.json' }, []), []);
    assert.deepEqual(subSchemas(true, []), [{}]);
    assert.deepEqual(subSchemas(false, []), []);
    // keys no keyword describes get no schema (rather than "anything")
    assert.deepEqual(subSchemas(true, ['a', 0]), []);
  });
});

describe('editing: cursor context of incomplete YAML', () => {
  const ctx = (src: string) => cursorContext(at(src).text, at(src).position);

  it('reads a word under a key as a key being typed, not as the key’s value', () => {
    const c = ctx('spec:\n  repl¦');
    assert.deepEqual(c?.objectPath, ['spec']);
    assert.equal(c?.prefix, 'repl');
    assert.deepEqual(c?.range, { start: { line: 1, character: 2 }, end: { line: 1, character: 6 } });
  });

  it('finds the mapping by indentation, counting keys below the cursor as present', () => {
    const c = ctx('spec:\n  replicas: 1\n  ¦\n  template: {}\nkind: Deployment\n');
    assert.deepEqual(c?.objectPath, ['spec']);
    assert.deepEqual([...(c?.presentKeys ?? [])].sort(), ['replicas', 'template']);
    assert.deepEqual(c?.value, { spec: { replicas: 1, template: {} }, kind: 'Deployment' });
  });

  it('handles list items, zero-indented lists and nested lists', () => {
    assert.deepEqual(ctx('a:\n  - x: 1\n    ¦')?.objectPath, ['a', 0]);
    assert.deepEqual(ctx('a:\n- x: 1\n- ¦')?.valuePath, ['a', 1]);
    assert.deepEqual(ctx('a:\n- x: 1\n¦')?.objectPath, []);
    assert.deepEqual(ctx('a:\n  - - ¦')?.valuePath, ['a', 0, 0]);
  });

  it('reads flow collections over several lines', () => {
    assert.deepEqual(ctx('m: {a: 1, b: {c: ¦}}')?.valuePath, ['m', 'b', 'c']);
    const c = ctx('m:\n  l: {\n    a: b,\n    ¦\n  }\nspec: 1');
    assert.deepEqual(c?.objectPath, ['m', 'l']);
    assert.deepEqual([...(c?.presentKeys ?? [])], ['a']);
    assert.deepEqual(ctx('args: [a, "b", ¦]')?.valuePath, ['args', 2]);
  });

  it('has nothing to say inside comments, block scalars and document markers', () => {
    assert.equal(ctx('a: 1 # comm¦ent'), undefined);
    assert.equal(ctx('script: |\n  echo ¦\nnext: 1'), undefined);
    assert.equal(ctx('--¦-\na: 1'), undefined);
    assert.ok(ctx('script: |\n  echo\n¦'));
  });
});

describe('editing: completion', () => {
  it('completes the root keys of an empty document, required first, with docs and reference link', () => {
    const items = completeAt(deployment, '¦', docs);
    for (const l of ['apiVersion', 'kind', 'metadata', 'spec']) item(items, l, 'property');
    const sorted = items.filter((i) => i.kind === 'property').sort((a, b) => a.sortText.localeCompare(b.sortText));
    assert.deepEqual(sorted.slice(0, 2).map((i) => i.label).sort(), ['apiVersion', 'kind']);
    assert.equal(item(items, 'kind').required, true);
    assert.equal(item(items, 'kind').insertText, 'kind: Deployment');
    assert.match(item(items, 'kind').documentation ?? '', /The kind of object[\s\S]*\[Reference\]\(https:\/\/example\.com\/reference\/deployment\)/);
    assert.match(item(items, 'metadata').documentation ?? '', /Standard object's metadata/);
  });

  it('offers a skeleton snippet for the kind in an empty document that parses to a valid manifest', () => {
    const { text, position } = at('¦');
    const items = complete({ text, position, schema: deployment });
    const snippet = item(items, 'Deployment', 'snippet');
    assert.match(snippet.insertText, /\$\{1:name\}/);
    assert.match(snippet.insertText, /matchLabels:\n\s+app: \$\{1\}/);
    const value: unknown = parse(insert(text, position, snippet, (s) => snippetText(s.replace(/\$\{1(:name)?\}/g, 'web'))));
    assert.deepEqual(value, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: null, image: null }] } },
      },
    });
  });

  it('offers one skeleton per kind of a multi-kind schema, and per if/then kind', () => {
    assert.deepEqual(labels(completeAt(multiKind, '¦'), 'snippet').sort(), ['Deployment', 'Service']);
    const bs = completeAt(backstage, '# catalog entity\n¦\n');
    const component = item(bs, 'Component', 'snippet');
    assert.match(component.insertText, /apiVersion: \$\{1\|backstage\.io\/v1alpha1,backstage\.io\/v1beta1\|\}/);
    const value: unknown = parse(snippetText(component.insertText));
    assert.equal(dig(value, 'kind'), 'Component');
    assert.deepEqual(keysOf(dig(value, 'spec')).sort(), ['lifecycle', 'owner', 'type']);
    assert.deepEqual(dig(value, 'metadata'), { name: 'name' });
    item(bs, 'API', 'snippet');
  });

  it('completes keys nested under a key while the line is still incomplete', () => {
    const items = completeAt(deployment, 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  repl¦');
    const replicas = item(items, 'replicas');
    assert.equal(replicas.insertText, 'replicas: ${1:1}');
    assert.deepEqual(replicas.range, { start: { line: 3, character: 2 }, end: { line: 3, character: 6 } });
    assert.match(replicas.documentation ?? '', /Number of desired pods[\s\S]*Type: `integer`[\s\S]*Default: `1`/);
    assert.equal(item(items, 'selector').required, true);
    assert.equal(item(items, 'selector').insertText, 'selector:\n  matchLabels:\n    ${1}');
    assert.equal(item(items, 'paused').insertText, 'paused: ${1|true,false|}');
    assert.equal(item(items, 'strategy').insertText, 'strategy:\n  ${1}');
    assert.equal(item(items, 'minReadySeconds').deprecated, true);
    assert.ok(item(items, 'minReadySeconds').sortText > item(items, 'replicas').sortText);
    assert.ok(!labels(items).includes('internal'), 'doNotSuggest is honoured');
    // required before optional
    assert.ok(item(items, 'selector').sortText < item(items, 'replicas').sortText);
  });

  it('leaves out keys already in the mapping, above and below the cursor', () => {
    const items = completeAt(deployment, 'spec:\n  replicas: 2\n  ¦\n  paused: true\n');
    assert.ok(!labels(items).includes('replicas'));
    assert.ok(!labels(items).includes('paused'));
    item(items, 'selector');
  });

  it('completes the keys of list items, with nested lines indented under the key', () => {
    const src = 'spec:\n  template:\n    spec:\n      containers:\n        - ¦';
    const items = completeAt(deployment, src);
    assert.equal(item(items, 'name').required, true);
    const ports = item(items, 'ports');
    assert.equal(ports.insertText, 'ports:\n    - containerPort: ${1}');
    const { text, position } = at(src);
    const value: unknown = parse(insert(text, position, ports, (s) => snippetText(s).replace(/containerPort: $/m, 'containerPort: 80')));
    assert.deepEqual(dig(value, 'spec.template.spec.containers'), [{ ports: [{ containerPort: 80 }] }]);
    const second = completeAt(deployment, 'spec:\n  template:\n    spec:\n      containers:\n        - name: a\n          ¦\n        - name: b\n');
    assert.ok(!labels(second).includes('name'));
    item(second, 'image');
  });

  it('offers the items of a list that is not started yet after a dash', () => {
    const src = 'spec:\n  template:\n    spec:\n      containers:\n        ¦';
    const items = completeAt(deployment, src);
    const name = item(items, 'name');
    assert.equal(name.insertText, '- name: ${1}');
    const ports = item(items, 'ports');
    const { text, position } = at(src);
    const value: unknown = parse(insert(text, position, ports, (s) => snippetText(s).replace(/containerPort: $/m, 'containerPort: 8080')));
    assert.deepEqual(dig(value, 'spec.template.spec.containers'), [{ ports: [{ containerPort: 8080 }] }]);
  });

  it('only inserts the key when a colon already follows it', () => {
    const items = completeAt(deployment, 'spec:\n  repl¦icas: 3\n');
    const r = item(items, 'replicas');
    assert.equal(r.insertText, 'replicas');
    assert.deepEqual(r.range, { start: { line: 1, character: 2 }, end: { line: 1, character: 10 } });
  });

  it('completes keys inside flow mappings, inline', () => {
    const items = completeAt(deployment, 'metadata: {name: web, ¦}');
    assert.ok(!labels(items).includes('name'));
    assert.equal(item(items, 'labels').insertText, 'labels: {${1}}');
    assert.equal(item(items, 'namespace').insertText, 'namespace: ${1}');
    assert.equal(labels(items, 'snippet').length, 0, 'no block snippets inside a flow mapping');
    const spec = completeAt(deployment, 'spec: {template: {spec: {rest¦}}}');
    assert.equal(item(spec, 'restartPolicy').insertText, 'restartPolicy: ${1|Always,OnFailure,Never|}');
  });

  it('completes enum values with their descriptions, and quoted values in the same quotes', () => {
    const items = completeAt(deployment, 'spec:\n  strategy:\n    type: ¦');
    assert.deepEqual(labels(items), ['Recreate', 'RollingUpdate']);
    assert.match(item(items, 'RollingUpdate').documentation ?? '', /gradually/);
    const quoted = completeAt(deployment, 'spec:\n  strategy:\n    type: "Rol¦"');
    const r = item(quoted, 'RollingUpdate');
    assert.equal(r.insertText, '"RollingUpdate"');
    assert.deepEqual(r.range, { start: { line: 2, character: 10 }, end: { line: 2, character: 15 } });
    const flow = completeAt(deployment, 'spec: {strategy: {type: ¦}}');
    assert.deepEqual(labels(flow), ['Recreate', 'RollingUpdate']);
  });

  it('completes booleans, defaults and const values, with a space after a bare colon', () => {
    assert.deepEqual(labels(completeAt(deployment, 'spec:\n  paused: ¦')), ['true', 'false']);
    assert.equal(item(completeAt(deployment, 'spec:\n  paused:¦'), 'true').insertText, ' true');
    const replicas = item(completeAt(deployment, 'spec:\n  replicas: ¦'), '1');
    assert.equal(replicas.detail, 'default');
    const restart = completeAt(deployment, 'spec:\n  template:\n    spec:\n      restartPolicy: ¦');
    assert.equal(restart[0]?.label, 'Always');
    assert.deepEqual(labels(completeAt(deployment, 'kind: ¦')), ['Deployment']);
    assert.deepEqual(labels(completeAt(multiKind, 'kind: ¦')).sort(), ['Deployment', 'Service']);
    assert.deepEqual(labels(completeAt(multiKind, 'kind: Service\nspec:\n  type: ¦')), ['ClusterIP', 'NodePort', 'LoadBalancer']);
  });

  it('suggests examples as values (Backstage lifecycle) and picks the spec by kind', () => {
    const items = completeAt(backstage, 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\nspec:\n  lifecycle: ¦');
    assert.deepEqual(labels(items), ['experimental', 'production', 'deprecated']);
    const spec = completeAt(backstage, 'kind: Component\nspec:\n  ¦');
    assert.ok(labels(spec).includes('lifecycle') && !labels(spec).includes('definition'));
    assert.match(item(spec, 'owner').documentation ?? '', /\*\*entity reference\*\*/);
    const api = completeAt(backstage, 'kind: API\nspec:\n  type: ¦');
    assert.deepEqual(labels(api), ['openapi', 'asyncapi', 'graphql', 'grpc']);
    // kind written below the cursor counts too
    assert.deepEqual(labels(completeAt(backstage, 'spec:\n  type: ¦\nkind: API\n')), ['openapi', 'asyncapi', 'graphql', 'grpc']);
    // values the schema fixes, with examples of other parts of allOf filtered out
    assert.deepEqual(labels(completeAt(backstage, 'kind: Component\napiVersion: ¦')), ['backstage.io/v1alpha1', 'backstage.io/v1beta1']);
  });

  it('offers a snippet with the missing required properties of a mapping', () => {
    const src = 'spec:\n  replicas: 2\n  ¦';
    const items = completeAt(deployment, src);
    const snippet = item(items, 'required properties', 'snippet');
    assert.equal(snippet.detail, 'selector, template');
    const { text, position } = at(src);
    const value: unknown = parse(insert(text, position, snippet));
    assert.deepEqual(keysOf(dig(value, 'spec')), ['replicas', 'selector', 'template']);
    assert.deepEqual(dig(value, 'spec.template.spec.containers'), [{ name: null, image: null }]);
    // nothing missing: no snippet
    assert.equal(labels(completeAt(deployment, 'spec:\n  selector: {}\n  template: {}\n  ¦'), 'snippet').length, 0);
  });

  it('completes well-known annotation keys inside metadata.annotations', () => {
    const items = completeAt(backstage, 'metadata:\n  name: x\n  annotations:\n    github.com/project-slug: a/b\n    ¦', docs);
    const techdocs = item(items, 'backstage.io/techdocs-ref');
    assert.equal(techdocs.insertText, 'backstage.io/techdocs-ref: ${1}');
    assert.match(techdocs.documentation ?? '', /TechDocs[\s\S]*\[Documentation\]\(https:\/\/backstage\.io\/docs\/techdocs\)/);
    assert.ok(!labels(items).includes('github.com/project-slug'));
    assert.deepEqual(completeAt(backstage, 'metadata:\n  annotations:\n    ¦'), [], 'no docs, nothing to offer');
  });

  it('indents continuation lines of snippets for list items under the key, not the dash', () => {
    const src = 'spec:\n  template:\n    spec:\n      containers:\n        - name: a\n          ports:\n            - ¦';
    const items = completeAt(deployment, src);
    assert.equal(item(items, 'protocol').insertText, 'protocol: ${1|TCP,UDP,SCTP|}');
    const nested = 'spec:\n  template:\n    spec:\n      containers:\n        - ¦';
    const { text, position } = at(nested);
    const doc: unknown = parse(insert(text, position, item(completeAt(deployment, nested), 'ports')));
    assert.deepEqual(dig(doc, 'spec.template.spec.containers.0'), { ports: [{ containerPort: null }] });
  });
});

describe('editing: hover', () => {
  const hoverAt = (schema: SchemaNode, src: string, d?: EditingDocs) => hover({ ...at(src), schema, ...(d ? { docs: d } : {}) });

  it('documents the key under the cursor with its range', () => {
    const h = hoverAt(deployment, 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  repl¦icas: 3\n');
    assert.ok(h);
    assert.match(h.markdown, /Number of desired pods[\s\S]*Type: `integer`[\s\S]*Default: `1`/);
    assert.deepEqual(h.range, { start: { line: 3, character: 2 }, end: { line: 3, character: 10 } });
    assert.doesNotMatch(h.markdown, /Reference documentation/);
  });

  it('documents a value with its allowed values and the value’s own description', () => {
    const h = hoverAt(deployment, 'spec:\n  strategy:\n    type: Rolling¦Update\n');
    assert.ok(h);
    assert.match(h.markdown, /\*\*Strategy type\*\*/);
    assert.match(h.markdown, /Allowed values: `Recreate`, `RollingUpdate`/);
    assert.match(h.markdown, /`RollingUpdate`: Replace the old pods/);
    assert.deepEqual(h.range, { start: { line: 2, character: 10 }, end: { line: 2, character: 23 } });
  });

  it('links the reference documentation on apiVersion, kind and top-level keys', () => {
    for (const src of ['api¦Version: apps/v1\n', 'kind: Deploy¦ment\n', 'meta¦data:\n  name: a\n']) {
      const h = hoverAt(deployment, src, docs);
      assert.match(h?.markdown ?? '', /\[Reference documentation\]\(https:\/\/example\.com\/reference\/deployment\)/, src);
    }
    assert.match(hoverAt(deployment, 'kind: Deploy¦ment\n', docs)?.markdown ?? '', /Value: `Deployment`/);
  });

  it('documents well-known annotations', () => {
    const h = hoverAt(backstage, 'metadata:\n  annotations:\n    backstage.io/tech¦docs-ref: dir:.\n', docs);
    assert.ok(h);
    assert.match(h.markdown, /\*\*backstage\.io\/techdocs-ref\*\*[\s\S]*TechDocs finds[\s\S]*\[Documentation\]/);
    assert.deepEqual(h.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 29 } });
  });

  it('documents properties of list items, flow mappings, and the spec chosen by kind', () => {
    assert.match(hoverAt(deployment, 'spec:\n  template:\n    spec:\n      containers:\n        - name: a\n          ima¦ge: x\n')?.markdown ?? '', /Container image name/);
    assert.match(hoverAt(deployment, 'metadata: {na¦me: a}')?.markdown ?? '', /Name must be unique/);
    assert.match(hoverAt(backstage, 'kind: Component\nspec:\n  life¦cycle: production\n')?.markdown ?? '', /lifecycle state[\s\S]*Examples: `experimental`/);
  });

  it('still finds the key in a document that does not parse', () => {
    const h = hoverAt(deployment, 'spec:\n  repl¦icas: 3\n  sel\n  template: {\n');
    assert.match(h?.markdown ?? '', /Number of desired pods/);
  });

  it('has nothing for unknown keys, blank space and comments', () => {
    assert.equal(hoverAt(deployment, 'spec:\n  bogu¦s: 1\n'), undefined);
    assert.equal(hoverAt(deployment, 'spec:\n  replicas: 1\n¦\n'), undefined);
    assert.equal(hoverAt(deployment, '# a comm¦ent\n'), undefined);
  });
});

describe('editing: quick fixes', () => {
  const fixes = (text: string, ruleId: string, data: FindingData, schema: SchemaNode | undefined = deployment) => quickFixes({ text, finding: finding(ruleId, data), ...(schema !== undefined ? { schema } : {}) });

  describe('schema/required', () => {
    it('adds the property at the end of a block mapping with the mapping’s indentation', () => {
      const text = 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 1 # one\n  template:\n    spec:\n      containers: []\n';
      const [fix] = fixes(text, 'schema/required', { path: ['spec'], property: 'selector' });
      assert.equal(fix?.title, "Add missing property 'selector'");
      assert.equal(fix?.isPreferred, true);
      const value = applyFix(text, fix);
      assert.deepEqual(dig(value, 'spec.selector'), {});
      assert.match(fixed(text, fix), /\n {6}containers: \[\]\n {2}selector: \{\}\n$/);
    });

    it('adds a nested required skeleton for objects and lists of objects', () => {
      const text = 'kind: Deployment\nspec:\n  template:\n    spec:\n      hostNetwork: true\n';
      const value = applyFix(text, fixes(text, 'schema/required', { path: ['spec', 'template', 'spec'], property: 'containers' })[0]);
      assert.deepEqual(dig(value, 'spec.template.spec.containers'), [{ name: '' }]);
      const t2 = 'spec:\n  replicas: 1\n';
      const v2 = applyFix(t2, fixes(t2, 'schema/required', { path: ['spec'], property: 'template' })[0]);
      assert.deepEqual(dig(v2, 'spec.template'), {});
      const v3 = applyFix(t2, fixes(t2, 'schema/required', { path: [], property: 'kind' })[0]);
      assert.equal(dig(v3, 'kind'), 'Deployment');
    });

    it('uses placeholders from the schema: default, enum, type', () => {
      const schema: JSONSchema = {
        type: 'object',
        required: ['s', 'n', 'b', 'e', 'd', 'a', 'o', 'x'],
        properties: {
          s: { type: 'string' },
          n: { type: 'integer' },
          b: { type: 'boolean' },
          e: { enum: ['yes', 'no'] },
          d: { type: 'string', default: 'on' },
          a: { type: 'array' },
          o: { type: 'object' },
        },
      };
      const expected: Record<string, unknown> = { s: '', n: 0, b: false, e: 'yes', d: 'on', a: [], o: {}, x: '' };
      for (const [prop, want] of Object.entries(expected)) {
        const text = 'keep: 1\n';
        const value = applyFix(text, fixes(text, 'schema/required', { path: [], property: prop }, schema)[0]) as Record<string, unknown>;
        assert.deepEqual(value[prop], want, prop);
      }
      // YAML 1.1 booleans come quoted so that Kubernetes reads strings
      const text = 'keep: 1\n';
      assert.match(fixed(text, fixes(text, 'schema/required', { path: [], property: 'e' }, schema)[0]), /e: "yes"/);
      // without a schema: an empty string
      assert.deepEqual(applyFix(text, fixes(text, 'schema/required', { path: [], property: 'z' }, undefined)[0]), { keep: 1, z: '' });
    });

    it('adds to a list item mapping under its first key', () => {
      const text = 'spec:\n  template:\n    spec:\n      containers:\n        - image: nginx # web\n          args: [a]\n        - name: b\n';
      const fix = fixes(text, 'schema/required', { path: ['spec', 'template', 'spec', 'containers', 0], property: 'name' })[0];
      const value = applyFix(text, fix);
      assert.deepEqual(dig(value, 'spec.template.spec.containers'), [{ image: 'nginx', args: ['a'], name: '' }, { name: 'b' }]);
      assert.match(fixed(text, fix), /\n {10}args: \[a\]\n {10}name: ""\n/);
    });

    it('fills an empty flow mapping `{}` in block style', () => {
      const text = 'spec:\n  selector: {} # none yet\n  template:\n    spec: {}\n';
      const value = applyFix(text, fixes(text, 'schema/required', { path: ['spec', 'template', 'spec'], property: 'containers' })[0]);
      assert.deepEqual(dig(value, 'spec.template.spec'), { containers: [{ name: '' }] });
      const item = 'spec:\n  template:\n    spec:\n      containers:\n        - {}\n';
      const v2 = applyFix(item, fixes(item, 'schema/required', { path: ['spec', 'template', 'spec', 'containers', 0], property: 'name' })[0]);
      assert.deepEqual(dig(v2, 'spec.template.spec.containers'), [{ name: '' }]);
      const root = '{}\n';
      assert.deepEqual(applyFix(root, fixes(root, 'schema/required', { path: [], property: 'kind' })[0]), { kind: 'Deployment' });
      const nested = 'spec: {template: {spec: {}}}\n';
      const v3 = applyFix(nested, fixes(nested, 'schema/required', { path: ['spec', 'template', 'spec'], property: 'containers' })[0]);
      assert.deepEqual(dig(v3, 'spec.template.spec'), { containers: [{ name: '' }] });
    });

    it('inserts `, x: …` inside a flow mapping', () => {
      const text = 'spec:\n  template:\n    spec:\n      containers:\n        - {image: nginx, args: [a, b]}\n';
      const fix = fixes(text, 'schema/required', { path: ['spec', 'template', 'spec', 'containers', 0], property: 'name' })[0];
      assert.match(fixed(text, fix), /- \{image: nginx, args: \[a, b\], name: ""\}/);
      const value = applyFix(text, fix);
      assert.deepEqual(dig(value, 'spec.template.spec.containers.0'), { image: 'nginx', args: ['a', 'b'], name: '' });
      const multi = 'metadata: {\n  name: a,\n}\nspec:\n  selector: {matchLabels: {app: a}}\n';
      const v2 = applyFix(multi, fixes(multi, 'schema/required', { path: ['spec'], property: 'template' })[0]);
      assert.deepEqual(dig(v2, 'spec.template'), {});
    });

    it('fills a key with no value yet', () => {
      const text = 'spec:\n  template:\n    spec:\n';
      const value = applyFix(text, fixes(text, 'schema/required', { path: ['spec', 'template', 'spec'], property: 'containers' })[0]);
      assert.deepEqual(dig(value, 'spec.template.spec'), { containers: [{ name: '' }] });
    });

    it('keeps CRLF line ends', () => {
      const text = 'spec:\r\n  replicas: 1\r\n';
      const fix = fixes(text, 'schema/required', { path: ['spec'], property: 'selector' })[0];
      assert.equal(fixed(text, fix), 'spec:\r\n  replicas: 1\r\n  selector: {}\r\n');
    });
  });

  describe('schema/enum and schema/const', () => {
    it('changes to the closest value (preferred) and offers each allowed value, keeping quotes', () => {
      const text = 'spec:\n  template:\n    spec:\n      containers:\n        - name: a\n          imagePullPolicy: "Allways"\n';
      const path = ['spec', 'template', 'spec', 'containers', 0, 'imagePullPolicy'];
      const list = fixes(text, 'schema/enum', { path, allowed: ['Always', 'IfNotPresent', 'Never'], suggestion: 'Always' });
      assert.deepEqual(list.map((f) => f.title), ["Change to 'Always'", "Change to 'IfNotPresent'", "Change to 'Never'"]);
      assert.equal(list[0]?.isPreferred, true);
      assert.equal(list[1]?.isPreferred, undefined);
      assert.match(fixed(text, list[0]), /imagePullPolicy: "Always"\n/);
      for (const [i, want] of ['Always', 'IfNotPresent', 'Never'].entries()) {
        assert.equal(dig(applyFix(text, list[i]), 'spec.template.spec.containers.0.imagePullPolicy'), want);
      }
      const single = "spec:\n  strategy:\n    type: 'recreate'\n";
      const s = fixes(single, 'schema/enum', { path: ['spec', 'strategy', 'type'], allowed: ['Recreate', 'RollingUpdate'], suggestion: 'Recreate' });
      assert.match(fixed(single, s[0]), /type: 'Recreate'/);
    });

    it('offers no per-value fixes beyond five values, and reads allowed values from the schema when the finding has none', () => {
      const many = Array.from({ length: 8 }, (_, i) => `v${i}`);
      const text = 'a: v9\n';
      assert.deepEqual(fixes(text, 'schema/enum', { path: ['a'], allowed: many, suggestion: 'v1' }).map((f) => f.title), ["Change to 'v1'"]);
      assert.equal(fixes(text, 'schema/enum', { path: ['a'], allowed: many }).length, 0);
      const fromSchema = fixes('spec:\n  strategy:\n    type: Rolling\n', 'schema/enum', { path: ['spec', 'strategy', 'type'] });
      assert.deepEqual(fromSchema.map((f) => f.title), ["Change to 'Recreate'", "Change to 'RollingUpdate'"]);
    });

    it('writes values that need quoting quoted, and non-strings plain', () => {
      const text = 'a: maybe\nb: [x, bad]\nc: "1"\n';
      assert.deepEqual(dig(applyFix(text, fixes(text, 'schema/enum', { path: ['a'], allowed: ['yes', 'no'] })[0]), 'a'), 'yes');
      assert.match(fixed(text, fixes(text, 'schema/enum', { path: ['a'], allowed: ['yes', 'no'] })[0]), /^a: "yes"$/m);
      assert.deepEqual(dig(applyFix(text, fixes(text, 'schema/enum', { path: ['b', 1], allowed: ['a, b'] })[0]), 'b'), ['x', 'a, b']);
      assert.deepEqual(dig(applyFix(text, fixes(text, 'schema/const', { path: ['c'], allowed: [1] })[0]), 'c'), 1);
      const empty = 'kind:\nx: 1\n';
      assert.deepEqual(applyFix(empty, fixes(empty, 'schema/const', { path: ['kind'], allowed: ['Deployment'] })[0]), { kind: 'Deployment', x: 1 });
    });
  });

  describe('schema/additionalProperties', () => {
    it('removes the key with its whole block and the comments inside it, keeping the neighbours', () => {
      const text = 'spec:\n  replicas: 1\n  extra:\n    a: 1\n    # inside\n    b:\n      - x\n  # about paused\n  paused: true\n';
      const list = fixes(text, 'schema/additionalProperties', { path: ['spec', 'extra'], property: 'extra' });
      assert.deepEqual(list.map((f) => f.title), ["Remove unknown property 'extra'"]);
      assert.equal(fixed(text, list[0]), 'spec:\n  replicas: 1\n  # about paused\n  paused: true\n');
      assert.deepEqual(applyFix(text, list[0]), { spec: { replicas: 1, paused: true } });
    });

    it('renames to the suggestion (preferred), replacing just the key', () => {
      const text = 'spec:\n  replicaz: 3 # three\n';
      const list = fixes(text, 'schema/additionalProperties', { path: ['spec', 'replicaz'], property: 'replicaz', suggestion: 'replicas' });
      assert.deepEqual(list.map((f) => [f.title, f.isPreferred]), [["Rename to 'replicas'", true], ["Remove unknown property 'replicaz'", undefined]]);
      assert.equal(fixed(text, list[0]), 'spec:\n  replicas: 3 # three\n');
      assert.deepEqual(applyFix(text, list[1]), { spec: {} });
      assert.equal(fixed(text, list[1]), 'spec: {}\n');
      // the suggested key is there already: renaming would duplicate it
      const dup = 'spec:\n  replicas: 1\n  replicaz: 3\n';
      assert.deepEqual(fixes(dup, 'schema/additionalProperties', { path: ['spec', 'replicaz'], property: 'replicaz', suggestion: 'replicas' }).map((f) => f.title), ["Remove unknown property 'replicaz'"]);
    });

    it('removes the first key of a list item and keeps the item', () => {
      const text = 'containers:\n  - nmae: a\n    image: b\n  - name: c\n';
      const list = fixes(text, 'schema/additionalProperties', { path: ['containers', 0, 'nmae'], property: 'nmae', suggestion: 'name' });
      assert.deepEqual(applyFix(text, list[0]), { containers: [{ name: 'a', image: 'b' }, { name: 'c' }] });
      assert.deepEqual(applyFix(text, list[1]), { containers: [{ image: 'b' }, { name: 'c' }] });
      const only = 'containers:\n  - nmae: a\n';
      assert.deepEqual(applyFix(only, fixes(only, 'schema/additionalProperties', { path: ['containers', 0, 'nmae'], property: 'nmae' })[0]), { containers: [{}] });
    });

    it('removes keys from flow mappings and at the end of the text', () => {
      const flow = 'm: {a: 1, bad: {x: 2}, c: 3}\nn: {bad: 1, c: 2}\no: {bad: 1}\n';
      assert.deepEqual(dig(applyFix(flow, fixes(flow, 'schema/additionalProperties', { path: ['m', 'bad'], property: 'bad' })[0]), 'm'), { a: 1, c: 3 });
      assert.deepEqual(dig(applyFix(flow, fixes(flow, 'schema/additionalProperties', { path: ['n', 'bad'], property: 'bad' })[0]), 'n'), { c: 2 });
      assert.deepEqual(dig(applyFix(flow, fixes(flow, 'schema/additionalProperties', { path: ['o', 'bad'], property: 'bad' })[0]), 'o'), {});
      const last = 'a: 1\nbad:\n  x: 1';
      const fix = fixes(last, 'schema/additionalProperties', { path: ['bad'], property: 'bad' })[0];
      assert.equal(fixed(last, fix), 'a: 1');
      const onlyRoot = 'bad: 1\n';
      assert.deepEqual(applyFix(onlyRoot, fixes(onlyRoot, 'schema/additionalProperties', { path: ['bad'], property: 'bad' })[0]), {});
      const quotedKey = 'spec:\n  "replicaz": 1\n';
      assert.equal(fixed(quotedKey, fixes(quotedKey, 'schema/additionalProperties', { path: ['spec', 'replicaz'], property: 'replicaz', suggestion: 'replicas' })[0]), 'spec:\n  "replicas": 1\n');
    });
  });

  describe('yaml/yaml11-boolean', () => {
    it('quotes the scalar as written', () => {
      const text = 'metadata:\n  labels:\n    enabled: Yes # keep\n    list: [on, off]\n';
      const [fix] = fixes(text, 'yaml/yaml11-boolean', { path: ['metadata', 'labels', 'enabled'] }, undefined);
      assert.equal(fix?.title, "Quote 'Yes' so Kubernetes reads a string");
      assert.equal(fixed(text, fix), 'metadata:\n  labels:\n    enabled: "Yes" # keep\n    list: [on, off]\n');
      const [inList] = fixes(text, 'yaml/yaml11-boolean', { path: ['metadata', 'labels', 'list', 1] }, undefined);
      assert.deepEqual(dig(applyFix(text, inList), 'metadata.labels.list'), ['on', 'off']);
      assert.match(fixed(text, inList), /\[on, "off"\]/);
    });

    it('finds the value from the finding range when the finding has no path', () => {
      const text = 'a:\n  b: no\n';
      const f: Finding = { ruleId: 'yaml/yaml11-boolean', severity: 'warning', message: '', range: { start: { line: 1, character: 5 }, end: { line: 1, character: 7 } } };
      assert.equal(fixed(text, quickFixes({ text, finding: f })[0]), 'a:\n  b: "no"\n');
    });
  });

  it('returns nothing for other rules, missing paths and text that does not match', () => {
    assert.deepEqual(fixes('a: 1\n', 'schema/type', { path: ['a'] }), []);
    assert.deepEqual(fixes('a: 1\n', 'schema/required', { path: ['zz', 'yy'], property: 'x' }), []);
    assert.deepEqual(fixes('a: 1\n', 'schema/additionalProperties', { path: ['nope'], property: 'nope' }), []);
    assert.deepEqual(fixes('a: [1\n', 'schema/enum', { path: ['b'], allowed: ['x'] }), []);
    assert.deepEqual(fixes('a: 1\n', 'yaml/yaml11-boolean', { path: ['a', 'b'] }), []);
  });
});

describe('editing: robustness', function () {
  this.timeout(60_000);
  const samples = [
    '',
    '\n\n',
    '---\n',
    ':',
    '- - - ',
    'a: [1, {b: ',
    'a: {b: [c, {d: "e',
    'spec:\n\treplicas: 1',
    'a: "unterminated\n  b: 1',
    "a: 'x''y\n",
    'a: |\n  text\n b: 1',
    'key: &anchor\n  x: 1\nother: *anchor\n',
    'a: !!str 1\n? complex\n: value\n',
    '%YAML 1.2\n---\na: 1\n...\n',
    'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          ports:\n            - containerPort: 80\n              protocol: TC',
    '{"json": true, "list": [1, 2, {"x": null}]}',
    '  indented:\n    deeper: 1\n  back: 2\nroot: 3\n',
    'a:\n  - b\n  c: 1\n',
    'x: "a # not comment" # comment\ny: \'#\'\n',
    '['.repeat(60),
    '- '.repeat(100) + 'x',
    'a: 1\r\nb:\r\n  c: 2\r\n',
    'emoji: "😀"\n😀: 1\n  ',
  ];
  const schemas: SchemaNode[] = [deployment, multiKind, backstage, true, false, {}, { $ref: '#' }, { anyOf: [{ $ref: '#' }] }];

  it('never throws from complete, hover or quickFixes at any position of malformed input', () => {
    for (const text of samples) {
      const lines = text.split('\n');
      for (let line = 0; line <= lines.length; line++) {
        const length = lines[line]?.length ?? 0;
        const step = Math.max(1, Math.floor(length / 30));
        for (let character = 0; character <= length + 1; character += step) {
          for (const schema of schemas) {
            const position = { line, character };
            assert.ok(Array.isArray(complete({ text, position, schema, docs })));
            const h = hover({ text, position, schema, docs });
            assert.ok(h === undefined || typeof h.markdown === 'string');
          }
        }
      }
      for (const ruleId of ['schema/required', 'schema/enum', 'schema/const', 'schema/additionalProperties', 'yaml/yaml11-boolean']) {
        for (const path of [[], ['a'], ['spec', 0, 'x'], ['a', 'b', 'c']]) {
          const f = finding(ruleId, { path, property: 'x', allowed: ['a'], suggestion: 'a' });
          assert.ok(Array.isArray(quickFixes({ text, finding: f, schema: deployment })));
        }
      }
    }
  });

  it('never throws on random edits of a manifest', () => {
    const base = manifestText(40);
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const junk = [':', '-', ' ', '\n', '{', '}', '[', ']', '"', "'", '#', '|', '>', '&', '*', '!', ',', '?', 'x', '  '];
    for (let i = 0; i < 300; i++) {
      let text = base;
      for (let j = 0; j < 1 + rnd(4); j++) {
        const at = rnd(text.length + 1);
        text = rnd(2) ? text.slice(0, at) + (junk[rnd(junk.length)] as string) + text.slice(at) : text.slice(0, at) + text.slice(at + rnd(5));
      }
      const lines = text.split('\n');
      const line = rnd(lines.length);
      const position = { line, character: rnd((lines[line]?.length ?? 0) + 1) };
      complete({ text, position, schema: deployment, docs });
      hover({ text, position, schema: deployment, docs });
    }
  });

  it('is fast: a 300-line document in well under 10 ms per request', () => {
    const text = manifestText(300);
    const lines = text.split('\n');
    assert.ok(lines.length >= 300);
    // warm up (first calls compile regular expressions and JIT)
    for (let i = 0; i < 20; i++) complete({ text, position: { line: i * 10, character: 8 }, schema: deployment });
    const median = (f: (position: { line: number; character: number }) => unknown): number => {
      const times: number[] = [];
      for (let line = 0; line < lines.length; line += 7) {
        const position = { line, character: Math.min(12, lines[line]?.length ?? 0) };
        const t0 = performance.now();
        f(position);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      return times[Math.floor(times.length / 2)] as number;
    };
    const completion = median((position) => complete({ text, position, schema: deployment, docs }));
    const hovering = median((position) => hover({ text, position, schema: deployment, docs }));
    assert.ok(completion < 10, `completion: median ${completion.toFixed(2)} ms`);
    assert.ok(hovering < 10, `hover: median ${hovering.toFixed(2)} ms`);
  });
});

/** A long Deployment (many containers) for performance and fuzzing. */
function manifestText(minLines: number): string {
  const out = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', '  labels:', '    app: web', 'spec:', '  replicas: 3', '  selector:', '    matchLabels:', '      app: web', '  template:', '    metadata:', '      labels:', '        app: web', '    spec:', '      containers:'];
  let i = 0;
  while (out.length < minLines) {
    out.push(`        - name: c${i}`, `          image: "nginx:1.${i}"`, '          imagePullPolicy: IfNotPresent', '          args: [--port, "80"]', '          ports:', '            - containerPort: 80', '              protocol: TCP', '          # a comment');
    i++;
  }
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// the bundled schemas, when they exist (generated by scripts/schemas/build.ts)

function findSchema(dir: string, suffix: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) {
      const found = findSchema(p, suffix);
      if (found) return found;
    } else if (entry.endsWith(suffix)) return p;
  }
  return undefined;
}

const SCHEMAS = join(__dirname, '..', '..', 'schemas');

describe('editing: bundled Kubernetes Deployment schema', function () {
  const file = findSchema(join(SCHEMAS, 'kubernetes'), 'apps.v1.Deployment.json');
  before(function () {
    if (!file) this.skip();
  });
  const schema = (): JSONSchema => JSON.parse(readFileSync(file as string, 'utf8')) as JSONSchema;

  it('offers a Deployment skeleton with the fields a Deployment needs', () => {
    const { text, position } = at('¦');
    const snippet = item(complete({ text, position, schema: schema() }), 'Deployment', 'snippet');
    const value: unknown = parse(snippetText(snippet.insertText.replace(/\$\{1(:name)?\}/g, 'web')));
    assert.equal(dig(value, 'apiVersion'), 'apps/v1');
    assert.equal(dig(value, 'kind'), 'Deployment');
    assert.equal(dig(value, 'metadata.name'), 'web');
    assert.deepEqual(dig(value, 'spec.selector.matchLabels'), { app: 'web' });
    assert.deepEqual(dig(value, 'spec.template.metadata.labels'), { app: 'web' });
    assert.deepEqual(keysOf(dig(value, 'spec.template.spec.containers.0')).sort(), ['image', 'name']);
  });

  it('completes container fields and enum values, and hovers with descriptions', () => {
    const s = schema();
    const keys = completeAt(s, 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          ¦');
    for (const l of ['image', 'imagePullPolicy', 'ports', 'env', 'resources']) item(keys, l);
    const values = completeAt(s, 'spec:\n  template:\n    spec:\n      containers:\n        - name: a\n          imagePullPolicy: ¦');
    assert.deepEqual(labels(values).sort(), ['Always', 'IfNotPresent', 'Never']);
    const h = hover({ ...at('spec:\n  repli¦cas: 2\n'), schema: s });
    assert.match(h?.markdown ?? '', /desired pods/i);
  });

  it('fixes a missing container name and an enum typo', () => {
    const s = schema();
    const text = 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - image: nginx\n          imagePullPolicy: Allways\n';
    const add = quickFixes({ text, schema: s, finding: finding('schema/required', { path: ['spec', 'template', 'spec', 'containers', 0], property: 'name' }) });
    assert.equal(dig(applyFix(text, add[0]), 'spec.template.spec.containers.0.name'), '');
    const change = quickFixes({ text, schema: s, finding: finding('schema/enum', { path: ['spec', 'template', 'spec', 'containers', 0, 'imagePullPolicy'], suggestion: 'Always' }) });
    assert.deepEqual(change.map((f) => f.title), ["Change to 'Always'", "Change to 'IfNotPresent'", "Change to 'Never'"]);
  });
});

describe('editing: bundled Backstage Component schema', function () {
  const file = findSchema(join(SCHEMAS, 'backstage'), 'Component.v1alpha1.json');
  before(function () {
    if (!file) this.skip();
  });
  const schema = (): JSONSchema => JSON.parse(readFileSync(file as string, 'utf8')) as JSONSchema;

  it('suggests the documented lifecycle values', () => {
    const items = completeAt(schema(), 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\nspec:\n  lifecycle: ¦');
    assert.deepEqual(labels(items), ['experimental', 'production', 'deprecated']);
  });

  it('offers a Component skeleton and spec keys', () => {
    const { text, position } = at('¦');
    const snippet = item(complete({ text, position, schema: schema() }), 'Component', 'snippet');
    const value: unknown = parse(snippetText(snippet.insertText));
    assert.equal(dig(value, 'kind'), 'Component');
    assert.deepEqual(keysOf(dig(value, 'spec')).sort(), ['lifecycle', 'owner', 'type']);
    const spec = completeAt(schema(), 'kind: Component\nspec:\n  ¦');
    for (const l of ['type', 'lifecycle', 'owner', 'system', 'dependsOn']) item(spec, l);
  });
});
