import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AtomicMetricsCollector,
  collectorKindFromEnv,
  createCollector,
  InvalidResultError,
  LegacyMetricsCollector,
} from "../../src/collector/mod.ts";

const KINDS = ["atomic", "legacy"] as const;

for (const kind of KINDS) {
  describe(`${kind} collector`, () => {
    it("counts successes, failures, statuses, error kinds and bytes exactly", () => {
      const c = createCollector({ kind });
      try {
        c.recordRequest({ status: 200, durationMs: 1, bytes: 10 });
        c.recordRequest({ status: 302, durationMs: 2, bytes: 0 });
        c.recordRequest({ status: 404, durationMs: 3, bytes: 5 });
        c.recordRequest({ status: 503, durationMs: 4, bytes: 7 });
        c.recordRequest({ status: 0, durationMs: 10_000, bytes: 0, errorKind: 1 });
        c.recordRequest({ status: 0, durationMs: 0.2, bytes: 0, errorKind: 2 });
        c.recordMissedSends(3);
        c.recordGenerationRate(1234.5);
        const s = c.getSnapshot();
        assert.equal(s.collector, kind);
        assert.equal(s.totalRequests, 6);
        assert.equal(s.successfulRequests, 2);
        assert.equal(s.failedRequests, 4);
        assert.equal(s.bytes, 22);
        assert.equal(s.missedSends, 3);
        assert.equal(s.generationRate, 1234.5);
        assert.deepEqual(s.statusCounts, { "200": 1, "302": 1, "404": 1, "503": 1 });
        assert.deepEqual(s.errorsByStatus, { "404": 1, "503": 1, other: 2 });
        assert.deepEqual(s.errorsByKind, {
          timeout: 1,
          refused: 1,
          reset: 0,
          other: 0,
          dns: 0,
          tls: 0,
          protocol: 0,
          fd_limit: 0,
        });
      } finally {
        c.close();
      }
    });

    it("rejects bad input with a typed error, counts it, and leaves counts intact", () => {
      const c = createCollector({ kind });
      try {
        c.recordRequest({ status: 200, durationMs: 1, bytes: 1 });
        const bad = [
          { status: 200, durationMs: -1, bytes: 0 },
          { status: 200, durationMs: NaN, bytes: 0 },
          { status: 200, durationMs: Infinity, bytes: 0 },
          { status: 99, durationMs: 1, bytes: 0 },
          { status: 600, durationMs: 1, bytes: 0 },
          { status: 200.5, durationMs: 1, bytes: 0 },
          { status: 0, durationMs: 1, bytes: 0 },
          { status: 200, durationMs: 1, bytes: -1 },
          { status: 200, durationMs: 1, bytes: 1.5 },
          { status: 0, durationMs: 1, bytes: 0, errorKind: 9 as 1 },
        ];
        for (const r of bad) {
          assert.throws(
            () => c.recordRequest(r),
            (e: unknown) => e instanceof InvalidResultError && e instanceof RangeError,
          );
        }
        c.flush();
        const s = c.getSnapshot();
        assert.equal(s.invalidRecords, bad.length);
        assert.equal(s.totalRequests, 1);
        assert.equal(s.bytes, 1);
        assert.equal(s.latency.count, 1);
        assert.equal(s.latency.max, 1);
      } finally {
        c.close();
      }
    });

    it("reports latency statistics and keeps the uncorrected service time beside them", () => {
      const c = createCollector({ kind });
      try {
        for (let i = 1; i <= 1000; i++) c.record(200, i, 0, 0, i / 10);
        c.flush();
        const s = c.getSnapshot();
        assert.equal(s.latency.count, 1000);
        assert.equal(s.latency.min, 1);
        assert.equal(s.latency.max, 1000);
        const near = (a: number, b: number): boolean => Math.abs(a - b) / b <= 0.001;
        assert.ok(near(s.latency.p50, 500), `p50 ${s.latency.p50}`);
        assert.ok(near(s.latency.p99, 990), `p99 ${s.latency.p99}`);
        assert.ok(near(s.latency.p999, 999), `p999 ${s.latency.p999}`);
        assert.ok(near(s.latency.mean, 500.5));
        assert.ok(s.serviceTime !== null);
        assert.ok(near(s.serviceTime.p50, 50));
        assert.equal(s.serviceTime.max, 100);
      } finally {
        c.close();
      }
    });

    it("recordNs (integer nanoseconds) counts exactly what record (ms) counts", () => {
      const a = createCollector({ kind });
      const b = createCollector({ kind });
      try {
        for (let i = 1; i <= 500; i++) {
          a.record(i % 7 === 0 ? 503 : 200, i / 10, i, 0, i / 20);
          b.recordNs(i % 7 === 0 ? 503 : 200, i * 100_000, i, 0, i * 50_000);
        }
        a.flush();
        b.flush();
        const sa = a.getSnapshot();
        const sb = b.getSnapshot();
        assert.deepEqual(sb.statusCounts, sa.statusCounts);
        assert.equal(sb.bytes, sa.bytes);
        assert.deepEqual(b.getHistogram(), a.getHistogram());
        assert.equal(sb.latency.max, 50);
        assert.equal(sb.serviceTime?.max, 25);
        assert.throws(() => b.recordNs(200, -5, 0, 0, -1), /invalid "latencyNs" \(-5\)/);
      } finally {
        a.close();
        b.close();
      }
    });

    it("exact bytes beyond 2^32", () => {
      const c = createCollector({ kind });
      try {
        c.record(200, 1, 2 ** 32 - 1, 0, -1);
        c.record(200, 1, 2, 0, -1);
        c.record(200, 1, 2 ** 33 + 5, 0, -1);
        assert.equal(c.getSnapshot().bytes, 2 ** 32 + 1 + 2 ** 33 + 5);
      } finally {
        c.close();
      }
    });

    it("reset clears counts, extremes, samples and the series", () => {
      const c = createCollector({ kind });
      try {
        c.record(500, 50, 10, 0, -1);
        c.flush();
        c.reset();
        c.record(200, 2, 1, 0, -1);
        c.flush();
        const s = c.getSnapshot();
        assert.equal(s.totalRequests, 1);
        assert.equal(s.failedRequests, 0);
        assert.equal(s.latency.min, 2);
        assert.equal(s.latency.max, 2);
        assert.deepEqual([...c.getRecentSamples()], [2]);
        assert.equal(c.getTimeSeries().points.reduce((a, p) => a + p.requests, 0), 1);
      } finally {
        c.close();
      }
    });

    it("keeps the most recent samples up to the capacity", () => {
      const c = createCollector({ kind, sampleCapacity: 100 });
      try {
        for (let i = 0; i < 250; i++) c.record(200, i, 0, 0, -1);
        const samples = c.getRecentSamples();
        assert.equal(samples.length, 100);
        assert.equal(samples[0], 150);
        assert.equal(samples[99], 249);
      } finally {
        c.close();
      }
    });

    it("builds a 1-second time series from the background flush", async () => {
      const c = createCollector({ kind, flushIntervalMs: 20 });
      try {
        for (let i = 0; i < 50; i++) c.record(200, 1, 0, 0, -1);
        await new Promise((r) => setTimeout(r, 1150));
        for (let i = 0; i < 20; i++) c.record(i < 5 ? 500 : 200, 3, 0, 0, -1);
        await new Promise((r) => setTimeout(r, 60));
        const points = c.getTimeSeries().points;
        assert.ok(points.length >= 2, `points: ${JSON.stringify(points)}`);
        assert.equal(points[0].second, 0);
        assert.equal(points[0].requests, 50);
        assert.equal(points[0].errors, 0);
        assert.ok(Math.abs(points[0].p50 - 1) <= 0.001, `p50 ${points[0].p50}`);
        const later = points.slice(1);
        assert.equal(later.reduce((a, p) => a + p.requests, 0), 20);
        assert.equal(later.reduce((a, p) => a + p.errors, 0), 5);
      } finally {
        c.close();
      }
    });

    it("close stops the flush; getSnapshot still returns the final figures", () => {
      const c = createCollector({ kind });
      c.record(200, 1, 0, 0, -1);
      c.close();
      const s = c.getSnapshot();
      assert.equal(s.totalRequests, 1);
      assert.equal(s.latency.count, 1);
      const elapsed = s.elapsedMs;
      assert.equal(c.getSnapshot().elapsedMs, elapsed); // the clock stopped
    });
  });
}

describe("choosing a collector", () => {
  it("defaults to atomic; honours LUNGE_COLLECTOR and the LUNGE_USE_OLD_COLLECTOR rollback", () => {
    const env = (vars: Record<string, string>) => (name: string) => vars[name];
    assert.equal(collectorKindFromEnv(env({})), null);
    assert.equal(collectorKindFromEnv(env({ LUNGE_COLLECTOR: "legacy" })), "legacy");
    assert.equal(collectorKindFromEnv(env({ LUNGE_COLLECTOR: "atomic" })), "atomic");
    assert.equal(
      collectorKindFromEnv(env({ LUNGE_USE_OLD_COLLECTOR: "1", LUNGE_COLLECTOR: "atomic" })),
      "legacy",
    );
    assert.equal(collectorKindFromEnv(env({ LUNGE_USE_OLD_COLLECTOR: "0" })), null);
    assert.throws(() => collectorKindFromEnv(env({ LUNGE_COLLECTOR: "fast" })), /LUNGE_COLLECTOR must be/);
    const c = createCollector({ kind: "atomic" });
    assert.ok(c instanceof AtomicMetricsCollector);
    c.close();
    const l = createCollector({ kind: "legacy" });
    assert.ok(l instanceof LegacyMetricsCollector);
    l.close();
  });

  it("validates options with RangeErrors", () => {
    assert.throws(() => createCollector({ lanes: 0 }), /"lanes" must be/);
    assert.throws(() => createCollector({ sampleCapacity: -1 }), /"sampleCapacity"/);
    assert.throws(() => createCollector({ flushIntervalMs: 0 }), /"flushIntervalMs"/);
    assert.throws(() => createCollector({ kind: "fast" as "atomic" }), /"kind" must be/);
  });
});
