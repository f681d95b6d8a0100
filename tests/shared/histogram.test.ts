import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  bucketIndex,
  bucketLowerBoundNs,
  bucketUpperBoundNs,
  HISTOGRAM_BUCKETS,
  LogLinearHistogram,
  MAX_TRACKABLE_NS,
} from "../../src/shared/histogram.ts";

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function exactPercentile(sorted: number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100 - 1e-9));
  return sorted[rank - 1];
}

const DISTRIBUTIONS: Record<string, (r: () => number) => number> = {
  // values in ns
  uniform: (r) => 1_000 + r() * 50_000_000,
  lognormal: (r) => {
    const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    return Math.exp(Math.log(2_000_000) + 0.8 * z);
  },
  bimodal: (r) => (r() < 0.7 ? 500_000 + r() * 100_000 : 80_000_000 + r() * 5_000_000),
  single: () => 12_345_678,
};

describe("histogram layout", () => {
  it("maps every value into a bucket no wider than 1/1024 of its lower bound", () => {
    const r = rng(1);
    for (let k = 0; k < 100_000; k++) {
      const v = Math.floor(Math.exp(r() * Math.log(MAX_TRACKABLE_NS)));
      const i = bucketIndex(v);
      assert.ok(i >= 0 && i < HISTOGRAM_BUCKETS);
      assert.ok(bucketLowerBoundNs(i) <= v && v < bucketUpperBoundNs(i), `value ${v} outside bucket ${i}`);
      if (v >= 1000) {
        assert.ok((bucketUpperBoundNs(i) - bucketLowerBoundNs(i)) / bucketLowerBoundNs(i) <= 1 / 1000);
      }
    }
  });

  it("covers 1 µs to over an hour and clamps beyond", () => {
    assert.ok(MAX_TRACKABLE_NS > 3600e9);
    assert.equal(bucketIndex(MAX_TRACKABLE_NS * 10), HISTOGRAM_BUCKETS - 1);
    assert.equal(bucketIndex(-5), 0);
    assert.equal(bucketUpperBoundNs(HISTOGRAM_BUCKETS - 1), MAX_TRACKABLE_NS);
  });
});

describe("LogLinearHistogram", () => {
  for (const [name, draw] of Object.entries(DISTRIBUTIONS)) {
    it(`percentiles within 0.1% of the exact value: ${name}`, () => {
      const r = rng(42);
      const h = LogLinearHistogram.create();
      const values: number[] = [];
      for (let i = 0; i < 20_000; i++) {
        const v = Math.round(draw(r));
        values.push(v);
        h.recordNs(v);
      }
      values.sort((a, b) => a - b);
      assert.equal(h.count(), values.length);
      for (const p of [1, 25, 50, 75, 90, 95, 99, 99.9, 100]) {
        const exact = exactPercentile(values, p);
        const got = h.percentileNs(p);
        assert.ok(Math.abs(got - exact) / exact <= 0.001, `${name} p${p}: ${got} vs exact ${exact}`);
      }
      assert.equal(h.minNs(), values[0]);
      assert.equal(h.maxNs(), values[values.length - 1]);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      assert.ok(Math.abs(h.meanNs() - mean) / mean <= 0.001);
      const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
      if (sd > 0) assert.ok(Math.abs(h.stddevNs() - sd) / sd <= 0.01, `stddev ${h.stddevNs()} vs ${sd}`);
    });
  }

  it("merging equals recording both", () => {
    const r = rng(7);
    const a = LogLinearHistogram.create();
    const b = LogLinearHistogram.create();
    const both = LogLinearHistogram.create();
    for (let i = 0; i < 5000; i++) {
      const v = DISTRIBUTIONS.lognormal(r);
      (i % 2 === 0 ? a : b).recordNs(v);
      both.recordNs(v);
    }
    a.merge(b);
    assert.deepEqual(a.counts(), both.counts());
    assert.equal(a.minNs(), both.minNs());
    assert.equal(a.maxNs(), both.maxNs());
    assert.equal(a.percentileNs(99), both.percentileNs(99));
  });

  it("keeps counts exact past 2^32 in one bucket", () => {
    const h = LogLinearHistogram.create();
    h.recordCountNs(5000, 4294967295);
    h.recordCountNs(5000, 10);
    assert.equal(h.bucketCount(bucketIndex(5000)), 4294967305);
  });

  it("is shared: an attached view sees the same counts", () => {
    const h = LogLinearHistogram.create();
    const view = LogLinearHistogram.attach(h.handle());
    view.recordNs(1_000_000);
    assert.equal(h.count(), 1);
    assert.throws(() => h.percentileNs(101), RangeError);
  });
});
