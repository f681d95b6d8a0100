/**
 * Collector throughput with many concurrent recorders spread over worker
 * threads (100, 1000 and 10000 concurrent writers), in
 * the greedy (as fast as possible) and the paced (open model) form.
 *
 * @module
 */
import { createCollector } from "../../src/collector/create.ts";
import type { CollectorKind } from "../../src/collector/create.ts";
import type { RecordersJob } from "./recorders_worker.ts";

/** Outcome of one recorders run. */
export interface RecordersOutcome {
  /** Records per second over the slowest worker's time. */
  recordsPerSecond: number;
  /** Records made (checked against the collector's count). */
  recorded: number;
  /** Wall time of the slowest worker, ms. */
  ms: number;
}

/** Options of {@linkcode runRecorders}. */
export interface RecordersOptions {
  kind: CollectorKind;
  workers: number;
  /** Concurrent recorders in total, spread evenly over the workers. */
  recorders: number;
  mode: "greedy" | "paced";
  /** greedy: records in total. */
  records?: number;
  /** paced: target records per second in total. */
  rate?: number;
  /** paced: duration in ms. */
  durationMs?: number;
  /** Records per resume of a recorder (default 1). */
  batch?: number;
}

/**
 * Runs the recorders and checks that the collector counted every record.
 *
 * @example
 * ```ts
 * import { runRecorders } from "./concurrent_recorders.ts";
 * const r = await runRecorders({ kind: "atomic", workers: 2, recorders: 1000, mode: "greedy", records: 1e6 });
 * console.log(r.recordsPerSecond);
 * ```
 */
export async function runRecorders(options: RecordersOptions): Promise<RecordersOutcome> {
  const { kind, workers } = options;
  const collector = createCollector({ kind, lanes: workers + 1, sampleCapacity: 1024 });
  const control = new SharedArrayBuffer(8);
  const flags = new Int32Array(control);
  const url = new URL("./recorders_worker.ts", import.meta.url);
  const threads = Array.from({ length: workers }, () => new Worker(url, { type: "module" }));
  const share = (total: number, w: number): number =>
    Math.floor(total / workers) + (w < total % workers ? 1 : 0);
  try {
    const done = threads.map((thread, w) =>
      new Promise<{ ms: number; recorded: number }>((resolve, reject) => {
        thread.onmessage = (e: MessageEvent<{ ms: number; recorded: number }>) => resolve(e.data);
        thread.onerror = (e) => reject(new Error(e.message));
        const job: RecordersJob = {
          handle: collector.handle(),
          mode: options.mode,
          recorders: Math.max(1, share(options.recorders, w)),
          records: share(options.records ?? 0, w),
          rate: (options.rate ?? 0) / workers,
          durationMs: options.durationMs ?? 0,
          batch: options.batch ?? 1,
          control,
        };
        thread.postMessage(job);
      })
    );
    while (Atomics.load(flags, 0) < workers) await new Promise((r) => setTimeout(r, 5));
    collector.reset(); // forget the warm-up records
    Atomics.store(flags, 1, 1);
    Atomics.notify(flags, 1);
    const outs = await Promise.all(done);
    collector.flush();
    const recorded = outs.reduce((sum, o) => sum + o.recorded, 0);
    const counted = collector.getSnapshot().totalRequests;
    if (counted !== recorded) throw new Error(`${kind} collector lost counts: ${counted} of ${recorded}`);
    const ms = Math.max(...outs.map((o) => o.ms));
    const seconds = (options.mode === "paced" ? Math.max(ms, options.durationMs ?? 0) : ms) / 1000;
    return { recordsPerSecond: recorded / seconds, recorded, ms };
  } finally {
    for (const t of threads) t.terminate();
    collector.close();
  }
}
