/**
 * lunge: a Deno/Bun-first load tester. The root holds what a user of the
 * harness needs: `run()`, its options and result types, the reporters, and
 * the metrics collectors (`createCollector` / `attachCollector`). Each area
 * has its own import path as well:
 *
 * | path | what |
 * | --- | --- |
 * | `@lunge/lunge/collector` | the atomic and legacy collectors, per-client stats |
 * | `@lunge/lunge/shared` | SharedArrayBuffer primitives: counters, min/max, MPMC ring, histogram, sample ring, mutex |
 * | `@lunge/lunge/stats` | the non-blocking StatsD/DogStatsD and Prometheus client |
 * | `@lunge/lunge/target` | the built-in Hono target server |
 * | `@lunge/lunge/report` | reporters: text, JSON, HTML, progress, units |
 * | `@lunge/lunge/cli` | the `lunge` command |
 *
 * @example Run a load test from code
 * ```ts
 * import { formatSummary, parseThreshold, run } from "@lunge/lunge";
 * const result = await run({
 *   url: "builtin",
 *   durationMs: 2000,
 *   concurrency: 20,
 *   thresholds: [parseThreshold("p99<500ms")],
 * });
 * console.log(formatSummary(result, { color: false }));
 * ```
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
 * @module
 */
export { run } from "./src/engine/run.ts";
export {
  LOAD_MODELS,
  type RunOptions,
  RunOptionsError,
  type RunProgress,
  type RunResultOptions,
  type Threshold,
  type Transport,
  TRANSPORTS,
} from "./src/engine/options.ts";
export type {
  ClientStatsSummary,
  ConnectionPoolSummary,
  EncodedHistogram,
  LoadModel,
  Phase,
  RunResult,
  ThresholdOutcome,
} from "./src/result/run_result.ts";
export { parseThreshold, ThresholdError } from "./src/thresholds/thresholds.ts";
export { parseDuration } from "./src/options/durations.ts";
export { decodeHistograms } from "./src/result/histogram_codec.ts";
export type { ErrorMessageCount } from "./src/worker/error_tally.ts";
export { RunFailedError } from "./src/engine/run_failure.ts";
export {
  formatProgressLine,
  formatSummary,
  parseResultJson,
  type ProgressInfo,
  type ProgressOptions,
  renderHtml,
  type SummaryOptions,
  toJson,
} from "./src/report/mod.ts";
export {
  attachCollector,
  COLLECTOR_KINDS,
  type CollectorHandle,
  type CollectorKind,
  type CollectorWriter,
  createCollector,
  type CreateCollectorOptions,
  ERROR_KIND_NAMES,
  ErrorKind,
  type LatencyStats,
  type MetricsCollector,
  type MetricsSnapshot,
  type RequestResult,
  type TimeSeriesData,
  type TimeSeriesPoint,
} from "./src/collector/mod.ts";
export type {
  HttpClient,
  RequestOptions,
  ResponseTimings,
  ScenarioContext,
  ScenarioModule,
  ScenarioOptions,
  ScenarioResponse,
  ScenarioStream,
  ScenarioWebSocket,
  SetupContext,
  StreamEvent,
  StreamRequestOptions,
  StreamResult,
  VirtualUserInfo,
  WsClient,
  WsConnectOptions,
  WsMessage,
} from "./src/protocols/scenario/types.ts";
export type {
  GrpcCallOptions,
  GrpcClient,
  GrpcConnection,
  GrpcConnectOptions,
  GrpcResponse,
  GrpcStream,
} from "./src/protocols/scenario/grpc_types.ts";
export type { GrpcCallStats, GrpcSummary } from "./src/result/grpc_summary.ts";
export { GrpcServerError } from "./src/grpc/errors.ts";
export type {
  NamedStats,
  ScenarioSummary,
  StreamSummary,
  WebSocketSummary,
} from "./src/result/run_result.ts";
export type {
  StreamCounts,
  StreamMetricName,
  StreamMetricStats,
  StreamStats,
} from "./src/collector/stream_stats.ts";
export {
  parseTargets,
  type RequestSet,
  type TargetDef,
  TargetsFileError,
} from "./src/request_sets/parse_targets.ts";
export type { TargetsOrder } from "./src/request_sets/request_source.ts";
export { VERSION } from "./src/version.ts";
export type { IntervalHistogram, LiveTables, WorkerHeapReading } from "./src/engine/options.ts";
export type { MergeInfo, ResultPlan, ResultSegment } from "./src/result/run_result.ts";
export { type ExecutionSegment, parseSegment, seqSlot } from "./src/engine/execution_segment.ts";
export type { SeqSlot } from "./src/worker/job.ts";
export { MergeError, type MergeInput, type MergeOptions, mergeResults } from "./src/result/merge.ts";
export {
  type CompareReport,
  compareResults,
  type CompareRow,
  parseRegressionLimit,
  type RegressionLimit,
} from "./src/result/compare.ts";
