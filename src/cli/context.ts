/**
 * Everything a command touches outside itself, passed in so commands can be run
 * in-process by tests: working directory, environment and the two streams.
 */
export interface Output {
  write(text: string): void;
}

export interface CliContext {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: Output;
  stderr: Output;
  /** Whether stdout is a terminal (colours are used only then). */
  stdoutIsTTY: boolean;
}

export function processContext(): CliContext {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: { write: (text) => void process.stdout.write(text) },
    stderr: { write: (text) => void process.stderr.write(text) },
    stdoutIsTTY: process.stdout.isTTY === true,
  };
}

/**
 * Colours on stdout: only on a terminal, and never when NO_COLOR is set to a
 * non-empty value (https://no-color.org). FORCE_COLOR=1 turns them on anyway
 * (for CI logs that render ANSI), FORCE_COLOR=0 off.
 */
export function useColor(ctx: Pick<CliContext, 'env' | 'stdoutIsTTY'>): boolean {
  if (ctx.env.NO_COLOR) return false;
  const force = ctx.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return ctx.stdoutIsTTY;
}
