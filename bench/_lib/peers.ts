/**
 * Peers side by side against one nginx (1 worker, access log off): wrk,
 * h2load --h1, autocannon and lunge (the CLI on the runtime the bench runs
 * on), each at the same concurrency for the same time, in interleaved rounds
 * (the order rotates every round) so a change in the machine's load weighs on
 * every client alike. Where taskset exists nginx is pinned to CPU 0 and each
 * client to CPU 1.
 *
 * The figure is requests per client CPU-second in each run's steady window
 * (`peer_window.ts`: requests counted by nginx, client CPU from /proc, after
 * a warm-up and before the end), the same way for every client; the median
 * over the rounds is reported, and lunge's ratio to a peer is the median of
 * the per-round ratios. Beside it: the whole run (the client's own count over
 * its whole CPU, start-up included, from the kernel's accounting), and the
 * fixed CPU that start-up, warm-up and shut-down cost beyond the steady rate.
 *
 * @module
 */
import { runtimeName } from "../../src/runtime/mod.ts";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { measureSteadyWindow, type SteadyWindow } from "./peer_window.ts";
import { type MeasuredCommand, runMeasured } from "./process_cpu.ts";

/** One run of one client. */
export interface PeerRun {
  round: number;
  /** Successful responses the client counted over its whole run. */
  requests: number;
  /** Client CPU of the whole run (user + system, process tree), s. */
  cpuS: number;
  /** Wall time of the client process, s. */
  wallS: number;
  /** The steady window, or null (then `error` says why). */
  steady: SteadyWindow | null;
  /** Requests per client CPU-second over the whole run, start-up included. */
  wholePerCpuS: number;
  /** CPU beyond the steady cost of the requests made: start-up, warm-up, shut-down, s. */
  fixedCpuS: number;
  /** Why the run has no figures; empty when fine. */
  error: string;
}

/** One client's outcome over the rounds (medians of the runs that worked). */
export interface PeerRow {
  /** "wrk", "h2load --h1", "autocannon -w N", "lunge (bun, -w N)". */
  name: string;
  runs: PeerRun[];
  /** Requests per client CPU-second in the steady window. */
  perCpuS: number;
  /** Requests per client CPU-second over the whole run. */
  wholePerCpuS: number;
  /** Requests per second in the steady window (nginx's count). */
  rps: number;
  /** Client CPU in the steady window, % of one core. */
  clientCorePct: number;
  /** nginx CPU in the steady window, % of one core. */
  serverCorePct: number;
  /** CPU of start-up, warm-up and shut-down, s. */
  fixedCpuS: number;
  /** Why no run worked; empty when at least one did. */
  error: string;
}

/** Options of {@linkcode runPeers}. */
export interface PeersOptions {
  /** nginx URL, e.g. `http://127.0.0.1:8080`; nginx must serve `STUB_STATUS_CONFIG`. */
  url: string;
  /** nginx's master pid (its CPU is shown beside each window). */
  serverPid: number;
  /** Connections of every client (default 100). */
  connections?: number;
  /** Load duration per run, s (default 4). */
  seconds?: number;
  /** Warm-up before the steady window, s (default 1). */
  warmS?: number;
  /** Interleaved rounds (default 3). */
  rounds?: number;
  /** lunge's load workers, and autocannon's `-w` (default 1: one pinned core). */
  workers?: number;
  /** CPU for the clients (default 1; taskset only where it exists). */
  cpu?: number;
  /**
   * Another lunge checkout (its root directory) to run as one more client in
   * the same rounds, for an A/B of two versions (default none).
   */
  compareWith?: string;
  /** The peers that run beside lunge (default all three); lunge's ratios need wrk. */
  peers?: ReadonlyArray<PeerName>;
  /** Whether this checkout's plain lunge runs (default true). */
  plainLunge?: boolean;
  /**
   * More lunge clients in the same rounds, each with its name, extra CLI
   * arguments and environment (e.g. the speed gate's slowed control).
   */
  lungeVariants?: ReadonlyArray<LungeVariant>;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** The peers {@linkcode runPeers} knows. */
export type PeerName = "wrk" | "h2load" | "autocannon";

/** One more lunge client of {@linkcode PeersOptions.lungeVariants}. */
export interface LungeVariant {
  /** Row name, e.g. "lunge (bun, -w 1) slowed x2". */
  name: string;
  /** CLI arguments after lunge's own (`run URL -c C -d Ns -w W -q`). */
  args?: string[];
  /** Extra environment of the lunge process. */
  env?: Record<string, string>;
  /** A scenario file run against the URL (`lunge run <scenario> <url> ...`), instead of plain requests. */
  scenario?: string;
}

const CLI = decodeURIComponent(new URL("../../cli.ts", import.meta.url).pathname);
const AUTOCANNON = decodeURIComponent(
  new URL("../../node_modules/autocannon/autocannon.js", import.meta.url).pathname,
);

/**
 * The command that runs the lunge CLI (this checkout's, or `cli`) on this runtime.
 *
 * @example
 * ```ts
 * import { lungeCommand } from "./peers.ts";
 * const { command, args } = lungeCommand(["run", "builtin", "-d", "1s"]);
 * console.log(command, args.join(" "));
 * ```
 */
export function lungeCommand(cliArgs: string[], cli: string = CLI): { command: string; args: string[] } {
  const args = runtimeName === "deno" ? ["run", "-A", cli, ...cliArgs] : [cli, ...cliArgs];
  return { command: process.execPath, args };
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

function lungeRequests(file: string): number {
  try {
    return Number(JSON.parse(readFileSync(file, "utf8")).snapshot.successfulRequests);
  } catch {
    return NaN; // Reported through the run's error.
  }
}

/** A client: its name, its command, and how to read its own count of successes. */
interface Client {
  name: string;
  command: string;
  args: string[];
  requests: (out: MeasuredCommand) => number;
  env?: Record<string, string>;
}

/** A lunge client writing its result to `file`, from this checkout or from `cli`. */
function lungeClient(name: string, cliArgs: string[], file: string, cli?: string): Client {
  const lunge = lungeCommand([...cliArgs, "--json", file], cli);
  return {
    name,
    command: lunge.command,
    args: lunge.args,
    requests: () => {
      const n = lungeRequests(file);
      rmSync(file, { force: true });
      return n;
    },
  };
}

function clients(
  url: string,
  c: number,
  s: number,
  workers: number,
  dir: string,
  options: PeersOptions,
): Client[] {
  const compare = options.compareWith ?? "";
  const peers = options.peers ?? ["wrk", "h2load", "autocannon"];
  const lungeArgs = ["run", url, "-c", String(c), "-d", `${s}s`, "-w", String(workers), "-q"];
  const all: Client[] = [
    {
      name: "wrk",
      command: "wrk",
      args: ["-t1", `-c${c}`, `-d${s}s`, url],
      requests: (o) => wrkRequests(o.stdout),
    },
    {
      name: "h2load --h1",
      command: "h2load",
      args: ["--h1", "-t1", `-c${c}`, "-D", String(s), url],
      requests: (o) => h2loadRequests(o.stdout),
    },
    {
      name: `autocannon -w ${workers}`,
      command: "node",
      args: [AUTOCANNON, "-c", String(c), "-d", String(s), "-w", String(workers), "--json", url],
      requests: (o) => autocannonRequests(o.stdout),
    },
  ];
  const list = all.filter((client) => peers.some((p) => client.name.startsWith(p)));
  if (options.plainLunge !== false) {
    list.push(lungeClient(`lunge (${runtimeName}, -w ${workers})`, lungeArgs, join(dir, "result.json")));
  }
  (options.lungeVariants ?? []).forEach((variant, i) => {
    const args = variant.scenario === undefined
      ? lungeArgs
      : [lungeArgs[0], variant.scenario, ...lungeArgs.slice(1)];
    const client = lungeClient(variant.name, [...args, ...(variant.args ?? [])], join(dir, `v${i}.json`));
    list.push({ ...client, env: variant.env });
  });
  if (compare !== "") {
    list.push(
      lungeClient(
        `lunge (${runtimeName}, -w ${workers}) from ${compare}`,
        lungeArgs,
        join(dir, "compare.json"),
        join(compare, "cli.ts"),
      ),
    );
  }
  return list;
}

async function runOnce(client: Client, round: number, options: PeersOptions, s: number): Promise<PeerRun> {
  let root = 0;
  let exited = false;
  const running = runMeasured(client.command, client.args, {
    cpu: options.cpu ?? 1,
    env: client.env,
    timeoutMs: (s + 60) * 1000,
    onSpawn: (pid) => (root = pid),
  }).finally(() => (exited = true));
  const steady = await measureSteadyWindow({
    url: options.url,
    serverPid: options.serverPid,
    clientRoot: root,
    seconds: s,
    warmS: options.warmS ?? 1,
    tailS: 0.75,
    exited: () => exited,
  });
  const out = await running;
  const requests = client.requests(out);
  const window = typeof steady === "string" ? null : steady;
  let error = typeof steady === "string" ? steady : "";
  if (out.code !== 0) error = `exit ${out.code}: ${out.stderr.trim().split("\n").slice(-2).join(" | ")}`;
  else if (!(requests > 0)) error = "no requests counted";
  const failed = error !== "";
  return {
    round,
    requests: failed ? NaN : requests,
    cpuS: out.cpuS,
    wallS: out.wallS,
    steady: failed ? null : window,
    wholePerCpuS: failed ? NaN : requests / out.cpuS,
    fixedCpuS: failed || window === null ? NaN : out.cpuS - requests / window.perCpuS,
    error,
  };
}

/**
 * The median of the finite values (NaN when there is none).
 *
 * @example
 * ```ts
 * import { median } from "./peers.ts";
 * median([3, 1, NaN, 2]); // 2
 * ```
 */
export function median(values: number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

function summarize(name: string, runs: PeerRun[]): PeerRow {
  const ok = runs.filter((r) => r.error === "");
  const of = (f: (w: SteadyWindow) => number): number => median(ok.map((r) => f(r.steady!)));
  return {
    name,
    runs,
    perCpuS: of((w) => w.perCpuS),
    wholePerCpuS: median(ok.map((r) => r.wholePerCpuS)),
    rps: of((w) => w.requests / w.wallS),
    clientCorePct: of((w) => w.clientCorePct),
    serverCorePct: of((w) => w.serverCorePct),
    fixedCpuS: median(ok.map((r) => r.fixedCpuS)),
    error: ok.length > 0 ? "" : runs.map((r) => r.error).find((e) => e !== "") ?? "no run",
  };
}

/**
 * The per-round ratios `a / b` of the steady figure (NaN where either run failed).
 *
 * @example
 * ```ts
 * import { roundRatios, type PeerRow } from "./peers.ts";
 * declare const lunge: PeerRow, wrk: PeerRow;
 * console.log(roundRatios(lunge, wrk));
 * ```
 */
export function roundRatios(a: PeerRow, b: PeerRow): number[] {
  return a.runs.map((run, i) =>
    run.steady !== null && b.runs[i]?.steady ? run.steady.perCpuS / b.runs[i].steady!.perCpuS : NaN
  );
}

/**
 * Runs every client against `url` in interleaved rounds and returns one row
 * each (a missing tool gives a row with `error` set, never an exception).
 *
 * @example
 * ```ts
 * import { startNginx } from "./nginx.ts";
 * import { STUB_STATUS_CONFIG } from "./peer_window.ts";
 * import { runPeers } from "./peers.ts";
 * const nginx = await startNginx({ cpu: 0, serverConfig: STUB_STATUS_CONFIG });
 * const rows = await runPeers({ url: nginx.url, serverPid: nginx.pid, seconds: 4, rounds: 3 });
 * await nginx.stop();
 * console.log(rows.map((r) => `${r.name}: ${Math.round(r.perCpuS)} req/CPU-s`).join("\n"));
 * ```
 */
export async function runPeers(options: PeersOptions): Promise<PeerRow[]> {
  const c = options.connections ?? 100;
  const s = options.seconds ?? 4;
  const rounds = options.rounds ?? 3;
  const workers = options.workers ?? 1;
  const log = options.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), "lunge-peers-"));
  try {
    const list = clients(`${options.url}/`, c, s, workers, dir, options);
    // nginx's first seconds (page faults, cold caches) would weigh on whichever client comes first.
    await runMeasured("wrk", ["-t1", `-c${c}`, "-d1s", `${options.url}/`], { cpu: options.cpu ?? 1 });
    const runs: PeerRun[][] = list.map(() => []);
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < list.length; k++) {
        const i = (round + k) % list.length; // the order rotates every round
        const run = await runOnce(list[i], round, options, s);
        runs[i].push(run);
        log(describeRun(list[i].name, run));
      }
    }
    // Runs listed by round, whatever order they ran in.
    for (const r of runs) r.sort((a, b) => a.round - b.round);
    return list.map((client, i) => summarize(client.name, runs[i]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function describeRun(name: string, run: PeerRun): string {
  const w = run.steady;
  if (run.error !== "" || w === null) return `round ${run.round + 1}: ${name}: ${run.error}`;
  return `round ${run.round + 1}: ${name}: steady ${Math.round(w.requests / w.wallS)} req/s, ${
    Math.round(w.perCpuS)
  } req/CPU-s (client ${w.clientCorePct.toFixed(0)}% of a core, nginx ${w.serverCorePct.toFixed(0)}%, ${
    bottleneck(w)
  }); whole run ${Math.round(run.wholePerCpuS)} req/CPU-s, fixed CPU ${run.fixedCpuS.toFixed(2)} s`;
}

/** A full core, give or take the accounting's granularity and the odd interrupt. */
const FULL_CORE_PCT = 90;

/**
 * Which side limited a steady window. Requests per client CPU-second compare
 * per-request costs only when the client is the bottleneck: a client that
 * waits for nginx (or for a busy machine) wakes up for fewer responses at a
 * time and pays its per-wake-up cost on fewer requests.
 *
 * @example
 * ```ts
 * import { bottleneck } from "./peers.ts";
 * bottleneck({ clientCorePct: 99, serverCorePct: 80 }); // "client-bound"
 * ```
 */
export function bottleneck(w: Pick<SteadyWindow, "clientCorePct" | "serverCorePct">): string {
  if (w.clientCorePct >= FULL_CORE_PCT) return "client-bound";
  if (w.serverCorePct >= FULL_CORE_PCT) return "nginx-bound";
  return "machine busy: neither had a full core";
}

/**
 * A wrk Lua script that waits `delayMs` before each request: with C
 * connections wrk then sends at most C * 1000 / delayMs requests/s (wrk2,
 * wrk's fixed-rate fork, is not packaged). wrk starts its connections
 * together and a fixed delay keeps them in phase, so the requests go in
 * bursts of C. With `spread`, each delay is drawn evenly from 0 to
 * 2 × `delayMs` (the same mean): the connections drift apart and the
 * requests arrive spread out, as in an open model.
 *
 * @example
 * ```ts
 * import { writeWrkDelayScript } from "./peers.ts";
 * const file = writeWrkDelayScript("/tmp", 10, true);
 * console.log(file);
 * ```
 */
export function writeWrkDelayScript(dir: string, delayMs: number, spread = false): string {
  const file = join(dir, "delay.lua");
  const delay = spread ? `math.random(0, ${2 * delayMs})` : String(delayMs);
  writeFileSync(file, `function delay()\n  return ${delay}\nend\n`);
  return file;
}

export { wrkRequests };
