/**
 * The orchestrator's side of stream timings: creates the stream lanes of a
 * run (a run-wide record, and one per name up to a bound), polls them so that
 * no 32-bit lane word wraps unseen, and reads the result's `streams` part.
 *
 * @module
 */
import type { NamedLanes } from "../collector/named_lanes.ts";
import { StreamLanes } from "../collector/stream_lanes.ts";
import type { StreamSummary } from "../collector/stream_stats.ts";
import { system } from "../runtime/mod.ts";

/** Names (request-set targets, scenario steps) timed one by one; the rest count run-wide only. */
export const STREAM_NAME_CAPACITY = 64;
const POLL_MS = 2000;

/**
 * The stream lanes of a run with `workers` load workers and `names` per-name slots (0 for a single URL).
 *
 * @example
 * ```ts
 * import { createRunStreamLanes } from "./_stream_run.ts";
 * const { lanes, stop } = createRunStreamLanes(2, 0);
 * stop();
 * ```
 */
export function createRunStreamLanes(
  workers: number,
  names: number,
): { lanes: StreamLanes; stop: () => void } {
  const lanes = StreamLanes.create({ lanes: workers, nameCapacity: Math.min(names, STREAM_NAME_CAPACITY) });
  const timer = setInterval(() => lanes.poll(), POLL_MS);
  system.unrefTimer(timer);
  return { lanes, stop: () => clearInterval(timer) };
}

/**
 * The result's `streams` part, or null when no response was timed (e.g. the `fetch` transport).
 *
 * @example
 * ```ts
 * import { createRunStreamLanes, streamSummaryOf } from "./_stream_run.ts";
 * const { lanes, stop } = createRunStreamLanes(1, 0);
 * stop();
 * streamSummaryOf(lanes, null); // null
 * ```
 */
export function streamSummaryOf(lanes: StreamLanes, named: NamedLanes | null): StreamSummary | null {
  const names = named === null ? [] : named.stats().map((s) => s.name);
  const summary = lanes.summary(names);
  return Object.keys(summary.metrics).length === 0 ? null : summary;
}
