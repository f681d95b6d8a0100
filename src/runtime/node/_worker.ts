import { parentPort as nodeParentPort, Worker } from "node:worker_threads";
import type { ParentPort, WorkerHandle } from "../types.ts";

/**
 * Starts a `node:worker_threads` worker from a `file:` or `data:` URL (Node
 * has no web `Worker`; a `data:` URL is loaded as an ES module).
 *
 * @example
 * ```ts
 * import { spawnWorker } from "./_worker.ts";
 * const w = spawnWorker("data:text/javascript,import{parentPort}from'node:worker_threads';parentPort.on('message',m=>parentPort.postMessage(m))", "echo");
 * w.onMessage((m) => console.log(m));
 * w.postMessage({ hello: true });
 * ```
 */
export function spawnWorker(url: URL | string, name: string): WorkerHandle {
  const worker = new Worker(typeof url === "string" ? new URL(url) : url, { name });
  let messageHandler: ((message: unknown) => void) | null = null;
  let errorHandler: ((error: Error) => void) | null = null;
  worker.on("message", (message: unknown) => messageHandler?.(message));
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
 * The parent port of the current `node:worker_threads` worker.
 *
 * @example
 * ```ts
 * import { parentPort } from "./_worker.ts";
 * const port = parentPort();
 * port.onMessage((m) => port.postMessage({ echo: m }));
 * ```
 */
export function parentPort(): ParentPort {
  const port = nodeParentPort;
  if (port === null) throw new Error("Cannot use parentPort: this code is not running in a worker thread");
  let current: ((message: unknown) => void) | null = null;
  return {
    postMessage: (message: unknown): void => port.postMessage(message),
    onMessage: (handler: (message: unknown) => void): void => {
      if (current !== null) port.off("message", current);
      current = handler;
      port.on("message", handler);
    },
    close: (): void => port.close(),
  };
}
