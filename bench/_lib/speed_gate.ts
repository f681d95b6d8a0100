/**
 * The speed gate: lunge's requests per client CPU-second against wrk's, in
 * the same run, against one nginx (1 worker) pinned to CPU 0 with both
 * clients pinned to CPU 1 (`taskset`), in interleaved rounds whose order
 * alternates (`peers.ts`, measured in each run's steady window by
 * `peer_window.ts`). The figure ({@linkcode SPEED_GATE_FIGURE}) is the median
 * of the per-round ratios; the floor, and why it sits where it does, is in
 * `regression.ts` (gate 6).
 *
 * wrk is the yardstick because it runs in the same minutes on the same core:
 * whatever the machine's speed or the host's load does to lunge, it does to
 * wrk too, so the ratio moves far less than either figure (wrk alone moved by
 * up to 60% between rounds of one run).
 *
 * `slowdown` adds one more lunge client per round run with
 * `LUNGE_TEST_SLOWDOWN=<factor>` (`src/engine/test_slowdown.ts`): the
 * positive control, which must read below the floor.
 *
 * @module
 */
import { runtimeName } from "../../src/runtime/mod.ts";
import type { Figures } from "./figures.ts";
import { hasTaskset, startNginx } from "./nginx.ts";
import { STUB_STATUS_CONFIG } from "./peer_window.ts";
import { median, type PeerRow, roundRatios, runPeers } from "./peers.ts";
import { SPEED_GATE_FIGURE } from "./regression.ts";

/** The positive control's figure: lunge run with `LUNGE_TEST_SLOWDOWN`. */
export const SPEED_CONTROL_FIGURE = "speed gate control: slowed lunge / wrk (median of rounds)";

/** Interleaved rounds of the gate (see `regression.ts` for why this many). */
export const SPEED_GATE_ROUNDS = 5;

/** Options of {@linkcode runSpeedGate}. */
export interface SpeedGateOptions {
  /** Interleaved rounds (default {@linkcode SPEED_GATE_ROUNDS}). */
  rounds?: number;
  /** Load duration of each run, s (default 4: a steady window of ~2.2 s). */
  seconds?: number;
  /** Also run lunge with `LUNGE_TEST_SLOWDOWN` set to this factor in every round (the control). */
  slowdown?: number;
  /** Leave plain lunge out (the control alone). */
  controlOnly?: boolean;
  log?: (line: string) => void;
}

/** What one speed-gate run measured. */
export interface SpeedGateOutcome {
  /** Median of lunge / wrk per round (NaN when no round worked). */
  ratio: number;
  /** lunge / wrk per round. */
  rounds: number[];
  /** The control's median and rounds, when `slowdown` was given. */
  control: { ratio: number; rounds: number[] } | null;
  /** The rows, for the peers' figures. */
  rows: PeerRow[];
}

/**
 * Runs the speed gate's rounds against a fresh nginx.
 *
 * @example
 * ```ts
 * import { runSpeedGate } from "./speed_gate.ts";
 * const out = await runSpeedGate({ rounds: 3, log: console.error });
 * console.log(out.ratio, out.rounds);
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
    const slowed = options.slowdown === undefined ? [] : [{
      name: `lunge (${runtimeName}, -w 1) with LUNGE_TEST_SLOWDOWN=${options.slowdown}`,
      env: { LUNGE_TEST_SLOWDOWN: String(options.slowdown) },
    }];
    const rows = await runPeers({
      url: nginx.url,
      serverPid: nginx.pid,
      seconds: options.seconds ?? 4,
      warmS: 1,
      rounds,
      peers: ["wrk"],
      plainLunge: options.controlOnly !== true,
      lungeVariants: slowed,
      log,
    });
    const wrk = rows[0];
    const lunge = rows.find((r) => r.name === `lunge (${runtimeName}, -w 1)`);
    const ratios = lunge === undefined ? [] : roundRatios(lunge, wrk);
    const slowedRow = rows.find((r) => slowed.length > 0 && r.name === slowed[0].name);
    const control = slowedRow === undefined ? null : roundRatios(slowedRow, wrk);
    log(`speed gate: lunge / wrk per round ${ratios.map((r) => r.toFixed(2)).join(", ")}`);
    if (control !== null) log(`speed gate control per round ${control.map((r) => r.toFixed(2)).join(", ")}`);
    return {
      ratio: median(ratios),
      rounds: ratios,
      control: control === null ? null : { ratio: median(control), rounds: control },
      rows,
    };
  } finally {
    await nginx.stop();
  }
}

/**
 * Adds the speed gate's figures (the gated median, the lowest and highest
 * round, each client's steady figure, and the control's median when it ran).
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
  const finite = out.rounds.filter(Number.isFinite);
  figures.add(SPEED_GATE_FIGURE, out.ratio, "x");
  figures.add("speed gate: lowest round", finite.length > 0 ? Math.min(...finite) : NaN, "x");
  figures.add("speed gate: highest round", finite.length > 0 ? Math.max(...finite) : NaN, "x");
  for (const row of out.rows) {
    figures.add(`speed gate: ${row.name} req per CPU-s (steady, median)`, row.perCpuS, "req/CPU-s");
    figures.add(`speed gate: ${row.name} client CPU (steady)`, row.clientCorePct, "% of a core");
  }
  if (out.control !== null) figures.add(SPEED_CONTROL_FIGURE, out.control.ratio, "x");
}
