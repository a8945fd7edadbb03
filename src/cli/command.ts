/**
 * A CLI command is one module exporting a `Command`; `commands/index.ts` lists
 * them. The runner parses the options (adding `--help`) and prints the help, so
 * a command only declares its options and does its work.
 */
import type { OptionSpecs, ParsedArgs } from './args';
import type { CliContext } from './context';

export interface Command<S extends OptionSpecs = OptionSpecs> {
  name: string;
  /** What follows the name in the usage line, e.g. `[options] [paths…]`. */
  synopsis: string;
  /** One line, for the command list. */
  summary: string;
  /** A paragraph or two, for the command's help. */
  description: string;
  options: S;
  examples?: readonly string[];
  /** Returns the exit code. Throws `CliError`/`UsageError`/`FileAccessError` for exit code 2. */
  run(args: ParsedArgs<S>, ctx: CliContext): Promise<number>;
}

/** Keeps a command's option types while listing it with the others. */
export function defineCommand<S extends OptionSpecs>(command: Command<S>): Command<S> {
  return command;
}
