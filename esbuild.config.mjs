// Builds the three bundles: the extension (node, cjs, `vscode` external), the
// CLI (node) and the webview UI (browser). Type-checking is its own step
// (`npm run typecheck`); esbuild only strips types.
//   node esbuild.config.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { statSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {esbuild.BuildOptions} */
const common = {
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
  cli: {
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
  },
  webview: {
    ...common,
    entryPoints: { main: 'webview-ui/src/main.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
  },
};

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
    ['webview', 'dist/webview/main.js'],
  ];
  console.log(`bundles (${production ? 'production' : 'development'}):`);
  for (const [name, file] of rows) console.log(`  ${name.padEnd(10)} ${file.padEnd(24)} ${size(file)}`);
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
  console.log('[watch] watching for changes…');
} else {
  await Promise.all(Object.values(bundles).map((options) => esbuild.build(options)));
  report();
}
