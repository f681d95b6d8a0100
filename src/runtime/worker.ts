/**
 * Worker threads across runtimes: the web `Worker` on Deno and Bun,
 * `node:worker_threads` on Node. The parent side (`spawnWorker`) and the child
 * side (`parentPort`) have the same shape everywhere so that the engine never
 * touches a runtime global. Worker modules load from `file:` URLs (a source
 * checkout) or from `data:` URLs (the bundled entries, see `entry_url.ts`).
 *
 * @example
 * ```ts
 * import { spawnWorker } from "./worker.ts";
 * const w = spawnWorker(new URL("./my_worker.ts", import.meta.url), "lunge-load-1");
 * w.onMessage((m) => console.log(m));
 * w.postMessage({ hello: true });
 * ```
 *
 * @module
 */
import { runtime } from "./mod.ts";
import type { ParentPort, SpawnWorkerFn } from "./types.ts";

export type { ParentPort, SpawnWorkerFn, WorkerHandle } from "./types.ts";

/**
 * Starts a module worker from `url` (`file:`, or `data:` for bundled code).
 *
 * @example
 * ```ts
 * import { spawnWorker } from "./worker.ts";
 * const w = spawnWorker(new URL("./my_worker.ts", import.meta.url), "lunge-load-1");
 * w.onMessage((m) => console.log(m));
 * w.postMessage({ hello: true });
 * ```
 */
export const spawnWorker: SpawnWorkerFn = runtime.spawnWorker;

/**
 * The parent port of the current worker.
 *
 * @example
 * ```ts
 * import { parentPort } from "./worker.ts";
 * const port = parentPort();
 * port.onMessage((m) => port.postMessage({ echo: m }));
 * ```
 */
export const parentPort: () => ParentPort = runtime.parentPort;
