import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { LockFreeRingBuffer } from "../../src/shared/ring_buffer.ts";
import { runWorkers } from "../_helpers/workers.ts";

describe("LockFreeRingBuffer", () => {
  it("reports empty and full without blocking", () => {
    const ring = LockFreeRingBuffer.create({ capacity: 4 });
    assert.equal(ring.tryPop(), undefined);
    for (let i = 0; i < 4; i++) assert.equal(ring.tryPush(i), true);
    assert.equal(ring.tryPush(99), false);
    assert.equal(ring.size(), 4);
    assert.equal(ring.tryPop(), 0);
    assert.equal(ring.tryPush(4), true);
    assert.deepEqual([ring.tryPop(), ring.tryPop(), ring.tryPop(), ring.tryPop()], [1, 2, 3, 4]);
    assert.equal(ring.tryPop(), undefined);
  });

  it("keeps FIFO order across many wrap-arounds", () => {
    const ring = LockFreeRingBuffer.create({ capacity: 8 });
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 1000; round++) {
      const pushes = (round % 7) + 1;
      for (let i = 0; i < pushes; i++) if (ring.tryPush(next)) next++;
      const pops = (round % 5) + 1;
      for (let i = 0; i < pops; i++) {
        const v = ring.tryPop();
        if (v === undefined) break;
        assert.equal(v, expected++);
      }
    }
    assert.ok(expected > 1000);
  });

  it("moves multi-word slots as one item", () => {
    const ring = LockFreeRingBuffer.create({ capacity: 2, slotWords: 3 });
    assert.equal(ring.tryPushFrom(new Float64Array([1, 2.5, -3])), true);
    const out = new Float64Array(3);
    assert.equal(ring.tryPopInto(out), true);
    assert.deepEqual([...out], [1, 2.5, -3]);
    assert.equal(ring.tryPopInto(out), false);
  });

  it("rejects a capacity that is not a power of two", () => {
    assert.throws(() => LockFreeRingBuffer.create({ capacity: 1000 }), RangeError);
    assert.throws(() => LockFreeRingBuffer.create({ capacity: 0 }), RangeError);
  });

  it("loses and duplicates nothing with several producers and a consumer", async () => {
    const producers = 3;
    const items = 20_000;
    const ring = LockFreeRingBuffer.create({ capacity: 1024 });
    const seen = new Uint8Array(producers * items);
    let popped = 0;
    const drain = (): void => {
      for (let v = ring.tryPop(); v !== undefined; v = ring.tryPop()) {
        const w = Math.floor(v / 1e6);
        const i = v - w * 1e6;
        assert.equal(seen[w * items + i], 0, `duplicate item ${v}`);
        seen[w * items + i] = 1;
        popped++;
      }
    };
    const consumer = setInterval(drain, 0);
    try {
      await runWorkers(producers, (w) => ({ task: "ring", handle: ring.handle(), items, workerIndex: w }));
    } finally {
      clearInterval(consumer);
    }
    drain();
    assert.equal(popped, producers * items);
    assert.equal(seen.every((x) => x === 1), true);
  });
});
