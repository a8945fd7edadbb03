// Bundles the suites that run in the extension host (test/integration, test/package):
// one file per test module under out/test/, with `vscode` and `mocha`
// left external (the host provides vscode; mocha comes from node_modules).
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';

const dirs = ['test/integration', 'test/package'];
const entryPoints = dirs.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${dir}/${f}`),
);

await esbuild.build({
  entryPoints,
  outdir: 'out/test',
  outbase: 'test',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'es2022',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
console.log(`built ${entryPoints.length} test module(s) for the extension host into out/test/`);
