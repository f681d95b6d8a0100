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
import type { HttpConnection, ResponseCallback } from "../../http/types.ts";
import type { WorkerClock, WorkerTimers } from "../../pacer/clock.ts";

export type { WorkerClock, WorkerTimers } from "../../pacer/clock.ts";

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
