/**
 * The result of a load run: plain data, stable and versioned, written by
 * `--json` and consumed by every reporter. Reporters are pure functions of it.
 *
 * @module
 */
import type { MetricsSnapshot, TimeSeriesPoint } from "../collector/types.ts";

/** Version of the JSON result schema; bump on any breaking change. */
export const RESULT_SCHEMA_VERSION = 1;

/** Load model: closed (C virtual users loop) or open (constant arrival rate). */
export type LoadModel = "closed" | "open";

/** Run phase, as shown in progress and recorded in the time series. */
export type Phase = "warmup" | "ramp-up" | "steady" | "ramp-down" | "done";

/** A sparse, mergeable encoding of a log-linear latency histogram. */
export interface EncodedHistogram {
  /** Identifies the bucket layout: `"lunge-loglinear-ns-v1"`. */
  encoding: string;
  /** Sub-bucket bits of the layout (10: 1024 sub-buckets per power of two). */
  subBucketBits: number;
  /** Pairs of [bucket index, count] for the non-empty buckets, ascending. */
  buckets: Array<[number, number]>;
}

/** Outcome of one `--threshold` expression. */
export interface ThresholdOutcome {
  /** The expression as the user wrote it, e.g. `"p99<50ms"`. */
  expression: string;
  /** The metric name, e.g. `"p99"`. */
  metric: string;
  /** The measured value, in the metric's unit (ms, %, req/s, count). */
  actual: number;
  passed: boolean;
}

/** Seed 003 per-client statistics, aggregated over all virtual users. */
export interface ClientStatsSummary {
  /** Virtual users (clients) that ran. */
  clients: number;
  requests: number;
  errors: number;
  reconnections: number;
  timeouts: number;
  /** Failed requests by status "400".."599" plus "other". */
  errorsByStatus: Record<string, number>;
}

/** Everything a run produced. */
export interface RunResult {
  schemaVersion: number;
  tool: { name: "lunge"; version: string };
  runtime: { name: string; version: string; cpus: number; cpuModel: string };
  /** ISO-8601 start and end of the measured part of the run. */
  startedAt: string;
  endedAt: string;
  /** Measured duration in ms (warm-up excluded). */
  durationMs: number;
  target: { url: string; method: string; builtin: boolean };
  options: {
    model: LoadModel;
    /** Target rate in requests/s (open model), or `null`. */
    rate: number | null;
    concurrency: number;
    workers: number;
    durationMs: number | null;
    requests: number | null;
    warmupMs: number;
    rampUpMs: number;
    rampDownMs: number;
    timeoutMs: number;
    collector: "atomic" | "legacy";
  };
  /** True when the run was stopped early (Ctrl-C); the figures are partial. */
  interrupted: boolean;
  /** Final metrics (latency is corrected from intended send time in the open model). */
  snapshot: MetricsSnapshot;
  /** 1-second time series of the measured part. */
  timeSeries: TimeSeriesPoint[];
  /** Corrected latency histogram (mergeable with another run's). */
  histogram: EncodedHistogram;
  /** Achieved rate (requests/s over the measured duration). */
  achievedRate: number;
  /** True when every request failed because the target refused connections. */
  targetRefusedConnections: boolean;
  clients: ClientStatsSummary;
  thresholds: ThresholdOutcome[];
}
