/**
 * Entry point of the `paved-road` CLI (bundled to dist/cli-main.js, which dist/cli.js
 * loads after turning on Node's compile cache: src/cli-entry.ts). Everything is in
 * src/cli/: `run.ts` dispatches to one module per command under `commands/`.
 * The CLI shares the engine in src/core with the extension and never imports `vscode`.
 */
import { processContext } from './cli/context';
import { EXIT_ERROR } from './cli/errors';
import { runCli } from './cli/run';

// `paved-road validate | head`: the reader went away; stop quietly, as Unix tools do.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`paved-road: cannot write to stdout: ${err.message}\n`);
  process.exit(EXIT_ERROR);
});

runCli(process.argv.slice(2), processContext()).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // runCli reports its own errors; this is the last resort
    process.stderr.write(`paved-road: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = EXIT_ERROR;
  },
);
