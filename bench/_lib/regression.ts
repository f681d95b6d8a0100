/**
 * CI regression gates: which figures of a bench results file fail CI, with
 * which bounds, and why; every other figure is printed beside its baseline
 * and marked "report only". Pure functions: `scripts/bench_check.ts` does the
 * file work.
 *
 * ## What is gated, and how each margin was sized
 *
 * The machines CI runs on have 2 cores and no fixed CPU model (Intel Xeon,
 * AMD EPYC). A ratio of two timings depends on the CPU model: the committed
 * baseline of "recorders 1000: atomic / legacy" was 6.49 on a Xeon (Deno)
 * and measured 0.65-3.65 on an EPYC (Deno; 1.05 on Bun) in quick benches,
 * quiet and under load. So no gate
 * compares a timing with a baseline. A gate is either a count that does not
 * depend on the CPU, or a floor far below every machine's figure and above
 * what a real regression gives.
 *
 * 1. `atomic recordNs: Atomics ops per record` <= 0.01. Counted, not timed
 *    (`hot_path_probe.ts` wraps every `Atomics` function while a writer
 *    records 100,000 times after a warm-up). Measured 0 on Deno 2.9.6 and
 *    Bun 1.4.4 (AMD EPYC, 2026-11-30). A cross-thread lock needs Atomics: the
 *    legacy writer (the mutex) counts 2 per record; the atomic writer with
 *    `Atomics.add`/`store` put back on its counters (tried as an experiment)
 *    counts 5. The bound only absorbs cold paths the warm-up did not reach.
 * 2. Allocation on the hot path, two figures:
 *    - `atomic recordNs allocated bytes` <= 2 per record, garbage included:
 *      the median heap growth of 1000-record batches (`heap.ts`). Measured
 *      0 on Deno (EPYC); the same measure reads 5-16 for the float
 *      `record(ms)` form, whose arguments V8 boxes (`atomic record (ms)
 *      allocated bytes`, report only) and >= 12 for one small object per op
 *      (tests/scripts/bench_check.test.ts). Gated on Deno only: on Bun the
 *      heap figure moves only at GC, so the bench reports NaN there (the
 *      measure checks itself on a known small-object allocation first).
 *    - `atomic recordNs heap growth` <= 2 per record, what stays after a
 *      forced GC (a leak on the hot path), both runtimes. Measured 0.000 on
 *      Deno and Bun (EPYC) and on the Xeon. It does not see short-lived
 *      garbage, which a GC inside the loop collects. `ring push+pop heap
 *      growth` likewise.
 * 3. `accuracy: failed exact checks` = 0: every count of the accuracy runs
 *    (total, per status, failures, bytes) equals the target's ground truth.
 *    A lost lane or a wrong carry breaks equality; a slow machine does not.
 *    (Lost counts in the micro runs also throw and end the bench.)
 * 4. `atomic / legacy, 2 workers` >= 1.25: the one timing gate, a floor.
 *    Best of 3 interleaved runs, 2 worker threads recording as fast as they
 *    can into each collector (`bench/gate_sizing.ts` repeats exactly this
 *    measure and prints it beside "legacy / legacy"). Figures seen:
 *    - Intel Xeon, 2026-11-22, full bench, other load running: 12.7 (Deno),
 *      6.2-9.8 (Bun).
 *    - AMD EPYC, 2026-11-30, under heavy load (load average 6-20 on 2
 *      cores: 8 other sessions building and testing): quick bench 3.37, 3.79 and
 *      1.86 (Deno), 2.43 (Bun); the same measure repeated, 14 runs per
 *      runtime: Deno 1.83-7.44, Bun 1.80-7.50.
 *    - Regressions, same EPYC, same load: the mutex put back (legacy vs
 *      legacy, the same measure, 28 runs) 0.43-2.28, median 0.98
 *      (no quiet machine was at hand to narrow it); RMW atomics put back (`Atomics.add`/`store` on every
 *      counter of the atomic writer, an experiment not kept) 0.57-1.30 on
 *      Deno and 1.32-1.56 on Bun, 3 runs each.
 *    1.25 sits 1.44x below the lowest healthy figure seen anywhere (1.80,
 *    Bun, load average 9) and above the centre of what a mutex gives
 *    (~1.0, both sides being the same code). Under heavy load a mutex can read up to 2.3 and pass: this gate
 *    is the backstop, gate 1 is the one that always catches a lock. It does
 *    not separate RMW atomics on Bun either; gate 1 catches those too.
 *
 * 5. `flush, 3 lanes, 1000 req/s: p50` <= 300 µs and `flush, 17 lanes, 1000
 *    req/s: p50` <= 900 µs: the owner's flush reads only the histogram groups
 *    writers marked. Measured on the AMD EPYC under load average 7-20: 21-34
 *    µs (Bun) and 44-50 µs (Deno) with 3 lanes, 53-80 and 107-126 µs with 17.
 *    The same harness on the full scan it replaced: 660 / 1576 µs (3 lanes)
 *    and 1664 / 4047 µs (17 lanes). The bounds sit 6-7x above the healthy
 *    figures and 2x below the full scan; a CPU half as fast stays inside.
 *
 * 6. `speed gate: lunge / wrk, req per client CPU-s (median of rounds)` >=
 *    0.62: what a 2x slower HTTP client fails (`speed_gate.ts`). lunge (`-w
 *    1`, c=100) and wrk (`-t1 -c100`) against one nginx (1 worker) pinned to
 *    CPU 0, both clients pinned to CPU 1, 5 interleaved rounds of 4 s whose
 *    order alternates; each run's steady window gives requests (nginx's
 *    count) per client CPU-second (/proc), and the figure is the median of
 *    the 5 per-round ratios. A ratio against wrk in the same minutes on the
 *    same core, not an absolute figure, because the host moves both clients
 *    alike (wrk alone moved by up to 60% between rounds of one run) and the
 *    CPU model moves both too.
 *    Figures seen (AMD EPYC and Intel Xeon, 2026-11/12, Deno 2.9.6 and Bun
 *    1.4.4, medians of 3 or 5 rounds): 0.84-1.23 per run, median 1.03 on
 *    both runtimes over 10-14 runs; quiet runs 0.94-1.09; single rounds as
 *    low as 0.62. Under heavy load (load average 3-11 on 2 cores, neither
 *    client given a full core) medians fell to 0.63-0.91: this gate wants a
 *    quiet machine, as CI has.
 *    A 2x slower client halves the ratio: 0.42-0.62 over that spread, 0.52
 *    at its median. The floor was first 0.72, the geometric middle of 0.62
 *    and the lowest healthy run then (0.84). A quiet CI run on 2026-12-06
 *    then read 0.79 on Deno (rounds down to 0.68) with the current client,
 *    1.1x above 0.72: too thin. The floor is now 0.62, the geometric middle
 *    of the highest reading of the positive control below (0.49) and that
 *    lowest healthy run (0.79): 1.27x from each. The median of 5 rounds is the statistic
 *    because one round alone reaches 0.62 healthy; 3 low rounds of 5 are
 *    needed to fail a healthy client. The positive control
 *    (`tests/bench/speed_gate_control.test.ts`) runs lunge with
 *    `LUNGE_TEST_SLOWDOWN=2` (`src/worker/test_slowdown.ts`: each response
 *    costs about twice its CPU) and must read below the floor: 0.29-0.39 on a
 *    shared, busy machine (Bun, 3 rounds), plain lunge 0.78-0.91 in the same
 *    runs. The CI profile on that machine (load average ~6, 2026-12-06):
 *    medians 0.88 (Bun; rounds 0.58-1.01) and 0.90 (Deno; 0.87-1.27); the
 *    control test, 3 rounds: 0.49 (Bun) and 0.41 (Deno).
 *
 * 7. `speed gate: lunge scenario / wrk, req per client CPU-s (median of
 *    rounds)` >= 0.45, PROVISIONAL: the same measure, same rounds, for the
 *    scenario path (`bench/workloads/two_gets.ts`: two GETs and a check per
 *    iteration; nginx counts both requests). The scenario path has costs of
 *    its own (the iteration loop, a response object per request, checks, a
 *    worker thread) that the plain gate does not exercise, so it can regress
 *    alone. Figures seen so far come only from the shared machine (load
 *    average 4-10, 2026-12-06): scenario / wrk per round 0.71, 0.78 and, in
 *    the CI profile, 0.61-0.79, median 0.69 (Bun); 0.57, 0.74, 0.87 and
 *    0.62-0.76, median 0.74 (Deno); 0.6-0.8 of the plain path's figure in
 *    the same rounds. With `LUNGE_TEST_SLOWDOWN=2`: 0.29-0.34 per round
 *    (Bun) and 0.27-0.37 (Deno); medians 0.25 on both in the control test. 0.45 sits near the geometric middle of the
 *    lowest healthy round (0.57) and the highest slowed one (0.37), 1.27x
 *    and 1.22x from them. To be re-sized from quiet runs (as gate 6 was)
 *    before it is trusted: the integrator's re-measurement replaces these
 *    figures.
 *
 * Everything else (single-thread ratios, scaling with workers, concurrent
 * recorders, headline capacities, lunge vs peers, rates, latencies, CPU
 * shares) is printed with its baseline and written to the results file,
 * marked "report only": on a 2-core machine shared with other work they
 * swing with the CPU model and the load far more than a regression moves them.
 *
 * @module
 */
import type { Figure } from "./figures.ts";

/** A hard CI gate: the measured figure must respect a fixed bound. */
export interface Gate {
  figure: string;
  /** Runtimes the gate applies to (default: all); elsewhere the line says why it is not gated. */
  runtimes?: readonly string[];
  /** Why the gate does not apply on the other runtimes. */
  elsewhere?: string;
  max?: number;
  min?: number;
  /** Why a real regression crosses the bound and machine variance does not. */
  why: string;
}

/** The speed gate's figure (`speed_gate.ts`), the same on every runtime and in every profile. */
export const SPEED_GATE_FIGURE = "speed gate: lunge / wrk, req per client CPU-s (median of rounds)";

/** The scenario path's speed gate figure (`speed_gate.ts`). */
export const SPEED_GATE_SCENARIO_FIGURE =
  "speed gate: lunge scenario / wrk, req per client CPU-s (median of rounds)";

/** The figure derived from the accuracy rows: exact checks that failed. */
export const FAILED_EXACT_CHECKS = "accuracy: failed exact checks";

/** The hard CI gates; see the module doc for how each bound was sized. */
export const GATES: readonly Gate[] = [
  {
    figure: "atomic recordNs: Atomics ops per record",
    max: 0.01,
    why: "a lock or an RMW atomic on the hot path (a mutex counts 2 per record, RMW counters 5)",
  },
  {
    figure: "atomic recordNs allocated bytes",
    max: 2,
    runtimes: ["deno"],
    elsewhere:
      "JavaScriptCore's heap figure moves only at GC, so short-lived garbage is not measurable there",
    why: "an allocation on the hot path (one small object is >= 12 bytes per record; healthy is 0)",
  },
  {
    figure: "atomic recordNs heap growth",
    max: 2,
    why: "memory kept per record on the hot path (a leak of >= 8 bytes per record; healthy is 0)",
  },
  {
    figure: "ring push+pop heap growth",
    max: 2,
    why: "an allocation in the ring buffer (>= 8 bytes per op; healthy is 0)",
  },
  {
    figure: FAILED_EXACT_CHECKS,
    max: 0,
    why: "a count differs from the target's ground truth: a lost lane, a lost record or a wrong carry",
  },
  {
    figure: "flush, 3 lanes, 1000 req/s: p50",
    max: 300,
    why: "the owner's flush back to scanning every bucket (550-1600 µs measured that way; " +
      "healthy 21-50 µs on Bun and Deno, EPYC under load)",
  },
  {
    figure: "flush, 17 lanes, 1000 req/s: p50",
    max: 900,
    why: "the owner's flush back to scanning every bucket (1660-4050 µs measured that way; " +
      "healthy 53-126 µs on Bun and Deno, EPYC under load)",
  },
  {
    figure: SPEED_GATE_FIGURE,
    min: 0.62,
    why: "lunge spends more client CPU per request than it did: a 2x slower client reads ~0.5 " +
      "(healthy 0.84-1.23 per run, median 1.03)",
  },
  {
    figure: SPEED_GATE_SCENARIO_FIGURE,
    min: 0.45,
    why: "a scenario request costs more client CPU than it did: a 2x slower scenario path reads " +
      "~0.3-0.37 (healthy rounds 0.57-0.87 on a busy machine; provisional, see regression.ts)",
  },
  {
    figure: "atomic / legacy, 2 workers",
    min: 1.25,
    why: "the lock-free lanes no faster than the mutex: a lock is back on the hot path " +
      "(healthy >= 1.8 on every machine seen, a mutex ~1.0)",
  },
];

/**
 * Figures kept in the baseline and printed beside it, report only: the
 * former relative gates, each of which moved past its tolerance with the
 * CPU model or the load alone.
 */
export const REPORTED: readonly string[] = [
  "atomic / legacy, 2 workers",
  "atomic 2 workers / 1 worker",
  "atomic record / calibration",
  "recorders 1000: atomic / legacy",
  "lunge / autocannon (c=100)",
  "headline: atomic / legacy capacity",
  "accuracy: max percentile error",
  "collector CPU share at 1000 req/s (atomic)",
];

/** The committed baseline: figure values per runtime, for information beside the gates. */
export interface Baseline {
  schema: "lunge-bench-baseline-v1";
  /** runtime name -> where and when the figures were taken -> figure name -> value. */
  runtimes: Record<
    string,
    { updatedAt: string; gitCommit: string; cpu?: string; figures: Record<string, number> }
  >;
}

/** The parts of a results file the check reads. */
export interface ResultsForCheck {
  environment: { runtime: string; gitCommit?: string; cpuModel?: string };
  sections: Array<{ title: string; figures: Figure[] }>;
  /** The accuracy table: rows with `limit: "exact"` are count checks. */
  accuracy?: Array<{ limit: string; pass: boolean }>;
}

/** One line of the check's outcome. */
export interface CheckLine {
  figure: string;
  baseline: number | null;
  measured: number | null;
  /** e.g. ">= 1.25"; "report only" for figures that are not gated. */
  allowed: string;
  /** Whether the line is a hard gate. */
  gated: boolean;
  /** False only for a gate that failed. */
  pass: boolean;
  message: string;
}

/**
 * The value of a figure in `results` (derived figures included), or null
 * when it is missing or not a finite number.
 *
 * @example
 * ```ts
 * import { figureValue } from "./regression.ts";
 * figureValue({ environment: { runtime: "deno" }, sections: [], accuracy: [{ limit: "exact", pass: false }] },
 *   "accuracy: failed exact checks"); // 1
 * ```
 */
export function figureValue(results: ResultsForCheck, name: string): number | null {
  if (name === FAILED_EXACT_CHECKS && Array.isArray(results.accuracy)) {
    const exact = results.accuracy.filter((r) => r.limit === "exact");
    return exact.length === 0 ? null : exact.filter((r) => !r.pass).length;
  }
  for (const section of results.sections) {
    for (const f of section.figures) if (f.name === name) return Number.isFinite(f.value) ? f.value : null;
  }
  return null;
}

const fmt = (
  v: number | null,
): string => (v === null ? "missing" : Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(4));

function bounds(gate: Gate): string {
  return [gate.min !== undefined ? `>= ${gate.min}` : "", gate.max !== undefined ? `<= ${gate.max}` : ""]
    .filter(Boolean).join(" and ");
}

/**
 * Whether `name` is a hard CI gate ("CI gate") or printed only ("report only"),
 * on `runtime` when given.
 *
 * @example
 * ```ts
 * import { gateOf } from "./regression.ts";
 * gateOf("atomic recordNs heap growth"); // "CI gate"
 * gateOf("recorders 1000: atomic / legacy"); // "report only"
 * ```
 */
export function gateOf(
  name: string,
  gates: readonly Gate[] = GATES,
  runtime?: string,
): "CI gate" | "report only" {
  return gates.some((g) =>
      g.figure === name && (runtime === undefined || g.runtimes === undefined || g.runtimes.includes(runtime))
    )
    ? "CI gate"
    : "report only";
}

/**
 * Checks `results` against the hard gates, then lists the report-only
 * figures beside the baseline of the same runtime (for information).
 *
 * @example
 * ```ts
 * import { checkResults } from "./regression.ts";
 * const lines = checkResults(
 *   { environment: { runtime: "bun" }, sections: [{ title: "x", figures: [] }] },
 *   { schema: "lunge-bench-baseline-v1", runtimes: {} },
 * );
 * console.log(lines.filter((l) => !l.pass).map((l) => l.message));
 * ```
 */
export function checkResults(
  results: ResultsForCheck,
  baseline: Baseline,
  gates: readonly Gate[] = GATES,
): CheckLine[] {
  const base = baseline.runtimes[results.environment.runtime];
  const baseFigures = base?.figures ?? {};
  const where = base?.cpu ? ` on ${base.cpu}` : "";
  const runtime = results.environment.runtime;
  const gated = gates.map((gate): CheckLine => {
    const measured = figureValue(results, gate.figure);
    const baseValue = baseFigures[gate.figure] ?? null;
    if (gate.runtimes !== undefined && !gate.runtimes.includes(runtime)) {
      return {
        figure: gate.figure,
        baseline: baseValue,
        measured,
        allowed: "report only",
        gated: false,
        pass: true,
        message: `not gated on ${runtime} ${gate.figure}: measured ${fmt(measured)} (${
          gate.elsewhere ?? "n/a"
        })`,
      };
    }
    const allowed = bounds(gate);
    const pass = measured !== null && (gate.min === undefined || measured >= gate.min) &&
      (gate.max === undefined || measured <= gate.max);
    const message = pass
      ? `ok ${gate.figure}: measured ${fmt(measured)}, allowed ${allowed}`
      : `REGRESSION ${gate.figure}: measured ${fmt(measured)}, allowed ${allowed} (${gate.why})`;
    return { figure: gate.figure, baseline: baseValue, measured, allowed, gated: true, pass, message };
  });
  // A report-only figure the run did not measure (the CI profile measures the gates only) is left out.
  const reported = REPORTED.filter((name) =>
    !gates.some((g) => g.figure === name) && figureValue(results, name) !== null
  ).map(
    (name): CheckLine => {
      const measured = figureValue(results, name);
      const baseValue = baseFigures[name] ?? null;
      return {
        figure: name,
        baseline: baseValue,
        measured,
        allowed: "report only",
        gated: false,
        pass: true,
        message: `report only ${name}: measured ${fmt(measured)}, baseline ${fmt(baseValue)}${
          baseValue === null ? "" : where
        }`,
      };
    },
  );
  return [...gated, ...reported];
}

/**
 * Marks every figure of the sections with its gate status (`CI gate <= 2`
 * or `report only`), for the results file and the printed tables.
 *
 * @example
 * ```ts
 * import { markGates } from "./regression.ts";
 * const sections = [{ title: "x", figures: [{ name: "a", value: 1, unit: "x", target: null, pass: null }] }];
 * markGates(sections, "deno");
 * sections[0].figures[0].gate; // "report only"
 * ```
 */
export function markGates(
  sections: Array<{ figures: Figure[] }>,
  runtime?: string,
  gates: readonly Gate[] = GATES,
): void {
  for (const section of sections) {
    for (const f of section.figures) {
      const gate = gateOf(f.name, gates, runtime) === "CI gate"
        ? gates.find((g) => g.figure === f.name)
        : undefined;
      f.gate = gate === undefined ? "report only" : `CI gate ${bounds(gate)}`;
    }
  }
}

/**
 * A copy of `baseline` with the gated and reported figures of `results` as
 * the new values for its runtime (what `bench:update` writes), with the CPU
 * they came from.
 *
 * @example
 * ```ts
 * import { updateBaseline } from "./regression.ts";
 * const next = updateBaseline(
 *   { schema: "lunge-bench-baseline-v1", runtimes: {} },
 *   { environment: { runtime: "deno", gitCommit: "abc", cpuModel: "AMD EPYC" }, sections: [] },
 * );
 * console.log(Object.keys(next.runtimes)); // ["deno"]
 * ```
 */
export function updateBaseline(
  baseline: Baseline,
  results: ResultsForCheck,
  gates: readonly Gate[] = GATES,
): Baseline {
  const figures: Record<string, number> = {};
  for (const name of [...gates.map((g) => g.figure), ...REPORTED]) {
    const v = figureValue(results, name);
    if (v !== null) figures[name] = Number(v.toPrecision(6));
  }
  return {
    schema: "lunge-bench-baseline-v1",
    runtimes: {
      ...baseline.runtimes,
      [results.environment.runtime]: {
        updatedAt: new Date().toISOString(),
        gitCommit: results.environment.gitCommit ?? "unknown",
        cpu: results.environment.cpuModel ?? "unknown",
        figures,
      },
    },
  };
}
