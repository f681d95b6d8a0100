/**
 * Peers side by side against one nginx (1 worker, access log off): wrk,
 * h2load --h1, autocannon and lunge (the CLI on the runtime the bench runs
 * on), one after the other, each at the same concurrency for the same time.
 * Where taskset exists nginx is pinned to CPU 0 and each client to CPU 1.
 * The figure is requests per client CPU-second: the client's whole process
 * tree, start-up included, from the kernel's accounting (`runMeasured`);
 * beside it the same with the CPU of a one-request run of the same client
 * taken out (a runtime's start-up weighs on a 5-second run).
 *
 * @module
 */
import { runtimeName } from "../../src/runtime/mod.ts";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { type MeasuredCommand, runMeasured } from "./process_cpu.ts";

/** One client's outcome. */
export interface PeerRow {
  /** "wrk", "h2load --h1", "autocannon -w N", "lunge (bun)". */
  name: string;
  /** Successful responses counted by the client. */
  requests: number;
  /** Client CPU (user + system), s. */
  cpuS: number;
  /** Wall time of the client process, s. */
  wallS: number;
  /** Requests per wall second over the load duration. */
  rps: number;
  /** Requests per client CPU-second. */
  perCpuS: number;
  /** CPU of the same client for one request, s: its start-up and exit (0 for wrk and h2load, a few ms). */
  startupCpuS: number;
  /** Requests per client CPU-second with the start-up CPU taken out. */
  perCpuSteady: number;
  /** Why the row has no figures (the tool is missing or failed); empty when fine. */
  error: string;
}

/** Options of {@linkcode runPeers}. */
export interface PeersOptions {
  /** nginx URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** Connections of every client (default 100). */
  connections?: number;
  /** Load duration per client, s (default 5). */
  seconds?: number;
  /** lunge's load workers, and autocannon's `-w` (default 1: one pinned core). */
  workers?: number;
  /** CPU for the clients (default 1; taskset only where it exists). */
  cpu?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

const CLI = decodeURIComponent(new URL("../../cli.ts", import.meta.url).pathname);
const AUTOCANNON = decodeURIComponent(
  new URL("../../node_modules/autocannon/autocannon.js", import.meta.url).pathname,
);

/**
 * The command that runs the lunge CLI on this runtime.
 *
 * @example
 * ```ts
 * import { lungeCommand } from "./peers.ts";
 * const { command, args } = lungeCommand(["run", "builtin", "-d", "1s"]);
 * console.log(command, args.join(" "));
 * ```
 */
export function lungeCommand(cliArgs: string[]): { command: string; args: string[] } {
  const args = runtimeName === "deno" ? ["run", "-A", CLI, ...cliArgs] : [CLI, ...cliArgs];
  return { command: process.execPath, args };
}

function row(
  name: string,
  out: MeasuredCommand,
  requests: number,
  seconds: number,
  startupCpuS = 0,
  error = "",
): PeerRow {
  const failed = error !== "" || out.code !== 0 || !(requests > 0);
  const why = error ||
    (out.code !== 0
      ? `exit ${out.code}: ${out.stderr.trim().split("\n").slice(-2).join(" | ")}`
      : "no requests counted");
  return {
    name,
    requests: failed ? NaN : requests,
    cpuS: out.cpuS,
    wallS: out.wallS,
    rps: failed ? NaN : requests / seconds,
    perCpuS: failed ? NaN : requests / out.cpuS,
    startupCpuS,
    perCpuSteady: failed ? NaN : requests / (out.cpuS - startupCpuS),
    error: failed ? why : "",
  };
}

/** `N requests in 5.00s` (wrk's summary line), minus non-2xx responses. */
function wrkRequests(stdout: string): number {
  const total = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? NaN);
  const bad = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
  return total - bad;
}

/** h2load's `requests: N total, N started, N done, N succeeded, ...`. */
function h2loadRequests(stdout: string): number {
  return Number(/requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded/.exec(stdout)?.[1] ?? NaN);
}

function autocannonRequests(stdout: string): number {
  try {
    const json = JSON.parse(stdout.trim().split("\n").filter((l) => l.startsWith("{")).pop() ?? "");
    return Number(json["2xx"] ?? json.requests.total);
  } catch {
    return NaN;
  }
}

/**
 * Runs every client against `url` in turn and returns one row each (a
 * missing tool gives a row with `error` set, never an exception).
 *
 * @example
 * ```ts
 * import { startNginx } from "./nginx.ts";
 * import { runPeers } from "./peers.ts";
 * const nginx = await startNginx({ cpu: 0 });
 * const rows = await runPeers({ url: nginx.url, seconds: 5 });
 * await nginx.stop();
 * console.log(rows.map((r) => `${r.name}: ${Math.round(r.perCpuS)} req/CPU-s`).join("\n"));
 * ```
 */
export async function runPeers(options: PeersOptions): Promise<PeerRow[]> {
  const c = options.connections ?? 100;
  const s = options.seconds ?? 5;
  const workers = options.workers ?? 1;
  const cpu = options.cpu ?? 1;
  const url = `${options.url}/`;
  const log = options.log ?? (() => {});
  const rows: PeerRow[] = [];
  const timeoutMs = (s + 60) * 1000;

  const wrk = await runMeasured("wrk", ["-t1", `-c${c}`, `-d${s}s`, url], { cpu, timeoutMs });
  rows.push(row("wrk", wrk, wrkRequests(wrk.stdout), s));
  const h2 = await runMeasured("h2load", ["--h1", "-t1", `-c${c}`, "-D", String(s), url], { cpu, timeoutMs });
  rows.push(row("h2load --h1", h2, h2loadRequests(h2.stdout), s));
  const ac = await runMeasured(
    "node",
    [AUTOCANNON, "-c", String(c), "-d", String(s), "-w", String(workers), "--json", url],
    { cpu, timeoutMs },
  );
  const acOnce = await runMeasured(
    "node",
    [AUTOCANNON, "-c", "1", "-a", "1", "-w", String(workers), "--json", url],
    { cpu, timeoutMs },
  );
  rows.push(row(`autocannon -w ${workers}`, ac, autocannonRequests(ac.stdout), s, acOnce.cpuS));

  const dir = mkdtempSync(join(tmpdir(), "lunge-peers-"));
  try {
    const file = join(dir, "result.json");
    const cmd = lungeCommand([
      "run",
      url,
      "-c",
      String(c),
      "-d",
      `${s}s`,
      "-w",
      String(workers),
      "-q",
      "--json",
      file,
    ]);
    const lunge = await runMeasured(cmd.command, cmd.args, { cpu, timeoutMs });
    let requests = NaN;
    try {
      const result = JSON.parse(readFileSync(file, "utf8"));
      requests = result.snapshot.successfulRequests;
    } catch {
      // Reported through the row's error.
    }
    const once = lungeCommand(["run", url, "-c", "1", "-n", "1", "-w", String(workers), "-q"]);
    const lungeOnce = await runMeasured(once.command, once.args, { cpu, timeoutMs });
    rows.push(row(`lunge (${runtimeName}, -w ${workers})`, lunge, requests, s, lungeOnce.cpuS));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const r of rows) {
    log(
      r.error
        ? `${r.name}: ${r.error}`
        : `${r.name}: ${Math.round(r.rps)} req/s, ${r.cpuS.toFixed(2)} CPU-s (start-up ${
          r.startupCpuS.toFixed(2)
        }), ${Math.round(r.perCpuS)} req/CPU-s, ${Math.round(r.perCpuSteady)} without start-up`,
    );
  }
  return rows;
}

/**
 * A wrk Lua script that waits `delayMs` before each request: with C
 * connections wrk then sends at most C * 1000 / delayMs requests/s (wrk2,
 * wrk's fixed-rate fork, is not packaged).
 *
 * @example
 * ```ts
 * import { writeWrkDelayScript } from "./peers.ts";
 * const file = writeWrkDelayScript("/tmp", 10);
 * console.log(file);
 * ```
 */
export function writeWrkDelayScript(dir: string, delayMs: number): string {
  const file = join(dir, "delay.lua");
  writeFileSync(file, `function delay()\n  return ${delayMs}\nend\n`);
  return file;
}

export { wrkRequests };
