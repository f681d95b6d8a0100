/**
 * Worker threads across runtimes: the web `Worker` on Deno and Bun. The parent
 * side (`spawnWorker`) and the child side (`parentPort`) have the same shape
 * everywhere so that the engine never touches a runtime global.
 *
 * @module
 */

/** A started worker thread, as the parent sees it. */
export interface WorkerHandle {
  /** Sends structured-cloneable data (SharedArrayBuffers are shared, not copied). */
  postMessage(message: unknown): void;
  /** Registers the handler for messages from the worker. */
  onMessage(handler: (message: unknown) => void): void;
  /** Registers the handler for an uncaught error in the worker. */
  onError(handler: (error: Error) => void): void;
  /** Stops the worker at once. */
  terminate(): void;
}

/** The parent, as a worker sees it. */
export interface ParentPort {
  postMessage(message: unknown): void;
  onMessage(handler: (message: unknown) => void): void;
  /** Closes this worker from inside. */
  close(): void;
}

/**
 * Starts a module worker from `url`.
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
