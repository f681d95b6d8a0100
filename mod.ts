/**
 * lunge: a Deno/Bun-first load tester and metrics toolkit.
 *
 * - **Collectors**: the lock-free atomic metrics collector (one SharedArrayBuffer
 *   lane per writer thread) and the legacy mutex collector it replaces, behind
 *   one `MetricsCollector` interface.
 * - **Shared-memory primitives**: atomic counters, min/max, a lock-free MPMC ring
 *   buffer, a log-linear histogram, a latency-sample ring, a mutex.
 * - **Harness**: `run()` drives load (open or closed model, phases, thresholds)
 *   against any HTTP service or the built-in Hono target; reporters render the
 *   result as text, JSON or HTML.
 * - **Stats**: a non-blocking StatsD/DogStatsD and Prometheus client.
 *
 * @example Record from your own workers
 * ```ts
 * import { attachCollector, createCollector } from "@lunge/lunge";
 * const collector = createCollector(); // atomic unless LUNGE_COLLECTOR=legacy
 * // worker.postMessage(collector.handle()); in the worker: attachCollector(handle).record(...)
 * const writer = attachCollector(collector.handle());
 * writer.record(200, 12.5, 512, 0, -1);
 * collector.flush();
 * console.log(collector.getSnapshot().latency.p99); // 12.5
 * collector.close();
 * ```
 *
 * @example Run a load test from code
 * ```ts
 * import { formatSummary, run } from "@lunge/lunge";
 * const result = await run({ url: "builtin", durationMs: 2000, concurrency: 20 });
 * console.log(formatSummary(result, { color: false }));
 * ```
 *
 * @module
 */
export * from "./src/collector/mod.ts";
export { ClientStats, type ClientStatsHandle, ClientStatsTable } from "./src/collector/client_stats.ts";
export { AtomicCounter, AtomicDuration, type AtomicSlotHandle } from "./src/shared/atomic_counter.ts";
export { AtomicMinMax } from "./src/shared/atomic_min_max.ts";
export { type MutexHandle, SharedMutex } from "./src/shared/mutex.ts";
export {
  LockFreeRingBuffer,
  ringBufferBytes,
  type RingBufferHandle,
  type RingBufferOptions,
} from "./src/shared/ring_buffer.ts";
export { LatencySampleRing, sampleRingBytes, type SampleRingHandle } from "./src/shared/sample_ring.ts";
export {
  bucketIndex,
  bucketLowerBoundNs,
  bucketMidpointNs,
  bucketUpperBoundNs,
  type CountsSummary,
  HISTOGRAM_BUCKETS,
  histogramBytes,
  type HistogramHandle,
  LogLinearHistogram,
  percentilesOfCounts,
  summarizeCounts,
} from "./src/shared/histogram.ts";
export { run } from "./src/engine/run.ts";
export type { RunOptions, RunProgress, Threshold } from "./src/engine/options.ts";
export type {
  ClientStatsSummary,
  EncodedHistogram,
  LoadModel,
  Phase,
  RunResult,
  ThresholdOutcome,
} from "./src/engine/result.ts";
export { decodeHistograms, encodeHistogram } from "./src/engine/histogram_codec.ts";
export {
  evaluateThresholds,
  parseThreshold,
  THRESHOLD_METRICS,
  ThresholdError,
  type ThresholdMetric,
  type ThresholdUnit,
} from "./src/engine/thresholds.ts";
export { DURATION_UNITS, parseDuration } from "./src/engine/durations.ts";
export type {
  HttpClient,
  RequestOptions,
  ResponseTimings,
  ScenarioContext,
  ScenarioModule,
  ScenarioOptions,
  ScenarioResponse,
  SetupContext,
  VirtualUserInfo,
} from "./src/engine/scenario/types.ts";
export type { NamedStats, ScenarioSummary } from "./src/engine/result.ts";
export { parseTargets, type RequestSet, type TargetDef, TargetsFileError } from "./src/engine/targets/parse_targets.ts";
export type { TargetsOrder } from "./src/engine/targets/request_source.ts";
export { evaluateAllThresholds, type NamedView, parseAnyThreshold } from "./src/engine/named_thresholds.ts";
export * from "./src/report/mod.ts";
export * from "./src/target/mod.ts";
export * from "./src/stats/mod.ts";
export * from "./src/stats/harness/mod.ts";
export { VERSION } from "./src/version.ts";
