/**
 * `lunge merge`: the results of the segments of one plan (`--segment I/N`)
 * become one result, as if one process had run the whole plan. Counts are
 * summed; histograms are merged bucket-wise, so merged percentiles are
 * exact (to the histogram's 3 significant digits); the time series is
 * aligned by wall-clock second; the achieved rate is over the union of the
 * segments' spans. Results of different plans or schema versions, and a
 * duplicate or missing segment, are refused.
 *
 * @module
 */
import { mergeGrpc } from "./_merge_grpc.ts";
import { mergeNames, mergeScenario } from "./_merge_names.ts";
import { mergeStreamSummaries } from "../collector/stream_stats.ts";
import { latencyStatsOf } from "../collector/snapshot.ts";
import type { LatencyStats, MetricsSnapshot, TimeSeriesPoint } from "../collector/types.ts";
import { decodeHistograms, encodeHistogram } from "./histogram_codec.ts";
import type { Threshold } from "../thresholds/types.ts";
import {
  type ClientStatsSummary,
  type EncodedHistogram,
  RESULT_SCHEMA_VERSION,
  type RunResult,
} from "./run_result.ts";
import { evaluateThresholds } from "../thresholds/thresholds.ts";
import { mergeGeneric } from "./_merge_generic.ts";
import { withUnionHandshake } from "./websocket_summary.ts";

/** A result to merge, with the file it came from (for messages). */
export interface MergeInput {
  /** File name (or label) used in messages. */
  name: string;
  /** The result, validated (see `parseResultJson`). */
  result: RunResult;
  /** The result as read (all fields, also those this version does not know); default `result`. */
  raw?: Record<string, unknown>;
}

/** Options of `mergeResults`. */
export interface MergeOptions {
  /** Merge even when segments are missing; the result is marked partial. */
  allowPartial?: boolean;
  /** Thresholds evaluated on the merged result. */
  thresholds?: Threshold[];
}

/**
 * Inputs that cannot be merged: different plans or schema versions, a
 * duplicate or missing segment. The message is one line.
 *
 * @example
 * ```ts
 * import { MergeError } from "./merge.ts";
 * new MergeError("a.json and b.json are segment 1/3 both").name; // "MergeError"
 * ```
 */
export class MergeError extends TypeError {
  /**
   * Creates the error; `name` is "MergeError".
   *
   * @param message One line saying what is wrong and with which files.
   */
  constructor(message: string) {
    super(message);
    this.name = "MergeError";
  }
}

/** Top-level fields merged by a specific rule; every other field is merged generically. */
/** The fleet's pools added up (each instance has its own); null unless every input has one. */
function mergePool(results: RunResult[]): RunResult["pool"] {
  const pools = results.map((r) => r.pool ?? null);
  if (pools.some((p) => p === null)) return null;
  const all = pools as NonNullable<RunResult["pool"]>[];
  return {
    initial: sum(all.map((p) => p.initial)),
    limit: sum(all.map((p) => p.limit)),
    peak: sum(all.map((p) => p.peak)),
    delayedSends: sum(all.map((p) => p.delayedSends)),
  };
}

const HANDLED = new Set([
  "streams",
  "grpc",
  "names",
  "scenario",
  "pool",
  "warnings",
  "schemaVersion",
  "tool",
  "runtime",
  "startedAt",
  "endedAt",
  "durationMs",
  "target",
  "options",
  "interrupted",
  "snapshot",
  "timeSeries",
  "histogram",
  "achievedRate",
  "targetRefusedConnections",
  "clients",
  "thresholds",
  "serviceHistogram",
  "plan",
  "segment",
  "merged",
]);

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

function sumRecords(records: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) for (const [k, v] of Object.entries(r)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function segmentOf(input: MergeInput): { index: number; count: number } {
  const s = input.result.segment;
  return s === undefined || s === null ? { index: 0, count: 1 } : { index: s.index, count: s.count };
}

/** Throws `MergeError` unless the inputs are the segments of one plan. */
function checkInputs(
  inputs: readonly MergeInput[],
  allowPartial: boolean,
): { count: number; indexes: number[] } {
  if (inputs.length === 0) throw new MergeError("nothing to merge: no input files");
  const first = inputs[0];
  for (const input of inputs) {
    if (input.result.schemaVersion !== RESULT_SCHEMA_VERSION) {
      throw new MergeError(
        `${input.name} has schema version ${input.result.schemaVersion}, this lunge merges version ${RESULT_SCHEMA_VERSION}`,
      );
    }
    const a = first.result.plan?.fingerprint;
    const b = input.result.plan?.fingerprint;
    if ((a === undefined || b === undefined) && !allowPartial) {
      const missing = a === undefined ? first : input;
      throw new MergeError(
        `${missing.name} records no plan (written by lunge before 0.2 or another tool); --allow-partial merges it unchecked`,
      );
    }
    if (a !== undefined && b !== undefined && a !== b) {
      throw new MergeError(`${first.name} and ${input.name} are results of different plans (${a} vs ${b})`);
    }
    if (segmentOf(input).count !== segmentOf(first).count) {
      throw new MergeError(
        `${first.name} and ${input.name} split the plan differently (${segmentOf(first).count} vs ${
          segmentOf(input).count
        } segments)`,
      );
    }
  }
  const count = segmentOf(first).count;
  const seen = new Map<number, string>();
  for (const input of inputs) {
    const { index } = segmentOf(input);
    const other = seen.get(index);
    if (other !== undefined) {
      throw new MergeError(`${other} and ${input.name} are both segment ${index}/${count}: a duplicate`);
    }
    seen.set(index, input.name);
  }
  const missing = [...Array(count).keys()].filter((i) => !seen.has(i));
  if (missing.length > 0 && !allowPartial) {
    throw new MergeError(
      `segment${missing.length === 1 ? "" : "s"} ${missing.map((i) => `${i}/${count}`).join(", ")} missing ` +
        `(${inputs.length} of ${count} given); --allow-partial merges anyway`,
    );
  }
  return { count, indexes: [...seen.keys()].sort((x, y) => x - y) };
}

function mergeLatency(stats: LatencyStats[], histograms: EncodedHistogram[]): LatencyStats {
  const parts = stats.filter((s) => s.count > 0);
  const counts = decodeHistograms(histograms);
  if (parts.length === 0) return latencyStatsOf(counts, Infinity, -Infinity);
  return latencyStatsOf(counts, Math.min(...parts.map((s) => s.min)), Math.max(...parts.map((s) => s.max)));
}

function mergeSeries(results: RunResult[], startMs: number): TimeSeriesPoint[] {
  const bySecond = new Map<number, TimeSeriesPoint>();
  for (const r of results) {
    const offset = Math.round((Date.parse(r.startedAt) - startMs) / 1000);
    for (const p of r.timeSeries) {
      const second = p.second + offset;
      const point = bySecond.get(second);
      if (point === undefined) {
        bySecond.set(second, { ...p, second });
        continue;
      }
      point.requests += p.requests;
      point.errors += p.errors;
      point.rps += p.rps;
      // Per-second percentiles of different processes do not merge exactly: the largest is an upper bound.
      point.p50 = Math.max(point.p50, p.p50);
      point.p95 = Math.max(point.p95, p.p95);
      point.p99 = Math.max(point.p99, p.p99);
    }
  }
  return [...bySecond.values()].sort((a, b) => a.second - b.second);
}

function mergeClients(parts: ClientStatsSummary[]): ClientStatsSummary {
  return {
    clients: sum(parts.map((c) => c.clients)),
    requests: sum(parts.map((c) => c.requests)),
    errors: sum(parts.map((c) => c.errors)),
    reconnections: sum(parts.map((c) => c.reconnections)),
    timeouts: sum(parts.map((c) => c.timeouts)),
    errorsByStatus: sumRecords(parts.map((c) => c.errorsByStatus)),
  };
}

function mergeSnapshot(results: RunResult[], spanMs: number, histogram: EncodedHistogram): MetricsSnapshot {
  const snaps = results.map((r) => r.snapshot);
  const total = sum(snaps.map((s) => s.totalRequests));
  const services = results.map((r) => r.serviceHistogram);
  const serviceTime = services.every((h) => h !== undefined && h !== null) &&
      snaps.some((s) => s.serviceTime !== null)
    ? mergeLatency(
      snaps.map((s) => s.serviceTime).filter((s): s is LatencyStats => s !== null),
      services as EncodedHistogram[],
    )
    : null;
  return {
    collector: snaps[0].collector,
    totalRequests: total,
    successfulRequests: sum(snaps.map((s) => s.successfulRequests)),
    failedRequests: sum(snaps.map((s) => s.failedRequests)),
    invalidRecords: sum(snaps.map((s) => s.invalidRecords)),
    missedSends: sum(snaps.map((s) => s.missedSends)),
    // Sent counts only when every segment has them (results before 0.2.0 have none).
    ...(snaps.every((s) => s.sent !== undefined) ? { sent: sum(snaps.map((s) => s.sent!)) } : {}),
    bytes: sum(snaps.map((s) => s.bytes)),
    requestsPerSecond: spanMs > 0 ? total / (spanMs / 1000) : 0,
    generationRate: sum(snaps.map((s) => s.generationRate)),
    // Results carry no histogram of the failures without a response, so their statistics cannot
    // be merged exactly; a merged result leaves them out rather than approximate them.
    noResponseLatency: null,
    latency: mergeLatency(snaps.map((s) => s.latency), [histogram]),
    serviceTime,
    statusCounts: sumRecords(snaps.map((s) => s.statusCounts)),
    errorsByStatus: sumRecords(snaps.map((s) => s.errorsByStatus)),
    errorsByKind: sumRecords(snaps.map((s) => s.errorsByKind)) as MetricsSnapshot["errorsByKind"],
    elapsedMs: spanMs,
  };
}

/**
 * Merges the results of the segments of one plan into one result. Throws
 * `MergeError` (one line) for inputs that are not that.
 *
 * @example
 * ```ts
 * import { mergeResults } from "./merge.ts";
 * import type { RunResult } from "./run_result.ts";
 * declare const a: RunResult, b: RunResult, c: RunResult;
 * const merged = mergeResults([{ name: "a", result: a }, { name: "b", result: b }, { name: "c", result: c }]);
 * merged.snapshot.totalRequests; // a + b + c
 * ```
 */
export function mergeResults(inputs: readonly MergeInput[], options: MergeOptions = {}): RunResult {
  const { count, indexes } = checkInputs(inputs, options.allowPartial === true);
  const results = inputs.map((i) => i.result);
  const first = results[0];
  const starts = results.map((r) => Date.parse(r.startedAt));
  const startMs = Math.min(...starts);
  const endMs = Math.max(...results.map((r, i) => starts[i] + r.durationMs));
  const spanMs = Math.max(1, endMs - startMs);
  const histogram = encodeHistogram(decodeHistograms(results.map((r) => r.histogram)));
  const snapshot = mergeSnapshot(results, spanMs, histogram);
  const achievedRate = snapshot.totalRequests / (spanMs / 1000);
  const refused = snapshot.errorsByKind.refused;
  const serviceHistograms = results.map((r) => r.serviceHistogram);
  const merged: RunResult = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: first.tool,
    runtime: first.runtime,
    startedAt: new Date(startMs).toISOString(),
    endedAt: new Date(Math.max(...results.map((r) => Date.parse(r.endedAt)))).toISOString(),
    durationMs: spanMs,
    target: first.target,
    options: { ...first.options, workers: sum(results.map((r) => r.options.workers)) },
    interrupted: results.some((r) => r.interrupted),
    snapshot,
    timeSeries: mergeSeries(results, startMs),
    histogram,
    achievedRate,
    targetRefusedConnections: refused > 0 && snapshot.successfulRequests === 0 &&
      refused >= snapshot.totalRequests / 2,
    clients: mergeClients(results.map((r) => r.clients)),
    thresholds: [],
    serviceHistogram: serviceHistograms.every((h) => h !== undefined && h !== null)
      ? encodeHistogram(decodeHistograms(serviceHistograms as EncodedHistogram[]))
      : null,
    plan: first.plan,
    segment: null,
    merged: { inputs: inputs.length, count, segments: indexes, partial: indexes.length < count },
    pool: mergePool(results),
    // Each segment's warnings, once each: they describe its own process.
    warnings: [...new Set(results.flatMap((r) => r.warnings ?? []))],
    names: mergeNames(results),
    scenario: mergeScenario(results),
  };
  const grpc = mergeGrpc(results);
  if (grpc !== undefined) merged.grpc = grpc;
  const raws = inputs.map((i) => i.raw ?? (i.result as unknown as Record<string, unknown>));
  const extra = [...new Set(raws.flatMap((r) => Object.keys(r)))].filter((k) => !HANDLED.has(k));
  const out = merged as unknown as Record<string, unknown>;
  for (const key of extra) out[key] = mergeGeneric(raws.map((r) => r[key]), key);
  const streams = mergeStreamSummaries(results.map((r) => r.streams));
  if (streams !== null) merged.streams = streams;
  if (merged.websocket) merged.websocket = withUnionHandshake(merged.websocket, merged.names);
  merged.thresholds = evaluateThresholds(options.thresholds ?? [], snapshot, achievedRate, streams);
  return merged;
}
