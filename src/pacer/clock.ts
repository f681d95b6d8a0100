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
 * One-shot timers as `globalThis` has them (handles are opaque).
 *
 * @example
 * ```ts
 * import type { WorkerTimers } from "./clock.ts";
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
