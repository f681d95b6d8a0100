/**
 * Child processes of the same runtime across Deno, Bun and Node: the parent
 * side (`spawnRuntimeProcess`) and the child side (`onStdinClosed`).
 *
 * @example
 * ```ts
 * import { spawnRuntimeProcess } from "./process.ts";
 * const child = spawnRuntimeProcess(new URL("../target/process_entry.ts", import.meta.url), []);
 * child.onStdoutLine((line) => console.log(JSON.parse(line)));
 * child.kill();
 * await child.exited;
 * ```
 *
 * @module
 */
import { runtime } from "./mod.ts";
import type { RuntimeProcess } from "./types.ts";

export type { ChildSignal, RuntimeProcess } from "./types.ts";

/**
 * Starts a child process of the current runtime's executable running
 * `scriptUrl` with `args` (`process.execPath` on Node and Bun,
 * `Deno.execPath() run -A` on Deno); stdio is piped.
 *
 * @example
 * ```ts
 * import { spawnRuntimeProcess } from "./process.ts";
 * const child = spawnRuntimeProcess(new URL("./child.ts", import.meta.url), ["--flag"]);
 * console.log(child.pid);
 * child.kill("SIGTERM");
 * console.log(await child.exited);
 * ```
 */
export const spawnRuntimeProcess: (scriptUrl: URL | string, args: string[]) => RuntimeProcess =
  runtime.spawnRuntimeProcess;

/**
 * In a child process: calls `handler` once stdin reaches its end (the parent
 * closed it or died), so that an orphaned child does not live on.
 *
 * @example
 * ```ts
 * import { onStdinClosed } from "./process.ts";
 * import { system } from "./mod.ts";
 * onStdinClosed(() => system.exit(0));
 * ```
 */
export const onStdinClosed: (handler: () => void) => void = runtime.onStdinClosed;
