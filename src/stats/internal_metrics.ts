/**
 * Internal metrics of the stats client (seed 004, 5.1): throughput, drops by
 * reason, batches, packets, bytes, UDP errors, buffer fill, and latency
 * histograms. Plain numbers updated in place; `snapshot()` copies them out.
 *
 * @module
 */
import { LatencyHistogram } from "./latency_histogram.ts";
import { DROP_REASON_NAMES } from "./types.ts";

/** A copy of the internal metrics at one moment. */
export interface StatsMetricsSnapshot {
  eventsReceived: number;
  eventsSent: number;
  eventsDropped: number;
  /** Drops by reason (`buffer_full`, `evicted_oldest`, ...). */
  dropsByReason: Record<string, number>;
  /** Events in the rings, the open packet, and packets in flight. */
  eventsBuffered: number;
  eventsInFlight: number;
  batches: number;
  packetsSent: number;
  bytesSent: number;
  udpErrors: number;
  /** Sent events per sent packet. */
  eventsPerPacket: number;
  bufferSize: number;
  bufferCapacity: number;
  bufferPeak: number;
  bufferUtilization: number;
  batchSize: number;
  batchSizeChanges: number;
  breakerState: "closed" | "open" | "half_open";
  breakerOpens: number;
  internedNames: number;
  internedTagSets: number;
  memoryUsedBytes: number;
  memoryLimitBytes: number;
  /** Percentiles of buffer, send and end-to-end latency, ms. */
  latencyMs: {
    buffer: { p50: number; p99: number; max: number };
    send: { p50: number; p99: number; max: number };
    endToEnd: { p50: number; p99: number; max: number };
  };
  /** Drop rate: dropped / received (0 when nothing received). */
  dropRate: number;
  /** UDP error rate: errors / (packets sent + errors). */
  udpErrorRate: number;
}

/**
 * Mutable counters and histograms owned by one client.
 *
 * @example
 * ```ts
 * import { InternalMetrics } from "./internal_metrics.ts";
 * const m = new InternalMetrics();
 * m.eventsReceived++;
 * m.bufferLatency.record(2);
 * ```
 */
export class InternalMetrics {
  eventsReceived = 0;
  eventsSent = 0;
  /** Drops counted outside the buffer (interner, oversize, circuit, network, stopped), by reason. */
  readonly drops: Float64Array = new Float64Array(DROP_REASON_NAMES.length);
  batches = 0;
  packetsSent = 0;
  bytesSent = 0;
  udpErrors = 0;
  readonly bufferLatency: LatencyHistogram = new LatencyHistogram();
  readonly sendLatency: LatencyHistogram = new LatencyHistogram();
  readonly endToEndLatency: LatencyHistogram = new LatencyHistogram();
}

/**
 * Summary of a histogram for snapshots.
 *
 * @example
 * ```ts
 * import { LatencyHistogram } from "./latency_histogram.ts";
 * import { summarizeLatency } from "./internal_metrics.ts";
 * summarizeLatency(new LatencyHistogram()); // { p50: 0, p99: 0, max: 0 }
 * ```
 */
export function summarizeLatency(h: LatencyHistogram): { p50: number; p99: number; max: number } {
  return { p50: h.percentile(0.5), p99: h.percentile(0.99), max: h.max };
}
