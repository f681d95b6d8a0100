/**
 * Test worker: records into a collector in two halves with a stop between
 * them, so the owner can snapshot at a known point in the middle of a run.
 * Every record is preceded by a sent count, as the pacer counts a unit it starts.
 *
 * Message in: { handle, records, workerIndex, control: SharedArrayBuffer,
 *               pattern: "mixed" | "bytes", bytesPerRecord? }
 * control (Int32): [0] workers at half-way, [1] owner's go for the second half, [2] workers done.
 * Message out: { done: true }
 */
import { attachCollector } from "../../src/collector/create.ts";
import type { CollectorHandle } from "../../src/collector/types.ts";
import { expectedRecord } from "./record_pattern.ts";

interface GatedJob {
  handle: CollectorHandle;
  records: number;
  workerIndex: number;
  control: SharedArrayBuffer;
  pattern: "mixed" | "bytes";
  bytesPerRecord?: number;
}

self.onmessage = (event: MessageEvent<GatedJob>) => {
  const job = event.data;
  const flags = new Int32Array(job.control);
  const writer = attachCollector(job.handle);
  const record = (i: number): void => {
    writer.recordSent(); // as the pacer does when it starts a unit
    if (job.pattern === "bytes") {
      writer.record(200, 1 + (i % 10), job.bytesPerRecord! + (i % 3), 0, -1);
    } else {
      const r = expectedRecord(job.workerIndex, i);
      writer.record(r.status, r.durationMs, r.bytes, r.errorKind, -1);
    }
  };
  const half = Math.floor(job.records / 2);
  for (let i = 0; i < half; i++) record(i);
  Atomics.add(flags, 0, 1); // a synchronising write: the owner sees every record above
  Atomics.notify(flags, 0);
  Atomics.wait(flags, 1, 0);
  for (let i = half; i < job.records; i++) record(i);
  Atomics.add(flags, 2, 1);
  self.postMessage({ done: true });
};
