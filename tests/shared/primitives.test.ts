import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AtomicCounter, AtomicDuration } from "../../src/shared/_atomic_counter.ts";
import { AtomicMinMax } from "../../src/shared/_atomic_min_max.ts";
import { SharedMutex } from "../../src/shared/mutex.ts";
import { LatencySampleRing } from "../../src/shared/_sample_ring.ts";

describe("AtomicCounter", () => {
  it("counts past 2^32 and 2^53 stays exact below it", () => {
    const c = AtomicCounter.create();
    c.add(2 ** 32 - 1);
    c.increment();
    c.increment();
    assert.equal(c.value(), 2 ** 32 + 1);
    c.store(2 ** 52);
    c.add(3);
    assert.equal(c.value(), 2 ** 52 + 3);
    assert.equal(c.exchange(0), 2 ** 52 + 3);
    assert.equal(c.compareExchange(0, 7), 0);
    assert.equal(c.value(), 7);
  });

  it("an attached view shares the value", () => {
    const c = AtomicCounter.create();
    AtomicCounter.attach(c.handle()).add(5);
    assert.equal(c.value(), 5);
  });
});

describe("AtomicDuration", () => {
  it("adds milliseconds exactly in nanoseconds", () => {
    const d = AtomicDuration.create();
    d.addMs(1.5);
    d.addNs(250_000);
    assert.equal(d.totalNs(), 1_750_000);
    assert.equal(d.totalMs(), 1.75);
    d.reset();
    assert.equal(d.totalNs(), 0);
  });
});

describe("AtomicMinMax", () => {
  it("tracks min and max, empty as ±Infinity", () => {
    const m = AtomicMinMax.create();
    assert.equal(m.min(), Infinity);
    assert.equal(m.max(), -Infinity);
    for (const v of [5, 3, 9, 9, 4, -2, 2 ** 40]) m.update(v);
    assert.equal(m.min(), -2);
    assert.equal(m.max(), 2 ** 40);
  });
});

describe("SharedMutex", () => {
  it("excludes: tryLock fails while held, succeeds after unlock", () => {
    const m = SharedMutex.create();
    m.lock();
    assert.equal(m.tryLock(), false);
    m.unlock();
    assert.equal(m.tryLock(), true);
    m.unlock();
    assert.equal(m.withLock(() => 42), 42);
    assert.equal(m.tryLock(), true);
    m.unlock();
  });
});

describe("LatencySampleRing", () => {
  it("keeps the latest samples, oldest first, overwriting when full", () => {
    const r = LatencySampleRing.create(4);
    for (const d of [1, 2, 3]) r.write(d);
    assert.deepEqual([...r.readSamples()], [1, 2, 3]);
    const mark = r.position();
    r.write(4);
    assert.deepEqual([...r.readSamples(mark)], [1, 2, 3]);
    for (const d of [5, 6]) r.write(d);
    assert.deepEqual([...r.readSamples()], [3, 4, 5, 6]);
    // Samples up to an older position that have been overwritten since are not returned.
    assert.deepEqual([...r.readSamples(mark)], [3]);
    assert.equal(r.position(), 6);
  });

  it("defaults to 10,000 samples and keeps exactly that many", () => {
    const r = LatencySampleRing.create();
    for (let i = 0; i < 25_000; i++) r.write(i);
    const s = r.readSamples();
    assert.equal(s.length, 10_000);
    assert.equal(s[0], 15_000);
    assert.equal(s[9_999], 24_999);
  });
});
