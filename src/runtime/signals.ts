/**
 * SIGINT and SIGTERM across runtimes: the CLI stops a run the same way on
 * both (a partial report), and exits with 128 + the signal's number.
 *
 * @example
 * ```ts
 * import { onStopSignals } from "./signals.ts";
 * const remove = onStopSignals((signal) => console.error(`${signal}: stopping`));
 * remove();
 * ```
 *
 * @module
 */
import { runtime } from "./mod.ts";
import type { StopSignal } from "./types.ts";

export type { StopSignal } from "./types.ts";

/**
 * Calls `handler` with the signal's name on SIGINT and SIGTERM; returns a
 * function that removes it.
 *
 * @example
 * ```ts
 * import { onStopSignals } from "./signals.ts";
 * const remove = onStopSignals((signal) => console.error(signal));
 * remove();
 * ```
 */
export const onStopSignals: (handler: (signal: StopSignal) => void) => () => void = runtime.onStopSignals;

/**
 * The exit code of a process ended by `signal`: 130 for SIGINT, 143 for SIGTERM.
 *
 * @example
 * ```ts
 * import { signalExitCode } from "./signals.ts";
 * console.log(signalExitCode("SIGTERM")); // 143
 * ```
 */
export function signalExitCode(signal: StopSignal): number {
  return signal === "SIGTERM" ? 143 : 130;
}
