/** Exit codes of every command. */
export const EXIT_OK = 0;
/** Findings at or above `--fail-on`. */
export const EXIT_FINDINGS = 1;
/** Usage error, or a file or directory that could not be read or written. */
export const EXIT_ERROR = 2;

/** An error the user can act on: printed as `paved-road: <message>`, exit code 2. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** A mistake in the command line: printed with a pointer to the help of `helpFor`. */
export class UsageError extends CliError {
  constructor(
    message: string,
    /** The command whose help to point at (`validate`), or undefined for the global help. */
    readonly helpFor?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
