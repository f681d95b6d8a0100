/**
 * The type of the run options the command line builds, in a file of its own
 * so that `_args.ts` and the flag groups it calls in (`_args_http2.ts`,
 * `_workload_args.ts`) share it without importing each other.
 *
 * @module
 */
import type { RunOptions } from "../engine/options.ts";

/**
 * The run options the command line sets (callbacks and the signal are added by `main`).
 *
 * @example
 * ```ts
 * import type { CliRunOptions } from "./_cli_run_options.ts";
 * const options: CliRunOptions = { url: "builtin", rate: 100 };
 * ```
 */
export type CliRunOptions = Omit<RunOptions, "signal" | "onProgress" | "onCollector">;
