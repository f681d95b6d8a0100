/**
 * The data types of the metrics collectors: what a request result looks like,
 * what a snapshot and a time series contain, and the `MetricsCollector`
 * interface that the atomic and the legacy collector both implement.
 *
 * @module
 */

/**
 * The collector implementations: the lock-free atomic one (the default) and
 * the legacy mutex one (the baseline and the rollback).
 *
 * @example
 * ```ts
 * import { COLLECTOR_KINDS } from "./types.ts";
 * COLLECTOR_KINDS.includes("legacy"); // true
 * ```
 */
export const COLLECTOR_KINDS = ["atomic", "legacy"] as const;

/** One of `COLLECTOR_KINDS`. */
export type CollectorKind = typeof COLLECTOR_KINDS[number];

/**
 * Why a request failed without an HTTP response. Stored as small integers so
 * that the hot path never allocates.
 *
 * @example
 * ```ts
 * import { ERROR_KIND_NAMES, ErrorKind } from "./types.ts";
 * ERROR_KIND_NAMES[ErrorKind.Timeout]; // "timeout"
 * ```
 */
export const ErrorKind = {
  /** No transport error (the request got an HTTP response). */
  None: 0,
  /** The request did not complete within its timeout. */
  Timeout: 1,
  /** The target refused the connection (ECONNREFUSED). */
  Refused: 2,
  /** The connection was reset or closed mid-request (ECONNRESET, EPIPE). */
  Reset: 3,
  /** Any other transport failure. */
  Other: 4,
  /** The host name could not be resolved. */
  Dns: 5,
  /** The TLS handshake or the certificate check failed. */
  Tls: 6,
  /** The peer broke the protocol (a malformed response or frame). */
  Protocol: 7,
  /** The client ran out of file descriptors (EMFILE/ENFILE). */
  FdLimit: 8,
} as const;

/** Number of `ErrorKind` values, `None` included (kinds are 1 .. ERROR_KIND_COUNT - 1). */
export const ERROR_KIND_COUNT = 9;

/** One of the `ErrorKind` values. */
export type ErrorKind = typeof ErrorKind[keyof typeof ErrorKind];

/** Names of the error kinds, indexed by `ErrorKind` value. */
export const ERROR_KIND_NAMES: readonly ErrorKindName[] = [
  "none",
  "timeout",
  "refused",
  "reset",
  "other",
  "dns",
  "tls",
  "protocol",
  "fd_limit",
] as const;

/** The name of an error kind as it appears in reports and `errorsByKind`. */
export type ErrorKindName =
  | "none"
  | "timeout"
  | "refused"
  | "reset"
  | "other"
  | "dns"
  | "tls"
  | "protocol"
  | "fd_limit";

/** The outcome of one request, as handed to `recordRequest`. */
export interface RequestResult {
  /** HTTP status (100-599), or 0 when the request failed without a response. */
  status: number;
  /**
   * Latency in milliseconds. In the open model this is measured from the
   * intended send time (coordinated omission corrected).
   */
  durationMs: number;
  /** Response body bytes received. */
  bytes: number;
  /** Transport error, `ErrorKind.None` (0) when an HTTP response arrived. */
  errorKind?: ErrorKind;
  /**
   * Uncorrected service time in milliseconds (from the actual send), recorded
   * beside `durationMs` in the open model; omit or pass a negative value when
   * there is none.
   */
  serviceTimeMs?: number;
}

/** Latency statistics in milliseconds. */
export interface LatencyStats {
  /** Number of values recorded. */
  count: number;
  /** Smallest value recorded (exact, not bucketed); 0 when nothing was recorded. */
  min: number;
  /** Mean, from histogram bucket midpoints (within 0.05%), clamped to [min, max]. */
  mean: number;
  /** Population standard deviation, from histogram bucket midpoints. */
  stddev: number;
  /** Largest value recorded (exact, not bucketed); 0 when nothing was recorded. */
  max: number;
  /** Median (nearest rank over the histogram, clamped to [min, max]). */
  p50: number;
  /** 75th percentile (nearest rank over the histogram). */
  p75: number;
  /** 90th percentile (nearest rank over the histogram). */
  p90: number;
  /** 95th percentile (nearest rank over the histogram). */
  p95: number;
  /** 99th percentile (nearest rank over the histogram). */
  p99: number;
  /** 99.9th percentile (nearest rank over the histogram). */
  p999: number;
}

/** A point-in-time view of everything a collector has recorded. */
export interface MetricsSnapshot {
  /** Which collector produced it. */
  collector: CollectorKind;
  /** All recorded requests (successful + failed). */
  totalRequests: number;
  /** Requests that got an HTTP status below 400. */
  successfulRequests: number;
  /** Requests with status >= 400 or a transport error. */
  failedRequests: number;
  /** Calls to `recordRequest` rejected as invalid (never counted as requests). */
  invalidRecords: number;
  /** Requests the load generator could not send on time (open model). */
  missedSends: number;
  /**
   * Units of work sent and measured (requests, scenario iterations, WebSocket
   * messages), counted by the pacer as it starts them; sent - totalRequests
   * is what is in flight (or was abandoned). Absent from results written
   * before 0.2.0 and from other collectors.
   */
  sent?: number;
  /** Response body bytes received. */
  bytes: number;
  /** totalRequests / elapsed seconds. */
  requestsPerSecond: number;
  /** Last rate reported through `recordGenerationRate`. */
  generationRate: number;
  /**
   * Latency of the requests that got an HTTP response (any status); from the
   * intended send time in the open model. Transport failures are in
   * `noResponseLatency`.
   */
  latency: LatencyStats;
  /** Uncorrected service time (requests that got a response); `null` when none was recorded. */
  serviceTime: LatencyStats | null;
  /**
   * Durations of requests that failed without a response (transport errors:
   * refused, reset, timeout, ...), kept apart from `latency` as k6 keeps
   * `http_req_failed` apart, so that failures in microseconds never pull the
   * response-latency percentiles down; `null` when there were none.
   */
  noResponseLatency: LatencyStats | null;
  /** Count per HTTP status code seen, keyed by code ("200", "404", ...). */
  statusCounts: Record<string, number>;
  /** Failed requests by HTTP status: "400".."599" plus "other" (transport errors). */
  errorsByStatus: Record<string, number>;
  /** Transport errors by kind: timeout, refused, reset, other. */
  errorsByKind: {
    timeout: number;
    refused: number;
    reset: number;
    other: number;
    dns: number;
    tls: number;
    protocol: number;
    fd_limit: number;
  };
  /** Milliseconds since the collector started or was last reset. */
  elapsedMs: number;
}

/** One 1-second point of the time series. */
export interface TimeSeriesPoint {
  /** Seconds since start (0 = the first second). */
  second: number;
  /** Requests completed (recorded) during this second. */
  requests: number;
  /** Of those, failed requests (status >= 400 or a transport error). */
  errors: number;
  /** Requests completed in this second divided by its length in seconds. */
  rps: number;
  /** Median latency of the requests completed in this second, ms (0 when none). */
  p50: number;
  /** 95th-percentile latency of the requests completed in this second, ms. */
  p95: number;
  /** 99th-percentile latency of the requests completed in this second, ms. */
  p99: number;
}

/** The 1-second time series of a collector. */
export interface TimeSeriesData {
  /** One point per second, oldest first; the last may be the current, partial second. */
  points: TimeSeriesPoint[];
}

/**
 * What a worker needs to attach to a collector created elsewhere. Plain data:
 * send it with `postMessage`.
 */
export interface CollectorHandle {
  /** Which collector created the buffer; decides the writer `attachCollector` returns. */
  kind: CollectorKind;
  /** The collector's shared memory (header plus one region per lane). */
  buffer: SharedArrayBuffer;
  /** Latency samples kept per writer (as requested; 0 = sampling off). */
  sampleCapacity: number;
  /** Writer lanes in the buffer (1 for the legacy collector). */
  lanes: number;
}

/**
 * The collector interface. Both collectors
 * implement it; the engine does not know which one it writes to.
 *
 * @example
 * ```ts
 * import { createCollector } from "../../mod.ts";
 * const c = createCollector();
 * c.recordRequest({ status: 200, durationMs: 1.5, bytes: 2 });
 * console.log(c.getSnapshot().totalRequests); // 1
 * c.close();
 * ```
 */
export interface MetricsCollector {
  /** "atomic" or "legacy". */
  readonly kind: CollectorKind;
  /** Records one request; throws `InvalidResultError` on bad input (and counts it). */
  recordRequest(result: RequestResult): void;
  /**
   * The allocation-free form of `recordRequest`: status, latency (ms), body
   * bytes, error kind, and uncorrected service time (ms, negative for none).
   */
  record(status: number, durationMs: number, bytes: number, errorKind: number, serviceTimeMs: number): void;
  /** `record` with integer nanosecond latencies: allocation-free on V8 even when not inlined. */
  recordNs(status: number, latencyNs: number, bytes: number, errorKind: number, serviceNs: number): void;
  /** Counts `n` requests that could not be sent on time (open model). */
  recordMissedSends(n: number): void;
  /** Stores the current request generation rate (requests per second). */
  recordGenerationRate(rate: number): void;
  /** Exact counts now; latency statistics at most `flushIntervalMs` old (default 100 ms). */
  getSnapshot(): MetricsSnapshot;
  /** The 1-second time series so far. */
  getTimeSeries(): TimeSeriesData;
  /** Brings everything, latency statistics included, up to date now. */
  flush(): void;
  /** Latency histogram counts (merged across writers), for reports and merging. */
  getHistogram(): Float64Array;
  /** Most recent latency samples kept by the sample rings, in ms. */
  getRecentSamples(): Float64Array;
  /** Clears everything and restarts the clock. */
  reset(): void;
  /** Stops the background flush. Recording after close is allowed but not flushed. */
  close(): void;
  /** Plain data that lets a worker attach to this collector. */
  handle(): CollectorHandle;
}
