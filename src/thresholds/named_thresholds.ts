/**
 * Thresholds on per-name metrics: `login.p99<200ms`, `GET /me.errors<1%`,
 * `checks>99%`, `iteration_p99<1s`, `iteration_failures<1%`. Parsed beside the
 * run-wide thresholds (tried when the expression is not one of those) and
 * evaluated against the per-name results at the end. A name that never
 * appeared measures `NaN` and fails: a typo is never a silent pass.
 *
 * @module
 */
import type { NamedStats } from "../collector/named_lanes.ts";
import type { MetricsSnapshot } from "../collector/types.ts";
import type { Threshold, ThresholdOutcome } from "./types.ts";
import {
  parseStreamMetricKey,
  STREAM_METRIC_UNITS,
  streamMetricValue,
  type StreamSummary,
} from "../collector/stream_stats.ts";
import { DURATION_UNITS } from "../options/durations.ts";
import { compareThreshold, evaluateThresholds, parseThreshold, ThresholdError } from "./thresholds.ts";
import type { GrpcTotalsView } from "./grpc_thresholds.ts";
import { grpcThresholdValue, parseGrpcThreshold } from "./grpc_thresholds.ts";

/** Per-name results a threshold can name. */
export interface NamedView {
  /** Per request name (targets, steps). */
  names: readonly NamedStats[];
  /** Iterations (scenarios), or null. */
  iterations: NamedStats | null;
  /** Checks (scenarios). */
  checks: ReadonlyArray<{ name: string; passes: number; fails: number }>;
  /** gRPC runs: calls by status (`grpc_errors`, `status_UNAVAILABLE`). */
  grpc?: GrpcTotalsView | null;
}

const STEP_METRICS: Record<string, "ms" | "percent" | "count"> = {
  p50: "ms",
  p90: "ms",
  p99: "ms",
  max: "ms",
  mean: "ms",
  errors: "percent",
  error_count: "count",
  count: "count",
  requests: "count",
};
const OPS = "(<=|>=|==|<|>)";
const VALUE = "(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*([A-Za-zµ%]*)";
const STEP = new RegExp(`^\\s*(.+?)\\.(${Object.keys(STEP_METRICS).join("|")})\\s*${OPS}\\s*${VALUE}\\s*$`);
const CHECKS = new RegExp(`^\\s*(?:(.+?)\\.)?checks\\s*${OPS}\\s*${VALUE}\\s*$`);
const STREAM_STEP = new RegExp(`^\\s*(.+?)\\.([a-z0-9_]+)\\s*${OPS}\\s*${VALUE}\\s*$`);
const ITERATION = new RegExp(
  `^\\s*iteration_(p50|p90|p99|max|mean|failures|count)\\s*${OPS}\\s*${VALUE}\\s*$`,
);

function value(expression: string, kind: "ms" | "percent" | "count", raw: string, unit: string): number {
  const n = Number(raw);
  if (kind === "ms") {
    if (unit === "") return n;
    const f = DURATION_UNITS[unit];
    if (f === undefined || !Object.hasOwn(DURATION_UNITS, unit)) {
      throw new ThresholdError(
        expression,
        `Invalid threshold "${expression}": expected a duration (ns, us, ms, s, m, h)`,
      );
    }
    return n * f;
  }
  if (kind === "percent") {
    if (unit !== "%") {
      throw new ThresholdError(
        expression,
        `Invalid threshold "${expression}": a percentage needs %, e.g. errors<1%`,
      );
    }
    return n;
  }
  if (unit !== "") {
    throw new ThresholdError(expression, `Invalid threshold "${expression}": expected a plain count`);
  }
  return n;
}

/**
 * Parses a run-wide threshold, or else a per-name one. Per-name metrics are
 * encoded as `step:<name>:<metric>`, `checks[:<name>]` and `iteration:<metric>`.
 *
 * @example
 * ```ts
 * import { parseAnyThreshold } from "./named_thresholds.ts";
 * parseAnyThreshold("login.p99<200ms").metric; // "step:login:p99"
 * parseAnyThreshold("checks>99%").metric; // "checks"
 * parseAnyThreshold("p99<50ms").metric; // "p99"
 * ```
 */
export function parseAnyThreshold(expression: string): Threshold {
  try {
    return parseThreshold(expression);
  } catch (error) {
    if (!(error instanceof ThresholdError)) throw error;
    const grpc = parseGrpcThreshold(expression);
    if (grpc !== null) return grpc;
    let m = CHECKS.exec(expression);
    if (m !== null) {
      const metric = m[1] === undefined ? "checks" : `checks:${m[1]}`;
      return {
        expression,
        metric,
        op: m[2] as Threshold["op"],
        value: value(expression, "percent", m[3], m[4]),
      };
    }
    m = ITERATION.exec(expression);
    if (m !== null) {
      const kind = m[1] === "failures" ? "percent" : m[1] === "count" ? "count" : "ms";
      return {
        expression,
        metric: `iteration:${m[1]}`,
        op: m[2] as Threshold["op"],
        value: value(expression, kind, m[3], m[4]),
      };
    }
    m = STREAM_STEP.exec(expression);
    const stream = m === null ? null : parseStreamMetricKey(m[2]);
    if (m !== null && stream !== null) {
      const kind = STREAM_METRIC_UNITS[stream.metric] === "ms" && stream.stat !== "count" ? "ms" : "count";
      return {
        expression,
        metric: `stream:${m[1]}:${m[2]}`,
        op: m[3] as Threshold["op"],
        value: value(expression, kind, m[4], m[5]),
      };
    }
    m = STEP.exec(expression);
    if (m !== null) {
      return {
        expression,
        metric: `step:${m[1]}:${m[2]}`,
        op: m[3] as Threshold["op"],
        value: value(expression, STEP_METRICS[m[2]], m[4], m[5]),
      };
    }
    throw new ThresholdError(
      expression,
      `${error.message}; per-name thresholds: <name>.p50|p90|p99|max|mean|errors|count, <name>.ttft_p99 (stream metrics), checks>99%, iteration_p99<1s, iteration_failures<1%; gRPC: grpc_errors<1%, status_UNAVAILABLE==0`,
    );
  }
}

function statOf(s: NamedStats | null | undefined, metric: string): number {
  if (s === null || s === undefined) return Number.NaN;
  switch (metric) {
    case "count":
    case "requests":
      return s.count;
    case "error_count":
      return s.errors;
    case "errors":
    case "failures":
      return s.count === 0 ? 0 : (s.errors / s.count) * 100;
  }
  if (s.count === 0) return Number.NaN;
  return s.latency[metric as keyof NamedStats["latency"]];
}

/**
 * Evaluates run-wide and per-name thresholds, in the order given.
 *
 * @example
 * ```ts
 * import { evaluateAllThresholds, parseAnyThreshold } from "./named_thresholds.ts";
 * declare const snapshot: import("../collector/types.ts").MetricsSnapshot;
 * evaluateAllThresholds([parseAnyThreshold("checks>99%")], snapshot, 0, { names: [], iterations: null, checks: [] });
 * ```
 */
export function evaluateAllThresholds(
  thresholds: readonly Threshold[],
  snapshot: MetricsSnapshot,
  achievedRate: number,
  view: NamedView,
  streams?: StreamSummary | null,
): ThresholdOutcome[] {
  return thresholds.map((t) => {
    let actual: number;
    if (t.metric === "checks" || t.metric.startsWith("checks:")) {
      const name = t.metric === "checks" ? null : t.metric.slice("checks:".length);
      const list = view.checks.filter((c) => name === null || c.name === name);
      const passes = list.reduce((n, c) => n + c.passes, 0);
      const total = list.reduce((n, c) => n + c.passes + c.fails, 0);
      actual = total === 0 ? Number.NaN : (passes / total) * 100;
    } else if (t.metric.startsWith("iteration:")) {
      actual = statOf(view.iterations, t.metric.slice("iteration:".length));
    } else if (t.metric.startsWith("stream:")) {
      const colon = t.metric.lastIndexOf(":");
      const name = t.metric.slice("stream:".length, colon);
      actual = streamMetricValue(t.metric.slice(colon + 1), streams?.names.find((n) => n.name === name)) ??
        Number.NaN;
    } else if (t.metric.startsWith("grpc:")) {
      actual = grpcThresholdValue(t.metric, view.grpc);
    } else if (t.metric.startsWith("step:")) {
      const colon = t.metric.lastIndexOf(":");
      const name = t.metric.slice("step:".length, colon);
      actual = statOf(view.names.find((n) => n.name === name), t.metric.slice(colon + 1));
    } else {
      return evaluateThresholds([t], snapshot, achievedRate, streams)[0];
    }
    return {
      expression: t.expression,
      metric: t.metric,
      actual,
      passed: compareThreshold(actual, t.op, t.value),
    };
  });
}
