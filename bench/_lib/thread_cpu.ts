/**
 * CPU a running process uses over a window, every thread counted, those that
 * start and end inside the window included. Bun starts and ends
 * garbage-collector threads all the time: reading the live threads twice
 * loses what the ended ones used, and the process's own total
 * (/proc/<pid>/stat) is in 10 ms ticks, too coarse for an idle run. So the
 * threads are read every `everyMs` and each one's last reading counts; what a
 * thread used after its last reading is lost (a few ms at most). Linux only.
 *
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";

/** A window being measured; `stop()` ends it. */
export interface ThreadCpuWindow {
  /** Ends the window: CPU used in it (ns, every thread), NaN if the process was gone at the start. */
  stop(): number;
}

function threadNs(pid: number, tid: string): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
  } catch {
    return NaN; // ended between the listing and the read
  }
}

/**
 * Starts measuring `pid`'s CPU, all threads, from now until `stop()`.
 *
 * @example
 * ```ts
 * import { measureThreadCpu } from "./thread_cpu.ts";
 * const w = measureThreadCpu(1234);
 * // ... 10 s later ...
 * console.log(w.stop() / 1e7, "% of a core over 10 s");
 * ```
 */
export function measureThreadCpu(pid: number, everyMs = 50): ThreadCpuWindow {
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  let gone = false;
  const read = (initial: boolean): void => {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      if (initial) gone = true;
      return;
    }
    for (const tid of tids) {
      const ns = threadNs(pid, tid);
      if (!Number.isFinite(ns)) continue;
      // A thread born inside the window counts from zero.
      if (!first.has(tid)) first.set(tid, initial ? ns : 0);
      last.set(tid, ns);
    }
  };
  read(true);
  const timer = setInterval(() => read(false), everyMs);
  return {
    stop(): number {
      clearInterval(timer);
      read(false);
      if (gone) return NaN;
      let total = 0;
      for (const [tid, ns] of last) total += ns - (first.get(tid) ?? 0);
      return total;
    },
  };
}
