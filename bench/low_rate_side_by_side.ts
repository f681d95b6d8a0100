/**
 * lunge's CPU at 1000 req/s (`-w 1`) against the runtime floor and the
 * native floor, all measured in the same window: lunge, the runtime floor
 * client (`_lib/floor_client.ts`) and the C client (`_lib/paced_client.c`)
 * run at the same time, each pinned to core 1, against one nginx on core 0.
 * With `--compare <checkout root>` that checkout's lunge runs beside them too
 * (an A/B of two versions); with `--record-nothing` a lunge whose collector
 * writes nothing (`LUNGE_BENCH_NOOP_WRITER=1`) does: what recording costs,
 * and what lunge costs over the runtime floor without it. With
 * `--measuring-floor` the runtime floor runs a second time, parsing, timing
 * and recording each response (`LUNGE_FLOOR_MEASURE=1`): what any client that
 * measures must pay on this runtime, and lunge's own machinery over that. Each
 * `--with-env NAME=VALUE` adds a lunge and a runtime floor with that variable
 * set, to see what a runtime setting moves in each: on Bun,
 * `BUN_GC_TIMER_DISABLE=1` stops the collection Bun runs every second and
 * `BUN_JSC_forceCodeBlockLiveness=1` stops JavaScriptCore from throwing away
 * compiled code it has not seen run at a collection (then compiling it again).
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
 * deno run -A bench/low_rate_side_by_side.ts [--reps 6] [--seconds 10] [--settle 15] [--rate 1000] [--compare DIR] [--record-nothing] [--measuring-floor] [--with-env NAME=VALUE]...
 * bun bench/low_rate_side_by_side.ts [--reps 6] [--seconds 10] [--settle 15] [--rate 1000] [--compare DIR] [--record-nothing] [--measuring-floor] [--with-env NAME=VALUE]...
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
import { FLOOR_MEASURE_ENV, runtimeFloorCpu } from "./_lib/runtime_floor.ts";

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
  /** The runtime floor parsing, timing and recording each response (`--measuring-floor`); NaN without it. */
  measuringFloor: number;
  /** The C client (`_lib/paced_client.c`). */
  nativeFloor: number;
  /** Per `--with-env` setting, in its order: lunge and the runtime floor with it (NaN where one failed). */
  withEnv: Array<{ lunge: number; runtimeFloor: number }>;
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
  /** Also measure the runtime floor parsing, timing and recording each response. */
  measuringFloor?: boolean;
  /** Settings to measure lunge and the runtime floor with, besides the plain ones: one variable each. */
  withEnv?: ReadonlyArray<Readonly<Record<string, string>>>;
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
  const settings = o.withEnv ?? [];
  const [lunge, compare, nothing, floor, measuring, native, withEnv] = await Promise.all([
    lungeCpuAtRate({ ...base, workers: 1 }),
    o.compare === null ? null : lungeCpuAtRate({ ...base, workers: 1, checkout: o.compare }),
    o.recordNothing === true ? lungeCpuAtRate({ ...base, workers: 1, noopWriter: true }) : null,
    runtimeFloorCpu(base),
    o.measuringFloor === true ? runtimeFloorCpu({ ...base, env: { [FLOOR_MEASURE_ENV]: "1" } }) : null,
    nativeFloorCpu(base),
    Promise.all(
      settings.map((env) =>
        Promise.all([lungeCpuAtRate({ ...base, workers: 1, env }), runtimeFloorCpu({ ...base, env })])
      ),
    ),
  ]);
  return {
    lunge: lunge.cpuPct,
    compare: compare?.cpuPct ?? NaN,
    recordNothing: nothing?.cpuPct ?? NaN,
    runtimeFloor: floor.cpuPct,
    measuringFloor: measuring?.cpuPct ?? NaN,
    nativeFloor: native,
    withEnv: withEnv.map(([l, f]) => ({ lunge: l.cpuPct, runtimeFloor: f.cpuPct })),
    error: [
      lunge.error,
      compare?.error ?? "",
      nothing === null || nothing.error === "" ? "" : `recording nothing: ${nothing.error}`,
      floor.error,
      measuring === null || measuring.error === "" ? "" : `measuring floor: ${measuring.error}`,
      Number.isNaN(native) ? "native floor failed" : "",
      ...withEnv.flatMap(([l, f], i) => {
        const name = envLabel(settings[i]);
        return [
          l.error && `lunge with ${name}: ${l.error}`,
          f.error && `runtime floor with ${name}: ${f.error}`,
        ];
      }),
    ].filter((e) => e !== "").join("; "),
  };
}

/** `NAME=VALUE` of a one-variable setting. */
function envLabel(env: Readonly<Record<string, string>>): string {
  return Object.entries(env).map(([k, v]) => `${k}=${v}`).join(" ");
}

/** `1.45 (1.42-1.53)`: the median, then the range. */
function spread(values: number[]): string {
  const v = values.filter(Number.isFinite);
  if (v.length === 0) return "n/a";
  return `${median(v).toFixed(2)} (${Math.min(...v).toFixed(2)}-${Math.max(...v).toFixed(2)})`;
}

const USAGE =
  `usage: low_rate_side_by_side.ts [--reps 6] [--seconds 10] [--settle 15] [--rate 1000] [--compare DIR] [--record-nothing] [--measuring-floor] [--with-env NAME=VALUE]...
  Runs lunge (-w 1), the runtime floor and the C client at --rate req/s at the same time, each pinned to
  core 1 against nginx on core 0, and reads each one's CPU over the same window (--seconds, after --settle s).
  --compare DIR adds the lunge of another checkout (its root) to each window.
  --record-nothing adds this lunge with a collector that writes nothing (what recording costs).
  --measuring-floor adds the runtime floor parsing, timing and recording each response with lunge's parser
    and collector (what any client that measures pays; lunge's own machinery is what lunge adds over it).
  --with-env NAME=VALUE (repeatable) adds a lunge and a runtime floor with that variable set, e.g. on Bun
    BUN_GC_TIMER_DISABLE=1 (no collection every second) or BUN_JSC_forceCodeBlockLiveness=1 (compiled
    code is kept, not thrown away and compiled again).`;

/** What the command line asks for; a bad option is one line on stderr and exit 2. */
function readOptions(): {
  reps: string;
  seconds: string;
  settle: string;
  rate: string;
  compare?: string;
  "record-nothing"?: boolean;
  "measuring-floor"?: boolean;
  "with-env"?: string[];
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
        "measuring-floor": { type: "boolean" },
        "with-env": { type: "string", multiple: true },
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
  const measuringFloor = values["measuring-floor"] === true;
  const withEnv: Array<Record<string, string>> = [];
  for (const text of values["with-env"] ?? []) {
    const eq = text.indexOf("=");
    if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(text)) {
      system.writeStderr(`low_rate_side_by_side: --with-env expects NAME=VALUE, got "${text}"\n`);
      system.exit(2);
    }
    withEnv.push({ [text.slice(0, eq)]: text.slice(eq + 1) });
  }
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
        measuringFloor,
        withEnv,
      });
      windows.push(w);
      const ab = compare === null
        ? ""
        : `, compare ${w.compare.toFixed(2)} (compare/lunge ${(w.compare / w.lunge).toFixed(3)})`;
      const nothing = recordNothing
        ? `, recording nothing ${w.recordNothing.toFixed(2)} (/lunge ${
          (w.recordNothing / w.lunge).toFixed(3)
        })`
        : "";
      const measured = measuringFloor
        ? `, measuring floor ${w.measuringFloor.toFixed(2)} (/runtime floor ${
          (w.measuringFloor / w.runtimeFloor).toFixed(3)
        })`
        : "";
      const envs = w.withEnv.map((v, k) =>
        `; with ${envLabel(withEnv[k])}: lunge ${v.lunge.toFixed(2)} (/lunge ${
          (v.lunge / w.lunge).toFixed(3)
        }), runtime floor ${v.runtimeFloor.toFixed(2)} (/runtime floor ${
          (v.runtimeFloor / w.runtimeFloor).toFixed(3)
        })`
      ).join("");
      console.log(
        `window ${i + 1}: % of a core: lunge ${w.lunge.toFixed(2)}, runtime floor ${
          w.runtimeFloor.toFixed(2)
        }, native floor ${w.nativeFloor.toFixed(2)}${ab}${nothing}${measured}; lunge/native ${
          (w.lunge / w.nativeFloor).toFixed(2)
        }, runtime/native ${(w.runtimeFloor / w.nativeFloor).toFixed(2)}, lunge/runtime ${
          (w.lunge / w.runtimeFloor).toFixed(2)
        }${envs}${w.error ? ` (${w.error})` : ""}`,
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
  if (measuringFloor) {
    console.log(`measuring floor / runtime floor: ${ratios((w) => w.measuringFloor / w.runtimeFloor)}`);
    console.log(`measuring floor / native floor: ${ratios((w) => w.measuringFloor / w.nativeFloor)}`);
    console.log(`lunge / measuring floor: ${ratios((w) => w.lunge / w.measuringFloor)}`);
  }
  withEnv.forEach((env, k) => {
    const name = envLabel(env);
    console.log(`lunge with ${name} / lunge: ${ratios((w) => w.withEnv[k].lunge / w.lunge)}`);
    console.log(
      `runtime floor with ${name} / runtime floor: ${
        ratios((w) => w.withEnv[k].runtimeFloor / w.runtimeFloor)
      }`,
    );
    console.log(
      `lunge with ${name} / runtime floor with it: ${
        ratios((w) => w.withEnv[k].lunge / w.withEnv[k].runtimeFloor)
      }`,
    );
  });
}

if (import.meta.main) await main();
