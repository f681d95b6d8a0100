/**
 * The error of a bad command line: the CLI prints its message as one line
 * (`lunge: <message>`) and exits with code 2, never with a stack trace.
 *
 * @module
 */

/**
 * A usage mistake on the command line (unknown flag, bad value, bad URL).
 *
 * @example
 * ```ts
 * import { CliUsageError } from "./_errors.ts";
 * throw new CliUsageError('"--rate" must be > 0, got 0');
 * ```
 */
export class CliUsageError extends Error {
  /** The command whose help explains the fix (`"run"`, `"serve"`), or `null` for the global help. */
  readonly command: string | null;
  constructor(message: string, command: string | null = null) {
    super(message);
    this.name = "CliUsageError";
    this.command = command;
  }
}
