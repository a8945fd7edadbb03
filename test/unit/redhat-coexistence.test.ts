/**
 * Paved Road next to Red Hat YAML (redhat.vscode-yaml), as src/core/validate/redhat.ts
 * describes it: no problem shown twice, none lost.
 *
 * Red Hat's side is its language server from npm (yaml-language-server, the engine of the
 * extension), in-process, configured as the extension configures it for a user (validate,
 * completion and hover on; SchemaStore off, we are offline) and with the extension's
 * `registerContributor` plumbing emulated: the server asks the client which schema a file
 * has (`custom/schema/request` → every contributor's `requestSchema(uri)`), then for that
 * schema's content (`custom/schema/content` → `requestSchemaContent(uri)`). Paved Road's
 * contributor answers `EMPTY_SCHEMA_URI` for every file `ownsSchema` is true for. The server
 * applies its own precedence: modeline > inline `$schema` > contributor > `yaml.schemas`.
 *
 * Two user setups:
 *  A. no `yaml.schemas`: Red Hat checks syntax (and modelines) only;
 *  B. `yaml.schemas: { "kubernetes": "*.yaml" }`: emulated with the bundled Deployment
 *     schema for `*.yaml` (the keyword also makes the server validate those files with
 *     isKubernetes = true).
 * Every file is open in the editor, so Paved Road shows `withRedHat(validateText(...))`.
 *
 * The files: the example workspace's manifests, the brief's fixtures (test/fixtures/redhat/
 * syntax, multi, modeline, compose) and a few edge cases (test/fixtures/redhat/edge) where
 * Red Hat's rules and Paved Road's differ.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Range } from '../../src/core/findings';
import { splitDocuments } from '../../src/core/manifest';
import { builtinContext, validateText } from '../../src/core/validate';
import { completionsAt } from '../../src/core/validate/editing';
import { EMPTY_SCHEMA_CONTENT, EMPTY_SCHEMA_URI, ownsSchema, withRedHat } from '../../src/core/validate/redhat';

const REPO = resolve(__dirname, '..', '..');
const KUBERNETES_SCHEMA = join(REPO, 'schemas', 'kubernetes', 'v1.36', 'apps.v1.Deployment.json');

// ---------------------------------------------------------------------------------------
// The files, and what is wrong in each: the oracle the tools' outputs are checked against
// (so that no check passes because nothing was found at all), with who should show each
// problem while the file is open in the editor.

type Tool = 'Red Hat' | 'Paved Road';

interface Case {
  file: string;
  /** Why an edge case is here (absent for the brief's files). */
  edge?: string;
  /** Every document is a kind Paved Road validates, and none has a modeline: Paved Road should own the file's schema. */
  pavedRoadKinds: boolean;
  /** YAML syntax errors, by 1-based line: `'17'` (Red Hat shows it), or `'17 (Paved Road)'`. */
  syntax: string[];
  /** Schema mistakes, as `line:key`: `'6:replica'` (Paved Road shows it), or `'5:aproval (Red Hat)'` (a modeline gives Red Hat the schema). */
  schema: string[];
}

const CASES: Case[] = [
  { file: 'examples/deploy/deployment.yaml', pavedRoadKinds: true, syntax: [], schema: [] },
  { file: 'examples/catalog-info.yaml', pavedRoadKinds: true, syntax: [], schema: [] },
  { file: 'examples/mistakes/deployment.yaml', pavedRoadKinds: true, syntax: [], schema: ['6:replicas', '18:imagePullPolicy'] },
  { file: 'examples/mistakes/catalog-info.yaml', pavedRoadKinds: true, syntax: [], schema: ['11:ownr'] },
  { file: 'test/fixtures/redhat/syntax/deployment.yaml', pavedRoadKinds: true, syntax: ['17'], schema: [] },
  {
    file: 'test/fixtures/redhat/multi/web.yaml',
    pavedRoadKinds: true,
    syntax: [],
    schema: ['6:replica', '18:imagePullPolicy', '28:port', '30:protocl'],
  },
  { file: 'test/fixtures/redhat/modeline/release.yaml', pavedRoadKinds: false, syntax: [], schema: ['5:aproval (Red Hat)'] },
  { file: 'test/fixtures/redhat/compose/docker-compose.yaml', pavedRoadKinds: false, syntax: ['8'], schema: [] },
  {
    file: 'test/fixtures/redhat/edge/multi-doc-modeline.yaml',
    edge: 'a modeline in the 2nd document only (Red Hat applies modelines per document)',
    pavedRoadKinds: false,
    syntax: [],
    schema: ['6:replica', '22:aproval (Red Hat)'],
  },
  {
    file: 'test/fixtures/redhat/edge/intellij-modeline.yaml',
    edge: "the IntelliJ-style '# $schema: <schema>' modeline, which Red Hat honours",
    pavedRoadKinds: false,
    syntax: [],
    schema: ['7:replica (Red Hat)'],
  },
  {
    file: 'test/fixtures/redhat/edge/modeline-no-space.yaml',
    edge: "'#yaml-language-server:' without a space is no modeline for Red Hat, and so none for Paved Road either: the document has no schema",
    pavedRoadKinds: false,
    syntax: [],
    schema: [],
  },
  {
    file: 'test/fixtures/redhat/edge/strict-comment.yaml',
    edge: 'a comment glued to a quoted value: an error for strict YAML parsing (Paved Road, kubectl) only',
    pavedRoadKinds: true,
    syntax: ['17 (Paved Road)'],
    schema: [],
  },
];

/** `'22:aproval (Red Hat)'` → where `22:aproval`, by Red Hat; untagged: `fallback`. */
function expected(entry: string, fallback: Tool): { where: string; by: Tool } {
  const m = /^(.*?)(?: \((Red Hat|Paved Road)\))?$/.exec(entry) as RegExpExecArray;
  return { where: m[1] as string, by: (m[2] as Tool | undefined) ?? fallback };
}

// ---------------------------------------------------------------------------------------
// Red Hat YAML: yaml-language-server in-process, plus the extension's contributor plumbing

/** The parts of an LSP Diagnostic this test reads. */
interface Diagnostic {
  range: Range;
  message: string | { value: string };
  severity?: number;
  code?: number | string;
  source?: string;
  data?: { schemaUri?: string[] };
}
interface CompletionList {
  items: { label: string }[];
}
interface LanguageService {
  configure(settings: Record<string, unknown>): void;
  registerCustomSchemaProvider(provider: (uri: string) => Promise<string | string[]>): void;
  doValidation(doc: TextDocument, isKubernetes: boolean): Promise<Diagnostic[]>;
  doComplete(doc: TextDocument, position: { line: number; character: number }, isKubernetes: boolean): Promise<CompletionList>;
}
type GetLanguageService = (params: Record<string, unknown>) => LanguageService;

type Setup = 'A' | 'B';
const SETTINGS_PRIORITY = 3; // SchemaPriority.Settings: `yaml.schemas`
const HINT = 4;

/** What the VS Code extension's client holds: the open documents, and the contributors registered with it. */
class RedHatYaml {
  readonly open = new Map<string, string>(); // uri → text
  /** Schema URIs the server asked for that are neither files nor a contributor's. */
  readonly unexpectedRequests: string[] = [];
  private readonly ls: LanguageService;

  constructor(
    getLanguageService: GetLanguageService,
    readonly setup: Setup,
    /** False: Red Hat YAML alone, as without Paved Road installed. */
    withPavedRoad: boolean,
  ) {
    const ctx = builtinContext();
    // Paved Road's contributor: requestSchema(resource) and requestSchemaContent(uri)
    const requestSchema = (uri: string): string | undefined => {
      const text = this.open.get(uri);
      return text !== undefined && ownsSchema(fileURLToPath(uri), text, ctx) ? EMPTY_SCHEMA_URI : undefined;
    };
    const requestSchemaContent = (uri: string): string | undefined => (uri === EMPTY_SCHEMA_URI ? EMPTY_SCHEMA_CONTENT : undefined);

    this.ls = getLanguageService({
      schemaRequestService: async (uri: string): Promise<string> => {
        if (uri.startsWith('file://')) return readFile(fileURLToPath(uri), 'utf8');
        const content = withPavedRoad ? requestSchemaContent(uri) : undefined;
        if (content !== undefined) return content;
        this.unexpectedRequests.push(uri);
        throw new Error(`offline: ${uri} is not fetched`);
      },
      workspaceContext: { resolveRelativePath: (relativePath: string, resource: string) => new URL(relativePath, resource).href },
      telemetry: { send() {}, sendError() {}, sendTrack() {} },
      clientCapabilities: {},
    });
    this.ls.configure({
      validate: true,
      completion: true,
      hover: true,
      format: true,
      isKubernetes: false,
      yamlVersion: '1.2',
      customTags: [],
      // schemaStore off: no SchemaStore entries. Setup B: the user's `yaml.schemas`.
      schemas: setup === 'B' ? [{ uri: pathToFileURL(KUBERNETES_SCHEMA).href, fileMatch: ['*.yaml'], priority: SETTINGS_PRIORITY, name: 'kubernetes' }] : [],
    });
    // custom/schema/request: the client answers with every contributor's match (none: an empty list)
    this.ls.registerCustomSchemaProvider((uri) => {
      const match = withPavedRoad ? requestSchema(uri) : undefined;
      return Promise.resolve(match ? [match] : []);
    });
  }

  /** The `kubernetes` keyword in `yaml.schemas` makes the server validate matching files as Kubernetes. */
  private isKubernetes(uri: string): boolean {
    return this.setup === 'B' && uri.endsWith('.yaml');
  }

  private document(path: string, text: string): TextDocument {
    const uri = pathToFileURL(path).href;
    this.open.set(uri, text);
    return TextDocument.create(uri, 'yaml', 1, text);
  }

  /** What Red Hat YAML shows in the Problems panel for an open file (hints are not shown there). */
  async diagnostics(path: string, text: string): Promise<Diagnostic[]> {
    const doc = this.document(path, text);
    return (await this.ls.doValidation(doc, this.isKubernetes(doc.uri))).filter((d) => (d.severity ?? 1) < HINT);
  }

  async completions(path: string, text: string, position: { line: number; character: number }): Promise<string[]> {
    const doc = this.document(path, text);
    return (await this.ls.doComplete(doc, position, this.isKubernetes(doc.uri))).items.map((i) => i.label);
  }
}

// ---------------------------------------------------------------------------------------
// Problems, from either tool, in one shape

type Kind = 'syntax' | 'schema' | 'other';
interface Problem {
  by: Tool;
  kind: Kind;
  /** For schema problems: the mapping key at the problem's start. */
  key?: string;
  range: Range;
  message: string;
  finding?: Finding;
}

/** The YAML parser's own errors and warnings (what Red Hat reports as syntax). */
const SYNTAX_RULES = new Set(['yaml/syntax', 'yaml/duplicate-key', 'yaml/warning']);
/** Schema findings about Paved Road itself, not about a mistake in the file. */
const SCHEMA_META_RULES = new Set(['schema/unavailable', 'schema/invalid-schema', 'schema/no-schema']);

/** The mapping key at a position: the last `key:` on its line that starts at or before it (else the line's first). */
function keyAt(text: string, pos: Range['start']): string | undefined {
  // sequence indicators (`- `) before a key are blanked out, keeping the columns
  const line = (text.split('\n')[pos.line] ?? '').replace(/^[ \t]*(?:-[ \t]+)+/, (m) => ' '.repeat(m.length));
  const keys = [...line.matchAll(/("[^"]*"|'[^']*'|[^\s"'{}[\],:#][^{}[\],:#]*?)[ \t]*:(?=\s|$)/g)].map((m) => ({
    at: m.index,
    key: (m[1] as string).replace(/^["']|["']$/g, ''),
  }));
  const upTo = keys.filter((k) => k.at <= pos.character);
  return (upTo.length ? upTo[upTo.length - 1] : keys[0])?.key;
}

function fromRedHat(d: Diagnostic, text: string): Problem {
  const message = typeof d.message === 'string' ? d.message : d.message.value;
  // schema problems carry the schema's URI; the parser's come from source "YAML", as errors, with no data
  const kind: Kind = d.data?.schemaUri || d.source?.startsWith('yaml-schema') ? 'schema' : d.source === 'YAML' && d.severity === 1 && !d.data ? 'syntax' : 'other';
  return { by: 'Red Hat', kind, ...(kind === 'schema' ? { key: keyAt(text, d.range.start) } : {}), range: d.range, message };
}

function fromPavedRoad(f: Finding, text: string): Problem {
  const kind: Kind = SYNTAX_RULES.has(f.ruleId) ? 'syntax' : f.ruleId.startsWith('schema/') ? 'schema' : 'other';
  return { by: 'Paved Road', kind, ...(kind === 'schema' ? { key: keyAt(text, f.range.start) } : {}), range: f.range, message: `${f.ruleId}: ${f.message}`, finding: f };
}

const notAfter = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
/** Same line, ranges that overlap (or touch: a zero-width range is a point). */
const overlaps = (a: Range, b: Range) => a.start.line === b.start.line && notAfter(a.start, b.end) && notAfter(b.start, a.end);
/** The same problem: same line, overlapping ranges, and the same kind (both syntax, or both schema on the same key). */
const same = (a: Problem, b: Problem) => a.kind !== 'other' && a.kind === b.kind && overlaps(a.range, b.range) && (a.kind === 'syntax' || a.key === b.key);

const isSchemaMistake = (p: Problem) => p.kind === 'schema' && !SCHEMA_META_RULES.has(p.finding?.ruleId ?? '');
const where = (p: Problem) => `${p.range.start.line + 1}:${p.key}`;
const at = (p: Problem) => `${p.range.start.line + 1}:${p.range.start.character + 1}`;
const show = (p: Problem) => `${p.by} ${at(p)} [${p.kind}${p.key ? ` ${p.key}` : ''}] ${p.message}`;

interface Result {
  c: Case;
  text: string;
  owned: boolean;
  /** validateText, everything Paved Road finds (what it shows for a closed file). */
  all: Problem[];
  /** What Paved Road shows for the open file: withRedHat(validateText(...)). */
  pavedRoad: Record<Setup, Problem[]>;
  redHat: Record<Setup, Problem[]>;
  /** Red Hat YAML without Paved Road installed (no contributor), setup B. */
  redHatAlone: Problem[];
}

// ---------------------------------------------------------------------------------------

describe('Paved Road next to Red Hat YAML (yaml-language-server)', function () {
  this.timeout(60_000);
  const results: Result[] = [];
  const servers = {} as Record<Setup | 'B alone', RedHatYaml>;
  const SETUPS: Setup[] = ['A', 'B'];

  before(async function () {
    const yls = (await import('yaml-language-server/out/src/languageservice/yamlLanguageService.js')) as unknown as { getLanguageService: GetLanguageService };
    servers.A = new RedHatYaml(yls.getLanguageService, 'A', true);
    servers.B = new RedHatYaml(yls.getLanguageService, 'B', true);
    servers['B alone'] = new RedHatYaml(yls.getLanguageService, 'B', false);
    const ctx = builtinContext();
    for (const c of CASES) {
      const path = join(REPO, c.file);
      const text = readFileSync(path, 'utf8');
      const findings = validateText(path, text, ctx);
      const shown = withRedHat(findings, text).map((f) => fromPavedRoad(f, text));
      const r: Result = {
        c,
        text,
        owned: ownsSchema(path, text, ctx),
        all: findings.map((f) => fromPavedRoad(f, text)),
        pavedRoad: { A: shown, B: shown },
        redHat: { A: [], B: [] },
        redHatAlone: (await servers['B alone'].diagnostics(path, text)).map((d) => fromRedHat(d, text)),
      };
      for (const s of SETUPS) r.redHat[s] = (await servers[s].diagnostics(path, text)).map((d) => fromRedHat(d, text));
      results.push(r);
    }

    // the table, once (counts: Problems-panel entries of the open file)
    const rows = results.map((r) => [
      `${r.c.file.replace(/^test\/fixtures\//, 'fixtures/')}${r.c.edge ? ' (edge)' : ''}`,
      r.owned ? 'yes' : 'no',
      `${r.redHat.A.length} / ${r.pavedRoad.A.length}`,
      `${r.redHat.B.length} / ${r.pavedRoad.B.length}`,
      `${r.redHatAlone.length}`,
    ]);
    const head = ['file', 'Paved Road owns', 'A: Red Hat / Paved Road', 'B: Red Hat / Paved Road', 'B: Red Hat alone'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
    const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] as number)).join(' | ')} |`;
    console.log(
      [
        '',
        'Diagnostics per open file (A: no yaml.schemas; B: yaml.schemas kubernetes → *.yaml; "Red Hat alone": B without Paved Road installed)',
        line(head),
        line(widths.map((w) => '-'.repeat(w))),
        ...rows.map(line),
        '',
      ].join('\n'),
    );
  });

  it('the fixtures hold the mistakes they are meant to (Paved Road finds them when the file is closed)', () => {
    for (const r of results) {
      const syntax = [...new Set(r.all.filter((p) => p.kind === 'syntax').map((p) => `${p.range.start.line + 1}`))];
      assert.deepEqual(syntax, r.c.syntax.map((e) => expected(e, 'Red Hat').where), `${r.c.file}: syntax error lines`);
      const schema = r.all.filter(isSchemaMistake).map(where);
      assert.deepEqual(schema, r.c.schema.map((e) => expected(e, 'Paved Road').where), `${r.c.file}: schema mistakes`);
    }
    for (const s of ['A', 'B', 'B alone'] as const) assert.deepEqual(servers[s].unexpectedRequests, [], `setup ${s}: schemas requested that are not files or Paved Road's`);
  });

  it('1. no problem is reported by both Red Hat YAML and Paved Road', () => {
    const pairs: string[] = [];
    for (const r of results) {
      for (const s of SETUPS) {
        for (const rh of r.redHat[s]) {
          for (const pr of r.pavedRoad[s]) if (same(rh, pr)) pairs.push(`${r.c.file} (setup ${s}):\n    ${show(rh)}\n    ${show(pr)}`);
        }
      }
    }
    assert.deepEqual(pairs, [], `Reported twice:\n  ${pairs.join('\n  ')}`);
  });

  it('2a. every YAML syntax error is reported by exactly one of them (Red Hat YAML, for open files, wherever its parser sees it)', () => {
    const wrong: string[] = [];
    for (const r of results) {
      for (const s of SETUPS) {
        // every syntax problem either tool finds (Paved Road's as for a closed file)
        const problems = [...r.all.filter((p) => p.kind === 'syntax'), ...r.redHat[s].filter((p) => p.kind === 'syntax')];
        for (const p of problems) {
          const by: Tool[] = [...(r.redHat[s].some((q) => same(p, q)) ? ['Red Hat' as const] : []), ...(r.pavedRoad[s].some((q) => same(p, q)) ? ['Paved Road' as const] : [])];
          const line = `${p.range.start.line + 1}`;
          const want = r.c.syntax.map((e) => expected(e, 'Red Hat')).find((e) => e.where === line)?.by ?? 'Red Hat';
          if (by.length !== 1 || by[0] !== want) {
            wrong.push(`${r.c.file} (setup ${s}): ${by.length ? `reported by ${by.join(' and ')}` : 'reported by neither'}, expected by ${want} only: ${show(p)}`);
          }
        }
      }
    }
    assert.deepEqual([...new Set(wrong)], [], `Syntax errors:\n  ${[...new Set(wrong)].join('\n  ')}`);
  });

  it('2b. every schema mistake is reported, once, by the tool that has its schema: Paved Road in what it owns (as validateText finds it), Red Hat YAML where a modeline decides', () => {
    const wrong: string[] = [];
    for (const r of results) {
      const mistakes = r.all.filter(isSchemaMistake);
      for (const s of SETUPS) {
        for (const m of mistakes) {
          const want = r.c.schema.map((e) => expected(e, 'Paved Road')).find((e) => e.where === where(m))?.by ?? 'Paved Road';
          const byPavedRoad = r.pavedRoad[s].some((p) => p.finding === m.finding);
          const byRedHat = r.redHat[s].filter((q) => same(m, q));
          const by: Tool[] = [...(byRedHat.length ? ['Red Hat' as const] : []), ...(byPavedRoad ? ['Paved Road' as const] : [])];
          if (by.length === 1 && by[0] === want) continue;
          const how = by.length === 0 ? 'reported by neither' : `reported by ${by.join(' and ')}${byRedHat.length && want === 'Paved Road' ? ` (Red Hat: "${byRedHat[0]?.message}")` : ''}`;
          wrong.push(`${r.c.file} (setup ${s}, ownsSchema = ${r.owned}): ${how}, expected by ${want} only: ${show(m)}`);
        }
      }
    }
    assert.deepEqual(wrong, [], `Schema mistakes:\n  ${wrong.join('\n  ')}`);
  });

  it('2c. in the file with a modeline, the schema error is reported by Red Hat YAML and not by Paved Road', () => {
    const r = results.find((x) => x.c.file === 'test/fixtures/redhat/modeline/release.yaml') as Result;
    assert.equal(r.owned, false, 'a file with a modeline is Red Hat\'s: Paved Road must not answer its schema');
    for (const s of SETUPS) {
      assert.deepEqual(
        r.redHat[s].filter((p) => p.kind === 'schema').map((p) => `${p.range.start.line + 1}:${p.key}`),
        ['5:aproval'],
        `setup ${s}: Red Hat's schema errors`,
      );
      assert.deepEqual(r.pavedRoad[s].filter((p) => p.kind === 'schema').map(show), [], `setup ${s}: Paved Road's schema errors`);
    }
  });

  it('3. setup B: the Service of a Deployment + Service file is not validated against the Deployment schema; Paved Road validates each document against its kind', () => {
    const r = results.find((x) => x.c.file === 'test/fixtures/redhat/multi/web.yaml') as Result;
    const service = splitDocuments(r.text)[1];
    assert.ok(service, 'the file has a second document');
    const inService = (p: Problem) => p.range.start.line >= service.line;
    // without Paved Road, Red Hat reports the Service against the user's Deployment schema (the noise)
    assert.ok(
      r.redHatAlone.some((p) => inService(p) && p.kind === 'schema'),
      `Red Hat YAML alone should report the Service against the Deployment schema; it reported:\n  ${r.redHatAlone.map(show).join('\n  ')}`,
    );
    // with Paved Road: none of it
    assert.deepEqual(r.redHat.B.filter(inService).map(show), [], 'Red Hat YAML in the Service document');
    assert.deepEqual(r.redHat.B.filter((p) => p.kind === 'schema').map(show), [], 'Red Hat YAML schema errors in the file');
    // Paved Road: the Deployment's mistakes against the Deployment schema, the Service's against the Service schema
    const shown = r.pavedRoad.B.map((p) => `${p.range.start.line + 1}:${p.key} ${p.finding?.ruleId}`);
    assert.deepEqual(shown, [
      '6:replica schema/additionalProperties',
      '18:imagePullPolicy schema/enum',
      '28:port schema/type',
      '30:protocl schema/additionalProperties',
    ]);
    assert.match(r.pavedRoad.B[2]?.message ?? '', /spec\.ports\[0\]\.port/);
    assert.match(r.pavedRoad.B[3]?.message ?? '', /did you mean 'protocol'/);
  });

  it('4. setup B: Red Hat YAML uses no schema of its own on files of kinds Paved Road validates, not even while their YAML is broken', async () => {
    const wrong: string[] = [];
    for (const r of results.filter((x) => x.c.pavedRoadKinds)) {
      const theirs = r.redHat.B.filter((p) => p.kind === 'schema');
      if (!r.owned || theirs.length) {
        wrong.push(`${r.c.file}: ownsSchema = ${r.owned}; Red Hat's schema errors: ${theirs.length ? theirs.map(show).join('; ') : 'none'}`);
      }
    }
    // completion while typing a new key: the document is briefly invalid YAML
    const typing = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', '  rep', '  selector:', '    matchLabels:', '      app: web', ''].join('\n');
    const path = join(REPO, 'test', 'fixtures', 'redhat', 'typing.yaml'); // not on disk: an unsaved editor
    const position = { line: 5, character: 5 };
    const redHat = await servers.B.completions(path, typing, position);
    const pavedRoad = completionsAt(path, typing, position, builtinContext()).map((i) => i.label);
    const both = redHat.filter((label) => pavedRoad.includes(label));
    if (both.length) {
      wrong.push(`completing \`rep\` in a Deployment (ownsSchema = ${ownsSchema(path, typing, builtinContext())}): offered by both: ${both.join(', ')}`);
    }
    assert.deepEqual(wrong, [], `Red Hat YAML used the user's schema where Paved Road validates:\n  ${wrong.join('\n  ')}`);
  });
});
