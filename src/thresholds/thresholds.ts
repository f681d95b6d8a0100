/**
 * Pass/fail thresholds as k6 users write them: `p99<50ms`, `errors<1%`,
 * `rps>9900`, `p95<=1.5s`. Parsed (and rejected) before a run starts, so a
 * typo is an error and never a silent pass; evaluated against the final
 * snapshot at the end.
 *
 * @example
 * ```ts
 * import { evaluateThresholds, parseThreshold } from "./thresholds.ts";
 * const thresholds = ["p99<50ms", "errors<1%"].map(parseThreshold);
 * declare const snapshot: import("../collector/types.ts").MetricsSnapshot;
 * const outcomes = evaluateThresholds(thresholds, snapshot, 9_950);
 * const failed = outcomes.some((o) => !o.passed);
 * ```
 *
 * @module
 */
import type { LatencyStats, MetricsSnapshot } from "../collector/types.ts";
import type { Threshold, ThresholdOutcome } from "./types.ts";
import { DURATION_UNITS } from "../options/durations.ts";
import {
  parseStreamMetricKey,
  STREAM_METRIC_UNITS,
  STREAM_METRICS,
  STREAM_STATS,
  streamMetricValue,
  type StreamStats,
} from "../collector/stream_stats.ts";

/** The unit a threshold metric is measured in; decides which suffixes its value accepts. */
export type ThresholdUnit = "ms" | "percent" | "rps" | "count";

/** What a threshold metric measures. */
export interface ThresholdMetric {
  /** Unit of the metric's value: ms, percent, requests/s or a plain count. */
  unit: ThresholdUnit;
  /** One-line human description of what the metric measures. */
  description: string;
}

type LatencyKey = Exclude<keyof LatencyStats, "count">;

const latency = (what: string): ThresholdMetric => ({
  unit: "ms",
  description: `${what} latency (corrected from the intended send time in the open model)`,
});
const service = (what: string): ThresholdMetric => ({
  unit: "ms",
  description: `${what} service time (uncorrected; equals the latency in the closed model)`,
});

/**
 * Every metric a threshold can name, with its unit. Latencies are in ms
 * (`p99<50ms`, `p95<=1.5s`; a bare number is ms), error rates in percent
 * (`errors<1%`, the `%` is required), rates in requests/s, counts plain.
 *
 * @example
 * ```ts
 * import { THRESHOLD_METRICS } from "./thresholds.ts";
 * Object.keys(THRESHOLD_METRICS).includes("p99"); // true
 * THRESHOLD_METRICS.errors.unit; // "percent"
 * ```
 */
export const THRESHOLD_METRICS: Readonly<Record<string, ThresholdMetric>> = Object.freeze({
  p50: latency("median (p50)"),
  p75: latency("75th percentile"),
  p90: latency("90th percentile"),
  p95: latency("95th percentile"),
  p99: latency("99th percentile"),
  p999: latency("99.9th percentile"),
  min: latency("minimum"),
  max: latency("maximum"),
  mean: latency("mean"),
  stddev: latency("standard deviation of the"),
  service_p50: service("median (p50)"),
  service_p90: service("90th percentile"),
  service_p95: service("95th percentile"),
  service_p99: service("99th percentile"),
  service_p999: service("99.9th percentile"),
  service_mean: service("mean"),
  service_max: service("maximum"),
  errors: {
    unit: "percent",
    description:
      "failed requests (status >= 400 or transport error) plus missed sends, % of all requests plus missed sends",
  },
  error_count: { unit: "count", description: "failed requests" },
  timeouts: { unit: "count", description: "requests that timed out" },
  rps: { unit: "rps", description: "achieved requests per second over the measured duration" },
  requests: { unit: "count", description: "requests completed in the measured part" },
  missed_sends: {
    unit: "count",
    description: "planned arrivals the open model never sent (backlog at the end)",
  },
});

/** k6 spellings accepted as well: `p(99)`, `p(99.9)`, `avg`, `med`. */
const ALIASES: Readonly<Record<string, string>> = Object.freeze({
  "p(50)": "p50",
  "p(75)": "p75",
  "p(90)": "p90",
  "p(95)": "p95",
  "p(99)": "p99",
  "p(99.9)": "p999",
  avg: "mean",
  med: "p50",
  rate: "rps",
  failed: "errors",
});

const MS_UNITS: Readonly<Record<string, number>> = DURATION_UNITS;

const EXPRESSION =
  /^\s*([A-Za-z_][A-Za-z0-9_]*(?:\(\d+(?:\.\d+)?\))?)\s*(<=|>=|==|<|>)\s*(\d+(?:\.\d+)?|\.\d+)\s*([A-Za-zµ%/]*)\s*$/;

/**
 * A threshold expression that cannot be used: malformed, an unknown metric,
 * or a value in the wrong unit. Thrown before the run starts.
 *
 * @example
 * ```ts
 * import { parseThreshold, ThresholdError } from "./thresholds.ts";
 * try {
 *   parseThreshold("p98<5ms");
 * } catch (e) {
 *   e instanceof ThresholdError; // true; e.message lists the valid metrics
 * }
 * ```
 */
export class ThresholdError extends TypeError {
  /** The expression as the user wrote it. */
  readonly expression: string;
  /**
   * Creates the error; `name` is "ThresholdError".
   *
   * @param expression The threshold expression as written, kept on `expression`.
   * @param message The full error message (what is wrong and what is valid).
   */
  constructor(expression: string, message: string) {
    super(message);
    this.name = "ThresholdError";
    this.expression = expression;
  }
}

function validMetrics(): string {
  return `${Object.keys(THRESHOLD_METRICS).join(", ")}; stream metrics <metric>_<stat> with metric ` +
    `${STREAM_METRICS.join("|")} and stat ${STREAM_STATS.join("|")} (e.g. ttft_p99, first_event_p95)`;
}

/**
 * Parses one threshold expression (`<metric><op><value>[unit]`, ops `<`
 * `<=` `>` `>=` `==`) into a `Threshold` whose value is in the metric's
 * unit. Throws `ThresholdError` naming the expression for a malformed
 * expression, an unknown metric (listing the valid ones) or a wrong unit.
 *
 * @example
 * ```ts
 * import { parseThreshold } from "./thresholds.ts";
 * parseThreshold("p95<=1.5s"); // { expression: "p95<=1.5s", metric: "p95", op: "<=", value: 1500 }
 * parseThreshold("errors<1%"); // { ..., metric: "errors", op: "<", value: 1 }
 * parseThreshold("rps>9900"); // { ..., metric: "rps", op: ">", value: 9900 }
 * ```
 */
export function parseThreshold(expression: string): Threshold {
  const match = EXPRESSION.exec(String(expression));
  if (match === null) {
    throw new ThresholdError(
      expression,
      `Invalid threshold "${expression}": expected <metric><op><value>, e.g. p99<50ms, errors<1%, rps>9900 ` +
        `(ops: < <= > >= ==; metrics: ${validMetrics()})`,
    );
  }
  const [, rawName, op, rawValue, rawUnit] = match;
  const lower = rawName.toLowerCase();
  const metric = Object.hasOwn(ALIASES, lower) ? ALIASES[lower] : lower; // not "constructor" of the prototype
  const stream = parseStreamMetricKey(metric);
  const info = stream === null ? THRESHOLD_METRICS[metric] : {
    unit: STREAM_METRIC_UNITS[stream.metric] === "ms" && stream.stat !== "count"
      ? "ms" as const
      : "count" as const,
    description: "",
  };
  if (info === undefined || (stream === null && !Object.hasOwn(THRESHOLD_METRICS, metric))) {
    throw new ThresholdError(
      expression,
      `Unknown metric "${rawName}" in threshold "${expression}"; valid metrics: ${validMetrics()}`,
    );
  }
  const value = convert(expression, metric, info.unit, Number(rawValue), rawUnit);
  return { expression, metric, op: op as Threshold["op"], value };
}

function convert(
  expression: string,
  metric: string,
  unit: ThresholdUnit,
  value: number,
  suffix: string,
): number {
  const wrong = (expected: string): never => {
    throw new ThresholdError(
      expression,
      `Invalid threshold "${expression}": "${metric}" takes ${expected}, got unit "${suffix}"`,
    );
  };
  let result: number;
  switch (unit) {
    case "ms": {
      if (suffix === "") result = value; // k6: a bare latency is milliseconds
      else {
        const factor = MS_UNITS[suffix];
        if (factor === undefined || !Object.hasOwn(MS_UNITS, suffix)) {
          wrong("a duration (ns, us, ms, s, m, h)");
        }
        result = value * factor;
      }
      break;
    }
    case "percent":
      if (suffix !== "%") {
        // Ambiguous otherwise: k6's rate<0.01 means 1%, a plain 1 could mean 1%.
        throw new ThresholdError(
          expression,
          `Invalid threshold "${expression}": "${metric}" is a percentage, write it with %, e.g. ${metric}<1%`,
        );
      }
      result = value;
      break;
    case "rps":
      if (suffix !== "" && suffix !== "/s" && suffix !== "rps") {
        wrong("requests per second (a plain number or /s)");
      }
      result = value;
      break;
    default:
      if (suffix !== "") wrong("a plain count");
      result = value;
  }
  if (!Number.isFinite(result)) {
    throw new ThresholdError(
      expression,
      `Invalid threshold "${expression}": the value is not a finite number`,
    );
  }
  return result;
}

function latencyOf(stats: LatencyStats | null, key: LatencyKey): number {
  return stats === null || stats.count === 0 ? Number.NaN : stats[key];
}

/**
 * The measured value of a threshold metric, in its unit. Latencies of a run
 * without any request are `NaN` (and so fail every threshold); the service
 * time falls back to the latency when none was recorded (closed model).
 *
 * @example
 * ```ts
 * import { thresholdMetricValue } from "./thresholds.ts";
 * declare const snapshot: import("../collector/types.ts").MetricsSnapshot;
 * thresholdMetricValue("errors", snapshot, 1000); // e.g. 0.25 (%)
 * ```
 */
export function thresholdMetricValue(
  metric: string,
  snapshot: MetricsSnapshot,
  achievedRate: number,
  streams?: StreamStats | null,
): number {
  const stream = streamMetricValue(metric, streams);
  if (stream !== undefined) return stream;
  switch (metric) {
    case "errors":
      return errorRatePct(snapshot);
    case "error_count":
      return snapshot.failedRequests;
    case "timeouts":
      return snapshot.errorsByKind.timeout;
    case "rps":
      return achievedRate;
    case "requests":
      return snapshot.totalRequests;
    case "missed_sends":
      return snapshot.missedSends;
  }
  if (metric.startsWith("service_")) {
    const key = metric.slice("service_".length) as LatencyKey;
    return latencyOf(snapshot.serviceTime ?? snapshot.latency, key);
  }
  if (Object.hasOwn(THRESHOLD_METRICS, metric)) return latencyOf(snapshot.latency, metric as LatencyKey);
  throw new ThresholdError(metric, `Unknown threshold metric "${metric}"; valid metrics: ${validMetrics()}`);
}

/**
 * Failed requests plus missed sends (planned arrivals never sent), in percent
 * of all requests plus missed sends: an open run that ends with a backlog
 * cannot pass `errors<1%` by leaving its arrivals unsent.
 *
 * @example
 * ```ts
 * import { errorRatePct } from "./thresholds.ts";
 * declare const snapshot: import("../collector/types.ts").MetricsSnapshot;
 * errorRatePct(snapshot); // e.g. 80 when 80% of the arrivals were never sent
 * ```
 */
export function errorRatePct(
  snapshot: Pick<MetricsSnapshot, "totalRequests" | "failedRequests" | "missedSends">,
): number {
  const planned = snapshot.totalRequests + snapshot.missedSends;
  return planned === 0 ? 0 : ((snapshot.failedRequests + snapshot.missedSends) / planned) * 100;
}

/**
 * Whether `actual` satisfies `op limit`.
 *
 * @example
 * ```ts
 * import { compareThreshold } from "./thresholds.ts";
 * compareThreshold(12, "<", 50); // true
 * ```
 */
export function compareThreshold(actual: number, op: Threshold["op"], limit: number): boolean {
  switch (op) {
    case "<":
      return actual < limit;
    case "<=":
      return actual <= limit;
    case ">":
      return actual > limit;
    case ">=":
      return actual >= limit;
    case "==":
      return actual === limit;
  }
}

/**
 * Evaluates thresholds against a final snapshot. A `NaN` measurement (no
 * latency recorded) fails.
 *
 * @example
 * ```ts
 * import { evaluateThresholds, parseThreshold } from "./thresholds.ts";
 * declare const snapshot: import("../collector/types.ts").MetricsSnapshot;
 * const [outcome] = evaluateThresholds([parseThreshold("rps>9900")], snapshot, 9_950);
 * outcome.passed; // true
 * ```
 */
export function evaluateThresholds(
  thresholds: readonly Threshold[],
  snapshot: MetricsSnapshot,
  achievedRate: number,
  streams?: StreamStats | null,
): ThresholdOutcome[] {
  return thresholds.map((t) => {
    const actual = thresholdMetricValue(t.metric, snapshot, achievedRate, streams);
    return {
      expression: t.expression,
      metric: t.metric,
      actual,
      passed: compareThreshold(actual, t.op, t.value),
    };
  });
}
