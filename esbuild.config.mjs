// Builds the bundles: the extension (node, cjs, `vscode` external), the engine
// it loads on first use, the CLI (node) and the webview UI (browser), and the
// validators of the bundled schemas, compiled ahead of time into dist/validators/
// (src/core/schema/precompile.ts; only those whose schema changed are compiled
// again). Type-checking is its own step (`npm run typecheck`); esbuild only strips types.
//   node esbuild.config.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/**
 * @backstage/catalog-model's validators (the engine checks entities with them) require all of
 * lodash, 220 KB, for CommonValidatorFunctions.isJsonSafe alone, which Paved Road never calls:
 * in the bundles, the package gets a stub that refuses that one function.
 * @type {esbuild.Plugin}
 */
const catalogModelWithoutLodash = {
  name: 'catalog-model-without-lodash',
  setup(build) {
    build.onResolve({ filter: /^lodash$/ }, (args) =>
      /[\\/]@backstage[\\/]catalog-model[\\/]/.test(args.importer) ? { path: 'lodash', namespace: 'catalog-model-stub' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'catalog-model-stub' }, () => ({
      contents: "module.exports = { isEqual() { throw new Error('not bundled: CommonValidatorFunctions.isJsonSafe is not available'); } };",
      loader: 'js',
    }));
  },
};

/** @type {esbuild.BuildOptions} */
const common = {
  plugins: [catalogModelWithoutLodash],
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
  target: 'es2022',
};

/** @type {Record<string, esbuild.BuildOptions>} */
const bundles = {
  extension: {
    ...common,
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    // the engine is its own bundle, required on first use (src/extension/engine.ts)
    external: ['vscode', './engine.js'],
    // marks when the bundle starts and ends evaluating, for the activation-time measurement
    banner: { js: 'globalThis.__pavedRoadLoad = { start: performance.now() };' },
    footer: { js: 'globalThis.__pavedRoadLoad.end = performance.now();' },
  },
  engine: {
    ...common,
    entryPoints: { engine: 'src/core/engine.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
  },
  // dist/cli.js turns on Node's compile cache and loads the CLI, dist/cli-main.js (src/cli-entry.ts)
  cli: {
    ...common,
    entryPoints: { cli: 'src/cli-entry.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    external: ['./cli-main.js'],
    banner: { js: '#!/usr/bin/env node' },
  },
  cliMain: {
    ...common,
    entryPoints: { 'cli-main': 'src/cli.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
  },
  webview: {
    ...common,
    entryPoints: { main: 'webview-ui/src/main.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
  },
};

/** Compiles the validators of the bundled schemas (ajv standalone code, minified, brotli-compressed). */
async function validators() {
  const { require: tsxRequire } = await import('tsx/cjs/api');
  const { precompileValidators } = tsxRequire('./src/core/schema/precompile.ts', import.meta.url);
  return precompileValidators({
    schemasDir: 'schemas',
    outDir: 'dist/validators',
    transform: (code) => esbuild.transformSync(code, { minify: true, format: 'cjs', target: 'es2022', legalComments: 'none' }).code,
  });
}

function size(file) {
  try {
    return `${(statSync(file).size / 1024).toFixed(1)} KB`;
  } catch {
    return 'missing';
  }
}

function report() {
  const rows = [
    ['extension', 'dist/extension.js'],
    ['engine', 'dist/engine.js'],
    ['cli', 'dist/cli.js'],
    ['cli-main', 'dist/cli-main.js'],
    ['webview', 'dist/webview/main.js'],
  ];
  console.log(`bundles (${production ? 'production' : 'development'}):`);
  for (const [name, file] of rows) console.log(`  ${name.padEnd(10)} ${file.padEnd(24)} ${size(file)}`);
  let bytes = 0;
  const files = readdirSync('dist/validators');
  for (const f of files) bytes += statSync(join('dist/validators', f)).size;
  console.log(`  ${'validators'.padEnd(10)} ${'dist/validators/'.padEnd(24)} ${(bytes / 1024).toFixed(1)} KB (${files.length - 1} schemas)`);
}

if (watch) {
  const contexts = await Promise.all(
    Object.entries(bundles).map(([name, options]) =>
      esbuild.context({
        ...options,
        plugins: [{ name: 'report', setup: (b) => b.onEnd((r) => console.log(`[watch] ${name}: ${r.errors.length ? 'failed' : 'rebuilt'}`)) }],
      }),
    ),
  );
  await Promise.all(contexts.map((c) => c.watch()));
  await validators();
  console.log('[watch] watching for changes…');
} else {
  await Promise.all([...Object.values(bundles).map((options) => esbuild.build(options)), validators()]);
  report();
}
