/**
 * The runtime's own floor for an open-model load (see floor_client.ts): the
 * CPU of a process that does nothing but one timer and one request/response
 * per arrival, measured like lunge's (`lungeCpuAtRate`): pinned, every
 * thread, over a window after start-up.
 *
 * @module
 */
import process from "node:process";
import { runtimeName } from "../../src/runtime/mod.ts";
import { childCpuInWindow } from "./child_cpu_window.ts";

const CLIENT = new URL("./floor_client.ts", import.meta.url).pathname;
const SETTLE_MS = 2000;

/**
 * CPU (% of a core) the floor client uses at `rate` requests/s against `url`
 * over `seconds`, pinned to `cpu` where taskset exists; NaN if it failed.
 *
 * @example
 * ```ts
 * import { runtimeFloorCpu } from "./runtime_floor.ts";
 * console.log(await runtimeFloorCpu({ url: "http://127.0.0.1:8080", rate: 1000, seconds: 10 }));
 * ```
 */
export async function runtimeFloorCpu(
  options: { url: string; rate: number; seconds: number; cpu?: number; settleMs?: number },
): Promise<number> {
  const settleMs = options.settleMs ?? SETTLE_MS;
  const total = Math.ceil(settleMs / 1000 + options.seconds + 1);
  const argv = [
    process.execPath,
    ...(runtimeName === "deno" ? ["run", "-A"] : []),
    CLIENT,
    options.url,
    String(options.rate),
    String(total),
  ];
  const w = await childCpuInWindow({ argv, settleMs, seconds: options.seconds, cpu: options.cpu });
  if (w.code !== 0 && w.stderrTail) console.error(w.stderrTail);
  return w.code === 0 ? w.cpuPct : NaN;
}
