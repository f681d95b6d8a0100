/**
 * What a `LoadWorker` takes from its surroundings: the clock, the timers and
 * the connections. The defaults are the real ones (`performance`,
 * `globalThis`, the job's connection factory); unit tests give a fake clock
 * and fake connections to drive a worker through a schedule without waiting
 * or a network. The defaults are the very objects the worker called before
 * these were injectable, so the hot path pays one field read per call.
 *
 * @module
 */
import type { HttpConnection, ResponseCallback } from "../http/types.ts";

/**
 * The worker's clock: milliseconds since `timeOrigin`, as `performance` gives them.
 *
 * @example
 * ```ts
 * import type { WorkerClock } from "./_load_worker_options.ts";
 * const clock: WorkerClock = performance;
 * clock.now();
 * ```
 */
export interface WorkerClock {
  /** Milliseconds since `timeOrigin` (fractional). */
  now(): number;
  /** Epoch milliseconds at which `now()` was 0. */
  readonly timeOrigin: number;
}

/**
 * One-shot timers as `globalThis` has them (handles are opaque).
 *
 * @example
 * ```ts
 * import type { WorkerTimers } from "./_load_worker_options.ts";
 * const timers: WorkerTimers = globalThis;
 * const t = timers.setTimeout(() => console.log("tick"), 10);
 * timers.clearTimeout(t);
 * ```
 */
export interface WorkerTimers {
  /** Calls `callback` once after `ms` milliseconds; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a timer (no-op for one that already ran). */
  clearTimeout(handle: unknown): void;
}

/**
 * Options of `new LoadWorker(job, post, options)`.
 *
 * @example
 * ```ts
 * import type { LoadWorkerOptions } from "./_load_worker_options.ts";
 * const options: LoadWorkerOptions = { clock: performance, timers: globalThis };
 * ```
 */
export interface LoadWorkerOptions {
  /**
   * Where the worker reads the time (send and completion times, the schedule).
   * @default performance
   */
  clock?: WorkerClock;
  /**
   * The worker's timers (its wake-ups and its timeout sweep).
   * @default globalThis
   */
  timers?: WorkerTimers;
  /**
   * Creates one connection (a virtual user's). Not used for request sets
   * (`job.targets`), which make their own.
   * @default the factory for the job's request, protocol and streams
   */
  createConnection?: (onResponse: ResponseCallback) => HttpConnection;
}
