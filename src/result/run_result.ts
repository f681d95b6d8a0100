/**
 * The result of a load run: plain data, stable and versioned, written by
 * `--json` and consumed by every reporter. Reporters are pure functions of it.
 *
 * @module
 */
import type { ErrorKindName, MetricsSnapshot, TimeSeriesPoint } from "../collector/types.ts";
import type { NamedStats } from "../collector/named_lanes.ts";
import type { ScenarioSummary } from "./scenario_summary.ts";
import type { WebSocketSummary } from "./websocket_summary.ts";
export type { WebSocketSummary } from "./websocket_summary.ts";

export type { NamedStats } from "../collector/named_lanes.ts";
export type { ScenarioSummary } from "./scenario_summary.ts";
import type { StreamSummary } from "../collector/stream_stats.ts";
export type { StreamSummary } from "../collector/stream_stats.ts";
import type { GrpcSummary } from "./grpc_summary.ts";
export type { GrpcCallStats, GrpcSummary } from "./grpc_summary.ts";

import type { ClientStatsSummary } from "../collector/client_stats.ts";
/** Version of the JSON result schema; bump on any breaking change. */
export const RESULT_SCHEMA_VERSION = 2;

export type { LoadModel } from "../options/values.ts";
import type { RunResultOptions } from "../options/values.ts";

/** One distinct error message and how often it occurred. */
export interface ErrorMessageCount {
  /** The error kind (`"refused"`, `"timeout"`, ...). */
  kind: ErrorKindName;
  /** The message, e.g. `"connect ECONNREFUSED 127.0.0.1:1"`. */
  message: string;
  /** How many requests failed with it. */
  count: number;
}

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

/** One threshold's outcome (declared with the threshold code). */
export type { ThresholdOutcome } from "../thresholds/types.ts";
import type { ThresholdOutcome } from "../thresholds/types.ts";

// Defined beside the table that produces it, so that the collector does not depend on the engine.
export type { ClientStatsSummary } from "../collector/client_stats.ts";

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
  options: RunResultOptions;
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
  /** Uncorrected service-time histogram (open model), mergeable; null when none was recorded. */
  serviceHistogram?: EncodedHistogram | null;
  /** The plan this run (or segment) belongs to; `lunge merge` refuses different plans. */
  plan?: ResultPlan;
  /** This instance's share of a split run (`--segment I/N`), or null for the whole plan. */
  segment?: ResultSegment | null;
  /** Set by `lunge merge`: which segments the merged result is made of. */
  merged?: MergeInfo | null;
  /**
   * The open model's connection pool: it starts at `initial` connections and
   * grows on demand up to `limit`; `delayedSends` counts arrivals that waited
   * because all `limit` connections were busy. `null` in the closed model.
   */
  pool: ConnectionPoolSummary | null;
  /** Conditions that make the figures less trustworthy, one sentence each (also printed on stderr by the CLI). */
  warnings: string[];
  /** The 10 most frequent messages of failed requests with their counts; absent when none failed. */
  errorMessages?: ErrorMessageCount[];
  /** Per-name metrics (request-set targets, scenario steps) in first-seen order; empty for a single URL. */
  names: NamedStats[];
  /** Scenario iterations, checks and errors, or null when no scenario ran. */
  scenario: ScenarioSummary | null;
  /**
   * Streamed responses: time to first body byte of every response, SSE events and LLM tokens
   * (see docs/result-schema.md, "streams"); absent when no response was timed.
   */
  streams?: StreamSummary | null;
  /** WebSocket runs (ws://, wss://): handshakes, messages, bytes, close codes, failures; absent otherwise. */
  websocket?: WebSocketSummary | null;
  /** gRPC runs: calls by gRPC status, messages, first-message times (absent otherwise). */
  grpc?: GrpcSummary;
}

/** The plan a result belongs to. */
export interface ResultPlan {
  /** Hash of every plan option (see `planFingerprint`): equal plans, equal fingerprints. */
  fingerprint: string;
}

/** The share of the plan a result covers (`--segment I/N`, `--start-at`). */
export interface ResultSegment {
  /** 0-based index of this instance. */
  index: number;
  /** Number of instances the plan was split over. */
  count: number;
  /** ISO-8601 time the measured phase was asked to start (`--start-at`), or null. */
  startAt: string | null;
}

/** How a merged result was made. */
export interface MergeInfo {
  /** Number of input files. */
  inputs: number;
  /** Segment count of the plan (N). */
  count: number;
  /** Segment indexes merged, ascending. */
  segments: number[];
  /** True when some segments were missing (`--allow-partial`): the figures cover part of the plan. */
  partial: boolean;
}

/** The open model's connection pool over a run (see `RunResult.pool`). */
export interface ConnectionPoolSummary {
  /** Connections ready at the start (the `concurrency` option or its default). */
  initial: number;
  /** Most connections the pool may grow to. */
  limit: number;
  /** Most connections open at once. */
  peak: number;
  /** Arrivals sent late (or not at all) because every connection allowed was busy. */
  delayedSends: number;
}
