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
import { median, type PeerRow, roundRatios } from "./peers.ts";

/**
 * Adds the figures of `rows` (lunge's row last) to `figures` and logs lunge's ratio per round.
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
  }
  const lunge = rows[rows.length - 1];
  for (const peer of rows.slice(0, -1)) {
    const name = peer.name.split(" -w")[0];
    const ratios = roundRatios(lunge, peer);
    const finite = ratios.filter(Number.isFinite);
    figures.add(`lunge (${runtimeName}) / ${name}, req per client CPU-s (${steady})`, median(ratios), "x");
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
}
