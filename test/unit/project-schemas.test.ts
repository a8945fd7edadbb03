/**
 * The JSON Schemas of project formats in schemas/project/ (OpenSLO, Sloth, Score, GitHub
 * workflows, kustomization.yaml, Chart.yaml), their index, and the YAML snippets:
 * every schema compiles in ajv strict mode, documents every property, accepts realistic
 * documents (test/fixtures/project-schemas/<name>/) and reports typical mistakes with a
 * precise rule, path and message. Set PRINT_SCHEMA_MESSAGES=1 to print the messages.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { parse, parseAllDocuments } from 'yaml';
import { formatPath } from '../../src/core/schema/messages';
import { SchemaValidator } from '../../src/core/schema/validator';

const REPO = join(__dirname, '..', '..');
const SCHEMAS = join(REPO, 'schemas');
const PROJECT = join(SCHEMAS, 'project');
const FIXTURES = join(REPO, 'test', 'fixtures', 'project-schemas');
const PRINT = !!process.env.PRINT_SCHEMA_MESSAGES;

interface IndexEntry {
  name: string;
  file: string;
  $id: string;
  title: string;
  docs: string;
  kindDocs?: Record<string, string>;
  fileMatch?: string[];
  content?: Array<{ match: Record<string, string | string[]> }>;
}

type Json = Record<string, unknown>;

function readJson(path: string): Json {
  return JSON.parse(readFileSync(path, 'utf8')) as Json;
}

const index = readJson(join(PROJECT, 'index.json')) as { schemas: IndexEntry[] };
const entry = (name: string): IndexEntry => {
  const e = index.schemas.find((s) => s.name === name);
  assert.ok(e, `${name} is listed in schemas/project/index.json`);
  return e;
};

/** One validator per schema file, strict as in the build. */
const validators = new Map<string, SchemaValidator>();
function validator(name: string): SchemaValidator {
  let v = validators.get(name);
  if (!v) {
    v = new SchemaValidator({ strict: true });
    v.add(name, readJson(join(PROJECT, entry(name).file)));
    validators.set(name, v);
  }
  return v;
}

interface Issue {
  rule: string;
  path: string;
  message: string;
}

function check(name: string, value: unknown): Issue[] {
  return validator(name)
    .validateValue(name, value)
    .map((i) => ({ rule: i.ruleId, path: formatPath(i.path), message: i.message }));
}

function fixtures(name: string): string[] {
  const dir = join(FIXTURES, name);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));
}

/** A typical mistake and what the user must be told: rule, where, and words the message must contain. */
interface Mistake {
  title: string;
  yaml: string;
  expect: Array<{ rule: string; path: string; message: RegExp }>;
}

function assertMistake(name: string, m: Mistake): void {
  const got = check(name, parse(m.yaml));
  if (PRINT) console.log(`      [${name}] ${m.title}\n${got.map((i) => `        ${i.rule} @ ${i.path || '(document)'}: ${i.message}`).join('\n')}`);
  for (const want of m.expect) {
    const hit = got.find((i) => i.rule === want.rule && i.path === want.path && want.message.test(i.message));
    assert.ok(hit, `expected ${want.rule} at "${want.path}" matching ${want.message}; got:\n${JSON.stringify(got, null, 2)}`);
  }
  // nothing unrelated is reported: every issue is one of the expected ones
  assert.equal(got.length, m.expect.length, `unexpected extra issues:\n${JSON.stringify(got, null, 2)}`);
}

const MISTAKES: Record<string, Mistake[]> = {
  'openslo-v1': [
    {
      title: 'target written as a percentage',
      yaml: `
apiVersion: openslo/v1
kind: SLO
metadata: {name: web-availability}
spec:
  service: web
  indicatorRef: web-good-requests
  budgetingMethod: Occurrences
  objectives:
    - target: 99.9
`,
      expect: [{ rule: 'schema/exclusiveMaximum', path: 'spec.objectives[0].target', message: /must be less than 1, got the number 99\.9/ }],
    },
    {
      title: 'misspelt budgetingMethod',
      yaml: `
apiVersion: openslo/v1
kind: SLO
metadata: {name: web-availability}
spec:
  service: web
  indicatorRef: web-good-requests
  budgetingMethod: Occurrence
  objectives: [{target: 0.999}]
`,
      expect: [{ rule: 'schema/enum', path: 'spec.budgetingMethod', message: /one of 'Occurrences', 'Timeslices' or 'RatioTimeslices'.*Did you mean 'Occurrences'\?/ }],
    },
    {
      title: 'SLO without an indicator',
      yaml: `
apiVersion: openslo/v1
kind: SLO
metadata: {name: web-availability}
spec:
  service: web
  budgetingMethod: Occurrences
  objectives: [{target: 0.999}]
`,
      expect: [{ rule: 'schema/required', path: 'spec', message: /Missing required property 'indicator' in 'spec'/ }],
    },
    {
      title: 'name that is not a DNS label, duration that is not a shorthand',
      yaml: `
apiVersion: openslo/v1
kind: SLO
metadata: {name: Web_Availability}
spec:
  service: web
  indicatorRef: web-good-requests
  timeWindow: [{duration: 30 days, isRolling: true}]
  budgetingMethod: Occurrences
  objectives: [{target: 0.999}]
`,
      expect: [
        { rule: 'schema/pattern', path: 'metadata.name', message: /must be a DNS-1123 label/ },
        { rule: 'schema/pattern', path: 'spec.timeWindow[0].duration', message: /must be a duration shorthand.*'28d'/ },
      ],
    },
    {
      title: 'Timeslices without time slice settings; ratio without total',
      yaml: `
apiVersion: openslo/v1
kind: SLO
metadata: {name: web-availability}
spec:
  service: web
  indicator:
    metadata: {name: web-good}
    spec:
      ratioMetric:
        counter: true
        good: {metricSource: {type: Prometheus, spec: {query: 'sum(rate(http_requests_total{code!~"5.."}[5m]))'}}}
  budgetingMethod: Timeslices
  objectives: [{target: 0.999}]
`,
      expect: [
        { rule: 'schema/required', path: 'spec.indicator.spec.ratioMetric', message: /Missing required property 'total'/ },
        { rule: 'schema/required', path: 'spec.objectives[0]', message: /Missing required property 'timeSliceTarget'/ },
        { rule: 'schema/required', path: 'spec.objectives[0]', message: /Missing required property 'timeSliceWindow'/ },
      ],
    },
    {
      title: 'metric source without type or reference',
      yaml: `
apiVersion: openslo/v1
kind: SLI
metadata: {name: latency}
spec:
  thresholdMetric:
    metricSource:
      spec: {query: 'histogram_quantile(0.99, rate(latency_bucket[5m]))'}
`,
      expect: [{ rule: 'schema/required', path: 'spec.thresholdMetric.metricSource', message: /Missing required property 'type'/ }],
    },
    {
      title: 'misspelt kind',
      yaml: `
apiVersion: openslo/v1
kind: Slo
metadata: {name: web-availability}
spec: {}
`,
      expect: [{ rule: 'schema/enum', path: 'kind', message: /Did you mean 'SLO'\?/ }],
    },
  ],

  'sloth-v1': [
    {
      title: 'query without {{.window}}',
      yaml: `
version: prometheus/v1
service: myservice
slos:
  - name: requests-availability
    objective: 99.9
    sli:
      events:
        error_query: sum(rate(http_requests_total{code=~"5.."}[5m]))
        total_query: sum(rate(http_requests_total[{{.window}}]))
    alerting: {name: MyServiceHighErrorRate}
`,
      expect: [{ rule: 'schema/pattern', path: 'slos[0].sli.events.error_query', message: /must use the '\{\{\.window\}\}' template variable/ }],
    },
    {
      title: 'objective above 100',
      yaml: `
version: prometheus/v1
service: myservice
slos:
  - name: requests-availability
    objective: 999
    sli: {raw: {error_ratio_query: 'sum(rate(errors[{{.window}}])) / sum(rate(requests[{{.window}}]))'}}
    alerting: {name: MyServiceHighErrorRate}
`,
      expect: [{ rule: 'schema/maximum', path: 'slos[0].objective', message: /must be at most 100, got the number 999/ }],
    },
    {
      title: 'alerts enabled but no alert name',
      yaml: `
version: prometheus/v1
service: myservice
slos:
  - name: requests-availability
    objective: 99.9
    sli: {events: {error_query: 'a[{{.window}}]', total_query: 'b[{{.window}}]'}}
    alerting:
      page_alert: {labels: {severity: critical}}
`,
      expect: [{ rule: 'schema/required', path: 'slos[0].alerting', message: /Missing required property 'name'/ }],
    },
    {
      title: 'unquoted number as a label value, misspelt SLI type',
      yaml: `
version: prometheus/v1
service: myservice
labels: {tier: 2}
slos:
  - name: requests-availability
    objective: 99.9
    sli: {event: {error_query: 'a[{{.window}}]', total_query: 'b[{{.window}}]'}}
    alerting: {name: MyServiceHighErrorRate}
`,
      expect: [
        { rule: 'schema/type', path: 'labels.tier', message: /must be a string, got the number 2/ },
        { rule: 'schema/additionalProperties', path: 'slos[0].sli.event', message: /did you mean 'events'\?/ },
      ],
    },
    {
      title: 'two SLI types at once',
      yaml: `
version: prometheus/v1
service: myservice
slos:
  - name: requests-availability
    objective: 99.9
    sli:
      events: {error_query: 'a[{{.window}}]', total_query: 'b[{{.window}}]'}
      raw: {error_ratio_query: 'c[{{.window}}]'}
    alerting: {name: MyServiceHighErrorRate}
`,
      expect: [{ rule: 'schema/oneOf', path: 'slos[0].sli', message: /matches more than one/ }],
    },
  ],

  'score-v1b1': [
    {
      title: 'unquoted numbers where Score wants strings',
      yaml: `
apiVersion: score.dev/v1b1
metadata: {name: web}
containers:
  web:
    image: nginx:1.27
    variables: {PORT: 8080}
    resources: {limits: {cpu: 0.5, memory: 512Mi}}
`,
      expect: [
        { rule: 'schema/type', path: 'containers.web.variables.PORT', message: /must be a string, got the number 8080/ },
        { rule: 'schema/type', path: 'containers.web.resources.limits.cpu', message: /must be a string, got the number 0\.5/ },
      ],
    },
    {
      title: 'misspelt image, workload name with capitals',
      yaml: `
apiVersion: score.dev/v1b1
metadata: {name: Web_App}
containers:
  web:
    imgae: nginx:1.27
`,
      expect: [
        { rule: 'schema/pattern', path: 'metadata.name', message: /lowercase letters, digits and '-'/ },
        { rule: 'schema/additionalProperties', path: 'containers.web.imgae', message: /did you mean 'image'\?/ },
      ],
    },
    {
      title: 'resource without type, port as a string, lowercase protocol',
      yaml: `
apiVersion: score.dev/v1b1
metadata: {name: web}
service: {ports: {http: {port: "80", protocol: tcp}}}
containers: {web: {image: nginx}}
resources: {db: {class: large}}
`,
      expect: [
        { rule: 'schema/type', path: 'service.ports.http.port', message: /must be an integer, got the string "80"/ },
        { rule: 'schema/enum', path: 'service.ports.http.protocol', message: /Did you mean 'TCP'\?/ },
        { rule: 'schema/required', path: 'resources.db', message: /Missing required property 'type'/ },
      ],
    },
    {
      title: 'file without content, memory in MB',
      yaml: `
apiVersion: score.dev/v1b1
metadata: {name: web}
containers:
  web:
    image: nginx
    files: {/etc/nginx/conf.d/default.conf: {mode: "0644"}}
    resources: {requests: {memory: 512MB}}
`,
      expect: [
        { rule: 'schema/required', path: 'containers.web.files["/etc/nginx/conf.d/default.conf"]', message: /Missing required property 'content'/ },
        { rule: 'schema/pattern', path: 'containers.web.resources.requests.memory', message: /must be a memory quantity/ },
      ],
    },
  ],

  'github-workflow': [
    {
      title: 'uses and run in one step, action without a version, with on a run step',
      yaml: `
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout
      - uses: actions/setup-node@v4
        run: npm ci
      - run: npm test
        with: {coverage: true}
`,
      expect: [
        { rule: 'schema/pattern', path: 'jobs.build.steps[0].uses', message: /must be '\{owner\}\/\{repo\}\[\/\{path\}\]@\{ref\}'/ },
        { rule: 'schema/additionalProperties', path: 'jobs.build.steps[1].run', message: /Unknown property 'run'/ },
        { rule: 'schema/additionalProperties', path: 'jobs.build.steps[2].with', message: /Unknown property 'with'/ },
      ],
    },
    {
      title: 'runs_on instead of runs-on, job without runner',
      yaml: `
on: push
jobs:
  build:
    runs_on: ubuntu-latest
    steps: [{run: make}]
  test:
    steps: [{run: make test}]
`,
      expect: [
        { rule: 'schema/additionalProperties', path: 'jobs.build.runs_on', message: /did you mean 'runs-on'\?/ },
        { rule: 'schema/required', path: 'jobs.test', message: /Missing required property 'runs-on'/ },
      ],
    },
    {
      title: 'pull-request instead of pull_request, unknown activity type, six-field cron',
      yaml: `
on:
  pull-request:
    branches: [main]
  issues:
    types: [open]
  schedule:
    - cron: "0 0 * * * *"
jobs: {build: {runs-on: ubuntu-latest, steps: [{run: make}]}}
`,
      expect: [
        { rule: 'schema/additionalProperties', path: 'on.pull-request', message: /did you mean 'pull_request'\?/ },
        { rule: 'schema/enum', path: 'on.issues.types[0]', message: /must be one of 'opened'/ },
        { rule: 'schema/pattern', path: 'on.schedule[0].cron', message: /five fields/ },
      ],
    },
    {
      title: 'strings where booleans and numbers (or expressions) are expected',
      yaml: `
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    timeout-minutes: "30"
    continue-on-error: yes
    strategy:
      matrix: fromJSON(needs.setup.outputs.matrix)
    steps: [{run: make}]
`,
      expect: [
        { rule: 'schema/pattern', path: 'jobs.build.timeout-minutes', message: /must be a number or a '\$\{\{ … \}\}' expression, got the string "30"/ },
        { rule: 'schema/pattern', path: 'jobs.build.continue-on-error', message: /must be 'true', 'false' or a '\$\{\{ … \}\}' expression, got the string "yes"/ },
        { rule: 'schema/pattern', path: 'jobs.build.strategy.matrix', message: /must be a map of matrix variables or a '\$\{\{ … \}\}' expression/ },
      ],
    },
    {
      title: 'choice input without options, unknown input type, unknown permission level',
      yaml: `
on:
  workflow_dispatch:
    inputs:
      environment: {type: choice}
      count: {type: integer}
permissions:
  contents: readonly
jobs: {build: {runs-on: ubuntu-latest, steps: [{run: make}]}}
`,
      expect: [
        { rule: 'schema/required', path: 'on.workflow_dispatch.inputs.environment', message: /Missing required property 'options'/ },
        { rule: 'schema/enum', path: 'on.workflow_dispatch.inputs.count.type', message: /'string', 'boolean', 'number', 'choice' or 'environment'/ },
        { rule: 'schema/enum', path: 'permissions.contents', message: /must be one of 'read', 'write' or 'none'/ },
      ],
    },
    {
      title: 'reusable workflow job with runs-on, step with neither uses nor run',
      yaml: `
on: push
jobs:
  call:
    uses: acme/workflows/.github/workflows/build.yml@v1
    runs-on: ubuntu-latest
  build:
    runs-on: ubuntu-latest
    steps:
      - name: forgot the command
`,
      expect: [
        { rule: 'schema/additionalProperties', path: 'jobs.call.runs-on', message: /Unknown property 'runs-on'/ },
        { rule: 'schema/required', path: 'jobs.build.steps[0]', message: /Missing required property 'run'/ },
      ],
    },
  ],

  kustomization: [
    {
      title: 'resource instead of resources, unquoted numeric tag',
      yaml: `
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resource:
  - deployment.yaml
images:
  - name: ghcr.io/acme/app
    newTag: 1.10
`,
      expect: [
        { rule: 'schema/additionalProperties', path: 'resource', message: /did you mean 'resources'\?/ },
        { rule: 'schema/type', path: 'images[0].newTag', message: /must be a string, got the number 1\.1/ },
      ],
    },
    {
      title: 'Component with the Kustomization apiVersion, patch without path or patch',
      yaml: `
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Component
patches:
  - target: {kind: Deployment}
`,
      expect: [
        { rule: 'schema/pattern', path: 'apiVersion', message: /must be 'kustomize\.config\.k8s\.io\/v1alpha1' for 'kind: Component'/ },
        { rule: 'schema/required', path: 'patches[0]', message: /Missing required property 'path'/ },
      ],
    },
    {
      title: 'unknown generator behavior, replica count as a string',
      yaml: `
configMapGenerator:
  - name: app-config
    behavior: update
    literals: [LOG_LEVEL=info]
replicas:
  - name: web
    count: "3"
`,
      expect: [
        { rule: 'schema/enum', path: 'configMapGenerator[0].behavior', message: /must be one of 'create', 'replace' or 'merge', got the string "update"/ },
        { rule: 'schema/type', path: 'replicas[0].count', message: /must be an integer, got the string "3"/ },
      ],
    },
  ],

  'paved-road-policy': [
    {
      title: 'misspelt severity, rule without expression',
      yaml: `
apiVersion: paved-road.dev/v1
kind: Policy
metadata: {name: team-standards}
spec:
  rules:
    - name: team-label
      sevrity: warning
      expression: "'team' in object.metadata.labels"
    - name: no-expression
`,
      expect: [
        { rule: 'schema/additionalProperties', path: 'spec.rules[0].sevrity', message: /Unknown property 'sevrity' — did you mean 'severity'\?/ },
        { rule: 'schema/required', path: 'spec.rules[1]', message: /expression/ },
      ],
    },
    {
      title: 'a policy name that is not a DNS label, match by kinds instead of kind',
      yaml: `
apiVersion: paved-road.dev/v1
kind: Policy
metadata: {name: Team_Standards}
spec:
  match:
    - kinds: [Deployment]
  rules:
    - name: replicas
      expression: object.spec.replicas <= 10
`,
      expect: [
        { rule: 'schema/pattern', path: 'metadata.name', message: /lower-case letters/ },
        { rule: 'schema/additionalProperties', path: 'spec.match[0].kinds', message: /did you mean 'kind'\?/ },
      ],
    },
  ],
  'helm-chart': [
    {
      title: 'version that is not SemVer 2, unquoted appVersion',
      yaml: `
apiVersion: v2
name: web
version: v1.0
appVersion: 1.10
`,
      expect: [
        { rule: 'schema/pattern', path: 'version', message: /must be a SemVer 2 version/ },
        { rule: 'schema/type', path: 'appVersion', message: /must be a string, got the number 1\.1/ },
      ],
    },
    {
      title: 'dependencies in a v1 chart',
      yaml: `
apiVersion: v1
name: web
version: 1.0.0
dependencies:
  - name: redis
    version: 20.x.x
    repository: https://charts.bitnami.com/bitnami
`,
      expect: [{ rule: 'schema/pattern', path: 'apiVersion', message: /must be 'v2' when the chart has 'dependencies'/ }],
    },
    {
      title: 'dependency instead of dependencies, unknown type, maintainer without name',
      yaml: `
apiVersion: v2
name: web
version: 1.0.0
type: app
dependency:
  - name: redis
maintainers:
  - email: team@example.com
`,
      expect: [
        { rule: 'schema/additionalProperties', path: 'dependency', message: /did you mean 'dependencies'\?/ },
        { rule: 'schema/enum', path: 'type', message: /must be one of 'application' or 'library'/ },
        { rule: 'schema/required', path: 'maintainers[0]', message: /Missing required property 'name'/ },
      ],
    },
    {
      title: 'alias with a dot, import-values pair without parent',
      yaml: `
apiVersion: v2
name: web
version: 1.0.0
dependencies:
  - name: redis
    version: 20.x.x
    alias: my.cache
    import-values:
      - child: exports.data
`,
      expect: [
        { rule: 'schema/pattern', path: 'dependencies[0].alias', message: /only letters, digits, '_' and '-'/ },
        { rule: 'schema/required', path: 'dependencies[0].import-values[0]', message: /Missing required property 'parent'/ },
      ],
    },
  ],
};

/** Every `properties` entry (outside if/then/else and unions) has a description, directly or on its $ref target. */
function undocumented(schema: Json): string[] {
  const out: string[] = [];
  const skip = new Set(['if', 'then', 'else', 'not', 'allOf', 'anyOf', 'oneOf']);
  const resolve = (ref: string): Json | undefined => {
    let node: unknown = schema;
    for (const seg of ref.replace(/^#\//, '').split('/')) node = (node as Json | undefined)?.[seg];
    return node as Json | undefined;
  };
  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`));
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Json)) {
      if (skip.has(key)) continue;
      if (key === 'properties' && value && typeof value === 'object') {
        for (const [prop, sub] of Object.entries(value as Json)) {
          if (sub === true) continue;
          const s = sub as Json;
          const described = typeof s.description === 'string' || (typeof s.$ref === 'string' && typeof resolve(s.$ref)?.description === 'string');
          if (!described) out.push(`${at}/properties/${prop}`);
          walk(s, `${at}/properties/${prop}`);
        }
      } else walk(value, `${at}/${key}`);
    }
  };
  walk(schema, '#');
  return out;
}

describe('project schemas (schemas/project)', () => {
  it('the index lists every schema file with its $id, docs and association', () => {
    const files = readdirSync(PROJECT).filter((f) => f.endsWith('.json') && f !== 'index.json').sort();
    assert.deepEqual(index.schemas.map((s) => s.file).sort(), files);
    for (const e of index.schemas) {
      const schema = readJson(join(PROJECT, e.file));
      assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#', e.file);
      assert.equal(schema.$id, e.$id, `${e.file}: $id`);
      assert.equal(e.$id, `https://paved-road.dev/schemas/${e.file}`);
      assert.equal(typeof schema.title, 'string');
      // Paved Road's own formats are documented in its README
      if (!e.name.startsWith('paved-road-')) assert.match(e.docs, /^https:\/\//);
      assert.ok((e.fileMatch?.length ?? 0) + (e.content?.length ?? 0) > 0, `${e.name} is associated by file name or content`);
    }
    assert.deepEqual(Object.keys(MISTAKES).sort(), index.schemas.map((s) => s.name).sort(), 'every schema has mistake cases');
  });

  it('file-name patterns match the files of each format, and only those', () => {
    const cases: Record<string, string[]> = {
      'github-workflow': ['.github/workflows/ci.yml', '.github/workflows/release.yaml', 'services/api/.github/workflows/ci.yml'],
      kustomization: ['deploy/overlays/prod/kustomization.yaml', 'kustomization.yml', 'base/Kustomization'],
      'helm-chart': ['charts/checkout/Chart.yaml', 'Chart.yaml'],
      'score-v1b1': ['score.yaml', 'services/web/score.yml', 'score.frontend.yaml'],
      'openslo-v1': [],
      'sloth-v1': [],
      'paved-road-policy': [],
    };
    const others = ['.github/dependabot.yml', '.github/workflows/scripts/build.sh', 'values.yaml', 'charts/checkout/values.yaml', 'kustomization.json', 'scores.yaml'];
    for (const e of index.schemas) {
      const match = (path: string) => (e.fileMatch ?? []).some((g) => picomatch(g, { dot: true })(path));
      for (const path of cases[e.name] ?? []) assert.ok(match(path), `${e.name} matches ${path}`);
      for (const path of others) assert.ok(!match(path), `${e.name} does not match ${path}`);
      for (const [other, paths] of Object.entries(cases)) {
        if (other !== e.name) for (const path of paths) assert.ok(!match(path), `${e.name} does not match ${other}'s ${path}`);
      }
    }
  });

  it('content rules pick each fixture for its own schema and no other', () => {
    const matches = (e: IndexEntry, doc: Json) =>
      (e.content ?? []).some((r) => Object.entries(r.match).every(([k, want]) => typeof doc[k] === 'string' && (Array.isArray(want) ? want.includes(doc[k]) : want === doc[k])));
    for (const e of index.schemas) {
      for (const file of fixtures(e.name)) {
        const doc = parse(readFileSync(file, 'utf8')) as Json;
        const hits = index.schemas.filter((x) => matches(x, doc)).map((x) => x.name);
        // a document without the marker fields (a kustomization without apiVersion) is found by file name
        const byNameOnly = (e.fileMatch?.length ?? 0) > 0 && hits.length === 0;
        assert.ok(byNameOnly || (hits.length === 1 && hits[0] === e.name), `${file}: content rules matched [${hits.join(', ')}]`);
      }
    }
  });

  for (const e of index.schemas) {
    describe(`${e.title} (${e.file})`, () => {
      it('compiles in ajv strict mode', () => {
        // compiling happens on first use; a document that is not a mapping is never valid
        assert.deepEqual(check(e.name, null).map((i) => i.rule), ['schema/type']);
      });

      it('describes every property (hovers)', () => {
        assert.deepEqual(undocumented(readJson(join(PROJECT, e.file))), []);
      });

      it('accepts the realistic documents in test/fixtures/project-schemas', () => {
        const files = fixtures(e.name);
        assert.ok(files.length >= 2, `at least two fixtures for ${e.name}`);
        for (const file of files) assert.deepEqual(check(e.name, parse(readFileSync(file, 'utf8'))), [], file);
      });

      for (const m of MISTAKES[e.name] ?? []) {
        it(`reports a typical mistake: ${m.title}`, () => assertMistake(e.name, m));
      }
    });
  }

  it('accepts ${{ }} expressions wherever GitHub evaluates them', () => {
    const wf: unknown = parse(`
on: push
env: \${{ fromJSON(vars.SHARED_ENV) }}
jobs:
  build:
    runs-on: \${{ matrix.os }}
    timeout-minutes: \${{ fromJSON(vars.TIMEOUT) }}
    continue-on-error: \${{ matrix.experimental }}
    strategy:
      fail-fast: \${{ github.event_name == 'push' }}
      max-parallel: \${{ fromJSON(vars.PARALLEL) }}
      matrix:
        os: \${{ fromJSON(vars.OSES) }}
        include: \${{ fromJSON(vars.EXTRA) }}
    container: \${{ matrix.container }}
    services: \${{ fromJSON(vars.SERVICES) }}
    environment: \${{ inputs.environment }}
    steps:
      - uses: actions/cache@v4
        with: \${{ fromJSON(vars.CACHE) }}
        continue-on-error: \${{ runner.os == 'Windows' }}
        timeout-minutes: \${{ 5 * 2 }}
`);
    assert.deepEqual(check('github-workflow', wf), []);
  });
});

/* ---------------------------------------------------------------- snippets */

/**
 * Expands a VS Code snippet body with every placeholder at its default: `${1:text}` → text
 * (nested placeholders expanded), `${1|a,b|}` → a, `$1`/`${1}` → the default of tabstop 1,
 * variables → their default or nothing, `\$`, `\}` and `\\` → the character.
 */
function expandSnippet(body: string): string {
  type Node = { text: string } | { tab: number; children: Node[] | undefined; choice?: string } | { variable: string; children: Node[] | undefined };
  let i = 0;
  const parseNodes = (inPlaceholder: boolean): Node[] => {
    const nodes: Node[] = [];
    let text = '';
    const flush = () => {
      if (text) nodes.push({ text });
      text = '';
    };
    while (i < body.length) {
      const c = body[i] as string;
      if (c === '\\' && i + 1 < body.length && '$}\\'.includes(body[i + 1] as string)) {
        text += body[i + 1];
        i += 2;
      } else if (c === '}' && inPlaceholder) {
        break;
      } else if (c === '$') {
        const simple = /^\$(\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(body.slice(i));
        const braced = /^\$\{(\d+|[A-Za-z_][A-Za-z0-9_]*)([:|}])/.exec(body.slice(i));
        if (braced) {
          flush();
          const [all, name, sep] = braced as unknown as [string, string, string];
          i += all.length;
          let children: Node[] | undefined;
          let choice: string | undefined;
          if (sep === ':') {
            children = parseNodes(true);
            i++; // the closing }
          } else if (sep === '|') {
            const end = body.indexOf('|}', i);
            choice = body.slice(i, end).split(/(?<!\\),/)[0]?.replace(/\\(.)/g, '$1');
            i = end + 2;
          }
          nodes.push(/^\d+$/.test(name) ? { tab: Number(name), children, ...(choice !== undefined ? { choice } : {}) } : { variable: name, children });
        } else if (simple) {
          flush();
          const name = simple[1] as string;
          i += simple[0].length;
          nodes.push(/^\d+$/.test(name) ? { tab: Number(name), children: undefined } : { variable: name, children: undefined });
        } else {
          text += c;
          i++;
        }
      } else {
        text += c;
        i++;
      }
    }
    flush();
    return nodes;
  };
  const nodes = parseNodes(false);
  const defaults = new Map<number, string>();
  const render = (list: Node[] | undefined): string =>
    (list ?? [])
      .map((n) => {
        if ('text' in n) return n.text;
        if ('variable' in n) return render(n.children);
        const own = n.choice ?? (n.children ? render(n.children) : undefined);
        if (own !== undefined && !defaults.has(n.tab)) defaults.set(n.tab, own);
        return own ?? defaults.get(n.tab) ?? '';
      })
      .join('');
  render(nodes); // first pass: collect the defaults, so that `$1` before `${1:…}` also expands
  return render(nodes);
}

interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description: string;
}

const snippets = readJson(join(REPO, 'snippets', 'yaml.json')) as Record<string, Snippet>;

function snippetByPrefix(prefix: string): Snippet {
  const s = Object.values(snippets).find((x) => (Array.isArray(x.prefix) ? x.prefix : [x.prefix]).includes(prefix));
  assert.ok(s, `a snippet with prefix ${prefix}`);
  return s;
}

function expanded(prefix: string): string {
  const s = snippetByPrefix(prefix);
  return expandSnippet(Array.isArray(s.body) ? s.body.join('\n') : s.body);
}

/** A bundled Kubernetes/Backstage schema (generated under schemas/), when it exists yet. */
function bundled(kindIndex: string, key: string): Json | undefined {
  const path = join(SCHEMAS, kindIndex, 'index.json');
  if (!existsSync(path)) return undefined;
  const file = (readJson(path) as { kinds?: Record<string, { file: string }> }).kinds?.[key]?.file;
  return file && existsSync(join(SCHEMAS, kindIndex, file)) ? readJson(join(SCHEMAS, kindIndex, file)) : undefined;
}

function validateWith(schema: Json, value: unknown): Issue[] {
  const v = new SchemaValidator(); // the bundled schemas are generated and checked elsewhere
  v.add('bundled', schema);
  return v.validateValue('bundled', value).map((i) => ({ rule: i.ruleId, path: formatPath(i.path), message: i.message }));
}

describe('YAML snippets (snippets/yaml.json)', () => {
  it('every snippet has a pr- prefix, a description and a body', () => {
    const names = Object.keys(snippets);
    assert.ok(names.length >= 4);
    for (const [name, s] of Object.entries(snippets)) {
      const prefixes = Array.isArray(s.prefix) ? s.prefix : [s.prefix];
      assert.ok(prefixes.every((p) => p.startsWith('pr-')), `${name}: prefixes start with pr-`);
      assert.ok(s.description.length > 20, `${name}: description`);
      assert.ok(Array.isArray(s.body) && s.body.length > 3, `${name}: body`);
      assert.ok(!s.body.some((l) => l.includes('\t')), `${name}: YAML is indented with spaces`);
    }
  });

  it('expands placeholders to their defaults', () => {
    assert.equal(expandSnippet('a: ${1:x}\nb: $1\nc: ${2|p,q|}\nd: \\${e.f}\ng: ${3:${1:x}-y}$0'), 'a: x\nb: x\nc: p\nd: ${e.f}\ng: x-y');
  });

  it('pr-sloth-slo is a valid Sloth spec', () => {
    const text = expanded('pr-sloth-slo');
    assert.deepEqual(check('sloth-v1', parse(text)), []);
    assert.match(text, /\[\{\{\.window\}\}\]/);
  });

  it('pr-score-workload is a valid Score workload with resource placeholders', () => {
    const text = expanded('pr-score-workload');
    assert.deepEqual(check('score-v1b1', parse(text)), []);
    assert.match(text, /DB_HOST: \$\{resources\.db\.host\}/);
  });

  it('pr-component is a valid Backstage Component', () => {
    const text = expanded('pr-component');
    const doc = parse(text) as Json;
    assert.equal(doc.kind, 'Component');
    const annotations = (doc.metadata as Json).annotations as Json;
    assert.equal(annotations['github.com/project-slug'], 'my-org/my-service');
    assert.equal(annotations['backstage.io/kubernetes-id'], 'my-service');
    assert.equal(annotations['backstage.io/techdocs-ref'], 'dir:.');
    assert.equal((doc.spec as Json).lifecycle, 'experimental');
    const schema = bundled('backstage', 'backstage.io/v1alpha1/Component');
    if (schema) assert.deepEqual(validateWith(schema, doc), []);
  });

  it('pr-deployment-service is a valid Deployment and Service with secure defaults', () => {
    const docs = parseAllDocuments(expanded('pr-deployment-service')).map((d) => d.toJS() as Json);
    assert.deepEqual(
      docs.map((d) => `${String(d.apiVersion)}/${String(d.kind)}`),
      ['apps/v1/Deployment', 'v1/Service'],
    );
    const [deployment, service] = docs as [Json, Json];
    const pod = ((deployment.spec as Json).template as Json).spec as Json;
    const container = (pod.containers as Json[])[0] as Json;
    const sc = container.securityContext as Json;
    assert.equal((pod.securityContext as Json).runAsNonRoot, true);
    assert.equal(sc.allowPrivilegeEscalation, false);
    assert.equal(sc.readOnlyRootFilesystem, true);
    assert.deepEqual((sc.capabilities as Json).drop, ['ALL']);
    assert.match(String(container.image), /:[\w.-]+$/, 'the image has a pinned tag');
    assert.ok(!String(container.image).endsWith(':latest'));
    assert.ok(container.resources && container.readinessProbe && container.livenessProbe);
    for (const d of docs) {
      const labels = (d.metadata as Json).labels as Json;
      assert.equal(labels['app.kubernetes.io/name'], 'my-service');
      assert.equal(labels['backstage.io/kubernetes-id'], 'my-service');
    }
    assert.deepEqual((service.spec as Json).selector, { 'app.kubernetes.io/name': 'my-service' });
    const dSchema = bundled('kubernetes', 'apps/v1/Deployment');
    const sSchema = bundled('kubernetes', 'v1/Service');
    if (dSchema) assert.deepEqual(validateWith(dSchema, deployment), []);
    if (sSchema) assert.deepEqual(validateWith(sSchema, service), []);
  });
});
