/**
 * End-of-run probes for the leak verdicts: threads of this process (load
 * workers terminated?), client sockets still open to the target, and the
 * target's memory after a forced GC. Linux `/proc` based; `null` where it
 * cannot be read.
 *
 * @module
 */
import { listDirectory } from "../src/runtime/_directories.ts";
import { readTextFileOrNull } from "../src/runtime/files.ts";
import { countSockets, countSocketsInTable } from "../src/runtime/proc_net.ts";

/** Thread names of load workers: Bun names a worker's thread after the Worker (`lunge-load-N`), Deno `worker-N`. */
const WORKER_THREAD = /^(lunge-load-\d+|worker-\d+)$/;

/** TCP states (hex, as in `/proc/net/tcp`) of a socket that is still held open. */
const HELD_STATES = new Set(["01", "08"]); // ESTABLISHED, CLOSE_WAIT (the peer closed, we did not)

/**
 * Parses the `Threads:` line of a `/proc/<pid>/status` text.
 *
 * @example
 * ```ts
 * import { threadsInStatus } from "./probes.ts";
 * threadsInStatus("Name:\tbun\nThreads:\t12\n"); // 12
 * ```
 */
export function threadsInStatus(status: string): number | null {
  const match = /^Threads:\s+(\d+)$/m.exec(status);
  return match === null ? null : Number(match[1]);
}

/**
 * OS threads of this process now (each load worker runs on its own), or
 * null off Linux.
 *
 * @example
 * ```ts
 * import { threadCount } from "./probes.ts";
 * console.log(threadCount());
 * ```
 */
export function threadCount(): number | null {
  const status = readTextFileOrNull("/proc/self/status");
  return status === null ? null : threadsInStatus(status);
}

/**
 * Whether a thread name (`/proc/self/task/<tid>/comm`) is a load worker's.
 *
 * @example
 * ```ts
 * import { isWorkerThreadName } from "./probes.ts";
 * isWorkerThreadName("lunge-load-2"); // true (Bun)
 * isWorkerThreadName("worker-3"); // true (Deno)
 * isWorkerThreadName("JITWorker"); // false
 * ```
 */
export function isWorkerThreadName(name: string): boolean {
  return WORKER_THREAD.test(name.trim());
}

/**
 * Load-worker threads alive in this process now, or null off Linux.
 *
 * @example
 * ```ts
 * import { workerThreadCount } from "./probes.ts";
 * console.log(workerThreadCount()); // 0 outside a run
 * ```
 */
export function workerThreadCount(): number | null {
  const tids = listDirectory("/proc/self/task");
  if (tids === null) return null;
  let count = 0;
  for (const tid of tids) {
    const name = readTextFileOrNull(`/proc/self/task/${tid}/comm`);
    if (name !== null && isWorkerThreadName(name)) count++;
  }
  return count;
}

/**
 * Counts sockets of a `/proc/net/tcp`-format table whose REMOTE port is
 * `port` and that are still held open (ESTABLISHED or CLOSE_WAIT): the client
 * side of connections to a server on that port. TIME_WAIT is closed.
 *
 * @example
 * ```ts
 * import { countClientSocketsInTable } from "./probes.ts";
 * const table = "  sl  local_address rem_address   st\n" +
 *   "   0: 0100007F:C350 0100007F:1F90 01 ...\n";
 * countClientSocketsInTable(table, 8080); // 1
 * ```
 */
export function countClientSocketsInTable(table: string, port: number): number {
  return countSocketsInTable(table, port, "remote", HELD_STATES);
}

/**
 * Client sockets held open to `port` on this host (IPv4 and IPv6), or null
 * off Linux.
 *
 * @example
 * ```ts
 * import { clientSocketsTo } from "./probes.ts";
 * console.log(clientSocketsTo(8080));
 * ```
 */
export function clientSocketsTo(port: number): number | null {
  return countSockets(port, "remote", HELD_STATES);
}

/** Memory of a process, bytes. */
export interface MemoryReading {
  heapUsed: number;
  rss: number;
  external: number;
}

/** The answer of the target's `POST /__lunge/gc`. */
export interface TargetGcReading {
  /** Whether a GC really ran (Deno needs --expose-gc, e.g. via DENO_V8_FLAGS). */
  gc: boolean;
  memory: MemoryReading;
}

/**
 * Asks the built-in target at `baseUrl` to run a full GC and returns its
 * memory afterwards.
 *
 * @example
 * ```ts
 * import { targetGc } from "./probes.ts";
 * // const { gc, memory } = await targetGc(target.url);
 * ```
 */
export async function targetGc(baseUrl: string): Promise<TargetGcReading> {
  let response = await fetch(`${baseUrl}/__lunge/gc`, { method: "POST" });
  // The target forces at most one GC a second: wait for the next slot.
  for (let i = 0; i < 3 && response.status === 429; i++) {
    await response.text();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    response = await fetch(`${baseUrl}/__lunge/gc`, { method: "POST" });
  }
  const text = await response.text();
  if (!response.ok) throw new Error(`target GC failed: ${response.status} ${text.slice(0, 200)}`);
  return JSON.parse(text) as TargetGcReading;
}

/**
 * Polls `probe` until `done` accepts its value or `timeoutMs` passes; returns
 * the last value and how long it took.
 *
 * @example
 * ```ts
 * import { waitFor } from "./probes.ts";
 * const r = await waitFor(() => Promise.resolve(0), (n) => n === 0, 5000);
 * r.value; // 0
 * ```
 */
export async function waitFor<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  everyMs = 100,
): Promise<{ value: T; ms: number; settled: boolean }> {
  const start = performance.now();
  for (;;) {
    const value = await probe();
    const ms = performance.now() - start;
    if (done(value)) return { value, ms, settled: true };
    if (ms >= timeoutMs) return { value, ms, settled: false };
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
