/**
 * lunge's CPU at 1000 req/s (`-w 1`) against the runtime floor and the
 * native floor, all measured in the same window: lunge, the runtime floor
 * client (`_lib/floor_client.ts`) and the C client (`_lib/paced_client.c`)
 * run at the same time, each pinned to core 1, against one nginx on core 0.
 * With `--compare <checkout root>` that checkout's lunge runs beside them too
 * (an A/B of two versions); with `--record-nothing` a lunge whose collector
 * writes nothing (`LUNGE_BENCH_NOOP_WRITER=1`) does: what recording costs,
 * and what lunge costs over the runtime floor without it.
 *
 * Why at the same time: the host changes speed between rounds (the same C
 * client read 3.97-6.51% of a core in one series of interleaved rounds), so a
 * ratio of two readings taken a minute apart carries the host's change.
 * Processes measured over the same window see the same host. On Bun, six such
 * windows read lunge / native floor 1.42-1.53, where six interleaved rounds
 * read 1.20-2.63. Each process is at about 5% of a core: when two wake at the
 * same moment one waits, which is not CPU time, but they do share the core's
 * caches, so the figures are a little above those of a process alone.
 *
 * ```
 * deno run -A bench/low_rate_side_by_side.ts [--reps 6] [--seconds 10] [--settle 15] [--compare DIR] [--record-nothing]
 * bun bench/low_rate_side_by_side.ts [--reps 6] [--seconds 10] [--settle 15] [--compare DIR] [--record-nothing]
 * ```
 *
 * Prints each window's CPU figures and ratios, then the medians and ranges.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { system } from "../src/runtime/mod.ts";
import { nativeFloorCpu } from "./_lib/native_floor.ts";
import { startNginx } from "./_lib/nginx.ts";
import { lungeCpuAtRate } from "./_lib/overhead.ts";
import { median } from "./_lib/peers.ts";
import { runtimeFloorCpu } from "./_lib/runtime_floor.ts";

/** One window's CPU figures, % of a core (NaN where a client failed). */
export interface SideBySideWindow {
  /** This checkout's lunge (`lunge run URL --rate R -w 1`). */
  lunge: number;
  /** The `--compare` checkout's lunge; NaN without one. */
  compare: number;
  /** This checkout's lunge recording nothing (`--record-nothing`); NaN without it. */
  recordNothing: number;
  /** The runtime floor client (`_lib/floor_client.ts`). */
  runtimeFloor: number;
  /** The C client (`_lib/paced_client.c`). */
  nativeFloor: number;
  /** Why a figure is NaN; empty when none is. */
  error: string;
}

/** Options of {@linkcode sideBySideWindow}. */
export interface SideBySideOptions {
  /** nginx URL. */
  url: string;
  /** Requests per second, each client. */
  rate: number;
  /** The measured window, s. */
  seconds: number;
  /** Start-up left out before the window, ms (lunge's JIT is not done in the first seconds). */
  settleMs: number;
  /** Root of a second lunge checkout to measure beside this one, or null. */
  compare: string | null;
  /** Also measure this checkout's lunge with a collector that writes nothing. */
  recordNothing?: boolean;
}

/**
 * Runs every client at once and reads each one's CPU over the same window.
 *
 * @example
 * ```ts
 * import { startNginx } from "./_lib/nginx.ts";
 * import { sideBySideWindow } from "./low_rate_side_by_side.ts";
 * const nginx = await startNginx({ cpu: 0 });
 * const w = await sideBySideWindow({ url: nginx.url, rate: 1000, seconds: 10, settleMs: 15_000, compare: null });
 * console.log(w.lunge / w.nativeFloor);
 * await nginx.stop();
 * ```
 */
export async function sideBySideWindow(o: SideBySideOptions): Promise<SideBySideWindow> {
  const base = { url: o.url, rate: o.rate, seconds: o.seconds, settleMs: o.settleMs };
  const [lunge, compare, nothing, floor, native] = await Promise.all([
    lungeCpuAtRate({ ...base, workers: 1 }),
    o.compare === null ? null : lungeCpuAtRate({ ...base, workers: 1, checkout: o.compare }),
    o.recordNothing === true ? lungeCpuAtRate({ ...base, workers: 1, noopWriter: true }) : null,
    runtimeFloorCpu(base),
    nativeFloorCpu(base),
  ]);
  return {
    lunge: lunge.cpuPct,
    compare: compare?.cpuPct ?? NaN,
    recordNothing: nothing?.cpuPct ?? NaN,
    runtimeFloor: floor.cpuPct,
    nativeFloor: native,
    error: [
      lunge.error,
      compare?.error ?? "",
      nothing === null || nothing.error === "" ? "" : `recording nothing: ${nothing.error}`,
      floor.error,
      Number.isNaN(native) ? "native floor failed" : "",
    ].filter((e) => e !== "").join("; "),
  };
}

/** `1.45 (1.42-1.53)`: the median, then the range. */
function spread(values: number[]): string {
  const v = values.filter(Number.isFinite);
  if (v.length === 0) return "n/a";
  return `${median(v).toFixed(2)} (${Math.min(...v).toFixed(2)}-${Math.max(...v).toFixed(2)})`;
}

const USAGE =
  `usage: low_rate_side_by_side.ts [--reps 6] [--seconds 10] [--settle 15] [--rate 1000] [--compare DIR] [--record-nothing]
  Runs lunge (-w 1), the runtime floor and the C client at --rate req/s at the same time, each pinned to
  core 1 against nginx on core 0, and reads each one's CPU over the same window (--seconds, after --settle s).
  --compare DIR adds the lunge of another checkout (its root) to each window.
  --record-nothing adds this lunge with a collector that writes nothing (what recording costs).`;

/** What the command line asks for; a bad option is one line on stderr and exit 2. */
function readOptions(): {
  reps: string;
  seconds: string;
  settle: string;
  rate: string;
  compare?: string;
  "record-nothing"?: boolean;
} {
  if (system.args().includes("--help") || system.args().includes("-h")) {
    console.log(USAGE);
    return system.exit(0);
  }
  try {
    return parseArgs({
      args: system.args(),
      options: {
        reps: { type: "string", default: "6" },
        seconds: { type: "string", default: "10" },
        settle: { type: "string", default: "15" },
        rate: { type: "string", default: "1000" },
        compare: { type: "string" },
        "record-nothing": { type: "boolean" },
      },
    }).values;
  } catch (error) {
    system.writeStderr(`low_rate_side_by_side: ${error instanceof Error ? error.message : String(error)}\n`);
    return system.exit(2);
  }
}

async function main(): Promise<void> {
  const values = readOptions();
  const reps = Number(values.reps);
  const seconds = Number(values.seconds);
  const settleS = Number(values.settle);
  const rate = Number(values.rate);
  for (
    const [name, v] of [["reps", reps], ["seconds", seconds], ["settle", settleS], ["rate", rate]] as const
  ) {
    if (!(Number.isFinite(v) && v > 0)) {
      system.writeStderr(`low_rate_side_by_side: --${name} must be a positive number\n`);
      system.exit(2);
    }
  }
  const compare = values.compare ?? null;
  const recordNothing = values["record-nothing"] === true;
  if (compare !== null && !existsSync(join(compare, "cli.ts"))) {
    system.writeStderr(
      `low_rate_side_by_side: --compare ${compare} has no cli.ts (give a lunge checkout's root)\n`,
    );
    system.exit(2);
  }
  const nginx = await startNginx({ cpu: 0 });
  const windows: SideBySideWindow[] = [];
  try {
    console.log(
      `# ${system.name} ${system.version}, ${system.cpuModel()}: ${rate} req/s, -w 1, ${reps} windows of ${seconds} s after ${settleS} s`,
    );
    for (let i = 0; i < reps; i++) {
      const w = await sideBySideWindow({
        url: nginx.url,
        rate,
        seconds,
        settleMs: settleS * 1000,
        compare,
        recordNothing,
      });
      windows.push(w);
      const ab = compare === null
        ? ""
        : ` compare ${w.compare.toFixed(2)} (compare/lunge ${(w.compare / w.lunge).toFixed(3)})`;
      const nothing = recordNothing
        ? ` recording nothing ${w.recordNothing.toFixed(2)} (/lunge ${
          (w.recordNothing / w.lunge).toFixed(3)
        })`
        : "";
      console.log(
        `window ${i + 1}: % of a core: lunge ${w.lunge.toFixed(2)}, runtime floor ${
          w.runtimeFloor.toFixed(2)
        }, native floor ${w.nativeFloor.toFixed(2)}${ab}${nothing}; lunge/native ${
          (w.lunge / w.nativeFloor).toFixed(2)
        }, runtime/native ${(w.runtimeFloor / w.nativeFloor).toFixed(2)}, lunge/runtime ${
          (w.lunge / w.runtimeFloor).toFixed(2)
        }${w.error ? ` (${w.error})` : ""}`,
      );
    }
  } finally {
    await nginx.stop();
  }
  const ratios = (f: (w: SideBySideWindow) => number): string => spread(windows.map(f));
  console.log(`lunge / native floor: ${ratios((w) => w.lunge / w.nativeFloor)}`);
  console.log(`runtime floor / native floor: ${ratios((w) => w.runtimeFloor / w.nativeFloor)}`);
  console.log(`lunge / runtime floor: ${ratios((w) => w.lunge / w.runtimeFloor)}`);
  if (compare !== null) console.log(`compare / lunge: ${ratios((w) => w.compare / w.lunge)}`);
  if (recordNothing) {
    console.log(`recording nothing / lunge: ${ratios((w) => w.recordNothing / w.lunge)}`);
    console.log(`recording nothing / runtime floor: ${ratios((w) => w.recordNothing / w.runtimeFloor)}`);
  }
}

if (import.meta.main) await main();
