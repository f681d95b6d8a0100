/**
 * Pure functions from accumulated counts to the snapshot and latency
 * statistics that both collectors return.
 *
 * @module
 */
import type { CollectorKind } from "./types.ts";
import { percentilesOfCounts, summarizeCounts } from "../shared/histogram_stats.ts";
import { type GroupSums, percentilesOfGroupedCounts, summarizeGroups } from "../shared/histogram_groups.ts";
import type { Accumulator } from "./accumulator.ts";
import type { LatencyStats, MetricsSnapshot } from "./types.ts";

const PERCENTILES = [50, 75, 90, 95, 99, 99.9];
const scratch = new Float64Array(PERCENTILES.length);

/** Latency statistics with nothing recorded. */
export const EMPTY_LATENCY: LatencyStats = Object.freeze({
  count: 0,
  min: 0,
  mean: 0,
  stddev: 0,
  max: 0,
  p50: 0,
  p75: 0,
  p90: 0,
  p95: 0,
  p99: 0,
  p999: 0,
});

/**
 * Latency statistics (ms) from histogram counts and the exact min/max (ms).
 * Percentiles are clamped to [min, max], so a single value is reported exactly.
 * With `groups` (the running sums of each 64-bucket group of `counts`) it
 * costs one step per group instead of one per bucket.
 *
 * @example
 * ```ts
 * import { latencyStatsOf } from "./snapshot.ts";
 * const counts = new Float64Array(40000);
 * latencyStatsOf(counts, Infinity, -Infinity).count; // 0
 * ```
 */
export function latencyStatsOf(
  counts: Float64Array,
  minMs: number,
  maxMs: number,
  groups?: GroupSums,
): LatencyStats {
  const s = groups === undefined ? summarizeCounts(counts) : summarizeGroups(groups);
  if (s.count === 0) return EMPTY_LATENCY;
  if (groups === undefined) percentilesOfCounts(counts, PERCENTILES, scratch);
  else percentilesOfGroupedCounts(counts, groups.count, PERCENTILES, scratch);
  const clamp = (ns: number): number => Math.min(Math.max(ns / 1e6, minMs), maxMs);
  return {
    count: s.count,
    min: minMs,
    mean: clamp(s.meanNs),
    stddev: s.stddevNs / 1e6,
    max: maxMs,
    p50: clamp(scratch[0]),
    p75: clamp(scratch[1]),
    p90: clamp(scratch[2]),
    p95: clamp(scratch[3]),
    p99: clamp(scratch[4]),
    p999: clamp(scratch[5]),
  };
}

/** Inputs of `buildSnapshot` besides the accumulator. */
export interface SnapshotContext {
  collector: CollectorKind;
  elapsedMs: number;
  generationRate: number;
  latency: LatencyStats;
  serviceTime: LatencyStats | null;
  /** Durations of requests that failed without a response; null when none (omitted: null). */
  noResponseLatency?: LatencyStats | null;
}

/**
 * Assembles a `MetricsSnapshot` from exact counts and cached latency stats.
 *
 * @example
 * ```ts
 * import { Accumulator } from "./accumulator.ts";
 * import { buildSnapshot, EMPTY_LATENCY } from "./snapshot.ts";
 * const s = buildSnapshot(new Accumulator(), {
 *   collector: "atomic", elapsedMs: 1000, generationRate: 0, latency: EMPTY_LATENCY, serviceTime: null,
 * });
 * s.totalRequests; // 0
 * ```
 */
export function buildSnapshot(acc: Accumulator, ctx: SnapshotContext): MetricsSnapshot {
  const statusCounts: Record<string, number> = {};
  const errorsByStatus: Record<string, number> = {};
  let total = 0;
  let failed = 0;
  for (let i = 0; i < acc.status.length; i++) {
    const n = acc.status[i];
    if (n === 0) continue;
    const code = i + 100;
    statusCounts[String(code)] = n;
    total += n;
    if (code >= 400) {
      errorsByStatus[String(code)] = n;
      failed += n;
    }
  }
  let transport = 0;
  for (let k = 1; k < acc.errors.length; k++) transport += acc.errors[k]; // every kind, dns..fd_limit too
  total += transport;
  failed += transport;
  // The "other" bucket: failures without a 400-599 status (transport errors).
  errorsByStatus.other = transport;
  const seconds = ctx.elapsedMs / 1000;
  return {
    collector: ctx.collector,
    totalRequests: total,
    successfulRequests: total - failed,
    failedRequests: failed,
    invalidRecords: acc.invalid,
    missedSends: acc.missed,
    sent: acc.sent,
    bytes: acc.bytes,
    requestsPerSecond: seconds > 0 ? total / seconds : 0,
    generationRate: ctx.generationRate,
    latency: ctx.latency,
    serviceTime: ctx.serviceTime,
    noResponseLatency: ctx.noResponseLatency ?? null,
    statusCounts,
    errorsByStatus,
    errorsByKind: {
      timeout: acc.errors[1],
      refused: acc.errors[2],
      reset: acc.errors[3],
      other: acc.errors[4],
      dns: acc.errors[5],
      tls: acc.errors[6],
      protocol: acc.errors[7],
      fd_limit: acc.errors[8],
    },
    elapsedMs: ctx.elapsedMs,
  };
}
