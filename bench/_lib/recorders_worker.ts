/**
 * Benchmark worker with many concurrent async recorders: each recorder is an
 * async loop that records once per resume (as a virtual user records once per
 * response), so one worker thread interleaves hundreds or thousands of them
 * on its lane (atomic) or on the one mutex (legacy).
 *
 * A recorder records `batch` times per resume (1 by default).
 *
 * Modes:
 * - "greedy": the worker's recorders share `records` and go as fast as they can.
 * - "paced": open model: arrivals at `rate` per second for `durationMs`; each
 *   due arrival is recorded by the next free recorder; what is not recorded by
 *   the deadline was not held.
 *
 * Message in: RecordersJob. Message out: { ms, recorded }.
 */
import { attachCollector } from "../../src/collector/create.ts";
import type { CollectorHandle } from "../../src/collector/types.ts";

/** The job of one worker. */
export interface RecordersJob {
  handle: CollectorHandle;
  mode: "greedy" | "paced";
  recorders: number;
  /** greedy: records this worker makes in total. */
  records: number;
  /** paced: arrivals per second for this worker. */
  rate: number;
  /** paced: how long the arrivals go on. */
  durationMs: number;
  /** Records per resume of a recorder (1: one per await, as one response per wake-up). */
  batch: number;
  /** Int32 flags: [0] workers ready, [1] start. */
  control: SharedArrayBuffer;
}

// Integer nanoseconds through recordNs, as the load engine records (no float boxing on V8).
const DURATIONS = new Int32Array(1024).map((_, i) => Math.round((0.2 + (i % 97) * 0.37) * 1e6));

self.onmessage = async (event: MessageEvent<RecordersJob>) => {
  const job = event.data;
  const flags = new Int32Array(job.control);
  const writer = attachCollector(job.handle);
  for (let i = 0; i < 50_000; i++) writer.recordNs(200, DURATIONS[i & 1023], 128, 0, -1); // warm the JIT
  Atomics.add(flags, 0, 1);
  Atomics.notify(flags, 0);
  Atomics.wait(flags, 1, 0); // all workers start together
  const t0 = performance.now();
  const batch = Math.max(1, job.batch);
  let recorded = 0;
  if (job.mode === "greedy") {
    let left = job.records;
    const recorder = async (): Promise<void> => {
      while (left > 0) {
        for (let k = 0; k < batch && left > 0; k++) {
          left--;
          writer.recordNs(200, DURATIONS[recorded++ & 1023], 128, 0, -1);
        }
        await null; // yield: the next recorder runs
      }
    };
    await Promise.all(Array.from({ length: job.recorders }, recorder));
  } else {
    const end = t0 + job.durationMs;
    const perMs = job.rate / 1000;
    const total = Math.floor(job.rate * job.durationMs / 1000);
    let due = 0;
    const recorder = async (): Promise<void> => {
      for (;;) {
        if (recorded < due) {
          for (let k = 0; k < batch && recorded < due; k++) {
            writer.recordNs(200, DURATIONS[recorded++ & 1023], 128, 0, -1);
          }
          await null;
          continue;
        }
        const now = performance.now();
        if (now >= end || recorded >= total) return;
        due = Math.min(total, Math.floor((now - t0) * perMs));
        // Caught up with the schedule: let the clock move on.
        if (recorded >= due) await new Promise((r) => setTimeout(r, 1));
      }
    };
    await Promise.all(Array.from({ length: job.recorders }, recorder));
  }
  self.postMessage({ ms: performance.now() - t0, recorded });
};
