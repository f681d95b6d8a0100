/**
 * The series lunge sends by remote write, built from the run's snapshot:
 * counters of requests sent and completed, failures by status, transport
 * errors by kind, bytes and missed sends; the latency and service-time
 * histograms as classic buckets; the plan's rate as a gauge. Every series carries the run's labels
 * (`job`, `run`, `segment`, plus any given).
 *
 * @module
 */
import type { MetricsSnapshot } from "../../collector/types.ts";
import { classicHistogram, LE_LABELS } from "./classic_buckets.ts";
import type { EncodedLabel, WriteSeries } from "./write_request.ts";

/** What one batch is built from. */
export interface RunSeriesInput {
  /** The run's snapshot now. */
  snapshot: MetricsSnapshot;
  /** The corrected latency histogram (lunge buckets), or null when not available. */
  latency: Float64Array | null;
  /** The service-time histogram (lunge buckets), or null when not available. */
  service: Float64Array | null;
  /** The planned rate now (req/s), or null (closed model, or unknown). */
  targetRate: number | null;
  /** Per-name request and failure counts (targets, scenario steps), keyed by name. */
  names?: ReadonlyMap<string, { requests: number; failed: number }>;
}

const encoder = new TextEncoder();

/** Builds the series of one batch; keeps the encoded label strings between batches. */
export class RunSeriesBuilder {
  readonly #base: Array<[string, string]>;
  readonly #bytes = new Map<string, Uint8Array>();

  /** `labels`: the labels every series carries (e.g. `{ job: "lunge", run: "r1", segment: "0/1" }`). */
  constructor(labels: Readonly<Record<string, string>>) {
    this.#base = Object.entries(labels);
  }

  #encode(text: string): Uint8Array {
    let bytes = this.#bytes.get(text);
    if (bytes === undefined) {
      bytes = encoder.encode(text);
      // Status codes, kinds, names and `le` values are a bounded set; a cap keeps a runaway set bounded.
      if (this.#bytes.size < 10_000) this.#bytes.set(text, bytes);
    }
    return bytes;
  }

  #series(
    out: WriteSeries[],
    name: string,
    value: number,
    timestampMs: number,
    extra: ReadonlyArray<[string, string]> = [],
  ): void {
    const pairs: Array<[string, string]> = [["__name__", name], ...this.#base, ...extra];
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const labels: EncodedLabel[] = pairs.map(([n, v]) => ({ name: this.#encode(n), value: this.#encode(v) }));
    out.push({ labels, value, timestampMs });
  }

  #histogram(out: WriteSeries[], name: string, counts: Float64Array, timestampMs: number): void {
    const h = classicHistogram(counts);
    for (let i = 0; i < LE_LABELS.length; i++) {
      this.#series(out, `${name}_bucket`, h.cumulative[i], timestampMs, [["le", LE_LABELS[i]]]);
    }
    this.#series(out, `${name}_sum`, h.sumSeconds, timestampMs);
    this.#series(out, `${name}_count`, h.count, timestampMs);
  }

  /**
   * The series of one batch at `timestampMs`.
   *
   * @example
   * ```ts
   * import { RunSeriesBuilder } from "./run_series.ts";
   * declare const snapshot: import("../../collector/types.ts").MetricsSnapshot;
   * const builder = new RunSeriesBuilder({ job: "lunge", run: "r1", segment: "0/1" });
   * const series = builder.build({ snapshot, latency: null, service: null, targetRate: 100 }, Date.now());
   * console.log(series.length > 0); // true
   * ```
   */
  build(input: RunSeriesInput, timestampMs: number): WriteSeries[] {
    const s = input.snapshot;
    const out: WriteSeries[] = [];
    this.#series(out, "lunge_requests_total", s.totalRequests, timestampMs);
    // Units started (requests, iterations, messages); absent when the collector counts no sends.
    if (s.sent !== undefined) this.#series(out, "lunge_requests_sent_total", s.sent, timestampMs);
    this.#series(out, "lunge_requests_failed_total", s.failedRequests, timestampMs);
    this.#series(out, "lunge_received_bytes_total", s.bytes, timestampMs);
    this.#series(out, "lunge_missed_sends_total", s.missedSends, timestampMs);
    for (const [status, n] of Object.entries(s.statusCounts)) {
      this.#series(out, "lunge_responses_total", n, timestampMs, [["status", status]]);
    }
    for (const [status, n] of Object.entries(s.errorsByStatus)) {
      if (status !== "other") {
        this.#series(out, "lunge_failed_responses_total", n, timestampMs, [["status", status]]);
      }
    }
    for (const [kind, n] of Object.entries(s.errorsByKind)) {
      this.#series(out, "lunge_transport_errors_total", n, timestampMs, [["kind", kind]]);
    }
    if (input.targetRate !== null) this.#series(out, "lunge_target_rate", input.targetRate, timestampMs);
    if (input.latency !== null) this.#histogram(out, "lunge_latency_seconds", input.latency, timestampMs);
    if (input.service !== null) {
      this.#histogram(out, "lunge_service_time_seconds", input.service, timestampMs);
    }
    for (const [name, counts] of input.names ?? []) {
      this.#series(out, "lunge_name_requests_total", counts.requests, timestampMs, [["name", name]]);
      this.#series(out, "lunge_name_requests_failed_total", counts.failed, timestampMs, [["name", name]]);
    }
    return out;
  }
}
