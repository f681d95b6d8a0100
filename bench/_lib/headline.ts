/**
 * The seed's headline case made honest for this machine: an open-model run
 * at a target rate that the legacy collector cannot hold with many workers
 * and the atomic one can.
 *
 * How the rate is chosen (without looking at the atomic collector):
 * 1. Capacity: W = 2 x cores worker threads with 1000 async recorders in all
 *    (one record per resume, as a virtual user records one response per
 *    wake-up) record as fast as they can into each collector (greedy; best of
 *    3 tries). More threads than cores is what makes the mutex convoy show: a
 *    thread preempted while holding the lock stalls every other writer, which
 *    spins, then sleeps.
 * 2. Target rate: a fixed multiple (`RATE_OVER_LEGACY`, 1.5) of the legacy
 *    collector's capacity, rounded to 1000. The atomic collector's capacity
 *    is measured and reported, but the rate never depends on it, so "atomic
 *    achieved / target >= 0.99" is a claim the run can refute.
 * 3. Both collectors run paced (open model) at that rate and report target
 *    vs achieved.
 *
 * Through HTTP on 2 cores the client, not the collector, caps the rate
 * (~100k req/s, where the mutex costs ~1-5% of a core), so this case drives
 * the collectors with the engine's pacing but without sockets; the e2e suite
 * reports the HTTP-level pair beside it.
 *
 * @module
 */
import type { CollectorKind } from "../../src/collector/types.ts";
import { system } from "../../src/runtime/mod.ts";
import { runRecorders } from "./concurrent_recorders.ts";

/**
 * The target rate over the legacy collector's measured capacity: above what
 * the mutex can carry, and below the atomic / legacy capacity ratio measured
 * on every machine of this kind so far (1.96 on a busy EPYC, 3.6-6.5 quiet).
 */
export const RATE_OVER_LEGACY = 1.5;

/** Records per resume: one per wake-up, as a virtual user records one response (bursts of 32 measured no better separation). */
const BATCH = 1;

/** What the headline search found. */
export interface HeadlineOutcome {
  workers: number;
  recorders: number;
  atomicCapacity: number;
  legacyCapacity: number;
  /** The target rate (RATE_OVER_LEGACY x the legacy capacity), records/s; null when that capacity is 0. */
  rate: number | null;
  atomicAchieved: number;
  legacyAchieved: number;
  /** Every paced step tried: [collector, target, achieved]. */
  steps: Array<[string, number, number]>;
}

/**
 * Runs the search described in the module doc.
 *
 * @example
 * ```ts
 * import { runHeadline } from "./headline.ts";
 * const h = await runHeadline({ quick: true });
 * console.log(h.rate, h.atomicAchieved, h.legacyAchieved);
 * ```
 */
export async function runHeadline(options: { quick?: boolean } = {}): Promise<HeadlineOutcome> {
  const workers = Math.max(4, system.cpuCount() * 2);
  const recorders = 1000;
  const records = options.quick ? 1_500_000 : 4_000_000;
  const durationMs = options.quick ? 1000 : 2000;
  // Best of 3 alternating tries each: other load on the machine only ever lowers a capacity.
  let atomicCapacity = 0;
  let legacyCapacity = 0;
  for (let i = 0; i < 3; i++) {
    const a = await runRecorders({
      kind: "atomic",
      workers,
      recorders,
      mode: "greedy",
      records,
      batch: BATCH,
    });
    const l = await runRecorders({
      kind: "legacy",
      workers,
      recorders,
      mode: "greedy",
      records: records / 2,
      batch: BATCH,
    });
    atomicCapacity = Math.max(atomicCapacity, a.recordsPerSecond);
    legacyCapacity = Math.max(legacyCapacity, l.recordsPerSecond);
  }
  const steps: Array<[string, number, number]> = [];
  const paced = async (kind: CollectorKind, rate: number): Promise<number> => {
    const achieved =
      (await runRecorders({ kind, workers, recorders, mode: "paced", rate, durationMs, batch: BATCH }))
        .recordsPerSecond;
    steps.push([kind, rate, achieved]);
    return achieved;
  };
  const rate = legacyCapacity > 0
    ? Math.max(1000, Math.round((RATE_OVER_LEGACY * legacyCapacity) / 1000) * 1000)
    : null;
  const atomicAchieved = rate === null ? 0 : await paced("atomic", rate);
  const legacyAchieved = rate === null ? 0 : await paced("legacy", rate);
  return { workers, recorders, atomicCapacity, legacyCapacity, rate, atomicAchieved, legacyAchieved, steps };
}
