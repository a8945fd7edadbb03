/**
 * What `dist/cli.js` runs: it turns on Node's compile cache (Node 22.1 and
 * later: V8's code cache of the CLI bundle, which Node keeps in its cache folder
 * and checks against the bundle's content), then loads the CLI itself
 * (`dist/cli-main.js`, built from src/cli.ts). A pre-commit hook starts the CLI
 * on every commit; with the cache Node does not parse and compile the whole
 * bundle again each time. On older Node versions it only loads the CLI.
 */
import module from 'node:module';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./cli-main.js');
} catch (err) {
  // a broken install: exit code 2 (an error), never 1 (which means findings)
  if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !String((err as Error).message).includes('cli-main.js')) throw err;
  process.stderr.write(`paved-road: internal error: ${(err as Error).message.split('\n')[0] ?? ''}\n`);
  process.exitCode = 2;
}
