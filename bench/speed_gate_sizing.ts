/**
 * The runs that size the speed gates' floors (`bench/_lib/regression.ts`,
 * gates 6 and 7): the CI profile's own measurement (`runSpeedGate`: 5
 * interleaved rounds of 4 s against one nginx on core 0, every client on core
 * 1), with the positive controls (both lunge clients under
 * `LUNGE_TEST_SLOWDOWN=2`) in the same rounds. A floor belongs between the
 * lowest healthy median and the highest slowed one.
 *
 * ```
 * deno run -A bench/speed_gate_sizing.ts [runs]     # default 3 runs, ~2 min each
 * bun bench/speed_gate_sizing.ts [runs]
 * ```
 *
 * Prints one line per run: each path's median of rounds, then its rounds. Run it on a quiet machine
 * (CI's kind), on both runtimes, more than once.
 *
 * @module
 */
import { readTextFileOrNull } from "../src/runtime/files.ts";
import { system } from "../src/runtime/mod.ts";
import { type PathOutcome, runSpeedGate } from "./_lib/speed_gate.ts";

export type { PathOutcome } from "./_lib/speed_gate.ts";

/** One run's medians: healthy and slowed, plain and scenario. */
export interface SpeedGateSizingRun {
  /** `lunge run` (gate 6's client). */
  plain: PathOutcome | null;
  /** The scenario client (gate 7's). */
  scenario: PathOutcome | null;
  /** `lunge run` under `LUNGE_TEST_SLOWDOWN=2`. */
  plainSlowed: PathOutcome | null;
  /** The scenario client under `LUNGE_TEST_SLOWDOWN=2`. */
  scenarioSlowed: PathOutcome | null;
}

/**
 * Measures one run: healthy and slowed clients in the same interleaved rounds.
 *
 * @example
 * ```ts
 * import { sizingRun } from "./speed_gate_sizing.ts";
 * const r = await sizingRun();
 * console.log(r.plain?.ratio, r.plainSlowed?.ratio);
 * ```
 */
export async function sizingRun(): Promise<SpeedGateSizingRun> {
  const out = await runSpeedGate({ slowdown: 2 });
  return {
    plain: out.plain,
    scenario: out.scenario,
    plainSlowed: out.plainControl,
    scenarioSlowed: out.scenarioControl,
  };
}

/** `0.97 (0.94 0.98 0.72 1.00 0.97)`: the median, then the rounds. */
function show(p: PathOutcome | null): string {
  return p === null ? "none" : `${p.ratio.toFixed(2)} (${p.rounds.map((r) => r.toFixed(2)).join(" ")})`;
}

if (import.meta.main) {
  const runs = Number(system.args()[0] ?? 3);
  const load = (): string => readTextFileOrNull("/proc/loadavg")?.split(" ")[0] ?? "?";
  console.log(
    `speed gate sizing on ${system.name}, ${system.cpuCount()} cores: lunge / wrk per client CPU-s`,
  );
  for (let i = 0; i < runs; i++) {
    const r = await sizingRun();
    console.log(
      `run ${i + 1} (load ${load()}): plain ${show(r.plain)}, slowed ${show(r.plainSlowed)}; ` +
        `scenario ${show(r.scenario)}, slowed ${show(r.scenarioSlowed)}`,
    );
  }
}
