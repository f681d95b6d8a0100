import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { attachCollector, createCollector } from "../../src/collector/mod.ts";
import { HEADER_BYTES, M_SERVICE, regionViews } from "../../src/collector/_lane_layout.ts";
import { CollectorCore, type RegionSource } from "../../src/collector/_owner_core.ts";
import { validateCollectorOptions } from "../../src/collector/_owner_collector.ts";
import { bucketIndex, HISTOGRAM_BUCKETS } from "../../src/shared/histogram_layout.ts";
import {
  addToGroupSums,
  createGroupSums,
  GROUP_BITS,
  HISTOGRAM_GROUPS,
  percentilesOfGroupedCounts,
  summarizeGroups,
} from "../../src/shared/histogram_groups.ts";
import { percentilesOfCounts, summarizeCounts } from "../../src/shared/histogram_stats.ts";
import { expectedTotals } from "../_helpers/record_pattern.ts";
import { runWorkers } from "../_helpers/workers.ts";

/** A deterministic spread of bucket indexes over the whole layout, dense around 1 ms. */
function randomCounts(seed: number, values: number): Float64Array {
  const counts = new Float64Array(HISTOGRAM_BUCKETS);
  let s = seed;
  for (let k = 0; k < values; k++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const u = s / 2147483648;
    const ns = k % 10 === 0 ? u * 2 ** 41 : 1e6 * Math.exp(2 * (u - 0.5));
    counts[bucketIndex(Math.round(ns))] += 1 + (k % 3);
  }
  return counts;
}

function groupSumsOf(counts: Float64Array): ReturnType<typeof createGroupSums> {
  const sums = createGroupSums();
  for (let i = 0; i < counts.length; i++) if (counts[i] !== 0) addToGroupSums(sums, i, counts[i]);
  return sums;
}

describe("histogram group sums", () => {
  it("give the count, mean and stddev of the bucket scan (within 1e-9)", () => {
    for (const seed of [1, 7, 42]) {
      const counts = randomCounts(seed, 20_000);
      const want = summarizeCounts(counts);
      const got = summarizeGroups(groupSumsOf(counts));
      assert.equal(got.count, want.count);
      assert.ok(
        Math.abs(got.meanNs - want.meanNs) <= want.meanNs * 1e-9,
        `mean ${got.meanNs} vs ${want.meanNs}`,
      );
      assert.ok(
        Math.abs(got.stddevNs - want.stddevNs) <= want.stddevNs * 1e-9,
        `stddev ${got.stddevNs} vs ${want.stddevNs}`,
      );
    }
  });

  it("give exactly the percentiles of the bucket scan", () => {
    const ps = [0, 1, 50, 75, 90, 95, 99, 99.9, 100];
    for (const seed of [3, 9]) {
      const counts = randomCounts(seed, 5_000);
      const want = new Float64Array(ps.length);
      const got = new Float64Array(ps.length);
      percentilesOfCounts(counts, ps, want);
      percentilesOfGroupedCounts(counts, groupSumsOf(counts).count, ps, got);
      assert.deepEqual(Array.from(got), Array.from(want));
    }
  });

  it("are empty for an empty histogram", () => {
    assert.deepEqual(summarizeGroups(createGroupSums()), { count: 0, meanNs: 0, stddevNs: 0 });
    const out = new Float64Array(2).fill(9);
    percentilesOfGroupedCounts(new Float64Array(HISTOGRAM_BUCKETS), new Float64Array(HISTOGRAM_GROUPS), [
      50,
      99,
    ], out);
    assert.deepEqual(Array.from(out), [0, 0]);
  });
});

describe("atomic flush reads the groups writers marked", () => {
  it("a record marks its latency and service groups; the flush clears the marks", () => {
    const c = createCollector({ kind: "atomic", lanes: 2, sampleCapacity: 16 });
    try {
      const w = attachCollector(c.handle());
      const r = regionViews(c.handle().buffer, 0, 16);
      w.recordNs(200, 1_500_000, 10, 0, 700_000);
      const lat = bucketIndex(1_500_000) >>> GROUP_BITS;
      const svc = bucketIndex(700_000) >>> GROUP_BITS;
      assert.equal(r.marks[lat], 1);
      assert.equal(r.marks[M_SERVICE + svc], 1);
      assert.equal(r.marks.reduce((a, b) => a + b, 0), 2);
      c.flush();
      assert.equal(r.marks.reduce((a, b) => a + b, 0), 0);
      const s = c.getSnapshot();
      assert.equal(s.latency.count, 1);
      assert.ok(Math.abs(s.latency.p50 - 1.5) < 0.002);
      assert.equal(s.serviceTime?.count, 1);
    } finally {
      c.close();
    }
  });

  it("a bucket bumped without its mark still counts: reading every group (histogram, close) brings it in exactly", () => {
    const c = createCollector({ kind: "atomic", lanes: 2, sampleCapacity: 0 });
    try {
      const w = attachCollector(c.handle());
      const r = regionViews(c.handle().buffer, 0, 0);
      w.recordNs(200, 2_000_000, 0, 0, -1);
      c.flush();
      // As if a weakly ordered CPU had let the owner clear a mark before the bump became visible.
      r.latency[bucketIndex(5_000_000)]++;
      c.flush();
      assert.equal(c.getSnapshot().latency.count, 1, "an unmarked bump waits for a full read");
      const hist = c.getHistogram();
      assert.equal(hist.reduce((a, b) => a + b, 0), 2);
      assert.equal(hist[bucketIndex(5_000_000)], 1);
      c.flush();
      assert.equal(c.getSnapshot().latency.count, 2);
    } finally {
      c.close();
    }
  });

  it("flushes racing 4 writers lose nothing: marks-only flushes end exact", async () => {
    const WORKERS = 4;
    const RECORDS = 50_000;
    const c = createCollector({ kind: "atomic", lanes: WORKERS + 1, flushIntervalMs: 60_000 });
    try {
      let flushes = 0;
      let lastCount = 0;
      const racing = setInterval(() => {
        c.flush();
        const n = c.getSnapshot().latency.count;
        assert.ok(n >= lastCount && n <= WORKERS * RECORDS, `latency count ${n} after ${lastCount}`);
        lastCount = n;
        flushes++;
      }, 1);
      try {
        await runWorkers(
          WORKERS,
          (w) => ({ task: "collector", handle: c.handle(), records: RECORDS, workerIndex: w }),
        );
      } finally {
        clearInterval(racing);
      }
      c.flush(); // a marks-only flush (the periodic full read is every 100th)
      const want = expectedTotals(WORKERS, RECORDS);
      const s = c.getSnapshot();
      assert.equal(s.totalRequests, want.total);
      // Refused connections keep their durations apart from the response latencies.
      assert.equal(s.latency.count, want.total - want.refused, `after ${flushes} racing flushes`);
      assert.equal(s.noResponseLatency?.count, want.refused, `after ${flushes} racing flushes`);
      assert.equal(c.getHistogram().reduce((a, b) => a + b, 0), want.total - want.refused);
    } finally {
      c.close();
    }
  });
});

describe("the background flush runs once a second", () => {
  it("however fast records arrive (a read flushes on its own)", async () => {
    // A source that has something new at every drain, as at a steady 1000 req/s.
    let flushes = 0;
    const source: RegionSource = {
      drainInto(acc, histograms) {
        if (histograms) flushes++; // nothing reads the collector here: every such drain is a background flush
        acc.secRequests += 100;
        acc.histogramsChanged = true;
      },
      sampleRegions: () => [],
      writer: () => {
        throw new Error("not used");
      },
    };
    const core = new CollectorCore(
      "atomic",
      new SharedArrayBuffer(HEADER_BYTES),
      validateCollectorOptions({ flushIntervalMs: 100 }),
      source,
    );
    try {
      await new Promise((r) => setTimeout(r, 2500));
      // At each second boundary: 2 in 2.5 s (a timer is never early). Every 100 ms it was 25.
      assert.ok(flushes <= 3, `${flushes} background flushes in 2.5 s`);
    } finally {
      core.close();
    }
  });

  it("reads stay fresh: a record made while it sleeps shows in the next snapshot and series", async () => {
    const c = createCollector({ kind: "atomic", flushIntervalMs: 20 });
    try {
      await new Promise((r) => setTimeout(r, 400)); // idle: the flush has backed off
      c.record(200, 4, 0, 0, -1);
      await new Promise((r) => setTimeout(r, 30));
      const s = c.getSnapshot();
      assert.equal(s.totalRequests, 1);
      assert.equal(s.latency.count, 1, "latency statistics are at most flushIntervalMs old");
      assert.equal(c.getTimeSeries().points.reduce((a, p) => a + p.requests, 0), 1);
    } finally {
      c.close();
    }
  });
});
