/**
 * The runs that sized the timing floor of the CI gates
 * (`bench/_lib/regression.ts`): `atomic / legacy, 2 workers` measured as the
 * collector bench measures it (best of 3 interleaved rounds, 2 worker threads
 * recording as fast as they can), next to the same measure with the legacy
 * collector on both sides, which is what the atomic collector would give with
 * its lock put back (a mutex on the hot path).
 *
 * ```
 * deno run -A bench/gate_sizing.ts [runs]     # default 3 runs
 * bun bench/gate_sizing.ts [runs]
 * ```
 *
 * Prints one line per run; run it quiet and under load, on each CPU model at
 * hand, and keep the lowest healthy ratio well above the floor.
 *
 * @module
 */
import { readTextFileOrNull } from "../src/runtime/files.ts";
import { system } from "../src/runtime/mod.ts";
import { recordsPerSecond } from "./_lib/multi_worker.ts";

/** One run: the healthy ratio and the ratio a mutex on the hot path would give. */
export interface SizingRun {
  atomicOverLegacy: number;
  legacyOverLegacy: number;
  atomic: number;
  legacy: number;
}

/**
 * Measures one run (5M atomic and 1.25M legacy records per try, as the quick bench).
 *
 * @example
 * ```ts
 * import { sizingRun } from "./gate_sizing.ts";
 * const r = await sizingRun();
 * console.log(r.atomicOverLegacy, r.legacyOverLegacy);
 * ```
 */
export async function sizingRun(records = 5_000_000): Promise<SizingRun> {
  const best = { atomic: 0, legacy: 0, legacyAgain: 0 };
  for (let round = 0; round < 3; round++) {
    best.atomic = Math.max(best.atomic, await recordsPerSecond("atomic", 2, records));
    best.legacy = Math.max(best.legacy, await recordsPerSecond("legacy", 2, records / 4));
    best.legacyAgain = Math.max(best.legacyAgain, await recordsPerSecond("legacy", 2, records / 4));
  }
  return {
    atomicOverLegacy: best.atomic / best.legacy,
    legacyOverLegacy: best.legacyAgain / best.legacy,
    atomic: best.atomic,
    legacy: best.legacy,
  };
}

if (import.meta.main) {
  const runs = Number(system.args()[0] ?? 3);
  const load = (): string => readTextFileOrNull("/proc/loadavg")?.split(" ")[0] ?? "?";
  console.log(`gate sizing on ${system.name}, ${system.cpuCount()} cores`);
  for (let i = 0; i < runs; i++) {
    const r = await sizingRun();
    console.log(
      `run ${i + 1}: atomic / legacy ${r.atomicOverLegacy.toFixed(2)}, legacy / legacy (a mutex back) ${
        r.legacyOverLegacy.toFixed(2)
      } (atomic ${(r.atomic / 1e6).toFixed(1)}M/s, legacy ${(r.legacy / 1e6).toFixed(1)}M/s; load ${load()})`,
    );
  }
}
