/**
 * The speed gates: lunge's requests per client CPU-second against wrk's, in
 * the same run, against one nginx (1 worker) pinned to CPU 0 with every
 * client pinned to CPU 1 (`taskset`), in interleaved rounds whose order
 * rotates (`peers.ts`, measured in each run's steady window by
 * `peer_window.ts`). Two clients of lunge take part: the plain path (`lunge
 * run URL`) and the scenario path (`bench/workloads/two_gets.ts`, two GETs
 * and a check per iteration, on a worker thread), whose own cost (iteration
 * loop, response objects, checks) can regress apart from the plain path's.
 * Each figure is the median of its per-round ratios to wrk; the floors, and
 * why they sit where they do, are in `regression.ts` (gates 6 and 7).
 *
 * wrk is the yardstick because it runs in the same minutes on the same core:
 * whatever the machine's speed or the host's load does to lunge, it does to
 * wrk too, so the ratio moves far less than either figure (wrk alone moved by
 * up to 60% between rounds of one run).
 *
 * `slowdown` runs each lunge client under `LUNGE_TEST_SLOWDOWN=<factor>`
 * (`src/worker/test_slowdown.ts`) too: the positive controls, which must read
 * below the floors.
 *
 * @module
 */
import { runtimeName } from "../../src/runtime/mod.ts";
import type { Figures } from "./figures.ts";
import { hasTaskset, startNginx } from "./nginx.ts";
import { STUB_STATUS_CONFIG } from "./peer_window.ts";
import { type LungeVariant, median, type PeerRow, roundRatios, runPeers } from "./peers.ts";
import { SPEED_GATE_FIGURE, SPEED_GATE_SCENARIO_FIGURE } from "./regression.ts";

/** Interleaved rounds of the gate (see `regression.ts` for why this many). */
export const SPEED_GATE_ROUNDS = 5;

/** The scenario the scenario gate runs: two GETs and a check, which nginx answers. */
export const SCENARIO_FILE: string = decodeURIComponent(
  new URL("../workloads/two_gets.ts", import.meta.url).pathname,
);

/** Row name of the plain lunge client. */
const PLAIN = `lunge (${runtimeName}, -w 1)`;
/** Row name of the scenario client (a `lunge (` name: the peers' figures treat it as lunge). */
export const SCENARIO_ROW = `lunge (${runtimeName}, -w 1) scenario`;

/**
 * The scenario client, optionally slowed (`LUNGE_TEST_SLOWDOWN`), for `runPeers`.
 *
 * @example
 * ```ts
 * import { scenarioVariant } from "./speed_gate.ts";
 * console.log(scenarioVariant().name, scenarioVariant(2).env);
 * ```
 */
export function scenarioVariant(slowdown?: number): LungeVariant {
  return {
    name: slowdown === undefined ? SCENARIO_ROW : `${SCENARIO_ROW} with LUNGE_TEST_SLOWDOWN=${slowdown}`,
    scenario: SCENARIO_FILE,
    env: slowdown === undefined ? undefined : { LUNGE_TEST_SLOWDOWN: String(slowdown) },
  };
}

/** Options of {@linkcode runSpeedGate}. */
export interface SpeedGateOptions {
  /** Interleaved rounds (default {@linkcode SPEED_GATE_ROUNDS}). */
  rounds?: number;
  /** Load duration of each run, s (default 4: a steady window of ~2.2 s). */
  seconds?: number;
  /** Also run both lunge clients with `LUNGE_TEST_SLOWDOWN` set to this factor (the controls). */
  slowdown?: number;
  /** Run only the slowed clients and wrk (the controls alone). */
  controlOnly?: boolean;
  log?: (line: string) => void;
}

/** One path's outcome: the median of its per-round ratios to wrk, and the rounds. */
export interface PathOutcome {
  /** The median of the rounds' ratios: the gated figure. */
  ratio: number;
  /** Each round's ratio to wrk, in round order. */
  rounds: number[];
}

/** What one speed-gate run measured (a path that did not run is null). */
export interface SpeedGateOutcome {
  plain: PathOutcome | null;
  scenario: PathOutcome | null;
  /** The slowed clients, when `slowdown` was given. */
  plainControl: PathOutcome | null;
  scenarioControl: PathOutcome | null;
  /** Every row, wrk first. */
  rows: PeerRow[];
}

/**
 * Runs the speed gates' rounds against a fresh nginx.
 *
 * @example
 * ```ts
 * import { runSpeedGate } from "./speed_gate.ts";
 * const out = await runSpeedGate({ rounds: 3, log: console.error });
 * console.log(out.plain?.ratio, out.scenario?.ratio);
 * ```
 */
export async function runSpeedGate(options: SpeedGateOptions = {}): Promise<SpeedGateOutcome> {
  const log = options.log ?? (() => {});
  const rounds = options.rounds ?? SPEED_GATE_ROUNDS;
  const nginx = await startNginx({ cpu: 0, serverConfig: STUB_STATUS_CONFIG });
  try {
    log(
      `speed gate against nginx ${nginx.url} (${
        hasTaskset() ? "nginx on CPU 0, clients on CPU 1" : "not pinned: no taskset"
      }), ${rounds} interleaved rounds`,
    );
    const factor = options.slowdown;
    const slowedPlain = factor === undefined
      ? null
      : { name: `${PLAIN} with LUNGE_TEST_SLOWDOWN=${factor}`, env: { LUNGE_TEST_SLOWDOWN: String(factor) } };
    const variants: LungeVariant[] = [];
    if (options.controlOnly !== true) variants.push(scenarioVariant());
    if (factor !== undefined) variants.push(slowedPlain!, scenarioVariant(factor));
    const rows = await runPeers({
      url: nginx.url,
      serverPid: nginx.pid,
      seconds: options.seconds ?? 4,
      warmS: 1,
      rounds,
      peers: ["wrk"],
      plainLunge: options.controlOnly !== true,
      lungeVariants: variants,
      log,
    });
    const wrk = rows[0];
    const path = (name: string | undefined): PathOutcome | null => {
      const row = rows.find((r) => r.name === name);
      if (row === undefined) return null;
      const ratios = roundRatios(row, wrk);
      log(`speed gate: ${name} / wrk per round ${ratios.map((r) => r.toFixed(2)).join(", ")}`);
      return { ratio: median(ratios), rounds: ratios };
    };
    return {
      plain: path(PLAIN),
      scenario: path(SCENARIO_ROW),
      plainControl: path(slowedPlain?.name),
      scenarioControl: path(factor === undefined ? undefined : scenarioVariant(factor).name),
      rows,
    };
  } finally {
    await nginx.stop();
  }
}

const lowest = (p: PathOutcome | null): number => {
  const finite = (p?.rounds ?? []).filter(Number.isFinite);
  return finite.length > 0 ? Math.min(...finite) : NaN;
};

/**
 * Adds the speed gates' figures: the two gated medians, each path's lowest
 * round, each client's steady figure and CPU share (a client far from a full
 * core means a busy machine, where the ratios fall), and the controls' medians
 * when they ran.
 *
 * @example
 * ```ts
 * import { Figures } from "./figures.ts";
 * import { addSpeedGateFigures, runSpeedGate } from "./speed_gate.ts";
 * const figures = new Figures();
 * addSpeedGateFigures(figures, await runSpeedGate());
 * console.log(figures.table());
 * ```
 */
export function addSpeedGateFigures(figures: Figures, out: SpeedGateOutcome): void {
  figures.add(SPEED_GATE_FIGURE, out.plain?.ratio ?? NaN, "x");
  figures.add("speed gate: lunge / wrk, lowest round", lowest(out.plain), "x");
  figures.add(SPEED_GATE_SCENARIO_FIGURE, out.scenario?.ratio ?? NaN, "x");
  figures.add("speed gate: lunge scenario / wrk, lowest round", lowest(out.scenario), "x");
  for (const row of out.rows) {
    figures.add(`speed gate: ${row.name} req per CPU-s (steady, median)`, row.perCpuS, "req/CPU-s");
    figures.add(`speed gate: ${row.name} client CPU (steady)`, row.clientCorePct, "% of a core");
  }
  if (out.plainControl !== null) {
    figures.add("speed gate control: slowed lunge / wrk", out.plainControl.ratio, "x");
  }
  if (out.scenarioControl !== null) {
    figures.add("speed gate control: slowed lunge scenario / wrk", out.scenarioControl.ratio, "x");
  }
}
