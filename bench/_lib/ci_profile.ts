/**
 * The CI bench profile (`bench/mod.ts --ci`): only what the hard gates of
 * `regression.ts` read, each measured as the full bench measures it, so that
 * `scripts/bench_check.ts` checks the same figures either way:
 *
 * - the hot path's counts: heap bytes per record (kept and allocated), per
 *   ring push+pop, `Atomics` calls per record;
 * - `atomic / legacy, 2 workers` (best of 3 interleaved rounds);
 * - the owner's flush with 3 and 17 lanes at 1000 req/s;
 * - the accuracy suite's exact counts (quick, without the steady-state runs
 *   that only serve the report-only rate rows);
 * - the speed gates: lunge / wrk per client CPU-second against nginx, the
 *   plain path and the scenario path.
 *
 * Left to `deno task bench` (report only, and the long part of the quick
 * bench): mitata's timings, concurrent recorders, end-to-end, autocannon, the
 * headline search, the peers section and the overheads (idle, 1000 req/s,
 * native floor, collector A/B).
 *
 * @module
 */
import { createCollector } from "../../src/collector/create.ts";
import { LockFreeRingBuffer } from "../../src/shared/ring_buffer.ts";
import type { TargetHandle } from "../../src/target/types.ts";
import { runAccuracy } from "../accuracy.ts";
import { addHotPathFigures, addWorkerFigures } from "../collector.bench.ts";
import type { AccuracyRow } from "./accuracy_checks.ts";
import { Figures } from "./figures.ts";
import { timeFlush } from "./flush_timing.ts";
import { addSpeedGateFigures, runSpeedGate } from "./speed_gate.ts";

/** What the CI profile measured. */
export interface CiProfileOutcome {
  sections: Array<{ title: string; figures: Figures["list"] }>;
  accuracy: AccuracyRow[];
}

/** Records per worker in the 2-worker rounds: as many as the quick bench. */
const WORKER_RECORDS = 5_000_000;

/**
 * Runs the CI profile against `target` (the built-in target, for the accuracy runs).
 *
 * @example
 * ```ts
 * import { startTarget } from "../../src/target/start.ts";
 * import { runCiProfile } from "./ci_profile.ts";
 * const target = await startTarget({ mode: "process" });
 * const out = await runCiProfile(target, console.error);
 * await target.stop();
 * console.log(out.sections.map((s) => s.title));
 * ```
 */
export async function runCiProfile(
  target: TargetHandle,
  log: (line: string) => void,
): Promise<CiProfileOutcome> {
  log("hot path: counts per record, 2 writer threads per collector");
  const hotPath = new Figures();
  const atomic = createCollector({ kind: "atomic" });
  try {
    addHotPathFigures(hotPath, atomic, LockFreeRingBuffer.create({ capacity: 4096 }));
  } finally {
    atomic.close();
  }
  await addWorkerFigures(hotPath, WORKER_RECORDS, false);

  log("flush: 3 and 17 lanes at 1000 req/s");
  const flush = new Figures();
  for (const [lanes, target] of [[3, "<= 100"], [17, "<= 300"]] as const) {
    const t = timeFlush({ lanes, rate: 1000, flushes: 200 });
    flush.add(`flush, ${lanes} lanes, 1000 req/s: p50`, t.p50Us, "µs", target);
    flush.add(`flush, ${lanes} lanes, 1000 req/s: p99`, t.p99Us, "µs");
  }

  log("accuracy: exact counts");
  const acc = await runAccuracy(target, { quick: true, steadyRateRuns: false, log });
  const accFigures = new Figures();
  accFigures.add("accuracy: failed checks", acc.failures, "checks");
  accFigures.add("accuracy: max percentile error", acc.maxPercentileErrorPct, "%", "<= 0.1");
  accFigures.add("accuracy: max open-model rate error", acc.maxRateErrorPct, "%", "<= 0.5");

  log("speed gates: lunge (plain and scenario) / wrk per client CPU-second against nginx");
  const speed = new Figures();
  addSpeedGateFigures(speed, await runSpeedGate({ log }));
  return {
    sections: [
      { title: "hot path", figures: hotPath.list },
      { title: "flush", figures: flush.list },
      { title: "accuracy", figures: accFigures.list },
      { title: "speed gates (nginx, c=100)", figures: speed.list },
    ],
    accuracy: acc.rows,
  };
}
