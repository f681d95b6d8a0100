/**
 * Runs a command (pinned to a core where taskset exists) and measures the CPU
 * its process uses, every thread, over a window that starts once its start-up
 * is over. The overhead figures at a fixed rate (lunge, the runtime floor,
 * the native floor) all take their reading this way, so they compare.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import process from "node:process";
import { TASKSET_PATH } from "./nginx.ts";
import { measureThreadCpu } from "./thread_cpu.ts";

/** What {@linkcode childCpuInWindow} runs and when it reads. */
export interface ChildWindowOptions {
  /** The command and its arguments; it must end by itself after `settleMs` + `seconds`. */
  argv: string[];
  /** Start-up left out before the window, ms. */
  settleMs: number;
  /** The window, s. */
  seconds: number;
  /** CPU to pin the child to where taskset exists (default 1). */
  cpu?: number;
  /** Environment (default: this process's). */
  env?: Record<string, string | undefined>;
  /** Killed after this many seconds if still running (default settle + window + 60 s). */
  killAfterS?: number;
}

/** The reading of one window. */
export interface ChildWindow {
  /** CPU used over the window / the window, % of one core (NaN if there was no reading). */
  cpuPct: number;
  /** The child's exit code (null if it could not start or was killed). */
  code: number | null;
  /** The last lines of its stderr. */
  stderrTail: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `argv`, waits `settleMs`, measures its CPU for `seconds`, then waits
 * for it to end.
 *
 * @example
 * ```ts
 * import { childCpuInWindow } from "./child_cpu_window.ts";
 * const w = await childCpuInWindow({ argv: ["sleep", "3"], settleMs: 500, seconds: 2 });
 * console.log(w.cpuPct.toFixed(3), "% of a core, exit", w.code);
 * ```
 */
export async function childCpuInWindow(options: ChildWindowOptions): Promise<ChildWindow> {
  const argv = existsSync(TASKSET_PATH)
    ? [TASKSET_PATH, "-c", String(options.cpu ?? 1), ...options.argv]
    : options.argv;
  const child = spawn(argv[0], argv.slice(1), {
    stdio: ["ignore", "ignore", "pipe"],
    env: (options.env ?? process.env) as typeof process.env,
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Uint8Array) => (stderr += new TextDecoder().decode(chunk)));
  const exited = new Promise<number | null>((resolve) => {
    child.once("close", (code: number | null) => resolve(code));
    child.once("error", () => resolve(null));
  });
  const killAfterS = options.killAfterS ?? options.settleMs / 1000 + options.seconds + 60;
  const killer = setTimeout(() => child.kill("SIGKILL"), killAfterS * 1000);
  try {
    await sleep(options.settleMs);
    const t0 = performance.now();
    const window = measureThreadCpu(child.pid ?? 0);
    await sleep(options.seconds * 1000);
    const cpuNs = window.stop();
    const windowMs = performance.now() - t0;
    const code = await exited;
    const stderrTail = stderr.trim().split("\n").slice(-2).join(" | ");
    return { cpuPct: (cpuNs / 1e6 / windowMs) * 100, code, stderrTail };
  } finally {
    clearTimeout(killer);
    child.kill("SIGKILL");
  }
}
