/**
 * A client's steady state, measured from outside and the same way for every
 * client: requests counted by the server (nginx's `stub_status`), client CPU
 * summed over the client's process tree from /proc, both read at the start
 * and the end of a window that opens once the load is flowing plus a warm-up
 * and closes before the client's planned end. Start-up, JIT warm-up and
 * shut-down fall outside the window; what they cost is reported apart, as
 * the whole run's CPU minus the steady cost of the requests it made.
 *
 * Dev tooling: `node:*` modules, which Deno, Bun and Node all provide.
 *
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";
import { processCpuNs, statFields } from "./process_cpu.ts";

/** The path of nginx's request counter in the peers' nginx. */
export const STUB_STATUS_PATH = "/__nginx_status";

/** The `server { }` directive that serves {@linkcode STUB_STATUS_PATH}. */
export const STUB_STATUS_CONFIG = `location = ${STUB_STATUS_PATH} { stub_status; }`;

/**
 * Requests nginx has read so far (the third number of `stub_status`), or NaN.
 *
 * @example
 * ```ts
 * import { startNginx } from "./nginx.ts";
 * import { nginxServed, STUB_STATUS_CONFIG } from "./peer_window.ts";
 * const nginx = await startNginx({ serverConfig: STUB_STATUS_CONFIG });
 * console.log(await nginxServed(nginx.url));
 * await nginx.stop();
 * ```
 */
export async function nginxServed(url: string): Promise<number> {
  try {
    const text = await (await fetch(`${url}${STUB_STATUS_PATH}`)).text();
    // "Active connections: N\nserver accepts handled requests\n A H R\n..."
    return Number(text.split("\n")[2]?.trim().split(/\s+/)[2] ?? NaN);
  } catch {
    return NaN;
  }
}

/**
 * `root` and every process below it, from the parent ids in /proc.
 *
 * @example
 * ```ts
 * import process from "node:process";
 * import { processTree } from "./peer_window.ts";
 * console.log(processTree(process.pid));
 * ```
 */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const ppid = Number(statFields(readFileSync(`/proc/${pid}/stat`, "utf8"))[1]);
      const list = children.get(ppid);
      if (list === undefined) children.set(ppid, [pid]);
      else list.push(pid);
    } catch {
      // Gone between the listing and the read.
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

/** CPU (ns) of `pids` so far, all threads; NaN when the first one (the root) is gone. */
function cpuNs(pids: number[]): number {
  let total = 0;
  for (let i = 0; i < pids.length; i++) {
    const ns = processCpuNs(pids[i]);
    if (Number.isNaN(ns)) {
      if (i === 0) return NaN;
      continue;
    }
    total += ns;
  }
  return total;
}

/** A client's steady window. */
export interface SteadyWindow {
  /** Requests nginx served in the window. */
  requests: number;
  /** Client CPU in the window, s. */
  cpuS: number;
  /** Window length, s. */
  wallS: number;
  /** Requests per client CPU-second in the window. */
  perCpuS: number;
  /** Client CPU in the window, % of one core (near 100: the client is the bottleneck). */
  clientCorePct: number;
  /** nginx's CPU in the window, % of one core (near 100: nginx is the bottleneck). */
  serverCorePct: number;
}

/** Options of {@linkcode measureSteadyWindow}. */
export interface SteadyWindowOptions {
  /** nginx's URL (its `stub_status` counts the requests). */
  url: string;
  /** nginx's master pid (its workers are below it). */
  serverPid: number;
  /** The pid whose process tree is the client (e.g. the shell `runMeasured` wraps it in). */
  clientRoot: number;
  /** The client's planned load duration, s. */
  seconds: number;
  /** Time after the load starts flowing before the window opens, s. */
  warmS: number;
  /** Time before the client's planned end at which the window closes, s. */
  tailS: number;
  /** Whether the client has exited (the window is then void). */
  exited: () => boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits for the load to flow (nginx's count rises by 500), then measures the
 * steady window. Returns the window, or why there is none.
 *
 * @example
 * ```ts
 * import { measureSteadyWindow } from "./peer_window.ts";
 * import { runMeasured } from "./process_cpu.ts";
 * // nginx started with STUB_STATUS_CONFIG, `url` and `pid` from its handle:
 * const url = "http://127.0.0.1:8080", pid = 1234;
 * let root = 0, done = false;
 * const run = runMeasured("wrk", ["-c100", "-d4s", `${url}/`], { onSpawn: (p) => (root = p) })
 *   .finally(() => (done = true));
 * const window = await measureSteadyWindow({
 *   url, serverPid: pid, clientRoot: root, seconds: 4, warmS: 1, tailS: 0.5, exited: () => done,
 * });
 * console.log(window, await run);
 * ```
 */
export async function measureSteadyWindow(options: SteadyWindowOptions): Promise<SteadyWindow | string> {
  const base = await nginxServed(options.url);
  if (Number.isNaN(base)) return "nginx's stub_status did not answer";
  const giveUp = performance.now() + 60_000;
  let flowing = false;
  // The load started after the last poll that saw none: on a busy machine a poll can take a
  // while, and the window must close before the client's own end whatever the lag.
  let loadStart = performance.now();
  while (!flowing) {
    if (options.exited()) return "the client exited before its load started";
    if (performance.now() > giveUp) return "no load reached nginx within 60 s";
    await sleep(20);
    const asked = performance.now();
    flowing = (await nginxServed(options.url)) - base >= 500;
    if (!flowing) loadStart = asked;
  }
  await sleep(options.warmS * 1000);
  const clientPids = processTree(options.clientRoot);
  const serverPids = processTree(options.serverPid);
  // CPU, then the count, at both ends: the small gap between the reads cancels out.
  const c0 = cpuNs(clientPids);
  const s0 = cpuNs(serverPids);
  const t0 = performance.now();
  const r0 = await nginxServed(options.url);
  await sleep(Math.max(0, loadStart + (options.seconds - options.tailS) * 1000 - performance.now()));
  const c1 = cpuNs(clientPids);
  const s1 = cpuNs(serverPids);
  const t1 = performance.now();
  const r1 = await nginxServed(options.url);
  if (options.exited() || Number.isNaN(c1)) return "the client exited inside the window";
  const cpuS = (c1 - c0) / 1e9;
  // A client the host starved for the whole window would read an infinite rate per CPU-second.
  if (!(cpuS > 0)) return "the client had no CPU in the window (the machine is too busy)";
  const wallS = (t1 - t0) / 1000;
  const requests = r1 - r0;
  return {
    requests,
    cpuS,
    wallS,
    perCpuS: requests / cpuS,
    clientCorePct: (100 * cpuS) / wallS,
    serverCorePct: (100 * (s1 - s0)) / 1e9 / wallS,
  };
}
