/**
 * Metrics collectors: the lock-free atomic collector, the legacy mutex
 * collector, and the interface both implement.
 *
 * @example
 * ```ts
 * import { createCollector } from "./mod.ts";
 * const c = createCollector();
 * c.record(200, 1.5, 64, 0, -1);
 * c.flush();
 * console.log(c.getSnapshot());
 * c.close();
 * ```
 *
 * @module
 */
export { AtomicMetricsCollector } from "./_atomic_collector.ts";
export { LegacyMetricsCollector } from "./_legacy_collector.ts";
export { OwnerCollectorBase } from "./_owner_collector_base.ts";
export { attachCollector, collectorKindFromEnv, createCollector } from "./create.ts";
export type { CollectorKind, CreateCollectorOptions } from "./create.ts";
export type { CollectorOptions, OwnerCollector } from "./_owner_collector.ts";
export { InvalidResultError } from "./_errors.ts";
export type { CollectorWriter } from "./writer.ts";
export {
  COLLECTOR_KINDS,
  ERROR_KIND_COUNT,
  ERROR_KIND_NAMES,
  ErrorKind,
  type ErrorKindName,
} from "./types.ts";
export {
  ClientStats,
  type ClientStatsHandle,
  type ClientStatsSummary,
  ClientStatsTable,
} from "./client_stats.ts";
export type {
  CollectorHandle,
  LatencyStats,
  MetricsCollector,
  MetricsSnapshot,
  RequestResult,
  TimeSeriesData,
  TimeSeriesPoint,
} from "./types.ts";
