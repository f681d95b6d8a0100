/**
 * `lunge compare`: the headline figures of a baseline result and a new one
 * side by side, with deltas, checked against regression limits such as
 * `p99=10%` (p99 may grow by 10% at most), `rps=5%` (the achieved rate may
 * fall by 5% at most), `errors=0.1pp` (the error rate may grow by 0.1
 * percentage points at most) or `p99=2ms` (by 2 ms at most).
 *
 * @module
 */
import type { RunResult } from "./run_result.ts";
import { STREAM_METRIC_UNITS, type StreamMetricName, streamMetricValue } from "../collector/stream_stats.ts";

/** A metric `compare` shows and can limit. */
export interface CompareMetric {
  /** Name in `--max-regression` and in the table. */
  name: string;
  /** Unit of its value: "ms", "req/s", "%" or "" (a count). */
  unit: string;
  /** True when a larger value is a regression (latency, errors); false for rps. */
  higherIsWorse: boolean;
  /** Reads the value from a result. */
  value: (result: RunResult) => number;
  /** Shown only when one of the results has it (stream metrics); NaN when absent. */
  optional?: boolean;
}

const stream = (metric: StreamMetricName, stat: "p50" | "p99"): CompareMetric => ({
  name: `${metric}_${stat}`,
  unit: STREAM_METRIC_UNITS[metric] === "ms" ? "ms" : "",
  higherIsWorse: metric !== "tokens_per_s",
  value: (r) => streamMetricValue(`${metric}_${stat}`, r.streams) ?? Number.NaN,
  optional: true,
});

const latency = (key: "p50" | "p90" | "p95" | "p99" | "p999" | "mean" | "max"): CompareMetric => ({
  name: key,
  unit: "ms",
  higherIsWorse: true,
  value: (r) => r.snapshot.latency[key],
});

/** The metrics of the comparison table, in table order. */
export const COMPARE_METRICS: readonly CompareMetric[] = [
  { name: "requests", unit: "", higherIsWorse: false, value: (r) => r.snapshot.totalRequests },
  { name: "rps", unit: "req/s", higherIsWorse: false, value: (r) => r.achievedRate },
  {
    name: "errors",
    unit: "%",
    higherIsWorse: true,
    value: (r) =>
      r.snapshot.totalRequests === 0 ? 0 : (r.snapshot.failedRequests / r.snapshot.totalRequests) * 100,
  },
  latency("p50"),
  latency("p90"),
  latency("p95"),
  latency("p99"),
  latency("p999"),
  latency("mean"),
  latency("max"),
  // Streamed responses (shown when a result has them).
  stream("ttfb", "p50"),
  stream("ttfb", "p99"),
  stream("first_event", "p50"),
  stream("first_event", "p99"),
  stream("event_gap", "p99"),
  stream("ttft", "p50"),
  stream("ttft", "p99"),
  stream("itl", "p50"),
  stream("itl", "p99"),
  stream("tokens_per_s", "p50"),
];

/** A parsed `--max-regression` limit. */
export interface RegressionLimit {
  /** As written, e.g. `p99=10%`. */
  expression: string;
  /** The metric limited (a name of `COMPARE_METRICS`). */
  metric: string;
  /** `relative`: `value` is % of the baseline; `absolute`: in the metric's unit (ms, req/s, pp). */
  kind: "relative" | "absolute";
  /** The limit: % of the baseline (relative) or in the metric's unit (absolute). */
  value: number;
}

const LIMIT = /^\s*([a-z0-9_]+)\s*=\s*(\d+(?:\.\d+)?|\.\d+)\s*(%|pp|ms|s|us|rps|\/s)?\s*$/i;

/**
 * Parses `metric=N%` (relative to the baseline), `errors=Npp`
 * (percentage points), `p99=Nms` / `Ns` / `Nus` (absolute latency) or
 * `rps=N` (absolute req/s). Throws a TypeError with one clear line.
 *
 * @example
 * ```ts
 * import { parseRegressionLimit } from "./compare.ts";
 * parseRegressionLimit("p99=10%"); // { expression: "p99=10%", metric: "p99", kind: "relative", value: 10 }
 * parseRegressionLimit("errors=0.1pp").kind; // "absolute"
 * ```
 */
export function parseRegressionLimit(text: string): RegressionLimit {
  const names = COMPARE_METRICS.map((m) => m.name).join(", ");
  const match = LIMIT.exec(text);
  if (match === null) {
    throw new TypeError(`invalid --max-regression "${text}": expected metric=N% (or Nms, Npp), e.g. p99=10%`);
  }
  const metric = match[1].toLowerCase();
  const info = COMPARE_METRICS.find((m) => m.name === metric);
  if (info === undefined) {
    throw new TypeError(`unknown metric "${match[1]}" in --max-regression "${text}" (metrics: ${names})`);
  }
  const unit = (match[3] ?? "").toLowerCase();
  let value = Number(match[2]);
  if (unit === "%") return { expression: text, metric, kind: "relative", value };
  const wrong = (expected: string): never => {
    throw new TypeError(`invalid --max-regression "${text}": ${metric} takes N% or ${expected}`);
  };
  if (info.unit === "ms") {
    if (unit === "s") value *= 1000;
    else if (unit === "us") value /= 1000;
    else if (unit !== "ms") wrong("a duration (Nms, Ns, Nus)");
  } else if (info.unit === "%") {
    if (unit !== "pp") wrong("Npp (percentage points)");
  } else if (info.unit === "req/s") {
    if (unit !== "" && unit !== "rps" && unit !== "/s") wrong("N req/s");
  } else if (unit !== "") wrong("a count");
  return { expression: text, metric, kind: "absolute", value };
}

/** One row of the comparison. */
export interface CompareRow {
  /** The metric's name. */
  metric: string;
  /** Its unit: "ms", "req/s", "%" or "" (a count). */
  unit: string;
  /** Value in the baseline. */
  base: number;
  /** Value in the new result. */
  current: number;
  /** current - base. */
  delta: number;
  /** delta as % of base (null when base is 0). */
  deltaPercent: number | null;
  /** The limit on this metric, as written, or null. */
  limit: string | null;
  /** True when the limit is exceeded. */
  exceeded: boolean;
}

/** The outcome of `compareResults`. */
export interface CompareReport {
  /** One row per metric of `COMPARE_METRICS`, in that order (stream metrics only when a result has them). */
  rows: CompareRow[];
  /** Differences between the runs that make the comparison less meaningful. */
  warnings: string[];
  /** The limits exceeded (expressions), empty when all passed. */
  failed: string[];
}

/** How much worse `current` is than `base` for a limit, in the limit's terms (> value fails). */
function regression(
  metric: CompareMetric,
  base: number,
  current: number,
  kind: RegressionLimit["kind"],
): number {
  const worse = metric.higherIsWorse ? current - base : base - current;
  if (kind === "absolute") return worse;
  if (base === 0) return worse > 0 ? Infinity : 0;
  return (worse / base) * 100;
}

/**
 * Compares `current` with `base` under `limits`.
 *
 * @example
 * ```ts
 * import { compareResults, parseRegressionLimit } from "./compare.ts";
 * import type { RunResult } from "./run_result.ts";
 * declare const base: RunResult, current: RunResult;
 * const report = compareResults(base, current, [parseRegressionLimit("p99=10%")]);
 * const exitCode = report.failed.length > 0 ? 99 : 0;
 * ```
 */
export function compareResults(
  base: RunResult,
  current: RunResult,
  limits: readonly RegressionLimit[],
): CompareReport {
  const failed: string[] = [];
  const shown = COMPARE_METRICS.filter((m) =>
    !m.optional || !Number.isNaN(m.value(base)) || !Number.isNaN(m.value(current))
  );
  const rows = shown.map((metric): CompareRow => {
    const b = metric.value(base);
    const c = metric.value(current);
    const mine = limits.filter((l) => l.metric === metric.name);
    const exceeded = mine.filter((l) => regression(metric, b, c, l.kind) > l.value + 1e-9);
    failed.push(...exceeded.map((l) => l.expression));
    return {
      metric: metric.name,
      unit: metric.unit,
      base: b,
      current: c,
      delta: c - b,
      deltaPercent: b === 0 ? null : ((c - b) / b) * 100,
      limit: mine.length === 0 ? null : mine.map((l) => l.expression).join(" "),
      exceeded: exceeded.length > 0,
    };
  });
  return { rows, warnings: comparisonWarnings(base, current), failed };
}

/**
 * What differs between two runs beyond their figures: runtime, machine,
 * load model, lunge version, plan.
 *
 * @example
 * ```ts
 * import { comparisonWarnings } from "./compare.ts";
 * import type { RunResult } from "./run_result.ts";
 * declare const a: RunResult, b: RunResult;
 * comparisonWarnings(a, b).forEach((w) => console.error(w));
 * ```
 */
export function comparisonWarnings(base: RunResult, current: RunResult): string[] {
  const warnings: string[] = [];
  const differ = (what: string, a: string, b: string): void => {
    if (a !== b) warnings.push(`${what} differs: ${a} (base) vs ${b} (new)`);
  };
  differ(
    "runtime",
    `${base.runtime.name} ${base.runtime.version}`,
    `${current.runtime.name} ${current.runtime.version}`,
  );
  differ(
    "machine",
    `${base.runtime.cpus} CPUs, ${base.runtime.cpuModel}`,
    `${current.runtime.cpus} CPUs, ${current.runtime.cpuModel}`,
  );
  const model = (r: RunResult): string =>
    r.options.model === "open"
      ? `open model at ${r.options.rate} req/s`
      : `closed model, ${r.options.concurrency} users`;
  differ("load model", model(base), model(current));
  differ("lunge version", base.tool.version, current.tool.version);
  const plan = (r: RunResult): string => r.plan?.fingerprint ?? "unknown";
  if (model(base) === model(current)) differ("plan", plan(base), plan(current));
  return warnings;
}
