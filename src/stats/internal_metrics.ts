/**
 * Internal metrics of the stats client: throughput, drops by
 * reason, batches, packets, bytes, UDP errors, buffer fill, and latency
 * histograms. Plain numbers updated in place; `snapshot()` copies them out.
 *
 * @module
 */
import { LatencyHistogram } from "./_latency_histogram.ts";
import { DROP_REASON_NAMES } from "./types.ts";

/** A copy of the internal metrics at one moment. */
export interface StatsMetricsSnapshot {
  /** Events passed to the client's record methods, dropped ones included. */
  eventsReceived: number;
  /** Events in packets whose send completed without error. */
  eventsSent: number;
  /** Events dropped for any reason (the sum of `dropsByReason`). */
  eventsDropped: number;
  /** Drops by reason (`buffer_full`, `evicted_oldest`, ...). */
  dropsByReason: Record<string, number>;
  /** Events in the rings, the open packet, and packets in flight. */
  eventsBuffered: number;
  /** Events in packets handed to the socket whose send has not completed yet. */
  eventsInFlight: number;
  /** Drain passes run (each moves buffered events into packets). */
  batches: number;
  /** Packets (datagrams) sent successfully. */
  packetsSent: number;
  /** Payload bytes of the packets sent successfully. */
  bytesSent: number;
  /** Failed sends plus errors the socket reported outside a send. */
  udpErrors: number;
  /** Sent events per sent packet. */
  eventsPerPacket: number;
  /** Events waiting in the priority rings now. */
  bufferSize: number;
  /** Total ring slots (the `bufferSize` option). */
  bufferCapacity: number;
  /** Highest ring fill seen so far. */
  bufferPeak: number;
  /** `bufferSize / bufferCapacity`, 0 to 1. */
  bufferUtilization: number;
  /** Buffered events that trigger a drain now (changes with adaptive batching). */
  batchSize: number;
  /** Times adaptive batching changed the batch size (0 when it is off). */
  batchSizeChanges: number;
  /** The circuit breaker's state now. */
  breakerState: "closed" | "open" | "half_open";
  /** Times the circuit breaker opened. */
  breakerOpens: number;
  /** Distinct metric names interned (capped by `maxInterned`). */
  internedNames: number;
  /** Distinct tag sets interned (capped by `maxInterned`). */
  internedTagSets: number;
  /** Bytes reserved against the memory cap (buffers, packet pool, interned strings). */
  memoryUsedBytes: number;
  /** The memory cap in bytes (`maxMemoryMB` * 2^20). */
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
  /** Events passed to the record methods, dropped ones included. */
  eventsReceived = 0;
  /** Events in packets whose send completed without error. */
  eventsSent = 0;
  /** Drops counted outside the buffer (interner, oversize, circuit, network, stopped), by reason. */
  readonly drops: Float64Array = new Float64Array(DROP_REASON_NAMES.length);
  /** Drain passes run. */
  batches = 0;
  /** Packets sent successfully. */
  packetsSent = 0;
  /** Payload bytes of the packets sent successfully. */
  bytesSent = 0;
  /** Failed sends plus socket errors outside a send. */
  udpErrors = 0;
  /** Time events waited in the buffer before a drain, ms (the client samples one event in 8). */
  readonly bufferLatency: LatencyHistogram = new LatencyHistogram();
  /** Time from handing a packet to the socket to the send completing, ms. */
  readonly sendLatency: LatencyHistogram = new LatencyHistogram();
  /** Time from recording a packet's oldest event to its send completing, ms. */
  readonly endToEndLatency: LatencyHistogram = new LatencyHistogram();
}

/**
 * Summary of a histogram for snapshots.
 *
 * @example
 * ```ts
 * import { LatencyHistogram } from "./_latency_histogram.ts";
 * import { summarizeLatency } from "./internal_metrics.ts";
 * summarizeLatency(new LatencyHistogram()); // { p50: 0, p99: 0, max: 0 }
 * ```
 */
export function summarizeLatency(h: LatencyHistogram): { p50: number; p99: number; max: number } {
  return { p50: h.percentile(0.5), p99: h.percentile(0.99), max: h.max };
}
