/**
 * `RunOptionsError`, the one error for bad run options. It lives in the
 * options room so that the engine's validators and the files whose types the
 * options use (segments, request sets) import it without importing
 * `engine/options.ts` (which imports their types: a circle).
 *
 * @module
 */

/**
 * The one error for bad run options, from `run()` and from the CLI: it names
 * the option, and its message reads `Cannot start run: "rate" must be > 0`.
 * The CLI turns it into a one-line usage error (exit 2) by its class.
 *
 * @example
 * ```ts
 * import { RunOptionsError } from "./run_options_error.ts";
 * const e = new RunOptionsError("rate", '"rate" must be > 0, got 0');
 * e.option; // "rate"
 * e.message; // 'Cannot start run: "rate" must be > 0, got 0'
 * ```
 */
export class RunOptionsError extends Error {
  /** The option at fault, as named in `RunOptions` (e.g. `"rate"`). */
  readonly option: string;
  /** What is wrong, without the `Cannot start run: ` prefix (the CLI prints this). */
  readonly reason: string;

  /** Creates the error for `option`; `reason` is the text after `Cannot start run: `. */
  constructor(option: string, reason: string, options?: { cause?: unknown }) {
    super(`Cannot start run: ${reason}`, options);
    this.name = "RunOptionsError";
    this.option = option;
    this.reason = reason;
  }
}
