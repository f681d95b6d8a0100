/**
 * Workers on Bun: web module workers from `file:`, `data:` and `blob:` URLs.
 * JavaScriptCore has no young generation to size, so Bun keeps the web
 * `Worker`; the worker side is the web worker scope, as on Deno.
 *
 * @module
 */
import type { WorkerHandle } from "../types.ts";
export { parentPort } from "../deno/worker.ts";

/**
 * Starts a web module worker from a `file:`, `data:` or `blob:` URL.
 *
 * @example
 * ```ts
 * import { spawnWorker } from "./_worker.ts";
 * const w = spawnWorker(new URL("./my_worker.ts", import.meta.url), "lunge-load-1");
 * w.onMessage((m) => console.log(m));
 * w.postMessage({ hello: true });
 * ```
 */
export function spawnWorker(url: URL | string, name: string): WorkerHandle {
  const worker = new Worker(url, { type: "module", name });
  return {
    postMessage: (message: unknown): void => worker.postMessage(message),
    onMessage: (handler: (message: unknown) => void): void => {
      worker.onmessage = (event: MessageEvent): void => handler(event.data);
    },
    onError: (handler: (error: Error) => void): void => {
      worker.onerror = (event: ErrorEvent): void => {
        event.preventDefault?.();
        handler(event.error instanceof Error ? event.error : new Error(event.message));
      };
    },
    terminate: (): void => worker.terminate(),
  };
}
