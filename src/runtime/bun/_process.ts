import process from "node:process";
import { spawnNodeLikeProcess } from "../node/process.ts";
import type { RuntimeProcess } from "../types.ts";

export { onStdinClosed } from "../node/process.ts";

/**
 * Starts a child Bun process (`process.execPath`) running `scriptUrl` with
 * `args`; stdio is piped.
 *
 * @example
 * ```ts
 * import { spawnRuntimeProcess } from "./_process.ts";
 * const child = spawnRuntimeProcess(new URL("./entry.ts", import.meta.url), []);
 * child.kill();
 * await child.exited;
 * ```
 */
export function spawnRuntimeProcess(scriptUrl: URL | string, args: string[]): RuntimeProcess {
  return spawnNodeLikeProcess(process.execPath, scriptUrl, args);
}
