/**
 * The stress verdicts, as pure functions of what a run measured: heap growth
 * (least-squares slope after a settle period, and memory after a forced GC at
 * the end against the start) for the load generator and the target, leaks at
 * the end (threads, sockets), exact counts, errors and throughput.
 *
 * @module
 */
import { errorRatePct } from "../src/thresholds/thresholds.ts";
import { linearFit } from "./linear_fit.ts";
import type { GcReadings, StressResult, Verdict } from "./types.ts";

export type { Verdict, VerdictStatus } from "./types.ts";

/**
 * A verdict that was checked.
 *
 * @example
 * ```ts
 * import { checked } from "./verdicts.ts";
 * checked("counts", true, "exact").status; // "passed"
 * ```
 */
export function checked(name: string, passed: boolean, detail: string): Verdict {
  return { name, status: passed ? "passed" : "failed", passed, detail };
}

/**
 * A verdict that could not be checked here; it does not count as passed.
 *
 * @example
 * ```ts
 * import { notChecked } from "./verdicts.ts";
 * notChecked("sockets closed", "no /proc").passed; // false
 * ```
 */
export function notChecked(name: string, detail: string): Verdict {
  return { name, status: "not checked", passed: false, detail };
}

/** Bounds of the heap verdict (see docs/stress.md for the reasoning). */
export interface HeapBounds {
  /** A heap growing faster than this, bytes per minute, is a leak ... */
  maxSlopeBytesPerMin: number;
  /**
   * ... beyond this much growth over the whole fit window, bytes: code still being compiled and
   * optimised in a short run (a fresh load worker's live heap grows a few hundred KiB over its first
   * seconds at a low rate) is not a leak.
   */
  windowAllowanceBytes: number;
  /** Heap after a forced GC at the end may exceed the start by this much, bytes ... */
  gcMarginBytes: number;
  /** ... plus this fraction of the start figure. */
  gcMarginRatio: number;
}

/** 1 MiB. */
const MIB = 1024 * 1024;

/** Bounds used for every thread: 1 MiB/min plus 1 MiB over the window, and 8 MiB + 25 % after GC. */
export const HEAP_BOUNDS: Readonly<HeapBounds> = Object.freeze({
  maxSlopeBytesPerMin: 1 * MIB,
  windowAllowanceBytes: 1 * MIB,
  gcMarginBytes: 8 * MIB,
  gcMarginRatio: 0.25,
});

/**
 * Bound of the RSS verdict (see docs/stress.md for how it was sized): a base
 * slope, plus an allowance spread over the fit window, capped. A short run
 * can only be judged loosely (an allocator's one-off steps of several MiB look
 * steep over seconds); the longer the run, the closer the bound comes to the
 * base, so a soak holds RSS to the goal the base states.
 */
export interface RssBounds {
  /** A resident set growing faster than this over a long window, bytes per minute, is a leak. */
  maxSlopeBytesPerMin: number;
  /** Growth allowed once over the window, bytes: one-off steps while buffers and arenas reach their size. */
  windowAllowanceBytes: number;
  /** The bound never exceeds this, bytes per minute, however short the window. */
  capBytesPerMin: number;
}

/** RSS of each process: 0.2 MiB/min plus 36 MiB over the window, at most 120 MiB/min (2 MiB/s). */
export const RSS_BOUNDS: Readonly<RssBounds> = Object.freeze({
  maxSlopeBytesPerMin: 0.2 * MIB,
  windowAllowanceBytes: 36 * MIB,
  capBytesPerMin: 120 * MIB,
});

/**
 * A slope is undecided when its standard error exceeds this many times the
 * bound: the smallest growth sure to fail (bound + 2 standard errors) would
 * then be more than five times the bound.
 */
const MAX_STD_ERROR_PER_BOUND = 2;

/** Achieved rate must be within this fraction of the target rate (baseline). */
export const THROUGHPUT_TOLERANCE = 0.01;
/** Failed requests plus missed sends allowed, as a fraction of all planned: 1 %, where a healthy local "ok" route has none. */
export const MAX_ERROR_RATIO = 0.01;

/**
 * Seconds at the start of a run left out of the heap and RSS fits: 10 % of the run,
 * at least 2 s and at most 30 s (JIT, pools and buffers grow to their working
 * size first).
 *
 * @example
 * ```ts
 * import { settleSeconds } from "./verdicts.ts";
 * settleSeconds(300); // 30
 * settleSeconds(20); // 2
 * ```
 */
export function settleSeconds(durationSeconds: number): number {
  return Math.min(30, Math.max(2, Math.round(durationSeconds * 0.1)));
}

/**
 * Seconds between forced-GC heap readings of the load workers and of the
 * target: about nine readings in the fit window (after the settle time),
 * from every second to every 10 s. Each reading pauses that thread for a
 * full GC, so long runs read less often.
 *
 * @example
 * ```ts
 * import { liveHeapEverySeconds } from "./verdicts.ts";
 * liveHeapEverySeconds(20); // 2
 * liveHeapEverySeconds(300); // 10
 * ```
 */
export function liveHeapEverySeconds(durationSeconds: number): number {
  const window = durationSeconds - settleSeconds(durationSeconds);
  return Math.min(10, Math.max(1, Math.round(window / 9)));
}

/** What {@linkcode heapVerdict} judges. */
export interface HeapInput {
  /** Which thread, e.g. "main thread", "load worker 1" or "target". */
  side: string;
  /** [seconds, heap used bytes] samples after the settle period. */
  points: Array<[number, number]>;
  /** Whether each sample was taken right after a forced GC (live heap, no garbage in it). */
  sampledAfterGc: boolean;
  /** Heap after forced GCs at start and end; null when the thread ends with the run (a load worker). */
  gc: GcReadings | null;
}

/** A fall of heap used by more than this fraction between two samples is a GC cycle. */
const GC_DROP = 0.2;

/**
 * The part of a raw heap series that the slope is fitted over, or null when
 * it holds fewer than two GC cycles. Garbage piles up between collections, so
 * on raw figures only whole cycles say anything: the fit runs from the first
 * post-GC floor to the last one. Samples taken after a forced GC are all
 * floors: the whole series is used.
 *
 * @example
 * ```ts
 * import { fitWindow } from "./verdicts.ts";
 * const saw: Array<[number, number]> = [[0, 5], [1, 9], [2, 4], [3, 8], [4, 4], [5, 7]];
 * fitWindow(saw, false); // [[2, 4], [3, 8], [4, 4]]
 * ```
 */
export function fitWindow(
  points: Array<[number, number]>,
  sampledAfterGc: boolean,
): Array<[number, number]> | null {
  if (sampledAfterGc) return points.length >= 3 ? points : null;
  const drops: number[] = [];
  for (let i = 1; i < points.length; i++) {
    if (points[i][1] < (1 - GC_DROP) * points[i - 1][1]) drops.push(i);
  }
  if (drops.length < 2) return null;
  return points.slice(drops[0], drops[drops.length - 1] + 1);
}

/** What a slope fit decided: a trend above the bound, none, or nothing either way. */
export interface SlopeJudgement {
  outcome: "grows" | "flat" | "undecided";
  /** The figures, or why nothing was decided. */
  text: string;
}

/**
 * Judges the least-squares slope of `window` (seconds, bytes) against
 * `boundPerMin` (bytes per minute) plus `allowanceBytes` spread over the
 * window, at most `capPerMin`: "grows" when `slope − 2 × standard error` exceeds that bound (a
 * trend, not noise); "undecided" with fewer than 3
 * points, or when the standard error exceeds twice the bound (the series is
 * too short or too noisy for a leak of a few times the bound to show); "flat"
 * otherwise, which guarantees a slope of at most five times the bound.
 *
 * @example
 * ```ts
 * import { judgeSlope } from "./verdicts.ts";
 * const flat: Array<[number, number]> = [[0, 1e6], [1, 1e6], [2, 1e6]];
 * judgeSlope(flat, 1024 * 1024, "after GC").outcome; // "flat"
 * judgeSlope([[0, 1e6]], 1024 * 1024, "after GC").outcome; // "undecided"
 * ```
 */
export function judgeSlope(
  window: Array<[number, number]> | null,
  boundPerMin: number,
  what: string,
  allowanceBytes = 0,
  capPerMin = Infinity,
): SlopeJudgement {
  if (window === null || window.length < 3) {
    return { outcome: "undecided", text: `slope undecided (fewer than 3 samples ${what})` };
  }
  const fit = linearFit(window.map(([t]) => t / 60), window.map(([, y]) => y));
  const span = window[window.length - 1][0] - window[0][0];
  const bound = Math.min(capPerMin, boundPerMin + (span > 0 ? allowanceBytes / (span / 60) : 0));
  const boundText = allowanceBytes === 0
    ? `bound ${mb(bound)}/min`
    : `bound ${mb(boundPerMin)}/min + ${mb(allowanceBytes)} over the window` +
      `${Number.isFinite(capPerMin) ? `, at most ${mb(capPerMin)}/min` : ""}: ${mb(bound)}/min`;
  const figures =
    `slope ${signedMb(fit.slope)}/min ±${mb(fit.slopeStdError)} over ${Math.round(span)} s ${what} ` +
    `(${boundText})`;
  if (fit.slope - 2 * fit.slopeStdError > bound) return { outcome: "grows", text: figures };
  if (fit.slopeStdError > MAX_STD_ERROR_PER_BOUND * bound) {
    return {
      outcome: "undecided",
      text: `${figures}: too noisy to decide (standard error above twice the bound)`,
    };
  }
  return { outcome: "flat", text: figures };
}

/**
 * The heap verdict of one thread. Fails when the least-squares slope of heap
 * used (over {@linkcode fitWindow}) grows beyond the bound (see
 * {@linkcode judgeSlope}), or when the heap after a forced GC at the end
 * exceeds the start by more than the margin. Without a real forced GC the
 * second check compares the raw figures with twice the margin, and says so.
 * A slope that cannot be decided makes the verdict "not checked", never
 * "passed" (unless the end check fails it).
 *
 * @example
 * ```ts
 * import { HEAP_BOUNDS, heapVerdict } from "./verdicts.ts";
 * const points: Array<[number, number]> = [[0, 10e6], [1, 10e6], [2, 10e6]];
 * const gc = { gc: true, startHeapUsed: 9e6, endHeapUsed: 9.1e6, startRss: 50e6, endRss: 51e6 };
 * heapVerdict({ side: "target", points, sampledAfterGc: true, gc }, HEAP_BOUNDS).passed; // true
 * ```
 */
export function heapVerdict(input: HeapInput, bounds: HeapBounds = HEAP_BOUNDS): Verdict {
  const name = `heap (${input.side})`;
  const problems: string[] = [];
  const window = fitWindow(input.points, input.sampledAfterGc);
  const slope = window === null && !input.sampledAfterGc
    ? { outcome: "undecided" as const, text: "slope undecided (fewer than 2 GC cycles in the window)" }
    : judgeSlope(
      window,
      bounds.maxSlopeBytesPerMin,
      input.sampledAfterGc ? "after GC" : "of GC floors",
      bounds.windowAllowanceBytes,
    );
  if (slope.outcome === "grows") problems.push("heap grows");
  let gcText = "";
  if (input.gc !== null) {
    const factor = input.gc.gc ? 1 : 2;
    const margin = factor * (bounds.gcMarginBytes + bounds.gcMarginRatio * input.gc.startHeapUsed);
    const growth = input.gc.endHeapUsed - input.gc.startHeapUsed;
    gcText =
      `; ${input.gc.gc ? "after GC" : "no forced GC available:"} end ${mb(input.gc.endHeapUsed)} vs start ` +
      `${mb(input.gc.startHeapUsed)} (${signedMb(growth)}, margin ${mb(margin)})`;
    if (growth > margin) problems.push("memory not returned");
  }
  const verdictText = problems.length === 0 ? "" : `${problems.join(", ")}: `;
  const detail = `${verdictText}${slope.text}${gcText}`;
  if (problems.length === 0 && slope.outcome === "undecided") return notChecked(name, detail);
  return checked(name, problems.length === 0, detail);
}

/**
 * The RSS verdict of one process: the least-squares slope of its resident
 * set over the samples after the settle period, judged as the heap slope is
 * ({@linkcode judgeSlope}). RSS sees what the heap figures do not: memory
 * held outside the JS heap (buffers, native allocations) and every thread.
 *
 * @example
 * ```ts
 * import { rssVerdict } from "./verdicts.ts";
 * const points: Array<[number, number]> = [[2, 80e6], [3, 80e6], [4, 80e6]];
 * rssVerdict("target", points).passed; // true
 * ```
 */
export function rssVerdict(
  side: string,
  points: Array<[number, number]>,
  bounds: RssBounds = RSS_BOUNDS,
): Verdict {
  const name = `RSS (${side})`;
  const slope = judgeSlope(
    points,
    bounds.maxSlopeBytesPerMin,
    "of RSS",
    bounds.windowAllowanceBytes,
    bounds.capBytesPerMin,
  );
  if (slope.outcome === "undecided") return notChecked(name, slope.text);
  const range = points.length === 0 ? "" : `; ${mb(points[0][1])} -> ${mb(points[points.length - 1][1])}`;
  return slope.outcome === "grows"
    ? checked(name, false, `RSS grows: ${slope.text}${range}`)
    : checked(name, true, `${slope.text}${range}`);
}

/**
 * Counts: the collector's total must equal the target's ground truth exactly.
 *
 * @example
 * ```ts
 * import { countsVerdict } from "./verdicts.ts";
 * countsVerdict(3_000_000, 3_000_000).passed; // true
 * ```
 */
export function countsVerdict(collectorTotal: number, targetTotal: number): Verdict {
  const diff = collectorTotal - targetTotal;
  return checked(
    "counts",
    diff === 0,
    `collector ${int(collectorTotal)}, target ground truth ${int(targetTotal)}` +
      (diff === 0 ? " (exact)" : ` (${diff > 0 ? "+" : ""}${int(diff)})`),
  );
}

/**
 * Errors: failed requests plus missed sends (planned arrivals never sent) at
 * most `MAX_ERROR_RATIO` of all requests plus missed sends, as the CLI's
 * `errors` threshold counts them (`errorRatePct`); and at least one request
 * completed.
 *
 * @example
 * ```ts
 * import { errorsVerdict } from "./verdicts.ts";
 * errorsVerdict(0, 1000).passed; // true
 * errorsVerdict(0, 1000, 500).passed; // false: a third of the arrivals were never sent
 * ```
 */
export function errorsVerdict(
  failed: number,
  total: number,
  missedSends = 0,
  maxRatio = MAX_ERROR_RATIO,
): Verdict {
  const ratio = errorRatePct({ totalRequests: total, failedRequests: failed, missedSends }) / 100;
  const missed = missedSends === 0 ? "" : ` and ${int(missedSends)} missed sends`;
  return checked(
    "errors",
    ratio <= maxRatio && total > 0,
    total === 0
      ? `no request completed${missed}`
      : `${int(failed)} of ${int(total)} failed${missed} (${(ratio * 100).toFixed(3)} % of ` +
        `${missedSends === 0 ? "all" : "requests plus missed sends"}, bound ${maxRatio * 100} %)`,
  );
}

/**
 * Throughput: achieved rate within `tolerance` of the target rate.
 *
 * @example
 * ```ts
 * import { throughputVerdict } from "./verdicts.ts";
 * throughputVerdict(9_950, 10_000).passed; // true (0.5 % short)
 * ```
 */
export function throughputVerdict(
  achieved: number,
  target: number,
  tolerance = THROUGHPUT_TOLERANCE,
): Verdict {
  const off = (achieved - target) / target;
  return checked(
    "throughput",
    Math.abs(off) <= tolerance,
    `${int(achieved)} req/s achieved of ${int(target)} (${off >= 0 ? "+" : ""}${(off * 100).toFixed(2)} %, ` +
      `bound ±${tolerance * 100} %)`,
  );
}

/**
 * Workers: every load-worker thread seen during the run is gone after it.
 * The threads are recognised by name; when none was seen (no `/proc`, a
 * runtime that does not name them, or one load worker, which runs on the
 * main thread) the verdict is "not checked".
 *
 * @example
 * ```ts
 * import { workersVerdict } from "./verdicts.ts";
 * workersVerdict(2, 0, 10, 10).passed; // true
 * ```
 */
export function workersVerdict(
  during: number | null,
  after: number | null,
  threadsBefore: number | null = null,
  threadsAfter: number | null = null,
): Verdict {
  const total = threadsBefore === null || threadsAfter === null
    ? ""
    : `; threads of the process ${threadsBefore} before, ${threadsAfter} after`;
  if (during === null || after === null) {
    return notChecked("workers terminated", `load-worker threads not visible here${total}`);
  }
  if (during === 0) {
    // A single load worker runs on the main thread: there is no thread to see end.
    return notChecked(
      "workers terminated",
      `no load-worker thread seen (one worker runs on the main thread)${total}`,
    );
  }
  return checked(
    "workers terminated",
    after === 0,
    `${during} load-worker threads during the run, ${after} left after it${total}`,
  );
}

/**
 * Sockets: no connection left open at the target, and at most `allowedClient`
 * client sockets to it (the stress process's own control connection).
 *
 * @example
 * ```ts
 * import { socketsVerdict } from "./verdicts.ts";
 * socketsVerdict(0, 300, 1).passed; // true
 * ```
 */
export function socketsVerdict(
  targetOpen: number | null,
  settleMs: number,
  clientOpen: number | null,
  allowedClient = 1,
): Verdict {
  if (targetOpen === null || clientOpen === null) {
    return notChecked("sockets closed", "socket table unknown here (no /proc)");
  }
  return checked(
    "sockets closed",
    targetOpen === 0 && clientOpen <= allowedClient,
    `target open connections ${targetOpen} (${
      targetOpen === 0 ? `0 after ${settleMs} ms` : "never reached 0"
    }), ` +
      `client sockets to it ${clientOpen} (at most ${allowedClient}: the control connection)`,
  );
}

/**
 * Every verdict of a run, in the order of the summary.
 *
 * @example
 * ```ts
 * import { judge } from "./verdicts.ts";
 * // const verdicts = judge(resultWithoutVerdicts);
 * ```
 */
export function judge(result: Omit<StressResult, "verdicts">): Verdict[] {
  const verdicts: Verdict[] = [];
  if (result.interrupted) {
    verdicts.push(checked("completed", false, "interrupted before the end"));
  }
  verdicts.push(
    result.config.checkThroughput
      ? throughputVerdict(result.achievedRate, result.config.rate)
      : notChecked("throughput", `the ${result.config.scenario} scenario does not hold one fixed rate`),
  );
  verdicts.push(countsVerdict(result.counts.collector, result.counts.target));
  verdicts.push(errorsVerdict(result.counts.failed, result.counts.collector, result.counts.missedSends));
  const from = result.settleSeconds;
  const generatorPoints: Array<[number, number]> = result.samples
    .filter((s) => s.t >= from)
    .map((s) => [s.t, s.heapUsed]);
  verdicts.push(heapVerdict({
    side: "main thread",
    points: generatorPoints,
    sampledAfterGc: result.generatorSampledAfterGc,
    gc: result.generatorGc,
  }));
  for (let worker = 1; worker <= result.loadWorkers; worker++) {
    verdicts.push(workerHeapVerdict(result, worker));
  }
  const targetPoints: Array<[number, number]> = result.samples
    .filter((s) => s.t >= from && s.targetHeapUsed !== null)
    .map((s) => [s.t, s.targetHeapUsed as number]);
  // Prefer the target's post-GC readings (live heap); fall back to its GC floors.
  const targetAfterGc: Array<[number, number]> = result.samples
    .filter((s) => s.t >= from && s.targetHeapAfterGc !== undefined && s.targetHeapAfterGc !== null)
    .map((s) => [s.t, s.targetHeapAfterGc as number]);
  const liveTarget = targetAfterGc.length >= 3;
  verdicts.push(
    heapVerdict({
      side: "target",
      points: liveTarget ? targetAfterGc : targetPoints,
      sampledAfterGc: liveTarget,
      gc: result.targetGc,
    }),
  );
  // RSS is fitted after the same settle time as the heaps.
  verdicts.push(rssVerdict(
    "load generator",
    result.samples.filter((s) => s.t >= from).map((s) => [s.t, s.rss]),
  ));
  const targetRss: Array<[number, number]> = result.samples
    .filter((s) => s.t >= from && s.targetRss !== null)
    .map((s) => [s.t, s.targetRss as number]);
  verdicts.push(rssVerdict("target", targetRss));
  const leaks = result.leaks;
  verdicts.push(
    workersVerdict(
      leaks.workerThreadsDuring,
      leaks.workerThreadsAfter,
      leaks.threadsBefore,
      leaks.threadsAfter,
    ),
  );
  verdicts.push(
    socketsVerdict(
      result.leaks.targetConnections,
      result.leaks.targetConnectionsMs,
      result.leaks.clientSockets,
    ),
  );
  return verdicts;
}

/** The heap verdict of load worker `worker` (1-based), from the readings of its own thread. */
function workerHeapVerdict(result: Omit<StressResult, "verdicts">, worker: number): Verdict {
  const side = `load worker ${worker}`;
  const points = (result.workerHeaps.find((s) => s.worker === worker)?.points ?? [])
    .filter((p) => p.t >= result.settleSeconds);
  if (points.length === 0) return notChecked(`heap (${side})`, "no heap reading from this worker's thread");
  return heapVerdict({
    side,
    points: points.map((p) => [p.t, p.heapUsed]),
    sampledAfterGc: points.every((p) => p.afterGc),
    gc: null,
  });
}

/**
 * The one-line reason a run failed, or null when no checked verdict failed
 * ("not checked" ones are not failures; see {@linkcode notCheckedLine}).
 *
 * @example
 * ```ts
 * import { checked, failureLine } from "./verdicts.ts";
 * failureLine([checked("counts", false, "collector 9, target ground truth 10 (-1)")]);
 * // "FAIL counts: collector 9, target ground truth 10 (-1)"
 * ```
 */
export function failureLine(verdicts: readonly Verdict[]): string | null {
  const failed = verdicts.filter((v) => v.status === "failed");
  if (failed.length === 0) return null;
  return `FAIL ${failed.map((v) => `${v.name}: ${v.detail}`).join(" | ")}`;
}

/**
 * The one line naming the verdicts that were not checked, or null when every
 * verdict was checked.
 *
 * @example
 * ```ts
 * import { notChecked, notCheckedLine } from "./verdicts.ts";
 * notCheckedLine([notChecked("sockets closed", "no /proc")]);
 * // "NOT CHECKED sockets closed: no /proc"
 * ```
 */
export function notCheckedLine(verdicts: readonly Verdict[]): string | null {
  const skipped = verdicts.filter((v) => v.status === "not checked");
  if (skipped.length === 0) return null;
  return `NOT CHECKED ${skipped.map((v) => `${v.name}: ${v.detail}`).join(" | ")}`;
}

/**
 * Why the run fails, as one line, or null when it does not: a failed
 * verdict; or, when `ci` is true, a verdict that could not be checked (in CI
 * every probe must work, so a silent "not checked" would hide a broken one).
 *
 * @example
 * ```ts
 * import { notChecked, runFailure } from "./verdicts.ts";
 * runFailure([notChecked("sockets closed", "no /proc")], false); // null
 * runFailure([notChecked("sockets closed", "no /proc")], true);
 * // "FAIL under CI=true: NOT CHECKED sockets closed: no /proc"
 * ```
 */
export function runFailure(verdicts: readonly Verdict[], ci: boolean): string | null {
  const failed = failureLine(verdicts);
  if (failed !== null) return failed;
  const unchecked = notCheckedLine(verdicts);
  return ci && unchecked !== null ? `FAIL under CI=true: ${unchecked}` : null;
}

/**
 * The closing line of a run: "PASS every verdict" only when every verdict
 * was checked and passed; otherwise how many passed and which were not
 * checked, or the failure line.
 *
 * @example
 * ```ts
 * import { checked, notChecked, summaryLine } from "./verdicts.ts";
 * summaryLine([checked("counts", true, "exact"), notChecked("sockets closed", "no /proc")]);
 * // "PASS 1 of 2 verdicts; not checked: sockets closed"
 * ```
 */
export function summaryLine(verdicts: readonly Verdict[]): string {
  const failed = failureLine(verdicts);
  if (failed !== null) return failed;
  const skipped = verdicts.filter((v) => v.status === "not checked");
  if (skipped.length === 0) return "PASS every verdict";
  const passed = verdicts.length - skipped.length;
  return `PASS ${passed} of ${verdicts.length} verdicts; not checked: ${
    skipped.map((v) => v.name).join(", ")
  }`;
}

function mb(bytes: number): string {
  return `${(bytes / MIB).toFixed(2)} MiB`;
}

function signedMb(bytes: number): string {
  return `${bytes >= 0 ? "+" : "-"}${mb(Math.abs(bytes))}`;
}

function int(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}
