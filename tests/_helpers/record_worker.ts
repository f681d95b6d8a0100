/**
 * Test worker: attaches to a collector (or a ring buffer) from a handle and
 * writes a deterministic pattern, then reports "done".
 *
 * Messages: { task: "collector", handle, records, workerIndex }
 *           { task: "ring", handle, items, workerIndex }
 */
import { attachCollector } from "../../src/collector/create.ts";
import { LockFreeRingBuffer } from "../../src/shared/ring_buffer.ts";
import { expectedRecord } from "./record_pattern.ts";

self.onmessage = (event: MessageEvent) => {
  const msg = event.data;
  if (msg.task === "collector") {
    const writer = attachCollector(msg.handle);
    for (let i = 0; i < msg.records; i++) {
      const r = expectedRecord(msg.workerIndex, i);
      writer.record(r.status, r.durationMs, r.bytes, r.errorKind, -1);
    }
    self.postMessage({ done: true });
  } else if (msg.task === "ring") {
    const ring = LockFreeRingBuffer.attach(msg.handle);
    let pushed = 0;
    // Items are workerIndex * 1e6 + i, so duplicates and losses are detectable.
    while (pushed < msg.items) {
      if (ring.tryPush(msg.workerIndex * 1e6 + pushed)) pushed++;
    }
    self.postMessage({ done: true });
  }
};
