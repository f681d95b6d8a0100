import { Worker as NodeWorker } from "node:worker_threads";
import type { ParentPort, WorkerHandle } from "../types.ts";

/**
 * Young generation of a worker's V8 isolate, MiB. Left to V8, it grows each time the bytes that
 * survive its collections add up to its size, up to a 64 MiB new space here, so a long run's RSS
 * climbs in steps of 13-18 MiB for half an hour (a 30-minute soak at 10,000 req/s: +1.7 MiB/min
 * after the first 2 minutes, with every heap flat; +0.12 with this cap). A load worker allocates
 * next to nothing per request, so the cap costs it nothing: a pinned A/B read it 6-28% faster.
 */
export const WORKER_YOUNG_GENERATION_MB = 12;

/**
 * Starts a module worker from a `file:` or `data:` URL. On Deno it is a `node:worker_threads`
 * worker, the one kind whose heap can be sized (`resourceLimits`); inside, it is the same web
 * worker scope (`postMessage`, `onmessage`, `close()`), so `parentPort()` below serves both.
 *
 * @example
 * ```ts
 * import { spawnWorker } from "./worker.ts";
 * const w = spawnWorker(new URL("./my_worker.ts", import.meta.url), "lunge-load-1");
 * w.onMessage((m) => console.log(m));
 * w.postMessage({ hello: true });
 * ```
 */
export function spawnWorker(url: URL | string, name: string): WorkerHandle {
  const worker = new NodeWorker(typeof url === "string" ? new URL(url) : url, {
    name,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  let messageHandler: ((message: unknown) => void) | null = null;
  let errorHandler: ((error: Error) => void) | null = null;
  worker.on("message", (message: unknown) => messageHandler?.(message));
  // Always listened to: an unheard "error" would end the process.
  worker.on("error", (error: unknown) => {
    errorHandler?.(error instanceof Error ? error : new Error(String(error)));
  });
  return {
    postMessage: (message: unknown): void => worker.postMessage(message),
    onMessage: (handler: (message: unknown) => void): void => {
      messageHandler = handler;
    },
    onError: (handler: (error: Error) => void): void => {
      errorHandler = handler;
    },
    terminate: (): void => {
      void worker.terminate();
    },
  };
}

/**
 * The parent port of the current worker (Deno and Bun): the worker's global scope.
 *
 * @example
 * ```ts
 * import { parentPort } from "./worker.ts";
 * const port = parentPort();
 * port.onMessage((m) => port.postMessage({ echo: m }));
 * ```
 */
export function parentPort(): ParentPort {
  const scope = globalThis as unknown as {
    postMessage(message: unknown): void;
    onmessage: ((event: MessageEvent) => void) | null;
    close(): void;
  };
  return {
    postMessage: (message: unknown): void => scope.postMessage(message),
    onMessage: (handler: (message: unknown) => void): void => {
      scope.onmessage = (event: MessageEvent): void => handler(event.data);
    },
    close: (): void => scope.close(),
  };
}
