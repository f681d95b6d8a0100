/**
 * The native floor for an evenly paced open-model load: the CPU of a small C
 * client (paced_client.c) that writes one request per arrival on one
 * keep-alive connection and reads its response, with nothing else. It is
 * what any client pays for the wake-ups and the socket calls themselves:
 * lunge's CPU at the same rate, against this, is what JavaScript and lunge's
 * own work add. It needs a C compiler (`cc`); without one the figure is NaN.
 *
 * Why not wrk: wrk (with a delay per request) starts its connections together,
 * so they stay in phase and send in bursts: at 1000 req/s with 50
 * connections it wakes about 100 times a second, not 2000. Its CPU is that of
 * a burst load, not of evenly spaced arrivals.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { childCpuInWindow } from "./child_cpu_window.ts";

const SOURCE = new URL("./paced_client.c", import.meta.url).pathname;
const SETTLE_MS = 2000;

/** Compiles paced_client.c into `dir`; null if there is no working `cc`. */
function buildPacedClient(dir: string): string | null {
  const out = join(dir, "paced_client");
  const cc = spawnSync("cc", ["-O2", "-o", out, SOURCE, "-lm"], { stdio: ["ignore", "ignore", "pipe"] });
  return cc.status === 0 && existsSync(out) ? out : null;
}

/**
 * CPU (% of a core) the native paced client uses at `rate` requests/s against
 * `url` (an `http://<ipv4>:<port>` URL) over `seconds`, pinned to `cpu` where
 * taskset exists. NaN without a C compiler or if the client failed.
 *
 * @example
 * ```ts
 * import { nativeFloorCpu } from "./native_floor.ts";
 * console.log(await nativeFloorCpu({ url: "http://127.0.0.1:8080", rate: 1000, seconds: 10 }));
 * ```
 */
export async function nativeFloorCpu(
  options: { url: string; rate: number; seconds: number; cpu?: number; settleMs?: number },
): Promise<number> {
  // Built for each call and removed after it: an exit hook would not run on every runtime (Deno.exit skips it).
  const dir = mkdtempSync(join(tmpdir(), "lunge-paced-"));
  try {
    const client = buildPacedClient(dir);
    if (client === null) return NaN;
    const url = new URL(options.url);
    const settleMs = options.settleMs ?? SETTLE_MS;
    const total = Math.ceil(settleMs / 1000 + options.seconds + 1);
    const argv = [client, url.hostname, url.port, String(options.rate), String(total)];
    const w = await childCpuInWindow({ argv, settleMs, seconds: options.seconds, cpu: options.cpu });
    if (w.code !== 0 && w.stderrTail) console.error(w.stderrTail);
    return w.code === 0 ? w.cpuPct : NaN;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
