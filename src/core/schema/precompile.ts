/**
 * Build step (esbuild.config.mjs): compiles the validator of every bundled
 * schema with ajv's standalone code generation, with the options the run-time
 * validator uses (`createAjv`), into `dist/validators/` (see `precompiled.ts`,
 * which loads them). Only validators whose schema text or generator changed
 * are generated again, so a rebuild costs nothing when the schemas did not change.
 * Not part of any bundle.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import standaloneCode from 'ajv/dist/standalone';
import { RUNTIME_MODULES, VALIDATORS_INDEX, schemaDigest } from './precompiled';
import type { ValidatorsIndex } from './precompiled';
import { bundledRegExp } from '../util/regexp';
import { createAjv, meterValidators, schemaForAjv } from './validator';

/** Bump when the way validators are generated changes. */
const GENERATOR_VERSION = 2;

/** The bundled schema files, relative to `schemasDir` with `/`: `.paved-road.yaml`'s, the Kubernetes and Backstage kinds and the project schemas. */
export function bundledSchemaFiles(schemasDir: string): string[] {
  const files = new Set<string>(['paved-road-config.schema.json']);
  for (const family of ['kubernetes', 'backstage']) {
    const index = JSON.parse(readFileSync(join(schemasDir, family, 'index.json'), 'utf8')) as { kinds: Record<string, { file: string }> };
    for (const kind of Object.values(index.kinds)) files.add(`${family}/${kind.file}`);
  }
  const project = JSON.parse(readFileSync(join(schemasDir, 'project', 'index.json'), 'utf8')) as { schemas: { file: string }[] };
  for (const entry of project.schemas) files.add(`project/${entry.file}`);
  return [...files].sort();
}

function generatorFingerprint(): string {
  const ajvVersion = (JSON.parse(readFileSync(require.resolve('ajv/package.json'), 'utf8')) as { version: string }).version;
  return `paved-road-validators/${GENERATOR_VERSION} ajv/${ajvVersion}`;
}

/** The standalone validator (a CommonJS module) of a schema as ajv gets it, compiled as `SchemaValidator` compiles it. */
export function standaloneValidator(schema: object): string {
  // bundled schemas: their patterns are reviewed (test/unit/budgets.test.ts), those RE2 cannot run run on JavaScript's engine
  const ajv = createAjv({}, { code: { source: true, regExp: bundledRegExp } });
  ajv.addSchema(schema, 'schema');
  const validate = ajv.getSchema('schema');
  if (!validate) throw new Error('ajv did not compile the schema');
  // as at run time: every validation function charges the budget, patterns run on RE2 (both from paved-road/runtime)
  const code = meterValidators(standaloneCode(ajv, validate), '__charge').replace(/^"use strict";/, '$&const __charge = require("paved-road/runtime").charge;');
  if (!code.includes('const __charge')) throw new Error('ajv standalone code does not start with "use strict"');
  for (const [, id] of code.matchAll(/require\("([^"]+)"\)/g)) {
    if (!RUNTIME_MODULES.includes(id as string)) throw new Error(`the validator requires '${id}', which precompiled.ts does not provide`);
  }
  return code;
}

export interface PrecompileOptions {
  schemasDir: string;
  outDir: string;
  /** Applied to each generated module before it is compressed (the build minifies). */
  transform?: (code: string) => string;
  /** Only these schema files (relative to `schemasDir`); default: every bundled schema. */
  only?: (relative: string) => boolean;
}

/** Writes the validators and their index; returns how many were generated and how many kept. */
export function precompileValidators(options: PrecompileOptions): { generated: number; kept: number } {
  const { schemasDir, outDir } = options;
  const generator = generatorFingerprint();
  let previous: ValidatorsIndex | undefined;
  try {
    previous = JSON.parse(readFileSync(join(outDir, VALIDATORS_INDEX), 'utf8')) as ValidatorsIndex;
  } catch {
    previous = undefined;
  }
  const existing = new Set<string>();
  try {
    for (const name of readdirSync(outDir)) existing.add(name);
  } catch {
    mkdirSync(outDir, { recursive: true });
  }

  const index: ValidatorsIndex = { generator, schemas: {} };
  const before = new Map(Object.entries(previous?.generator === generator ? previous.schemas : {}));
  let generated = 0;
  let kept = 0;
  for (const relative of bundledSchemaFiles(schemasDir)) {
    if (options.only && !options.only(relative)) continue;
    const schema = schemaForAjv(JSON.parse(readFileSync(join(schemasDir, relative), 'utf8')) as object) as object;
    const digest = schemaDigest(schema);
    if (index.schemas[digest]) continue; // the same schema twice
    const file = `${relative.replace(/[\\/]/g, '__')}.js.br`;
    const was = before.get(digest);
    if (was?.file === file && existing.has(file)) {
      index.schemas[digest] = was;
      kept++;
      continue;
    }
    const code = standaloneValidator(schema);
    const compressed = brotliCompressSync(Buffer.from(options.transform ? options.transform(code) : code, 'utf8'), { params: { [zlib.BROTLI_PARAM_QUALITY]: 9 } });
    writeAtomically(join(outDir, file), compressed);
    index.schemas[digest] = { file, source: relative };
    generated++;
  }
  writeAtomically(join(outDir, VALIDATORS_INDEX), `${JSON.stringify(index, null, 2)}\n`);
  const wanted = new Set([VALIDATORS_INDEX, ...Object.values(index.schemas).map((e) => e.file)]);
  for (const name of existing) if (!wanted.has(name)) rmSync(join(outDir, name), { force: true });
  return { generated, kept };
}

function writeAtomically(path: string, data: string | Buffer): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, data);
  renameSync(temp, path);
}
