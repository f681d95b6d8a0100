import type { StopSignal } from "../types.ts";

/**
 * Calls `handler` with the signal's name on SIGINT and SIGTERM; returns its remover.
 *
 * @example
 * ```ts
 * import { onStopSignals } from "./_signals.ts";
 * const remove = onStopSignals((signal) => console.error(signal));
 * remove();
 * ```
 */
export function onStopSignals(handler: (signal: StopSignal) => void): () => void {
  const onInt = (): void => handler("SIGINT");
  const onTerm = (): void => handler("SIGTERM");
  Deno.addSignalListener("SIGINT", onInt);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", onTerm);
  return () => {
    Deno.removeSignalListener("SIGINT", onInt);
    if (Deno.build.os !== "windows") Deno.removeSignalListener("SIGTERM", onTerm);
  };
}
