/**
 * The result's view of stream timings (`RunResult.streams`): the metric names
 * and units, the value of a stream threshold or comparison, and merging. The
 * figures are computed where they are recorded (`src/collector/stream_stats.ts`);
 * this file lends them to the rooms that read results (reports).
 *
 * @example
 * ```ts
 * import { STREAM_METRICS } from "./stream_summary.ts";
 * console.log(STREAM_METRICS.includes("ttft")); // true
 * ```
 *
 * @module
 */
export {
  mergeStreamSummaries,
  STREAM_METRIC_UNITS,
  STREAM_METRICS,
  type StreamMetricName,
  type StreamMetricStats,
  streamMetricValue,
  type StreamStats,
  type StreamSummary,
} from "../collector/stream_stats.ts";
