/**
 * Benchmark worker: attaches to a collector, warms up, waits for the common
 * start signal, records as fast as it can, and reports its time.
 *
 * Message in: { handle, records, control: SharedArrayBuffer }  (control: [ready, start])
 * Message out: { ms }
 */
import { attachCollector } from "../../src/collector/create.ts";
import type { CollectorHandle } from "../../src/collector/types.ts";

interface Job {
  handle: CollectorHandle;
  records: number;
  control: SharedArrayBuffer;
}

self.onmessage = (event: MessageEvent<Job>) => {
  const { handle, records, control } = event.data;
  const flags = new Int32Array(control);
  const writer = attachCollector(handle);
  const durations = new Float64Array(1024).map((_, i) => 0.2 + (i % 97) * 0.37);
  for (let i = 0; i < 100_000; i++) writer.record(200, durations[i & 1023], 128, 0, -1); // warm the JIT
  Atomics.add(flags, 0, 1);
  Atomics.notify(flags, 0);
  Atomics.wait(flags, 1, 0); // all workers start together
  const t0 = performance.now();
  for (let i = 0; i < records; i++) writer.record(200, durations[i & 1023], 128, 0, -1);
  self.postMessage({ ms: performance.now() - t0 });
};
