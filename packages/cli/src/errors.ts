import { StatsInputError } from '@liftlab/stats';

/** Exit code for input the CLI cannot analyse (bad field, unknown option, unreadable file). */
export const EXIT_BAD_INPUT = 2;
/** Exit code for anything else that went wrong. */
export const EXIT_FAILURE = 1;

/**
 * Bad input found by the CLI itself (flags, files, CSV headers). Same shape as the statistics package's
 * StatsInputError so both print as `error: <field>: <rule>`.
 */
export class CliInputError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field}: ${rule}`);
    this.name = 'CliInputError';
  }
}

export function isInputError(error: unknown): error is CliInputError | StatsInputError {
  return error instanceof CliInputError || error instanceof StatsInputError;
}

/** The stderr line and exit code for an error that escaped a command. */
export function describeError(error: unknown): { message: string; exitCode: number } {
  if (isInputError(error))
    return { message: `error: ${error.field}: ${error.rule}`, exitCode: EXIT_BAD_INPUT };
  const text = error instanceof Error ? error.message : String(error);
  return { message: `error: ${text}`, exitCode: EXIT_FAILURE };
}
