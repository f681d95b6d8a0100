/**
 * Internal: the rows that both the text and the HTML summary show, computed
 * once from a `RunResult` so that the two reports always agree.
 *
 * @module
 */
import type { RunResult, ThresholdOutcome } from "../result/run_result.ts";
import type { LatencyStats } from "../collector/types.ts";
import { formatCount, formatMs } from "./_units.ts";

/** One latency statistic: corrected latency and, in the open model, service time. */
export interface LatencyRow {
  label: string;
  latencyMs: number;
  serviceTimeMs: number | null;
}

const LATENCY_FIELDS: ReadonlyArray<[string, keyof LatencyStats]> = [
  ["min", "min"],
  ["p50", "p50"],
  ["p75", "p75"],
  ["p90", "p90"],
  ["p95", "p95"],
  ["p99", "p99"],
  ["p99.9", "p999"],
  ["max", "max"],
  ["mean", "mean"],
  ["stddev", "stddev"],
];

/**
 * True when the service-time column applies: open model with service time
 * recorded.
 *
 * @example
 * ```ts
 * import { showsServiceTime } from "./_summary_rows.ts";
 * import type { RunResult } from "../result/run_result.ts";
 * declare const result: RunResult;
 * if (showsServiceTime(result)) console.log("two columns");
 * ```
 */
export function showsServiceTime(result: RunResult): boolean {
  return result.options.model === "open" && result.snapshot.serviceTime !== null;
}

/**
 * The latency table rows (min … stddev).
 *
 * @example
 * ```ts
 * import { latencyRows } from "./_summary_rows.ts";
 * import type { RunResult } from "../result/run_result.ts";
 * declare const result: RunResult;
 * for (const row of latencyRows(result)) console.log(row.label, row.latencyMs);
 * ```
 */
export function latencyRows(result: RunResult): LatencyRow[] {
  const service = showsServiceTime(result) ? result.snapshot.serviceTime : null;
  return LATENCY_FIELDS.map(([label, key]) => ({
    label,
    latencyMs: result.snapshot.latency[key],
    serviceTimeMs: service ? service[key] : null,
  }));
}

/** A count with its share of a total. */
export interface CountRow {
  label: string;
  count: number;
  /** count / total, 0..1 (0 when the total is 0). */
  share: number;
}

/**
 * Status codes seen, ascending by code, with their share of all requests.
 *
 * @example
 * ```ts
 * import { statusRows } from "./_summary_rows.ts";
 * import type { RunResult } from "../result/run_result.ts";
 * declare const result: RunResult;
 * console.log(statusRows(result).map((r) => r.label));
 * ```
 */
export function statusRows(result: RunResult): CountRow[] {
  const total = result.snapshot.totalRequests;
  return Object.entries(result.snapshot.statusCounts)
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([label, count]) => ({ label, count, share: total > 0 ? count / total : 0 }));
}

/**
 * Transport errors by kind (timeout, refused, reset, other), non-zero only.
 *
 * @example
 * ```ts
 * import { errorKindRows } from "./_summary_rows.ts";
 * import type { RunResult } from "../result/run_result.ts";
 * declare const result: RunResult;
 * console.log(errorKindRows(result));
 * ```
 */
export function errorKindRows(result: RunResult): CountRow[] {
  const total = result.snapshot.totalRequests;
  const kinds = result.snapshot.errorsByKind;
  return (["timeout", "refused", "reset", "dns", "tls", "protocol", "fd_limit", "other"] as const)
    .map((label) => ({ label, count: kinds[label], share: total > 0 ? kinds[label] / total : 0 }))
    .filter((row) => row.count > 0);
}

/** The unit a threshold's actual value is in, read from its expression. */
export type ThresholdUnit = "ms" | "%" | "req/s" | "";

const PERCENT_METRICS = /^(errors?|error_rate|failures?|fail(ed)?_rate)$/i;
const LATENCY_METRICS = /^(p\d+(\.\d+)?|min|max|mean|avg|med|median|stddev|latency.*)$/i;
const RATE_METRICS = /^(rps|rate|throughput|req(uests)?_per_s(ec(ond)?)?)$/i;

/**
 * The unit of a threshold's actual value: from the literal's suffix in the
 * expression (`50ms`, `1%`), else from the metric name.
 *
 * @example
 * ```ts
 * import { thresholdUnit } from "./_summary_rows.ts";
 * thresholdUnit({ expression: "p99<50ms", metric: "p99", actual: 12, passed: true }); // "ms"
 * thresholdUnit({ expression: "errors<1%", metric: "errors", actual: 0.2, passed: true }); // "%"
 * ```
 */
export function thresholdUnit(outcome: ThresholdOutcome): ThresholdUnit {
  const literal = outcome.expression.split(/[<>=!]+/).pop()?.trim() ?? "";
  if (literal.endsWith("%")) return "%";
  if (/\d\s*(ms|s|us|µs)$/.test(literal)) return "ms";
  if (PERCENT_METRICS.test(outcome.metric)) return "%";
  if (LATENCY_METRICS.test(outcome.metric)) return "ms";
  if (RATE_METRICS.test(outcome.metric)) return "req/s";
  return "";
}

/**
 * The actual value of a threshold in human units.
 *
 * @example
 * ```ts
 * import { formatThresholdActual } from "./_summary_rows.ts";
 * formatThresholdActual({ expression: "rps>9900", metric: "rps", actual: 9987.2, passed: true }); // "9,987.2 req/s"
 * ```
 */
export function formatThresholdActual(outcome: ThresholdOutcome): string {
  switch (thresholdUnit(outcome)) {
    case "ms":
      return formatMs(outcome.actual);
    case "%":
      return `${outcome.actual.toFixed(2)}%`;
    case "req/s":
      return `${formatCount(outcome.actual, 1)} req/s`;
    default:
      return formatCount(outcome.actual, Number.isInteger(outcome.actual) ? 0 : 2);
  }
}

/**
 * The one-line description of the load model, e.g. `open, 1,000 req/s target,
 * at most 100 in flight, 2 workers`.
 *
 * @example
 * ```ts
 * import { describeModel } from "./_summary_rows.ts";
 * import type { RunResult } from "../result/run_result.ts";
 * declare const result: RunResult;
 * console.log(describeModel(result));
 * ```
 */
export function describeModel(result: RunResult): string {
  const o = result.options;
  const workers = `${o.workers} worker${o.workers === 1 ? "" : "s"}`;
  if (o.model === "open") {
    const rate = o.rate === null ? "" : `${formatCount(o.rate)} req/s target, `;
    return `open, ${rate}at most ${formatCount(o.concurrency)} in flight, ${workers}`;
  }
  return `closed, ${formatCount(o.concurrency)} virtual users, ${workers}`;
}
