/**
 * Shapes shared by the worker-thread adapters in `src/runtime/<rt>/worker.ts`.
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
  /** Sends structured-cloneable data to the parent. */
  postMessage(message: unknown): void;
  /** Registers the handler for messages from the parent. */
  onMessage(handler: (message: unknown) => void): void;
  /** Closes this worker from inside. */
  close(): void;
}

/** Starts a module worker from a `file:`, `data:` or `blob:` URL. */
export type SpawnWorkerFn = (url: URL | string, name: string) => WorkerHandle;
