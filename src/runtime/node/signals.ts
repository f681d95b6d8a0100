import process from "node:process";
import type { StopSignal } from "../types.ts";

/**
 * Calls `handler` with the signal's name on SIGINT and SIGTERM; returns its
 * remover. Shared by Node and Bun.
 *
 * @example
 * ```ts
 * import { onStopSignals } from "./signals.ts";
 * const remove = onStopSignals((signal) => console.error(signal));
 * remove();
 * ```
 */
export function onStopSignals(handler: (signal: StopSignal) => void): () => void {
  const onInt = (): void => handler("SIGINT");
  const onTerm = (): void => handler("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return () => {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  };
}
