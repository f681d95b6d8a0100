// Unit tests of the accuracy pieces that need no network: failures without a
// response kept apart in both collectors, the target's per-second arrival
// counter, and results written before the new fields still reading back.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createCollector } from "../../src/collector/create.ts";
import { ErrorKind } from "../../src/collector/types.ts";
import { parseResultJson, toJson } from "../../src/result/json.ts";
import { formatSummary } from "../../src/report/_text.ts";
import { ARRIVAL_FINE_MINUTES, ArrivalCounter, runWindow, windowRates } from "../../src/target/_arrivals.ts";
import { main } from "../../src/cli/main.ts";
import { openRunResult } from "../fixtures/run_result.ts";
import { fakeIo } from "../_helpers/cli_io.ts";

for (const kind of ["atomic", "legacy"] as const) {
  describe(`${kind} collector: failures without a response`, () => {
    it("stay out of the response latencies and have their own statistics", () => {
      const c = createCollector({ kind, sampleCapacity: 1000 });
      try {
        for (let i = 0; i < 100; i++) c.recordNs(200, 10_000_000, 2, ErrorKind.None, -1); // 10 ms
        for (let i = 0; i < 300; i++) c.recordNs(0, 20_000, 0, ErrorKind.Refused, -1); // 20 µs
        c.recordNs(0, 5_000_000_000, 0, ErrorKind.Timeout, -1); // 5 s
        c.flush();
        const s = c.getSnapshot();
        assert.equal(s.totalRequests, 401);
        assert.equal(s.failedRequests, 301);
        assert.equal(s.latency.count, 100);
        assert.equal(s.latency.p50, 10);
        assert.equal(s.latency.min, 10);
        assert.equal(s.latency.max, 10);
        assert.ok(s.noResponseLatency !== null);
        assert.equal(s.noResponseLatency.count, 301);
        assert.equal(s.noResponseLatency.min, 0.02);
        assert.equal(s.noResponseLatency.max, 5000);
        assert.ok(Math.abs(s.noResponseLatency.p50 - 0.02) / 0.02 < 0.001);
        assert.equal(c.getHistogram().reduce((a, b) => a + b, 0), 100);
        assert.ok(c.getRecentSamples().every((ms) => ms === 10));
        c.reset();
        c.flush();
        assert.equal(c.getSnapshot().noResponseLatency, null);
      } finally {
        c.close();
      }
    });

    it("counts every transport error kind in the totals (dns, tls, protocol, fd_limit too)", () => {
      const c = createCollector({ kind });
      try {
        for (let k = 1; k <= 8; k++) c.recordNs(0, 1000, 0, k, -1);
        const s = c.getSnapshot();
        assert.equal(s.totalRequests, 8);
        assert.equal(s.failedRequests, 8);
        assert.equal(s.errorsByStatus.other, 8);
      } finally {
        c.close();
      }
    });
  });
}

describe("ArrivalCounter", () => {
  it("counts arrivals and responses per second from the first arrival after a reset", () => {
    const a = new ArrivalCounter(100, 0);
    a.recordResponse(300); // before any arrival: not counted
    assert.deepEqual(a.snapshot(), {
      total: 0,
      perSecond: [],
      responsesPerSecond: [],
      firstMs: null,
      lastMs: null,
    });
    for (const t of [600, 900, 1599, 1600, 3650]) a.record(t);
    for (const t of [610, 1605, 1700]) a.recordResponse(t);
    assert.deepEqual(a.snapshot(), {
      total: 5,
      perSecond: [3, 1, 0, 1],
      responsesPerSecond: [1, 2],
      firstMs: 500,
      lastMs: 3550,
    });
    a.reset(5000);
    a.record(5001);
    assert.deepEqual(a.snapshot(), {
      total: 1,
      perSecond: [1],
      responsesPerSecond: [],
      firstMs: 1,
      lastMs: 1,
    });
  });

  it("counts inside a wall-clock window, prorating the slices its edges cut", () => {
    const origin = 1_000_000; // epoch ms of clock reading 0
    const a = new ArrivalCounter(0, origin);
    for (let t = 1000; t < 3000; t += 1) a.record(t); // 1000 arrivals per second from 1 s to 3 s
    const window = { fromEpochMs: origin + 1500, toEpochMs: origin + 2505 };
    const stats = a.snapshot(window);
    assert.equal(Math.round(stats.window!.arrivals), 1005);
    assert.deepEqual(windowRates(stats.window), { arrivals: stats.window!.arrivals / 1.005, responses: 0 });
    assert.equal(windowRates(undefined), null);
    const result = {
      startedAt: new Date(origin + 1500).toISOString(),
      durationMs: 1100,
      options: { durationMs: 1000 },
    };
    assert.deepEqual(runWindow(result), { fromEpochMs: origin + 1500, toEpochMs: origin + 2500 });
    // A warm-up that ended 5 ms late: the window still ends at the planned end.
    const late = { ...result, durationMs: 995 };
    assert.deepEqual(runWindow(late), { fromEpochMs: origin + 1500, toEpochMs: origin + 2495 });
  });

  it("keeps what a long run needs bounded, and still counts a window reaching back past its 10 ms slices", () => {
    const origin = 1_000_000;
    const a = new ArrivalCounter(0, origin);
    const minutes = ARRIVAL_FINE_MINUTES * 2.5;
    // 200 arrivals a second, each answered at once, from clock 0 for 25 minutes.
    for (let t = 0; t < minutes * 60_000; t += 5) {
      a.record(t);
      a.recordResponse(t);
    }
    const slices = ARRIVAL_FINE_MINUTES * 60 * 100;
    const seconds = minutes * 60;
    // Kept whole, the 10 ms slices of both series would be 2 x 150,000 numbers.
    assert.ok(a.retainedNumbers <= 2 * (slices + seconds), `${a.retainedNumbers} numbers kept`);
    const stats = a.snapshot({ fromEpochMs: origin, toEpochMs: origin + minutes * 60_000 });
    assert.equal(stats.total, 300_000);
    assert.equal(stats.perSecond.length, seconds);
    assert.ok(stats.perSecond.every((n) => n === 200));
    assert.equal(stats.window!.arrivals, 300_000);
    assert.equal(stats.window!.responses, 300_000);
    // From 100.5 s (per second there, prorated) to 1400.255 s (10 ms slices): arrivals at 5 ms steps.
    const span = a.snapshot({ fromEpochMs: origin + 100_500, toEpochMs: origin + 1_400_255 }).window!;
    assert.equal(Math.round(span.arrivals * 1000) / 1000, 259_951);
    // Inside the last minutes the slices are 10 ms: an edge 3 ms into a slice with one arrival in it.
    const recent = a.snapshot({ fromEpochMs: origin + 1_450_003, toEpochMs: origin + 1_450_020 }).window!;
    assert.equal(Math.round(recent.arrivals * 1000) / 1000, 0.7 * 2 + 2);
  });
});

describe("results and reports", () => {
  it("a result written before noResponseLatency, pool and warnings existed still reads back", () => {
    const result = openRunResult();
    const old = JSON.parse(toJson(result));
    delete old.snapshot.noResponseLatency;
    delete old.pool;
    delete old.warnings;
    const back = parseResultJson(JSON.stringify(old));
    assert.equal(back.snapshot.noResponseLatency, null);
    assert.equal(back.pool, null);
    assert.deepEqual(back.warnings, []);
  });

  it("the text report shows failures without a response, the pool and the warnings", () => {
    const result = openRunResult();
    result.snapshot.noResponseLatency = { ...result.snapshot.latency, count: 7 };
    result.pool = { initial: 100, limit: 200, peak: 200, delayedSends: 12 };
    result.warnings = ["12 arrival(s) waited for a connection"];
    const text = formatSummary(result, { color: false });
    assert.match(text, /No response\s+7 failed without a response/);
    assert.match(text, /Connections\s+200 opened \(started with 100, limit 200\)/);
    assert.match(text, /Warning\s+12 arrival\(s\) waited for a connection/);
  });
});

describe("CLI", () => {
  it("prints the run's warnings on stderr and passes --max-concurrency on", async () => {
    const f = fakeIo({
      result: () => ({
        ...openRunResult(),
        thresholds: [],
        warnings: ["5 arrival(s) waited for a connection"],
      }),
    });
    const code = await main(["run", "http://127.0.0.1:9/", "--rate", "100", "--max-concurrency", "50"], f.io);
    assert.equal(code, 0);
    assert.match(f.stderr(), /lunge: warning: 5 arrival\(s\) waited for a connection\n/);
    assert.equal(f.runs[0].maxConcurrency, 50);
  });

  it("rejects --max-concurrency below 1 with one usage line", async () => {
    const f = fakeIo({ result: openRunResult });
    assert.equal(
      await main(["run", "http://127.0.0.1:9/", "--rate", "100", "--max-concurrency", "0"], f.io),
      2,
    );
    assert.match(f.stderr(), /--max-concurrency/);
  });
});
