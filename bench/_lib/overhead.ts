/**
 * What lunge's whole process costs at a fixed rate, measured from outside:
 * the CLI (on this runtime) loads nginx in the open model, and the CPU of
 * its process, every thread, is read from /proc over a window that starts
 * once start-up is over. Also wrk's CPU at a similar rate for reference
 * (wrk with a per-request delay: wrk2 is not packaged), and the collector's
 * share as an A/B: the same run with writers that record nothing.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { NOOP_WRITER_ENV } from "../../src/collector/_noop_writer.ts";
import { TASKSET_PATH } from "./nginx.ts";
import { lungeCommand, writeWrkDelayScript, wrkRequests } from "./peers.ts";
import { runMeasured } from "./process_cpu.ts";
import { measureThreadCpu } from "./thread_cpu.ts";

/** Options of {@linkcode lungeCpuAtRate}. */
export interface RateCpuOptions {
  /** nginx URL (no trailing slash). */
  url: string;
  /** Open-model rate, requests/s. */
  rate: number;
  /** Measured window, s (default 10). */
  seconds?: number;
  /** Load workers (`-w`); omit for lunge's default. */
  workers?: number;
  /** CPU to pin lunge to where taskset exists (default 1). */
  cpu?: number;
  /** Record nothing (the A/B's B run): `LUNGE_BENCH_NOOP_WRITER=1`. */
  noopWriter?: boolean;
  /** Start-up time left out before the window, ms (default 3000). */
  settleMs?: number;
}

/** CPU of a process over a window. */
export interface RateCpu {
  /** CPU used over the window / the window, in % of one core. */
  cpuPct: number;
  /** Requests the run counted (0 with no-op writers). */
  requests: number;
  /** Why there is no figure; empty when fine. */
  error: string;
}

/** Start-up (runtime, modules, workers, connections) happens before this; the window follows. */
const SETTLE_MS = 3000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `lunge run <url>/ --rate R` for start-up + `seconds` + 1 s and returns
 * the CPU its process used in a `seconds` window after start-up, as % of a core.
 *
 * @example
 * ```ts
 * import { startNginx } from "./nginx.ts";
 * import { lungeCpuAtRate } from "./overhead.ts";
 * const nginx = await startNginx({ cpu: 0 });
 * console.log((await lungeCpuAtRate({ url: nginx.url, rate: 1 })).cpuPct);
 * await nginx.stop();
 * ```
 */
export async function lungeCpuAtRate(options: RateCpuOptions): Promise<RateCpu> {
  const seconds = options.seconds ?? 10;
  const dir = mkdtempSync(join(tmpdir(), "lunge-overhead-"));
  const file = join(dir, "result.json");
  const settleMs = options.settleMs ?? SETTLE_MS;
  const total = Math.ceil(settleMs / 1000 + seconds + 1);
  const cli = [
    "run",
    `${options.url}/`,
    "--rate",
    String(options.rate),
    "-d",
    `${total}s`,
    "-q",
    "--json",
    file,
  ];
  if (options.workers !== undefined) cli.push("-w", String(options.workers));
  const cmd = lungeCommand(cli);
  const argv = existsSync(TASKSET_PATH)
    ? [TASKSET_PATH, "-c", String(options.cpu ?? 1), cmd.command, ...cmd.args]
    : [cmd.command, ...cmd.args];
  const env = options.noopWriter ? { ...process.env, [NOOP_WRITER_ENV]: "1" } : process.env;
  const child = spawn(argv[0], argv.slice(1), { stdio: ["ignore", "ignore", "pipe"], env });
  let stderr = "";
  child.stderr?.on("data", (chunk: Uint8Array) => (stderr += new TextDecoder().decode(chunk)));
  const exited = new Promise<number | null>((resolve) => {
    child.once("close", (code: number | null) => resolve(code));
    child.once("error", () => resolve(null));
  });
  const killer = setTimeout(() => child.kill("SIGKILL"), (total + 60) * 1000);
  try {
    await sleep(settleMs);
    const pid = child.pid ?? 0;
    const t0 = performance.now();
    const window = measureThreadCpu(pid);
    await sleep(seconds * 1000);
    const cpuNs = window.stop();
    const windowMs = performance.now() - t0;
    const code = await exited;
    let requests = NaN;
    try {
      requests = JSON.parse(readFileSync(file, "utf8")).snapshot.totalRequests;
    } catch {
      // The error says why.
    }
    const cpuPct = (cpuNs / 1e6 / windowMs) * 100;
    const error = code !== 0
      ? `exit ${code}: ${stderr.trim().split("\n").slice(-2).join(" | ")}`
      : Number.isFinite(cpuPct)
      ? ""
      : "no CPU reading (/proc)";
    return { cpuPct: error ? NaN : cpuPct, requests, error };
  } finally {
    clearTimeout(killer);
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}

/** wrk at about a given rate. */
export interface WrkAtRate {
  /** Requests per second wrk achieved. */
  rps: number;
  /** wrk's whole-process CPU / wall time, % of a core. */
  cpuPct: number;
  error: string;
}

/**
 * wrk with 50 connections, each waiting `50000 / rate` ms before a request,
 * pinned to `cpu`: about `rate` requests/s (a little less: the latency adds
 * to the delay). Its CPU over the whole run, start-up included.
 *
 * @example
 * ```ts
 * import { wrkAtRate } from "./overhead.ts";
 * console.log(await wrkAtRate("http://127.0.0.1:8080", 1000, 10));
 * ```
 */
export async function wrkAtRate(url: string, rate: number, seconds: number, cpu = 1): Promise<WrkAtRate> {
  const dir = mkdtempSync(join(tmpdir(), "lunge-wrk-"));
  try {
    const connections = 50;
    const script = writeWrkDelayScript(dir, Math.round((connections * 1000) / rate));
    const out = await runMeasured(
      "wrk",
      ["-t1", `-c${connections}`, `-d${seconds}s`, "-s", script, `${url}/`],
      { cpu, timeoutMs: (seconds + 60) * 1000 },
    );
    const requests = wrkRequests(out.stdout);
    if (out.code !== 0 || !(requests > 0)) {
      return { rps: NaN, cpuPct: NaN, error: `wrk exit ${out.code}: ${out.stderr.trim().slice(-200)}` };
    }
    return { rps: requests / seconds, cpuPct: (out.cpuS / out.wallS) * 100, error: "" };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
