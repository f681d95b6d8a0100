/**
 * The runtime's own floor for an open-model load (see floor_client.ts): the
 * CPU of a process that does nothing but its timers and one request/response
 * per arrival, each on a free connection, measured like lunge's
 * (`lungeCpuAtRate`): pinned, every thread, over a window after start-up.
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { runtimeName } from "../../src/runtime/mod.ts";
import { childCpuInWindow } from "./child_cpu_window.ts";
import { FLOOR_MEASURE_ENV } from "./floor_client.ts";

export { FLOOR_MEASURE_ENV };

const CLIENT = new URL("./floor_client.ts", import.meta.url).pathname;
const SETTLE_MS = 2000;

/** What {@linkcode runtimeFloorCpu} measured. */
export interface RuntimeFloor {
  /** % of a core over the window; NaN if the client failed or sent fewer requests than its schedule. */
  cpuPct: number;
  /** Requests the client sent over its whole run. */
  sent: number;
  /** Requests its schedule had over its whole run (rate × seconds). */
  planned: number;
  /** Responses it recorded into its collector (`LUNGE_FLOOR_MEASURE=1`); null when it did not measure. */
  recorded: number | null;
  /** Why `cpuPct` is NaN; empty when it is not. */
  error: string;
}

/**
 * CPU (% of a core) the floor client uses at `rate` requests/s against `url`
 * over `seconds`, pinned to `cpu` where taskset exists. A client that sent
 * fewer requests than its schedule measured a lower rate than asked: its
 * figure is NaN, with the reason in `error`.
 *
 * @example
 * ```ts
 * import { runtimeFloorCpu } from "./runtime_floor.ts";
 * const floor = await runtimeFloorCpu({ url: "http://127.0.0.1:8080", rate: 1000, seconds: 10 });
 * console.log(floor.cpuPct, floor.sent, floor.planned);
 * ```
 */
export async function runtimeFloorCpu(
  options: {
    url: string;
    rate: number;
    seconds: number;
    cpu?: number;
    settleMs?: number;
    /** Variables to add to the client's environment (e.g. `LUNGE_DENO_SOCKETS`). */
    env?: Record<string, string>;
  },
): Promise<RuntimeFloor> {
  const settleMs = options.settleMs ?? SETTLE_MS;
  const total = Math.ceil(settleMs / 1000 + options.seconds + 1);
  const planned = Math.floor(total * options.rate);
  const dir = mkdtempSync(join(tmpdir(), "lunge-floor-"));
  const file = join(dir, "result.json");
  try {
    const argv = [
      process.execPath,
      ...(runtimeName === "deno" ? ["run", "-A"] : []),
      CLIENT,
      options.url,
      String(options.rate),
      String(total),
      file,
    ];
    const env = { ...process.env, ...options.env };
    const w = await childCpuInWindow({ argv, settleMs, seconds: options.seconds, cpu: options.cpu, env });
    let sent = 0;
    let recorded: number | null = null;
    try {
      const result = JSON.parse(readFileSync(file, "utf8"));
      sent = result.sent;
      recorded = result.recorded ?? null;
    } catch {
      // No result file: the exit code and stderr say why.
    }
    const error = w.code !== 0
      ? `floor client exit ${w.code}: ${w.stderrTail}`
      : sent < planned
      ? `floor client sent ${sent} of ${planned} requests`
      : recorded !== null && recorded !== sent
      ? `floor client recorded ${recorded} of ${sent} responses`
      : "";
    return { cpuPct: error ? NaN : w.cpuPct, sent, planned, recorded, error };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
