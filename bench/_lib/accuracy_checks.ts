/**
 * The accuracy checks as pure functions of one run: counts against the
 * target's ground truth (exact), the collector's percentiles against exact
 * percentiles of every latency sample kept (within 1%, goal 0.1%), and the
 * achieved rate against the target rate in the open model (within 1%).
 *
 * @module
 */
import type { RunResult } from "../../src/engine/result.ts";
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

/** Limit of the percentile and rate checks, in percent. */
export const ACCURACY_LIMIT_PCT = 1;
/** Limit of the wall-clock rate check, in percent (see `rateCheck`). */
export const WALL_CLOCK_LIMIT_PCT = 5;
/** The goal for percentiles (the histogram's resolution), in percent. */
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
 * nearest-rank percentiles of `samples`; fails outright when fewer samples
 * were kept than requests recorded (the comparison would not cover them all).
 *
 * @example
 * ```ts
 * import { percentileChecks } from "./accuracy_checks.ts";
 * // rows = percentileChecks("closed c=100 atomic", result, collector.getRecentSamples());
 * ```
 */
export function percentileChecks(run: string, result: RunResult, samples: Float64Array): AccuracyRow[] {
  const s = result.snapshot;
  const rows: AccuracyRow[] = [exact(run, "samples kept", s.totalRequests, samples.length)];
  const sorted = samples.slice().sort();
  for (const [p, field] of CHECKED_PERCENTILES) {
    const expected = exactPercentile(sorted, p);
    const measured = s.latency[field];
    const errorPct = relPct(expected, measured);
    rows.push({
      run,
      check: field,
      expected,
      measured,
      errorPct,
      limit: `<= ${ACCURACY_LIMIT_PCT}%`,
      pass: errorPct <= ACCURACY_LIMIT_PCT,
    });
  }
  return rows;
}

/**
 * The achieved rate against the target rate (open model): over the planned
 * span (`achievedRate`, within 1%) and over the wall-clock time taken (within
 * 5%: that span includes the last response and the shutdown).
 *
 * @example
 * ```ts
 * import { rateCheck } from "./accuracy_checks.ts";
 * // rows = rateCheck("open 1000/s atomic", result);
 * ```
 */
export function rateCheck(run: string, result: RunResult): AccuracyRow[] {
  const target = result.options.rate ?? 0;
  const row = (check: string, measured: number, limitPct: number): AccuracyRow => {
    const errorPct = relPct(target, measured);
    return {
      run,
      check,
      expected: target,
      measured,
      errorPct,
      limit: `<= ${limitPct}%`,
      pass: errorPct <= limitPct,
    };
  };
  // The wall-clock span also holds the last response's latency and the workers' shutdown
  // (tens of ms), so it gets a looser limit: it is there to catch a run that fell behind.
  return [
    row("achieved rate", result.achievedRate, ACCURACY_LIMIT_PCT),
    row("achieved rate (wall clock)", wallClockRate(result), WALL_CLOCK_LIMIT_PCT),
  ];
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
