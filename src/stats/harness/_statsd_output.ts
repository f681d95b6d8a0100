/**
 * The harness's live StatsD output (`--out statsd=host:port`), like k6's:
 * every interval it sends the run's request/error counters as deltas,
 * errors by status as tagged counters (`status:other` for the other
 * bucket), latency percentiles as gauges (ms), and the rps of the interval.
 *
 * @module
 */
import type { MetricsSnapshot } from "../../collector/types.ts";
import { system } from "../../runtime/mod.ts";
import { createStatsClient, type StatsClient } from "../client.ts";
import type { StatsOptions } from "../config.ts";
import { Priority } from "../types.ts";

/** Options of `startStatsdRunOutput`. */
export interface StatsdRunOutputOptions {
  /** Destination `host:port`. */
  address: string;
  /** Metric name prefix (default `"lunge."`). */
  prefix?: string;
  /** Interval between sends, ms (default 1000). */
  intervalMs?: number;
  /** The live snapshot of the run. */
  getSnapshot: () => MetricsSnapshot;
  /** Extra client options (protocol, tags, logger, ...). */
  client?: Omit<StatsOptions, "address" | "prefix">;
}

/** A running StatsD output. */
export interface StatsdRunOutput {
  /** The underlying client (for its internal metrics). */
  readonly client: StatsClient;
  /** Sends a last interval, flushes and closes the socket. */
  stop(): Promise<void>;
}

const PERCENTILES = ["p50", "p75", "p90", "p95", "p99", "p999"] as const;

/**
 * Starts streaming a run's metrics to a StatsD daemon. Throws `RangeError`
 * for a bad address (before anything is sent).
 *
 * @example
 * ```ts
 * import { startStatsdRunOutput } from "./_statsd_output.ts";
 * import { createCollector } from "../../collector/mod.ts";
 * const collector = createCollector();
 * const out = await startStatsdRunOutput({ address: "127.0.0.1:8125", getSnapshot: () => collector.getSnapshot() });
 * // ... run ...
 * await out.stop();
 * ```
 */
export async function startStatsdRunOutput(options: StatsdRunOutputOptions): Promise<StatsdRunOutput> {
  const intervalMs = options.intervalMs ?? 1000;
  if (!(intervalMs > 0)) {
    throw new RangeError(`Cannot start StatsD output: "intervalMs" must be > 0, got ${intervalMs}`);
  }
  const client = createStatsClient({
    ...options.client,
    address: options.address,
    prefix: options.prefix ?? "lunge.",
  });
  await client.start();
  let last = { requests: 0, failed: 0, successful: 0, bytes: 0, missed: 0, at: performance.now() };
  const lastByStatus = new Map<string, number>();
  const statusTags = new Map<string, Readonly<Record<string, string>>>();
  const kindTags = new Map<string, Readonly<Record<string, string>>>();
  const tagFor = (map: Map<string, Readonly<Record<string, string>>>, key: string, value: string) => {
    let t = map.get(value);
    if (!t) map.set(value, t = Object.freeze({ [key]: value }));
    return t;
  };
  const lastByKind = new Map<string, number>();

  const send = (): void => {
    let s: MetricsSnapshot;
    try {
      s = options.getSnapshot();
    } catch {
      return; // a snapshot failure must not stop the run
    }
    const now = performance.now();
    const seconds = Math.max(1e-3, (now - last.at) / 1000);
    const dRequests = s.totalRequests - last.requests;
    client.increment("requests", dRequests, undefined, Priority.High);
    client.increment("requests.successful", s.successfulRequests - last.successful, undefined, Priority.High);
    client.increment("errors", s.failedRequests - last.failed, undefined, Priority.High);
    client.increment("bytes", s.bytes - last.bytes);
    if (s.missedSends !== last.missed) client.increment("missed_sends", s.missedSends - last.missed);
    for (const [status, total] of Object.entries(s.errorsByStatus)) {
      const delta = total - (lastByStatus.get(status) ?? 0);
      if (delta > 0) client.increment("errors.by_status", delta, tagFor(statusTags, "status", status));
      lastByStatus.set(status, total);
    }
    for (const [kind, total] of Object.entries(s.errorsByKind)) {
      const delta = total - (lastByKind.get(kind) ?? 0);
      if (delta > 0) client.increment("errors.by_kind", delta, tagFor(kindTags, "kind", kind));
      lastByKind.set(kind, total);
    }
    client.gauge("rps", dRequests / seconds);
    client.gauge("rps.average", s.requestsPerSecond);
    if (s.latency.count > 0) {
      for (const p of PERCENTILES) client.gauge(`latency.${p}`, s.latency[p]);
      client.gauge("latency.mean", s.latency.mean);
      client.gauge("latency.max", s.latency.max);
      client.gauge("latency.min", s.latency.min);
    }
    last = {
      requests: s.totalRequests,
      failed: s.failedRequests,
      successful: s.successfulRequests,
      bytes: s.bytes,
      missed: s.missedSends,
      at: now,
    };
  };
  const timer = setInterval(send, intervalMs);
  system.unrefTimer(timer);
  let stopping: Promise<void> | null = null;
  return {
    client,
    stop(): Promise<void> {
      stopping ??= (async () => {
        clearInterval(timer);
        send();
        await client.stop();
      })();
      return stopping;
    },
  };
}
