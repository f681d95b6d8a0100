/**
 * Throughput of W worker threads recording into one collector at once: the
 * measure that shows why one lane per writer beats one mutex for all.
 */
import { createCollector } from "../../src/collector/create.ts";
import type { CollectorKind } from "../../src/collector/create.ts";

/** Records per second achieved by `workers` threads into one collector. */
export async function recordsPerSecond(
  kind: CollectorKind,
  workers: number,
  records: number,
): Promise<number> {
  const collector = createCollector({ kind, lanes: workers + 1, sampleCapacity: 10_000 });
  const control = new SharedArrayBuffer(8);
  const flags = new Int32Array(control);
  const url = new URL("./record_loop_worker.ts", import.meta.url);
  const threads = Array.from({ length: workers }, () => new Worker(url, { type: "module" }));
  try {
    const done = threads.map((w) =>
      new Promise<number>((resolve, reject) => {
        w.onmessage = (e: MessageEvent<{ ms: number }>) => resolve(e.data.ms);
        w.onerror = (e) => reject(new Error(e.message));
        w.postMessage({ handle: collector.handle(), records, control });
      })
    );
    while (Atomics.load(flags, 0) < workers) await new Promise((r) => setTimeout(r, 5));
    Atomics.store(flags, 1, 1);
    Atomics.notify(flags, 1);
    const times = await Promise.all(done);
    collector.flush();
    const counted = collector.getSnapshot().totalRequests;
    const expected = workers * (records + 100_000);
    if (counted !== expected) throw new Error(`lost counts: ${counted} of ${expected}`);
    return (workers * records) / (Math.max(...times) / 1000);
  } finally {
    for (const t of threads) t.terminate();
    collector.close();
  }
}
