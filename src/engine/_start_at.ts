/**
 * `--start-at`: the measured phase of every segment of a fleet begins at one
 * wall-clock time. The warm-up runs just before it, shortened when the
 * process started too late for all of it.
 *
 * @module
 */
import type { NormalizedRunOptions } from "./_normalize.ts";

/** Time allowed for spawning the load workers before the warm-up starts. */
const SPAWN_ALLOWANCE_MS = 1000;

/**
 * The options with the warm-up shortened so that it fits between now (plus
 * the time workers take to start) and `startAtEpochMs`; unchanged without
 * a start time.
 *
 * @example
 * ```ts
 * import { normalizeRunOptions } from "./_normalize.ts";
 * import { fitWarmupBeforeStartAt } from "./_start_at.ts";
 * const now = Date.now();
 * const opts = normalizeRunOptions({ url: "http://127.0.0.1:1/", warmupMs: 10_000, startAt: now + 3000 });
 * fitWarmupBeforeStartAt(opts, now).warmupMs; // 2000
 * ```
 */
export function fitWarmupBeforeStartAt(opts: NormalizedRunOptions, nowEpochMs: number): NormalizedRunOptions {
  if (opts.startAtEpochMs === null || opts.warmupMs === 0) return opts;
  const room = Math.max(0, opts.startAtEpochMs - nowEpochMs - SPAWN_ALLOWANCE_MS);
  return room >= opts.warmupMs ? opts : { ...opts, warmupMs: room };
}

/**
 * When the schedule (warm-up included) starts, as a `performance.now()`
 * value: `startAtEpochMs - warmupMs` converted from the wall clock, or
 * `fallback` without a start time.
 *
 * @example
 * ```ts
 * import { normalizeRunOptions } from "./_normalize.ts";
 * import { startPerfOf } from "./_start_at.ts";
 * const opts = normalizeRunOptions({ url: "http://127.0.0.1:1/", startAt: Date.now() + 2000 });
 * startPerfOf(opts, performance.now()); // about performance.now() + 2000
 * ```
 */
export function startPerfOf(opts: NormalizedRunOptions, fallback: number): number {
  if (opts.startAtEpochMs === null) return fallback;
  // Converted once, now: the monotonic clock then carries the wait.
  return performance.now() + (opts.startAtEpochMs - opts.warmupMs - Date.now());
}
