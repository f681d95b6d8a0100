/**
 * The runtime's own floor for an open-model load (see floor_client.ts): the
 * CPU of a process that does nothing but one timer and one request/response
 * per arrival, measured like lunge's (`lungeCpuAtRate`): pinned, every
 * thread, over a window after start-up.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import process from "node:process";
import { runtimeName } from "../../src/runtime/mod.ts";
import { TASKSET_PATH } from "./nginx.ts";
import { measureThreadCpu } from "./thread_cpu.ts";

const CLIENT = new URL("./floor_client.ts", import.meta.url).pathname;
const SETTLE_MS = 2000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

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
  const args = [
    ...(runtimeName === "deno" ? ["run", "-A"] : []),
    CLIENT,
    options.url,
    String(options.rate),
    String(total),
  ];
  const argv = existsSync(TASKSET_PATH)
    ? [TASKSET_PATH, "-c", String(options.cpu ?? 1), process.execPath, ...args]
    : [process.execPath, ...args];
  const child = spawn(argv[0], argv.slice(1), { stdio: ["ignore", "ignore", "inherit"] });
  const exited = new Promise<number | null>((resolve) => {
    child.once("close", (code: number | null) => resolve(code));
    child.once("error", () => resolve(null));
  });
  const killer = setTimeout(() => child.kill("SIGKILL"), (total + 30) * 1000);
  try {
    await sleep(settleMs);
    const t0 = performance.now();
    const window = measureThreadCpu(child.pid ?? 0);
    await sleep(options.seconds * 1000);
    const cpuNs = window.stop();
    const windowMs = performance.now() - t0;
    const code = await exited;
    return code === 0 ? (cpuNs / 1e6 / windowMs) * 100 : NaN;
  } finally {
    clearTimeout(killer);
    child.kill("SIGKILL");
  }
}
