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
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { NOOP_WRITER_ENV } from "../../src/collector/_noop_writer.ts";
import { childCpuInWindow } from "./child_cpu_window.ts";
import { lungeCommand, writeWrkDelayScript, wrkRequests } from "./peers.ts";
import { runMeasured } from "./process_cpu.ts";

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
  /** Variables to add to lunge's environment (e.g. `LUNGE_DENO_SOCKETS`). */
  env?: Record<string, string>;
  /** Root of another lunge checkout to run instead of this one (an A/B); default this one. */
  checkout?: string;
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
  const cmd = options.checkout === undefined
    ? lungeCommand(cli)
    : lungeCommand(cli, join(options.checkout, "cli.ts"));
  const env = { ...process.env, ...options.env, ...(options.noopWriter ? { [NOOP_WRITER_ENV]: "1" } : {}) };
  try {
    const w = await childCpuInWindow({
      argv: [cmd.command, ...cmd.args],
      settleMs,
      seconds,
      cpu: options.cpu,
      env,
    });
    let requests = NaN;
    try {
      requests = JSON.parse(readFileSync(file, "utf8")).snapshot.totalRequests;
    } catch {
      // The error says why.
    }
    // A run that sent fewer than its schedule measured a lower rate than asked (one arrival of slack
    // for where the last one falls against the end). No-op writers count nothing, so there is no count.
    const planned = Math.floor(options.rate * total);
    const error = w.code !== 0
      ? `exit ${w.code}: ${w.stderrTail}`
      : !Number.isFinite(w.cpuPct)
      ? "no CPU reading (/proc)"
      : !options.noopWriter && !(requests >= planned - 1)
      ? `lunge sent ${requests} of ${planned} requests`
      : "";
    return { cpuPct: error ? NaN : w.cpuPct, requests, error };
  } finally {
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
 * to the delay). Its CPU over the whole run, start-up included. The
 * connections stay in phase, so wrk sends bursts of 50 and wakes about
 * rate / 50 times a second; with `spread` each delay is random (same mean)
 * and the arrivals spread out (see `writeWrkDelayScript`).
 *
 * @example
 * ```ts
 * import { wrkAtRate } from "./overhead.ts";
 * console.log(await wrkAtRate("http://127.0.0.1:8080", 1000, 10));
 * ```
 */
export async function wrkAtRate(
  url: string,
  rate: number,
  seconds: number,
  options: { cpu?: number; spread?: boolean } = {},
): Promise<WrkAtRate> {
  const dir = mkdtempSync(join(tmpdir(), "lunge-wrk-"));
  try {
    const connections = 50;
    const script = writeWrkDelayScript(dir, Math.round((connections * 1000) / rate), options.spread);
    const out = await runMeasured(
      "wrk",
      ["-t1", `-c${connections}`, `-d${seconds}s`, "-s", script, `${url}/`],
      { cpu: options.cpu ?? 1, timeoutMs: (seconds + 60) * 1000 },
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
