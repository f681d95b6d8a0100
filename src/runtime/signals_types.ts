/**
 * Shapes of the stop-signal adapters in `src/runtime/<rt>/signals.ts`.
 *
 * @module
 */

/** The signals that ask lunge to stop: Ctrl-C and a polite kill. */
export type StopSignal = "SIGINT" | "SIGTERM";
