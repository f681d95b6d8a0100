/**
 * The stats client's internal metrics in the Prometheus text format
 * (`lunge_stats_*` families).
 *
 * @module
 */
import type { StatsClient } from "./client.ts";
import { LATENCY_BUCKETS_MS } from "./_latency_histogram.ts";
import { PrometheusWriter } from "./prometheus.ts";

const SECONDS_BUCKETS = LATENCY_BUCKETS_MS.map((ms) => ms / 1000);

/**
 * Writes a client's internal metrics into `writer` (or a new writer) and returns it.
 *
 * @example
 * ```ts
 * import { createStatsClient } from "./client.ts";
 * import { writeStatsMetrics } from "./exposition.ts";
 * const text = writeStatsMetrics(createStatsClient()).text();
 * ```
 */
export function writeStatsMetrics(
  client: StatsClient,
  writer: PrometheusWriter = new PrometheusWriter(),
): PrometheusWriter {
  const m = client.metrics();
  const w = writer;
  w.single(
    "lunge_stats_events_received_total",
    "counter",
    "Events handed to the stats client.",
    m.eventsReceived,
  );
  w.single(
    "lunge_stats_events_sent_total",
    "counter",
    "Events in datagrams the socket accepted.",
    m.eventsSent,
  );
  w.family("lunge_stats_events_dropped_total", "counter", "Events dropped, by reason.");
  for (const [reason, n] of Object.entries(m.dropsByReason)) {
    w.sample("lunge_stats_events_dropped_total", n, { reason });
  }
  w.single(
    "lunge_stats_events_buffered",
    "gauge",
    "Events waiting in the rings or the open packet.",
    m.eventsBuffered,
  );
  w.single(
    "lunge_stats_events_in_flight",
    "gauge",
    "Events in datagrams not yet confirmed.",
    m.eventsInFlight,
  );
  w.single("lunge_stats_batches_total", "counter", "Drains of the buffer.", m.batches);
  w.single("lunge_stats_udp_packets_sent_total", "counter", "Datagrams sent.", m.packetsSent);
  w.single("lunge_stats_udp_bytes_sent_total", "counter", "Datagram payload bytes sent.", m.bytesSent);
  w.single("lunge_stats_udp_errors_total", "counter", "UDP send or socket errors.", m.udpErrors);
  w.single("lunge_stats_events_per_packet", "gauge", "Mean events per datagram.", m.eventsPerPacket);
  w.single("lunge_stats_buffer_size", "gauge", "Events in the rings now.", m.bufferSize);
  w.single("lunge_stats_buffer_capacity", "gauge", "Slots across the rings.", m.bufferCapacity);
  w.single("lunge_stats_buffer_peak", "gauge", "Most events buffered at once.", m.bufferPeak);
  w.single("lunge_stats_buffer_utilization_ratio", "gauge", "Buffer fill, 0 to 1.", m.bufferUtilization);
  w.single("lunge_stats_batch_size", "gauge", "Current (adaptive) batch size.", m.batchSize);
  w.single(
    "lunge_stats_circuit_breaker_state",
    "gauge",
    "0 closed, 1 open, 2 half-open.",
    [
      "closed",
      "open",
      "half_open",
    ].indexOf(m.breakerState),
  );
  w.single("lunge_stats_circuit_breaker_opens_total", "counter", "Times the breaker opened.", m.breakerOpens);
  w.single("lunge_stats_interned_names", "gauge", "Interned metric names.", m.internedNames);
  w.single("lunge_stats_interned_tag_sets", "gauge", "Interned tag sets.", m.internedTagSets);
  w.single(
    "lunge_stats_memory_used_bytes",
    "gauge",
    "Bytes reserved under the memory cap.",
    m.memoryUsedBytes,
  );
  w.single("lunge_stats_memory_limit_bytes", "gauge", "The memory cap.", m.memoryLimitBytes);
  const h = client.histograms();
  const hist = (name: string, help: string, histogram: typeof h.sendLatency): void => {
    w.family(name, "histogram", help);
    w.histogram(name, SECONDS_BUCKETS, histogram.counts, histogram.sum / 1000);
  };
  hist(
    "lunge_stats_buffer_latency_seconds",
    "Time events wait in the buffer (1 in 8 sampled).",
    h.bufferLatency,
  );
  hist(
    "lunge_stats_send_latency_seconds",
    "Time from handing a datagram to the socket to its completion.",
    h.sendLatency,
  );
  hist(
    "lunge_stats_end_to_end_latency_seconds",
    "Time from recording a packet's oldest event to its send completing.",
    h.endToEndLatency,
  );
  return w;
}
