/**
 * Reads the inputs of `lunge merge` and `lunge compare`: a result file
 * (`--json`), a JSON-lines file of results (one per line, as collected
 * from `kubectl logs` of a fleet run with `--json -`; other lines are
 * skipped), or an HdrHistogram interval log (`.hlog`). Every problem is
 * one line naming the file.
 *
 * @module
 */
import { latencyStatsOf } from "../collector/snapshot.ts";
import { encodeHistogram } from "./histogram_codec.ts";
import { RESULT_SCHEMA_VERSION, type RunResult } from "./run_result.ts";
import { parseResultJson } from "./json.ts";
import { HISTOGRAM_BUCKETS } from "../shared/histogram_layout.ts";
import { bucketLowerBoundNs, bucketUpperBoundNs } from "../shared/histogram_layout.ts";
import { percentilesOfCounts } from "../shared/histogram_stats.ts";
import { type Hlog, parseHlog } from "./hlog.ts";
import type { MergeInput } from "./merge.ts";

/**
 * A file that cannot be read as results. The message is one line naming the file.
 *
 * @example
 * ```ts
 * import { ResultInputError } from "./load_results.ts";
 * new ResultInputError("a.json: not valid JSON").name; // "ResultInputError"
 * ```
 */
export class ResultInputError extends TypeError {
  /**
   * @param message One line: the file and what is wrong.
   */
  constructor(message: string) {
    super(message);
    this.name = "ResultInputError";
  }
}

function readResult(name: string, text: string): MergeInput {
  let result: RunResult;
  try {
    result = parseResultJson(text);
  } catch (error) {
    throw new ResultInputError(
      `${name}: ${(error as Error).message.replace(/^Cannot read result JSON: /, "")}`,
    );
  }
  return { name, result, raw: JSON.parse(text) as Record<string, unknown> };
}

/**
 * Parses one input file's text into results (several for a `.jsonl` file).
 *
 * @example
 * ```ts
 * import { readResultInputs } from "./load_results.ts";
 * declare const text: string;
 * const inputs = readResultInputs("segment-0.json", text);
 * ```
 */
export function readResultInputs(name: string, text: string): MergeInput[] {
  if (/\.hlog$/i.test(name)) {
    let hlog: Hlog;
    try {
      hlog = parseHlog(text);
    } catch (error) {
      throw new ResultInputError(`${name}: not an HdrHistogram interval log: ${(error as Error).message}`);
    }
    return [{ name, result: hlogToResult(hlog) }];
  }
  if (/\.(jsonl|ndjson)$/i.test(name)) {
    const inputs = text.split(/\r?\n/)
      .map((line, n) => ({ line: line.trim(), n }))
      .filter(({ line }) => line.startsWith("{"))
      .map(({ line, n }) => readResult(`${name}:${n + 1}`, line));
    if (inputs.length === 0) throw new ResultInputError(`${name}: no result lines (lines starting with "{")`);
    return inputs;
  }
  return [readResult(name, text)];
}

/**
 * A result from an interval log: request counts and latencies only (an
 * interval log has no status codes or errors), the time series from the
 * intervals, plan and segment from lunge's comment line.
 *
 * @example
 * ```ts
 * import { hlogToResult } from "./load_results.ts";
 * import { parseHlog } from "./hlog.ts";
 * declare const text: string;
 * hlogToResult(parseHlog(text)).snapshot.totalRequests;
 * ```
 */
export function hlogToResult(hlog: Hlog): RunResult {
  const total = new Float64Array(HISTOGRAM_BUCKETS);
  const out = new Float64Array(3);
  const timeSeries = hlog.intervals.map((interval) => {
    let requests = 0;
    for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
      const c = interval.counts[i];
      if (c === 0) continue;
      total[i] += c;
      requests += c;
    }
    percentilesOfCounts(interval.counts, [50, 95, 99], out);
    return {
      second: Math.round(interval.startSec),
      requests,
      errors: 0,
      rps: interval.lengthSec > 0 ? requests / interval.lengthSec : 0,
      p50: out[0] / 1e6,
      p95: out[1] / 1e6,
      p99: out[2] / 1e6,
    };
  });
  let lo = -1;
  let hi = -1;
  for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
    if (total[i] === 0) continue;
    if (lo < 0) lo = i;
    hi = i;
  }
  const latency = latencyStatsOf(
    total,
    lo < 0 ? Infinity : bucketLowerBoundNs(lo) / 1e6,
    hi < 0 ? -Infinity : bucketUpperBoundNs(hi) / 1e6,
  );
  const count = latency.count;
  const startMs = hlog.meta.startEpochMs + (hlog.intervals[0]?.startSec ?? 0) * 1000;
  const endMs = hlog.intervals.reduce(
    (end, i) => Math.max(end, hlog.meta.startEpochMs + (i.startSec + i.lengthSec) * 1000),
    startMs,
  );
  const durationMs = Math.max(1, endMs - startMs);
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: "lunge", version: hlog.meta.version ?? "unknown" },
    runtime: { name: "unknown", version: "", cpus: 0, cpuModel: "unknown" },
    startedAt: new Date(startMs).toISOString(),
    endedAt: new Date(endMs).toISOString(),
    durationMs,
    target: { url: "(from an interval log)", method: "GET", builtin: false },
    options: {
      model: "open",
      rate: null,
      concurrency: 0,
      workers: 0,
      durationMs: null,
      requests: null,
      warmupMs: 0,
      rampUpMs: 0,
      rampDownMs: 0,
      timeoutMs: 0,
      collector: "atomic",
    },
    interrupted: false,
    snapshot: {
      collector: "atomic",
      totalRequests: count,
      successfulRequests: count,
      failedRequests: 0,
      invalidRecords: 0,
      missedSends: 0,
      noResponseLatency: null,
      bytes: 0,
      requestsPerSecond: count / (durationMs / 1000),
      generationRate: 0,
      latency,
      serviceTime: null,
      statusCounts: {},
      errorsByStatus: {},
      errorsByKind: { timeout: 0, refused: 0, reset: 0, other: 0, dns: 0, tls: 0, protocol: 0, fd_limit: 0 },
      elapsedMs: durationMs,
    },
    timeSeries,
    histogram: encodeHistogram(total),
    achievedRate: count / (durationMs / 1000),
    targetRefusedConnections: false,
    clients: { clients: 0, requests: count, errors: 0, reconnections: 0, timeouts: 0, errorsByStatus: {} },
    thresholds: [],
    serviceHistogram: null,
    ...(hlog.meta.plan === null ? {} : { plan: { fingerprint: hlog.meta.plan } }),
    segment: hlog.meta.segment === null ? null : { ...hlog.meta.segment, startAt: null },
    pool: null,
    warnings: [],
    names: [],
    scenario: null,
  };
}
