/**
 * Builds the CLI bundle for end-to-end tests, with the options of the `cli`
 * bundle in esbuild.config.mjs, into a temporary directory: the tests run the
 * current sources, not a stale dist/, and do not depend on the other bundles building.
 */
import { build } from 'esbuild';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

export async function buildCliBundle(outdir: string): Promise<string> {
  await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: { cli: 'src/cli.ts' },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'es2022',
    sourcemap: false,
    legalComments: 'none',
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'silent',
  });
  return join(outdir, 'cli.js');
}
