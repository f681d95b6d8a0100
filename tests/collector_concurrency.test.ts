import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { attachCollector, createCollector } from "../src/collector/mod.ts";
import { percentilesOfCounts } from "../src/shared/histogram_stats.ts";
import { expectedRecord, expectedTotals } from "./helpers/record_pattern.ts";
import { runWorkers } from "./helpers/workers.ts";

const WORKERS = 4;
const RECORDS = 50_000;

for (const kind of ["atomic", "legacy"] as const) {
  describe(`${kind} collector under concurrent writers`, () => {
    it(`${WORKERS} workers x ${RECORDS} records: exact totals, bytes and per-status counts`, async () => {
      const c = createCollector({ kind, lanes: WORKERS + 1 });
      try {
        let midRunSnapshots = 0;
        // Snapshots taken while workers write must never go backwards or exceed the total.
        let last = 0;
        const poll = setInterval(() => {
          const s = c.getSnapshot();
          assert.ok(s.totalRequests >= last && s.totalRequests <= WORKERS * RECORDS);
          last = s.totalRequests;
          midRunSnapshots++;
        }, 5);
        try {
          await runWorkers(
            WORKERS,
            (w) => ({ task: "collector", handle: c.handle(), records: RECORDS, workerIndex: w }),
          );
        } finally {
          clearInterval(poll);
        }
        c.flush();
        const s = c.getSnapshot();
        const want = expectedTotals(WORKERS, RECORDS);
        assert.equal(s.totalRequests, want.total);
        assert.equal(s.bytes, want.bytes);
        assert.equal(s.errorsByKind.refused, want.refused);
        for (const [status, n] of want.byStatus) {
          assert.equal(s.statusCounts[String(status)], n, `status ${status}`);
        }
        // Responses in `latency`, failures without a response apart.
        assert.equal(s.latency.count, want.total - want.refused);
        assert.equal(s.noResponseLatency?.count ?? 0, want.refused);
        assert.equal(s.invalidRecords, 0);
        assert.ok(midRunSnapshots >= 0);
      } finally {
        c.close();
      }
    });
  });
}

describe("atomic and legacy agree", () => {
  it("exactly on counts and within 0.1% on percentiles for the same data", async () => {
    const atomic = createCollector({ kind: "atomic", lanes: WORKERS + 1 });
    const legacy = createCollector({ kind: "legacy" });
    try {
      for (const c of [atomic, legacy]) {
        await runWorkers(
          WORKERS,
          (w) => ({ task: "collector", handle: c.handle(), records: 20_000, workerIndex: w }),
        );
        c.flush();
      }
      const a = atomic.getSnapshot();
      const l = legacy.getSnapshot();
      assert.equal(a.totalRequests, l.totalRequests);
      assert.equal(a.bytes, l.bytes);
      assert.deepEqual(a.statusCounts, l.statusCounts);
      assert.deepEqual(a.errorsByKind, l.errorsByKind);
      for (const p of ["p50", "p75", "p90", "p95", "p99", "p999", "min", "max", "mean"] as const) {
        assert.ok(
          Math.abs(a.latency[p] - l.latency[p]) <= a.latency[p] * 0.001,
          `${p}: ${a.latency[p]} vs ${l.latency[p]}`,
        );
      }
      // And both agree with the exact percentiles of every value written.
      const values: number[] = [];
      for (let w = 0; w < WORKERS; w++) {
        for (let i = 0; i < 20_000; i++) values.push(expectedRecord(w, i).durationMs);
      }
      values.sort((x, y) => x - y);
      const exact99 = values[Math.ceil(0.99 * values.length) - 1];
      assert.ok(
        Math.abs(a.latency.p99 - exact99) / exact99 <= 0.001,
        `p99 ${a.latency.p99} vs exact ${exact99}`,
      );
      const out = new Float64Array(1);
      percentilesOfCounts(atomic.getHistogram(), [99], out);
      assert.ok(Math.abs(out[0] / 1e6 - exact99) / exact99 <= 0.001);
    } finally {
      atomic.close();
      legacy.close();
    }
  });

  it("refuses a writer past the last lane with a clear RangeError", () => {
    const c = createCollector({ kind: "atomic", lanes: 2 });
    try {
      attachCollector(c.handle());
      attachCollector(c.handle());
      assert.throws(() => attachCollector(c.handle()), /all 2 lanes are taken/);
      assert.throws(
        () =>
          attachCollector({
            kind: "atomic",
            buffer: new SharedArrayBuffer(256),
            sampleCapacity: 0,
            lanes: 1,
          }),
        TypeError,
      );
    } finally {
      c.close();
    }
  });
});
