/**
 * The harness's `--metrics-port` app: Prometheus `/metrics` for the running
 * harness (requests and errors by status with `status="other"` for the
 * other bucket, latency quantiles, per-endpoint labels, and the stats
 * client's own metrics when given) and a JSON `/health`.
 *
 * @module
 */
import { Hono } from "hono";
import type { MetricsSnapshot } from "../../collector/types.ts";
import type { StatsClient } from "../client.ts";
import { ENDPOINT_BUCKETS_MS, type EndpointMetricSnapshot } from "../endpoint_metric.ts";
import { writeStatsMetrics } from "../exposition.ts";
import { PROMETHEUS_CONTENT_TYPE, PrometheusWriter } from "../prometheus.ts";
import type { MetricsHttpApp } from "../app.ts";

/** Options of `createHarnessMetricsApp`. */
export interface HarnessMetricsOptions {
  /** The live snapshot of the run. */
  getSnapshot: () => MetricsSnapshot;
  /** Per-endpoint metrics keyed by endpoint (e.g. `"GET /users"`). */
  getEndpoints?: () => Readonly<Record<string, EndpointMetricSnapshot>>;
  /** A stats client whose internal metrics are appended, and whose health is included. */
  stats?: StatsClient;
}

const QUANTILES: ReadonlyArray<[string, "p50" | "p75" | "p90" | "p95" | "p99" | "p999"]> = [
  ["0.5", "p50"],
  ["0.75", "p75"],
  ["0.9", "p90"],
  ["0.95", "p95"],
  ["0.99", "p99"],
  ["0.999", "p999"],
];

/**
 * Writes the harness metrics in the Prometheus text format.
 *
 * @example
 * ```ts
 * import { writeHarnessMetrics } from "./_metrics_app.ts";
 * declare const snapshot: import("../../collector/types.ts").MetricsSnapshot;
 * console.log(writeHarnessMetrics(snapshot));
 * ```
 */
export function writeHarnessMetrics(
  s: MetricsSnapshot,
  endpoints?: Readonly<Record<string, EndpointMetricSnapshot>>,
  stats?: StatsClient,
): string {
  const w = new PrometheusWriter();
  w.single("lunge_requests_total", "counter", "Requests completed.", s.totalRequests);
  w.single(
    "lunge_requests_failed_total",
    "counter",
    "Requests with status >= 400 or a transport error.",
    s.failedRequests,
  );
  w.family("lunge_responses_total", "counter", "Responses by HTTP status code.");
  for (const [status, n] of Object.entries(s.statusCounts)) w.sample("lunge_responses_total", n, { status });
  w.family("lunge_errors_total", "counter", 'Failed requests by HTTP status; status="other" for the rest.');
  for (const [status, n] of Object.entries(s.errorsByStatus)) w.sample("lunge_errors_total", n, { status });
  w.family("lunge_transport_errors_total", "counter", "Requests that failed without a response, by kind.");
  for (const [kind, n] of Object.entries(s.errorsByKind)) {
    w.sample("lunge_transport_errors_total", n, { kind });
  }
  w.single("lunge_missed_sends_total", "counter", "Requests not sent on time (open model).", s.missedSends);
  w.single("lunge_response_bytes_total", "counter", "Response body bytes received.", s.bytes);
  w.single("lunge_requests_per_second", "gauge", "Mean request rate since the start.", s.requestsPerSecond);
  w.family(
    "lunge_latency_seconds",
    "summary",
    "Request latency (from the intended send time in the open model).",
  );
  for (const [q, key] of QUANTILES) w.sample("lunge_latency_seconds", s.latency[key] / 1000, { quantile: q });
  w.sample("lunge_latency_seconds_sum", (s.latency.mean * s.latency.count) / 1000);
  w.sample("lunge_latency_seconds_count", s.latency.count);
  if (endpoints && Object.keys(endpoints).length > 0) {
    const bounds = ENDPOINT_BUCKETS_MS.map((ms) => ms / 1000);
    w.family("lunge_endpoint_requests_total", "counter", "Requests per endpoint.");
    for (const [endpoint, m] of Object.entries(endpoints)) {
      w.sample("lunge_endpoint_requests_total", m.count, { endpoint });
    }
    w.family("lunge_endpoint_errors_total", "counter", "Failed requests per endpoint.");
    for (const [endpoint, m] of Object.entries(endpoints)) {
      w.sample("lunge_endpoint_errors_total", m.errors, { endpoint });
    }
    w.family("lunge_endpoint_latency_min_seconds", "gauge", "Fastest request per endpoint.");
    for (const [endpoint, m] of Object.entries(endpoints)) {
      w.sample("lunge_endpoint_latency_min_seconds", m.minMs / 1000, { endpoint });
    }
    w.family("lunge_endpoint_latency_max_seconds", "gauge", "Slowest request per endpoint.");
    for (const [endpoint, m] of Object.entries(endpoints)) {
      w.sample("lunge_endpoint_latency_max_seconds", m.maxMs / 1000, { endpoint });
    }
    w.family("lunge_endpoint_latency_seconds", "histogram", "Request latency per endpoint.");
    for (const [endpoint, m] of Object.entries(endpoints)) {
      w.histogram("lunge_endpoint_latency_seconds", bounds, m.buckets, m.durationSumMs / 1000, { endpoint });
    }
  }
  if (stats) writeStatsMetrics(stats, w);
  return w.text();
}

/**
 * Creates the harness metrics app (`GET /metrics`, `GET /health`).
 *
 * @example
 * ```ts
 * import { createHarnessMetricsApp } from "./_metrics_app.ts";
 * import { createCollector } from "../../collector/mod.ts";
 * const collector = createCollector();
 * const app = createHarnessMetricsApp({ getSnapshot: () => collector.getSnapshot() });
 * const res = await app.request("/metrics");
 * ```
 */
export function createHarnessMetricsApp(options: HarnessMetricsOptions): MetricsHttpApp {
  const app = new Hono();
  app.get(
    "/metrics",
    (c) =>
      c.body(writeHarnessMetrics(options.getSnapshot(), options.getEndpoints?.(), options.stats), 200, {
        "content-type": PROMETHEUS_CONTENT_TYPE,
      }),
  );
  app.get("/health", (c) => {
    const s = options.getSnapshot();
    const stats = options.stats?.health();
    const status = stats && stats.status !== "ok" ? "degraded" : "ok";
    return c.json({
      status,
      requests: s.totalRequests,
      failed: s.failedRequests,
      requestsPerSecond: s.requestsPerSecond,
      elapsedMs: s.elapsedMs,
      stats,
    }, status === "ok" ? 200 : 503);
  });
  return app;
}
