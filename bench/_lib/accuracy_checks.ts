/**
 * The accuracy checks as pure functions of one run, each against a source
 * lunge's collector does not write: counts against the target's ground truth
 * (exact); the collector's percentiles against the raw latencies the load
 * workers kept in plain arrays, sorted exactly and fed to hdr-histogram-js
 * (within 0.1%); the achieved rate against the arrivals the target counted
 * per second (open model: within 0.5% of the planned rate; closed model: the
 * run's `achievedRate` within 1% of the server's count, on a steady-state run
 * where the count could otherwise differ by the responses in transit; see
 * {@linkcode closedRateCheck}).
 *
 * @module
 */
import * as hdr from "hdr-histogram-js";
import type { RunResult } from "../../src/result/run_result.ts";
import { windowRates } from "../../src/target/_arrivals.ts";
import type { GroundTruth } from "../../src/target/types.ts";

/** One pass/fail line of the accuracy table. */
export interface AccuracyRow {
  /** e.g. "closed c=1000 atomic". */
  run: string;
  /** e.g. "total", "status 503", "p99". */
  check: string;
  expected: number;
  measured: number;
  /** Relative error in percent (0 for exact checks that match). */
  errorPct: number;
  /** "exact" or a percent limit such as "<= 1%". */
  limit: string;
  pass: boolean;
}

/** Percentiles compared, with the snapshot field that holds each. */
export const CHECKED_PERCENTILES: ReadonlyArray<[number, "p50" | "p90" | "p99" | "p999"]> = [
  [50, "p50"],
  [90, "p90"],
  [99, "p99"],
  [99.9, "p999"],
];

/** Limit of the closed model's rate check, in percent. */
export const ACCURACY_LIMIT_PCT = 1;
/** Limit of the open model's rate check (server count against the plan), in percent. */
export const OPEN_RATE_LIMIT_PCT = 0.5;
/** Limit of the percentile checks (the histograms' 3-digit resolution), in percent. */
export const PERCENTILE_GOAL_PCT = 0.1;

/**
 * Nearest-rank percentile of sorted values (the histogram uses the same rank).
 *
 * @example
 * ```ts
 * import { exactPercentile } from "./accuracy_checks.ts";
 * exactPercentile(new Float64Array([1, 2, 3, 4]), 50); // 2
 * ```
 */
export function exactPercentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100 - 1e-9));
  return sorted[Math.min(sorted.length, rank) - 1];
}

function relPct(expected: number, measured: number): number {
  if (expected === measured) return 0;
  return (Math.abs(measured - expected) / Math.max(Math.abs(expected), 1e-12)) * 100;
}

function exact(run: string, check: string, expected: number, measured: number): AccuracyRow {
  return {
    run,
    check,
    expected,
    measured,
    errorPct: relPct(expected, measured),
    limit: "exact",
    pass: expected === measured,
  };
}

/**
 * Count checks: total, successes, failures, bytes and every status code
 * against the target's ground truth.
 *
 * @example
 * ```ts
 * import { countChecks } from "./accuracy_checks.ts";
 * // rows = countChecks("closed c=100 atomic", result, await target.stats());
 * ```
 */
export function countChecks(run: string, result: RunResult, truth: GroundTruth): AccuracyRow[] {
  const s = result.snapshot;
  let ok = 0;
  let failed = 0;
  for (const [code, n] of Object.entries(truth.byStatus)) Number(code) < 400 ? (ok += n) : (failed += n);
  const rows = [
    exact(run, "total", truth.totalRequests, s.totalRequests),
    exact(run, "successes", ok, s.successfulRequests),
    exact(run, "failures", failed, s.failedRequests),
    exact(run, "bytes", truth.bodyBytesSent, s.bytes),
  ];
  const codes = new Set([...Object.keys(truth.byStatus), ...Object.keys(s.statusCounts)]);
  for (const code of [...codes].sort()) {
    rows.push(exact(run, `status ${code}`, truth.byStatus[code] ?? 0, s.statusCounts[code] ?? 0));
  }
  return rows;
}

/**
 * Percentile checks: the collector's p50/p90/p99/p99.9 against the exact
 * nearest-rank percentiles of the raw latencies (ns) the load workers kept,
 * and against hdr-histogram-js fed the same latencies (asked for the same
 * rank, compared at bucket midpoints), each within 0.1%. Fails outright when
 * fewer latencies were kept than responses recorded.
 *
 * @example
 * ```ts
 * import { percentileChecks } from "./accuracy_checks.ts";
 * // rows = percentileChecks("closed c=100 atomic", result, rawLatenciesNs);
 * ```
 */
export function percentileChecks(run: string, result: RunResult, latenciesNs: Float64Array): AccuracyRow[] {
  const s = result.snapshot;
  const rows: AccuracyRow[] = [exact(run, "latencies kept", s.latency.count, latenciesNs.length)];
  const sorted = latenciesNs.slice().sort();
  const h = hdr.build({ numberOfSignificantValueDigits: 3 });
  for (const ns of latenciesNs) h.recordValue(ns);
  const mid = h as unknown as { medianEquivalentValue(v: number): number };
  const n = sorted.length;
  const row = (check: string, expected: number, measured: number): AccuracyRow => {
    const errorPct = relPct(expected, measured);
    return {
      run,
      check,
      expected,
      measured,
      errorPct,
      limit: `<= ${PERCENTILE_GOAL_PCT}%`,
      pass: errorPct <= PERCENTILE_GOAL_PCT,
    };
  };
  for (const [p, field] of CHECKED_PERCENTILES) {
    const measured = s.latency[field];
    rows.push(row(field, exactPercentile(sorted, p) / 1e6, measured));
    // hdr-histogram-js rounds its rank as floor(q N + 0.5): ask it for lunge's nearest rank.
    const rank = Math.max(1, Math.ceil((p * n) / 100 - 1e-9));
    const hdrNs = n === 0 ? 0 : mid.medianEquivalentValue(h.getValueAtPercentile((100 * (rank - 0.25)) / n));
    rows.push(row(`${field} vs hdr`, hdrNs / 1e6, measured));
  }
  return rows;
}

/**
 * The open model's rate, measured at the server: the arrivals the target
 * counted inside the run's planned window (its `startedAt` to `startedAt +
 * durationMs`, wall clock), against the planned rate, within 0.5%.
 *
 * @example
 * ```ts
 * import { openRateCheck } from "./accuracy_checks.ts";
 * // rows = openRateCheck("open 1000/s atomic", result, await target.stats(runWindow(result)));
 * ```
 */
export function openRateCheck(run: string, result: RunResult, truth: GroundTruth): AccuracyRow[] {
  const planned = result.options.rate ?? 0;
  const measured = windowRates(truth.arrivals.window)?.arrivals ?? 0;
  const errorPct = relPct(planned, measured);
  return [{
    run,
    check: "rate at the server",
    expected: planned,
    measured,
    errorPct,
    limit: `<= ${OPEN_RATE_LIMIT_PCT}%`,
    pass: errorPct <= OPEN_RATE_LIMIT_PCT,
  }];
}

/**
 * The closed model's `achievedRate` (completions inside the window) against
 * the server's count: the responses the target sent inside the run's planned
 * window (wall clock) per second, within 1%.
 *
 * Both sides count the same stream of responses at two points of the loop:
 * the target when its handler answers, lunge when it reads the answer. The
 * responses between those points (in the target's write queue, the kernel,
 * lunge's read queue) count on one side only at each edge of the window:
 * produced before the start and read after it count for lunge alone;
 * produced before the end and read after it for the target alone. Without a
 * warm-up nothing is in transit at the start, so the target counts more by
 * the responses in transit at the end: up to all `c` requests in flight when
 * lunge is the slower side, as it is against the built-in target on 2 cores
 * (measured: 9953 of 10000 at c=10000), an error of up to c / (rate ×
 * window). Two fair comparisons follow:
 * - a run whose `c / (achievedRate × window)` is at most a quarter of the
 *   limit ({@linkcode closedEdgeBoundPct}) is compared as it is;
 * - any other is compared on a run with a warm-up that covers the connects
 *   and reaches a steady state: then about as many responses are in transit
 *   at the start as at the end, and the two edges cancel.
 *
 * @example
 * ```ts
 * import { closedRateCheck } from "./accuracy_checks.ts";
 * // rows = closedRateCheck("closed c=100 atomic", result, await target.stats(runWindow(result)));
 * ```
 */
export function closedRateCheck(run: string, result: RunResult, truth: GroundTruth): AccuracyRow[] {
  const server = windowRates(truth.arrivals.window)?.responses ?? 0;
  const errorPct = relPct(server, result.achievedRate);
  return [{
    run,
    check: "achievedRate vs server",
    expected: server,
    measured: result.achievedRate,
    errorPct,
    limit: `<= ${ACCURACY_LIMIT_PCT}%`,
    // Nothing answered inside the window compares nothing: that is no pass.
    pass: server > 0 && errorPct <= ACCURACY_LIMIT_PCT,
  }];
}

/**
 * The most the responses in transit at the end of a closed run without a
 * warm-up can move its rate check, in percent: all `c` in flight, against
 * the completions counted in the window.
 *
 * @example
 * ```ts
 * import { closedEdgeBoundPct } from "./accuracy_checks.ts";
 * // 100 VUs, 20000 req/s over 2 s: 0.25%
 * closedEdgeBoundPct({ achievedRate: 20000, durationMs: 2000, options: { concurrency: 100 } });
 * ```
 */
export function closedEdgeBoundPct(
  result: { achievedRate: number; durationMs: number; options: { concurrency: number } },
): number {
  const completed = result.achievedRate * (result.durationMs / 1000);
  return completed > 0 ? (100 * result.options.concurrency) / completed : Infinity;
}

/**
 * Shows that {@linkcode closedRateCheck} can fail: on a run with a warm-up,
 * the rate lunge reported before it counted the completions of requests sent
 * during the warm-up. At a steady state each of the `c` VUs has one such
 * request in flight at the start, so that rate was `c / window` lower. This
 * row passes when the check rejects that figure.
 *
 * @example
 * ```ts
 * import { closedRateControl } from "./accuracy_checks.ts";
 * // rows = closedRateControl("closed c=10000 atomic, warm-up", result, truth);
 * ```
 */
export function closedRateControl(run: string, result: RunResult, truth: GroundTruth): AccuracyRow[] {
  const wrong = result.achievedRate - result.options.concurrency / (result.durationMs / 1000);
  const [row] = closedRateCheck(run, { ...result, achievedRate: wrong }, truth);
  return [{
    ...row,
    check: "control: warm-up completions left out",
    limit: `> ${ACCURACY_LIMIT_PCT}% (must fail)`,
    pass: !row.pass,
  }];
}

/**
 * Requests per second over the time the measured part actually took (start
 * to the last response). `achievedRate` divides by the planned span instead,
 * so an overloaded open-model run that sends its arrivals late still shows the
 * target rate there; this one does not.
 *
 * @example
 * ```ts
 * import { wallClockRate } from "./accuracy_checks.ts";
 * // wallClockRate(result) < result.options.rate when the run fell behind
 * ```
 */
export function wallClockRate(result: RunResult): number {
  const ms = Date.parse(result.endedAt) - Date.parse(result.startedAt);
  return result.snapshot.totalRequests / (Math.max(1, ms) / 1000);
}

/**
 * The pass/fail table as text.
 *
 * @example
 * ```ts
 * import { accuracyTable } from "./accuracy_checks.ts";
 * console.log(accuracyTable([]));
 * ```
 */
export function accuracyTable(rows: AccuracyRow[]): string {
  const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(6));
  const cells = rows.map((
    r,
  ) => [
    r.run,
    r.check,
    fmt(r.expected),
    fmt(r.measured),
    r.errorPct.toFixed(3) + "%",
    r.limit,
    r.pass ? "pass" : "FAIL",
  ]);
  const head = ["run", "check", "expected", "measured", "error", "limit", ""];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]): string =>
    c.map((v, i) => (i >= 2 && i <= 4 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join("  ");
  return [line(head), ...cells.map(line)].join("\n");
}
