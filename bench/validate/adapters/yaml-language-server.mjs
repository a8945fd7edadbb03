// Red Hat's yaml-language-server (the engine of the VS Code YAML extension), driven
// in-process through its language service: getLanguageService(...).doValidation(doc).
// Version 2 ships one ESM build: yaml-language-server/out/src/languageservice/yamlLanguageService.js
// (1.x had lib/umd and lib/esm). Parameters it needs: schemaRequestService (here: reads
// file:// URIs from disk; nothing is fetched), workspaceContext (relative path resolution),
// telemetry (no-op), clientCapabilities (empty: no client).
//
// Schema association is per file (glob → schema), not per document, so a file that
// mixes kinds (k8s/all.yaml) gets one combined "dispatch" schema per family:
//   { allOf: [ { if: { required: [apiVersion, kind], properties: { apiVersion: {const}, kind: {const} } },
//                then: { $ref: "file:///…/apps.v1.Deployment.json" } }, … ] }
// `if`/`then` applies exactly the matching kind's schema, so no branch competes: unlike
// a oneOf over all kinds (what yannh's all.json does, and why the Red Hat extension
// hides "Matches multiple schemas when only one must validate" for Kubernetes), or an
// anyOf (which reports the errors of every non-matching branch when a document is
// invalid). Red Hat users get per-document selection only for built-in Kubernetes kinds,
// through the `kubernetes` association plus the CRD store, which downloads schemas from
// GitHub — not possible here and not the same schemas. A family with a single schema
// (Sloth, Score) is associated with its schema file directly, as users do in
// `yaml.schemas`. doValidation runs with isKubernetes = false, so nothing is suppressed.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from 'yaml-language-server/out/src/languageservice/yamlLanguageService.js';
import { documentIndexForLine } from '../lib/documents.mjs';

const require = createRequire(import.meta.url);

export const id = 'yls';
export const label = 'yaml-language-server';

/** Which files each family's schema is associated with (yls globs; `**∕` is implied). */
export const FILE_MATCH = {
  kubernetes: ['k8s/*.yaml', 'deploy/*.yaml'],
  backstage: ['catalog-info.yaml'],
  sloth: ['*.sloth.yaml'],
  score: ['score.yaml'],
};

// The language service reports schema problems as warnings; the server turns every
// warning into an error before publishing (languageserver/handlers/validationHandlers.js),
// so that is what users see and what counts here. Information and hints do not count.
const ERROR = 1;
const WARNING = 2;

function ifCondition(m) {
  const properties = {};
  const required = [];
  if (m.version !== undefined) {
    properties.version = { const: m.version };
    required.push('version');
  }
  if (m.apiVersion !== undefined) {
    properties.apiVersion = { const: m.apiVersion };
    required.push('apiVersion');
  }
  if (m.apiVersionPrefix !== undefined) {
    properties.apiVersion = { type: 'string', pattern: `^${m.apiVersionPrefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}` };
    required.push('apiVersion');
  }
  if (m.kind !== undefined) {
    properties.kind = { const: m.kind };
    required.push('kind');
  }
  return { type: 'object', required, properties };
}

/** The `yaml.schemas`-like settings: one association per family. */
export function schemaSettings(registry) {
  const settings = [];
  for (const [family, fileMatch] of Object.entries(FILE_MATCH)) {
    const entries = registry.entries.filter((e) => e.family === family);
    if (entries.length === 0) continue;
    if (entries.length === 1) {
      settings.push({ uri: pathToFileURL(entries[0].file).href, fileMatch, name: `${family} (bench)` });
      continue;
    }
    settings.push({
      uri: `file:///paved-road-bench/${family}.dispatch.json`,
      fileMatch,
      name: `${family} (bench dispatch)`,
      schema: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        title: `${family}: the schema of the document's kind`,
        allOf: entries.map((e) => ({ if: ifCondition(e.match), then: { $ref: pathToFileURL(e.file).href } })),
      },
    });
  }
  return settings;
}

export async function setup({ registry }) {
  const telemetry = { send() {}, sendError() {}, sendTrack() {} };
  const schemaRequestService = async (uri) => {
    if (!uri.startsWith('file://')) throw new Error(`bench: refusing to fetch ${uri}`);
    return readFile(new URL(uri), 'utf8');
  };
  const workspaceContext = { resolveRelativePath: (relativePath, resource) => new URL(relativePath, resource).href };
  const ls = getLanguageService({ schemaRequestService, workspaceContext, telemetry, clientCapabilities: {} });
  ls.configure({
    validate: true,
    hover: false,
    completion: false,
    format: false,
    isKubernetes: false,
    yamlVersion: '1.2',
    customTags: [],
    schemas: schemaSettings(registry),
  });
  const version = require('yaml-language-server/package.json').version;
  return { ls, note: `yaml-language-server ${version} (language service in-process, ${registry.entries.length} schemas)` };
}

/**
 * The URI yls sees for a corpus file. Not the real path: the corpus lives under `.bench/`,
 * and yls matches `fileMatch` globs with picomatch, whose `**` does not enter dot folders,
 * so no association would apply. The text is passed in, so yls never reads this URI.
 */
export function documentUri(set, f) {
  return `file:///bench-corpus/${set.dir}/${f.path}`;
}

/**
 * One pass over a set. `pass` becomes the TextDocument version, so a later pass re-parses
 * (yls caches parsed documents by URI and version) while resolved schemas stay cached.
 */
export async function validateSet(state, { set, files, pass }) {
  const findings = [];
  const otherFindings = [];
  const other = new Map();
  for (const f of files) {
    const doc = TextDocument.create(documentUri(set, f), 'yaml', pass, f.text);
    const diagnostics = await state.ls.doValidation(doc, false);
    for (const d of diagnostics) {
      const message = typeof d.message === 'string' ? d.message : d.message.value;
      const entry = { file: f.path, documentIndex: documentIndexForLine(f.starts, d.range.start.line), line: d.range.start.line + 1, message };
      if (d.severity !== ERROR && d.severity !== WARNING) {
        other.set(message, (other.get(message) ?? 0) + 1);
        otherFindings.push({ ...entry, severity: d.severity === 3 ? 'info' : 'hint' });
        continue;
      }
      findings.push(entry);
    }
  }
  const notes = [...other].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([m, n]) => `${n}× non-error diagnostic: ${m.slice(0, 120)}`);
  const multiple = findings.filter((f) => f.message.startsWith('Matches multiple schemas')).length;
  if (multiple) notes.push(`${multiple}× "Matches multiple schemas when only one must validate"`);
  return { findings, otherFindings, documents: files.reduce((s, f) => s + f.starts.length, 0), notes };
}
