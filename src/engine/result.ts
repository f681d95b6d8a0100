/**
 * The result of a load run: plain data, stable and versioned, written by
 * `--json` and consumed by every reporter. Reporters are pure functions of it.
 *
 * @module
 */
import type { MetricsSnapshot, TimeSeriesPoint } from "../collector/types.ts";
import type { NamedStats } from "../collector/named_lanes.ts";
import type { ScenarioSummary } from "./scenario/summary.ts";

export type { NamedStats } from "../collector/named_lanes.ts";
export type { ScenarioSummary } from "./scenario/summary.ts";

/** Version of the JSON result schema; bump on any breaking change. */
export const RESULT_SCHEMA_VERSION = 2;

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
  /** Whether `actual` satisfied the threshold's comparison. */
  passed: boolean;
}

/** Seed 003 per-client statistics, aggregated over all virtual users. */
export interface ClientStatsSummary {
  /** Virtual users (clients) that ran. */
  clients: number;
  /** Requests completed by all clients (failed ones included). */
  requests: number;
  /** Failed requests: status >= 400 or a transport error. */
  errors: number;
  /** Connections re-opened after the server or a failure closed them. */
  reconnections: number;
  /** Requests that failed by timing out. */
  timeouts: number;
  /** Failed requests by status "400".."599" plus "other". */
  errorsByStatus: Record<string, number>;
}

/** Everything a run produced. */
export interface RunResult {
  /** Version of this JSON shape (`RESULT_SCHEMA_VERSION`, currently 2); bumped on incompatible changes. */
  schemaVersion: number;
  /** The tool and its version that produced the result. */
  tool: { name: "lunge"; version: string };
  /** Where the run executed: runtime name ("deno", "bun", "node") and version, CPU count and model. */
  runtime: { name: string; version: string; cpus: number; cpuModel: string };
  /** ISO-8601 start and end of the measured part of the run. */
  startedAt: string;
  /** ISO-8601 end of the measured part of the run. */
  endedAt: string;
  /** Measured duration in ms (warm-up excluded). */
  durationMs: number;
  /** What was loaded: the URL (the built-in target's local URL when `builtin`) and the HTTP method. */
  target: { url: string; method: string; builtin: boolean };
  /** The effective options of the run, after defaults were applied. */
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
  /** Per-client (virtual user) statistics, summed over all clients. */
  clients: ClientStatsSummary;
  /** One outcome per threshold given, in the order given (empty when none). */
  thresholds: ThresholdOutcome[];
  /** Per-name metrics (request-set targets, scenario steps) in first-seen order; empty for a single URL. */
  names: NamedStats[];
  /** Scenario iterations, checks and errors, or null when no scenario ran. */
  scenario: ScenarioSummary | null;
}
