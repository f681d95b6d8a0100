/**
 * The peers section's figures from `runPeers` rows: per client the steady
 * requests per CPU-second (median of the rounds), the whole run's, the fixed
 * CPU of start-up and shut-down, the rate and where the bottleneck was; and
 * lunge's ratio to each peer as the median of the per-round ratios, with the
 * lowest and highest round beside it.
 *
 * @module
 */
import { runtimeName } from "../../src/runtime/mod.ts";
import type { Figures } from "./figures.ts";
import { bottleneck, median, type PeerRow, roundRatios } from "./peers.ts";
import { SPEED_GATE_FIGURE, SPEED_GATE_SCENARIO_FIGURE } from "./regression.ts";
import { SCENARIO_ROW } from "./speed_gate.ts";

/**
 * Adds the figures of `rows` to `figures` and logs lunge's ratio to every other row per round
 * (a compared lunge checkout's row, named `... from <dir>`, also gets its ratio to wrk).
 *
 * @example
 * ```ts
 * import { Figures } from "./figures.ts";
 * import { addPeerFigures } from "./peer_figures.ts";
 * import type { PeerRow } from "./peers.ts";
 * declare const rows: PeerRow[];
 * const figures = new Figures();
 * addPeerFigures(figures, rows, 3, console.error);
 * console.log(figures.table());
 * ```
 */
export function addPeerFigures(
  figures: Figures,
  rows: PeerRow[],
  rounds: number,
  log: (line: string) => void,
): void {
  const steady = `steady, median of ${rounds} rounds`;
  for (const r of rows) {
    if (r.error !== "") log(`${r.name}: ${r.error}`);
    figures.add(`peers c=100: ${r.name} req per CPU-s (${steady})`, r.perCpuS, "req/CPU-s");
    figures.add(`peers c=100: ${r.name} req per CPU-s, whole run with start-up`, r.wholePerCpuS, "req/CPU-s");
    figures.add(`peers c=100: ${r.name} fixed CPU (start-up, warm-up, shut-down)`, r.fixedCpuS, "CPU-s");
    figures.add(`peers c=100: ${r.name} rps (steady)`, r.rps, "req/s");
    figures.add(`peers c=100: ${r.name} client CPU (steady)`, r.clientCorePct, "% of a core");
    figures.add(`peers c=100: ${r.name} nginx CPU (steady)`, r.serverCorePct, "% of a core");
    const clientBound = r.runs.filter((run) =>
      run.steady !== null && bottleneck(run.steady) === "client-bound"
    );
    figures.add(
      `peers c=100: ${r.name} rounds where the client was the bottleneck`,
      clientBound.length,
      "rounds",
    );
  }
  const isLunge = (r: PeerRow): boolean => r.name.startsWith("lunge (");
  const lunge = rows.find((r) => isLunge(r) && !r.name.includes(" from "));
  if (lunge === undefined) return;
  const saturated = rows.every((r) =>
    r.runs.some((run) => run.steady && bottleneck(run.steady) === "client-bound")
  );
  if (!saturated) {
    log(
      "warning: some client never had a full core (nginx or the machine was the bottleneck); requests per " +
        "client CPU-second then weigh wake-ups, not per-request costs, and the ratios are not comparable",
    );
  }
  const others = rows.filter((r) => r !== lunge);
  for (const peer of others) {
    const name = isLunge(peer) ? peer.name : peer.name.split(" -w")[0];
    const ratios = roundRatios(lunge, peer);
    const finite = ratios.filter(Number.isFinite);
    figures.add(`lunge (${runtimeName}) / ${name}, req per client CPU-s (${steady})`, median(ratios), "x");
    // The same figure under the speed gate's name, so bench:check gates the full and quick bench too.
    if (peer.name === "wrk") figures.add(SPEED_GATE_FIGURE, median(ratios), "x");
    figures.add(
      `lunge (${runtimeName}) / ${name}, lowest round`,
      finite.length > 0 ? Math.min(...finite) : NaN,
      "x",
    );
    figures.add(
      `lunge (${runtimeName}) / ${name}, highest round`,
      finite.length > 0 ? Math.max(...finite) : NaN,
      "x",
    );
    figures.add(
      `lunge (${runtimeName}) / ${name}, whole run with start-up (median of rounds)`,
      median(lunge.runs.map((run, i) => run.wholePerCpuS / (peer.runs[i]?.wholePerCpuS ?? NaN))),
      "x",
    );
    log(`lunge (${runtimeName}) / ${name} per round (steady): ${ratios.map((x) => x.toFixed(2)).join(", ")}`);
  }
  // A compared checkout against wrk too, so both versions' ratios sit side by side.
  const wrk = rows.find((r) => r.name === "wrk");
  for (const other of others.filter((r) => isLunge(r))) {
    if (wrk === undefined) break;
    const ratios = roundRatios(other, wrk);
    figures.add(`${other.name} / wrk, req per client CPU-s (${steady})`, median(ratios), "x");
    // The scenario client's figure under its speed gate's name, so bench:check gates it here too.
    if (other.name === SCENARIO_ROW) figures.add(SPEED_GATE_SCENARIO_FIGURE, median(ratios), "x");
    log(`${other.name} / wrk per round (steady): ${ratios.map((x) => x.toFixed(2)).join(", ")}`);
  }
}
