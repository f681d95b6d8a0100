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
  // Integer nanoseconds through recordNs, as the load engine records (no float boxing on V8).
  const durations = new Int32Array(1024).map((_, i) => Math.round((0.2 + (i % 97) * 0.37) * 1e6));
  const loop = (n: number): void => {
    for (let i = 0; i < n; i++) writer.recordNs(200, durations[i & 1023], 128, 0, -1);
  };
  // Warm up with 100 short calls (100,000 records): the function gets optimized as a whole,
  // so the measured call does not wait for an on-stack-replacement compile on another core.
  for (let k = 0; k < 100; k++) loop(1000);
  Atomics.add(flags, 0, 1);
  Atomics.notify(flags, 0);
  Atomics.wait(flags, 1, 0); // all workers start together
  const t0 = performance.now();
  loop(records);
  self.postMessage({ ms: performance.now() - t0 });
};
