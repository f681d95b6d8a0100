import type { ParentPort, WorkerHandle } from "../types.ts";

/**
 * Starts a web module worker (Deno and Bun) from a `file:`, `data:` or `blob:` URL.
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
 * The parent port of the current web worker (Deno and Bun): the worker's global scope.
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
