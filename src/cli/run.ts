/**
 * The CLI's dispatch: global options, `help`, then one command. Every error ends
 * here: usage and I/O errors as one line on stderr with exit code 2, anything
 * unexpected as an internal error (exit code 2, the stack with PAVED_ROAD_DEBUG=1).
 */
import { FileAccessError } from '../core/files';
import { displayText } from '../core/util/text';
import { parseCommandArgs, suggest } from './args';
import type { Command } from './command';
import { COMMANDS, findCommand } from './commands';
import type { CliContext } from './context';
import { CliError, EXIT_ERROR, EXIT_OK, UsageError } from './errors';
import { GLOBAL_OPTIONS, HELP_OPTION, commandHelp, globalHelp } from './help';
import { CLI_NAME, TOOL } from './tool';

/** Runs the CLI with `argv` (without `node` and the script). Resolves to the exit code; never rejects. */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  try {
    return await dispatch(argv, ctx);
  } catch (err) {
    return reportError(err, ctx);
  }
}

async function dispatch(argv: readonly string[], ctx: CliContext): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    ctx.stderr.write(globalHelp());
    return EXIT_ERROR;
  }
  if (first.startsWith('-') && first !== '-') {
    const { options, positionals } = parseCommandArgs(argv, GLOBAL_OPTIONS, undefined);
    if (options.version) {
      ctx.stdout.write(`${TOOL.version}\n`);
      return EXIT_OK;
    }
    if (options.help) {
      ctx.stdout.write(globalHelp());
      return EXIT_OK;
    }
    throw new UsageError(`options go after the command, as in '${CLI_NAME} ${positionals[0] ?? 'validate'} ${first}'`);
  }
  if (first === 'help') return help(rest, ctx);
  const command = findCommand(first);
  if (!command) throw unknownCommand(first);
  return runCommand(command, rest, ctx);
}

function help(args: readonly string[], ctx: CliContext): number {
  const [name] = args;
  if (name === undefined) {
    ctx.stdout.write(globalHelp());
    return EXIT_OK;
  }
  const command = findCommand(name);
  if (!command) throw unknownCommand(name);
  ctx.stdout.write(commandHelp(command));
  return EXIT_OK;
}

async function runCommand(command: Command, args: readonly string[], ctx: CliContext): Promise<number> {
  const parsed = parseCommandArgs(args, { ...command.options, ...HELP_OPTION }, command.name);
  if (parsed.options.help === true) {
    ctx.stdout.write(commandHelp(command));
    return EXIT_OK;
  }
  return command.run(parsed, ctx);
}

function unknownCommand(name: string): UsageError {
  const names = [...COMMANDS.map((c) => c.name), 'help'];
  const suggestion = suggest(name, names);
  return new UsageError(`unknown command '${name}'${suggestion ? ` — did you mean '${suggestion}'?` : ''}`);
}

/** One line on stderr; exit code 2. */
export function reportError(err: unknown, ctx: CliContext): number {
  if (err instanceof UsageError) {
    const helpCommand = err.helpFor ? `${CLI_NAME} ${err.helpFor} --help` : `${CLI_NAME} --help`;
    const end = /[.?!]$/.test(err.message) ? '' : '.';
    ctx.stderr.write(`${CLI_NAME}: ${err.message}${end} Run '${helpCommand}' for usage.\n`);
  } else if (err instanceof FileAccessError) {
    // a path can come from the repository (a file name with ESC or a newline): escaped, bounded
    ctx.stderr.write(`${CLI_NAME}: ${err.reason}: ${displayText(err.path, 500)}\n`);
  } else if (err instanceof CliError) {
    ctx.stderr.write(`${CLI_NAME}: ${displayText(err.message, 1000)}\n`);
  } else {
    const message = err instanceof Error ? err.message : String(err);
    ctx.stderr.write(`${CLI_NAME}: internal error: ${message}\n`);
    if (ctx.env.PAVED_ROAD_DEBUG && err instanceof Error && err.stack) ctx.stderr.write(`${err.stack}\n`);
  }
  return EXIT_ERROR;
}
