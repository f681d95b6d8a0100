import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { attachCollector, createCollector } from "../../src/collector/mod.ts";
import type { MetricsCollector, MetricsSnapshot } from "../../src/collector/mod.ts";
import { percentilesOfCounts } from "../../src/shared/histogram_stats.ts";
import { expectedRecord, expectedTotals } from "../_helpers/record_pattern.ts";
import { runWorkers } from "../_helpers/workers.ts";

const WORKERS = 4;
const RECORDS = 50_000;

/** What the owner saw while the workers wrote: the snapshot at half-way and every one after it. */
interface GatedRun {
  atHalf: MetricsSnapshot;
  during: Array<{ total: number; bytes: number; sent: number }>;
}

/**
 * Runs `WORKERS` gated workers (tests/_helpers/gated_record_worker.ts): each
 * records half, then waits; the owner snapshots (every record so far must
 * show), lets them go and snapshots without pause until all are done.
 */
async function gatedRun(
  c: MetricsCollector,
  job: { records: number; pattern: "mixed" | "bytes"; bytesPerRecord?: number },
): Promise<GatedRun> {
  const control = new SharedArrayBuffer(12);
  const flags = new Int32Array(control);
  const url = new URL("../_helpers/gated_record_worker.ts", import.meta.url);
  const workers = Array.from({ length: WORKERS }, () => new Worker(url, { type: "module" }));
  try {
    const done = workers.map((w, i) =>
      new Promise<void>((resolve, reject) => {
        w.onmessage = () => resolve();
        w.onerror = (e) => {
          e.preventDefault?.();
          reject(new Error(`worker ${i} failed: ${e.message}`));
        };
        w.postMessage({ handle: c.handle(), workerIndex: i, control, ...job });
      })
    );
    const deadline = performance.now() + 60_000;
    while (Atomics.load(flags, 0) < WORKERS) {
      assert.ok(performance.now() < deadline, "workers did not reach half-way within 60 s");
      await new Promise((r) => setTimeout(r, 2));
    }
    const atHalf = c.getSnapshot();
    const during: GatedRun["during"] = [];
    Atomics.store(flags, 1, 1);
    Atomics.notify(flags, 1);
    // The workers run on their own threads: snapshot without yielding until they are done.
    while (Atomics.load(flags, 2) < WORKERS) {
      assert.ok(performance.now() < deadline, "workers did not finish within 60 s");
      const s = c.getSnapshot();
      during.push({ total: s.totalRequests, bytes: s.bytes, sent: s.sent ?? -1 });
    }
    await Promise.all(done);
    return { atHalf, during };
  } finally {
    for (const w of workers) w.terminate();
  }
}

/** Every snapshot within [previous, final]: counts only grow and never overshoot. */
function assertMonotone(values: number[], from: number, to: number, what: string): void {
  let last = from;
  for (const [i, v] of values.entries()) {
    assert.ok(v >= last && v <= to, `${what}: snapshot ${i} read ${v} after ${last} (final ${to})`);
    last = v;
  }
}

for (const kind of ["atomic", "legacy"] as const) {
  describe(`${kind} collector under concurrent writers`, () => {
    it(`${WORKERS} workers x ${RECORDS} records: exact mid-run and final totals, bytes and per-status counts`, async () => {
      const c = createCollector({ kind, lanes: WORKERS + 1 });
      try {
        const run = await gatedRun(c, { records: RECORDS, pattern: "mixed" });
        // Half-way, every record made so far shows, exactly.
        const half = expectedTotals(WORKERS, RECORDS / 2);
        assert.equal(run.atHalf.totalRequests, half.total);
        assert.equal(run.atHalf.bytes, half.bytes);
        assert.equal(run.atHalf.errorsByKind.refused, half.refused);
        assert.equal(run.atHalf.sent, half.total, "sent counts, one per record, exact across the lanes");
        c.flush();
        const s = c.getSnapshot();
        const want = expectedTotals(WORKERS, RECORDS);
        assertMonotone(run.during.map((d) => d.total), half.total, want.total, "totalRequests");
        assertMonotone(run.during.map((d) => d.bytes), half.bytes, want.bytes, "bytes");
        assertMonotone(run.during.map((d) => d.sent), half.total, want.total, "sent");
        assert.equal(s.totalRequests, want.total);
        assert.equal(s.sent, want.total, `sent: ${WORKERS} lanes x ${RECORDS} plain increments, none lost`);
        assert.equal(s.bytes, want.bytes);
        assert.equal(s.errorsByKind.refused, want.refused);
        for (const [status, n] of want.byStatus) {
          assert.equal(s.statusCounts[String(status)], n, `status ${status}`);
        }
        // Responses in `latency`, failures without a response apart.
        assert.equal(s.latency.count, want.total - want.refused);
        assert.equal(s.noResponseLatency?.count ?? 0, want.refused);
        assert.equal(s.invalidRecords, 0);
      } finally {
        c.close();
      }
    });

    it("byte counts past 4 GiB per lane stay exact while the owner snapshots (the carry)", async () => {
      // Each worker's lane passes 2^32 bytes in its second half, while the owner reads it
      // without pause: a torn read of the carry would jump by 4 GiB or go backwards.
      const records = 200_000;
      const perRecord = 30_000; // + 0..2 per record
      const c = createCollector({ kind, lanes: WORKERS + 1 });
      try {
        const run = await gatedRun(c, { records, pattern: "bytes", bytesPerRecord: perRecord });
        const laneBytes = (n: number): number => {
          let sum = 0;
          for (let i = 0; i < n; i++) sum += perRecord + (i % 3);
          return sum;
        };
        const half = WORKERS * laneBytes(records / 2);
        const total = WORKERS * laneBytes(records);
        assert.ok(
          laneBytes(records / 2) < 2 ** 32 && laneBytes(records) > 2 ** 32,
          "each lane crosses 4 GiB",
        );
        assert.equal(run.atHalf.bytes, half);
        assertMonotone(run.during.map((d) => d.bytes), half, total, "bytes");
        c.flush();
        assert.equal(c.getSnapshot().bytes, total);
        assert.equal(c.getSnapshot().totalRequests, WORKERS * records);
        assert.ok(total > 5 * 2 ** 32);
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
