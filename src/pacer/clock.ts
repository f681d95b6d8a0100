/**
 * The time a pacer reads and the timers it arms. The defaults are the real
 * ones (`performance`, `globalThis`); unit tests give a fake clock that moves
 * only when the test says so.
 *
 * @module
 */

/**
 * The worker's clock: milliseconds since `timeOrigin`, as `performance` gives them.
 *
 * @example
 * ```ts
 * import type { WorkerClock } from "./clock.ts";
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
 * Timers as `globalThis` has them (handles are opaque): one-shot, and
 * repeating for a pacer whose arrivals come at least once a millisecond.
 *
 * @example
 * ```ts
 * import type { WorkerTimers } from "./clock.ts";
 * const timers: WorkerTimers = globalThis;
 * const t = timers.setTimeout(() => console.log("tick"), 10);
 * timers.clearTimeout(t);
 * const i = timers.setInterval(() => console.log("tick"), 1);
 * timers.clearInterval(i);
 * ```
 */
export interface WorkerTimers {
  /** Calls `callback` once after `ms` milliseconds; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a timer (no-op for one that already ran). */
  clearTimeout(handle: unknown): void;
  /** Calls `callback` every `ms` milliseconds until cleared; returns a handle for `clearInterval`. */
  setInterval(callback: () => void, ms: number): unknown;
  /** Cancels a repeating timer. */
  clearInterval(handle: unknown): void;
}
