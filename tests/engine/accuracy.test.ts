// Independent accuracy gates: each figure lunge reports is checked against a
// source that lunge does not write: the built-in target's own counters and
// per-second arrivals, nginx's access log, and raw latencies kept by the load
// worker in a plain array, fed to hdr-histogram-js and sorted exactly.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as hdr from "hdr-histogram-js";
import { run } from "../../src/engine/run.ts";
import type { RunResult } from "../../src/result/run_result.ts";
import { parseThreshold } from "../../src/thresholds/thresholds.ts";
import { startTarget } from "../../src/target/start.ts";
import { runWindow, windowRates } from "../../src/target/_arrivals.ts";
import type { TargetHandle } from "../../src/target/types.ts";
import { type NginxHandle, nginxTool, startNginx } from "../_helpers/nginx.ts";

/** Nearest rank, as lunge's histogram uses it. */
function rankOf(p: number, n: number): number {
  return Math.max(1, Math.ceil((p * n) / 100 - 1e-9));
}

function relPct(expected: number, measured: number): number {
  return (Math.abs(measured - expected) / expected) * 100;
}

describe("counts equal nginx's own access log", () => {
  let nginx: NginxHandle;
  before(async () => {
    if (nginxTool.path !== null) nginx = await startNginx();
  });
  after(async () => {
    await nginx?.stop();
  });

  const cases: Array<[string, { rate?: number; concurrency: number; durationMs: number }]> = [
    ["closed model", { concurrency: 20, durationMs: 1500 }],
    ["open model", { rate: 800, concurrency: 20, durationMs: 1500 }],
  ];
  for (const [name, load] of cases) {
    it(`${name}: lunge's total equals the access-log line count`, nginxTool.options(), async () => {
      nginxTool.require();
      const before = nginx.accessLogLines();
      const result = await run({ url: nginx.url + "/", workers: 2, ...load });
      const s = result.snapshot;
      assert.ok(s.totalRequests > 500, `only ${s.totalRequests} requests`);
      assert.equal(s.failedRequests, 0);
      const logged = await nginx.waitForAccessLogLines(before + s.totalRequests) - before;
      assert.equal(s.totalRequests, logged);
      assert.equal(s.statusCounts["200"], logged);
    });
  }
});

describe("figures against the built-in target's own counts", () => {
  let target: TargetHandle;
  before(async () => {
    target = await startTarget({ mode: "process" });
  });
  after(async () => {
    await target.stop();
  });

  it("percentiles are within 0.1% of the exact sorted latencies and of hdr-histogram-js fed the same ones", async () => {
    await target.reset();
    const requests = 6000;
    let raw: Float64Array = new Float64Array(0);
    let dropped = -1;
    const result = await run({
      url: `${target.url}/jitter?dist=lognormal&mean=2&stddev=2&max=50`,
      requests,
      concurrency: 20,
      workers: 2,
      keepLatencies: requests,
      onLatencies: (ns, notKept) => {
        raw = ns;
        dropped = notKept;
      },
    });
    const s = result.snapshot;
    assert.equal(s.totalRequests, (await target.stats()).totalRequests);
    assert.equal(dropped, 0);
    assert.equal(raw.length, s.latency.count);
    assert.equal(raw.length, requests);
    const sorted = raw.slice().sort();
    const h = hdr.build({ numberOfSignificantValueDigits: 3 });
    for (const ns of raw) h.recordValue(ns);
    const equivalent = h as unknown as { medianEquivalentValue(v: number): number };
    const fields = [[50, "p50"], [90, "p90"], [99, "p99"], [99.9, "p999"]] as const;
    for (const [p, field] of fields) {
      const rank = rankOf(p, raw.length);
      const exactMs = sorted[rank - 1] / 1e6;
      // hdr-histogram-js rounds its rank as floor(q N + 0.5): ask it for lunge's rank, and
      // compare bucket midpoints (both layouts hold 3 significant digits).
      const hdrNs = equivalent.medianEquivalentValue(
        h.getValueAtPercentile((100 * (rank - 0.25)) / raw.length),
      );
      const measured = s.latency[field];
      assert.ok(relPct(exactMs, measured) <= 0.1, `${field}: ${measured} ms vs exact ${exactMs} ms`);
      assert.ok(relPct(hdrNs / 1e6, measured) <= 0.1, `${field}: ${measured} ms vs hdr ${hdrNs / 1e6} ms`);
    }
    assert.equal(s.latency.min, sorted[0] / 1e6);
    assert.equal(s.latency.max, sorted[sorted.length - 1] / 1e6);
  });

  // Both rate checks take the better of two tries: a loaded machine only ever makes the
  // client late (arrivals slip past the window's end, responses are read after it), while
  // a wrong pacer or a wrong rate formula is off on every try.
  it("open model: the rate the server counted per second is within 0.5% of the planned rate", async () => {
    // A light rate: the check is about the pacer's arithmetic, not the machine's capacity.
    const rate = 200;
    const seconds = 5;
    const misses: string[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      await target.reset();
      const result = await run({ url: `${target.url}/`, rate, durationMs: seconds * 1000, workers: 2 });
      // What the server saw arrive inside the run's planned window, by its own clock.
      const truth = await target.stats(runWindow(result));
      assert.equal(result.snapshot.totalRequests, truth.totalRequests);
      const measured = windowRates(truth.arrivals.window)!.arrivals;
      if (relPct(rate, measured) <= 0.5) return;
      misses.push(`server counted ${measured}/s (per second: ${truth.arrivals.perSecond})`);
    }
    assert.fail(misses.join("; "));
  });

  it("closed model: achievedRate matches the server's count per second within 1%", async () => {
    const seconds = 3;
    const misses: string[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      await target.reset();
      const result = await run({
        url: `${target.url}/`,
        concurrency: 10,
        durationMs: seconds * 1000,
        workers: 2,
      });
      const truth = await target.stats(runWindow(result));
      assert.equal(result.snapshot.totalRequests, truth.totalRequests);
      // The server's count per second: the responses it sent inside the run's planned window.
      const server = windowRates(truth.arrivals.window)!.responses;
      if (relPct(server, result.achievedRate) <= 1) return;
      misses.push(
        `achievedRate ${result.achievedRate} vs server ${server}/s (${truth.arrivals.responsesPerSecond})`,
      );
    }
    assert.fail(misses.join("; "));
  });

  it("an overloaded open run that ends with a backlog fails errors<1% (missed sends count)", async () => {
    await target.reset();
    const result: RunResult = await run({
      url: `${target.url}/delay/200`,
      rate: 100,
      concurrency: 4, // a fixed pool: 4 connections x 5 req/s = 20 req/s of capacity
      durationMs: 1500,
      workers: 1,
      thresholds: [parseThreshold("errors<1%")],
    });
    const s = result.snapshot;
    assert.equal(s.totalRequests, (await target.stats()).totalRequests);
    assert.equal(s.failedRequests, 0);
    assert.ok(s.missedSends > 50, `missed ${s.missedSends}`);
    assert.equal(s.totalRequests + s.missedSends, 150); // every planned arrival shows
    assert.equal(result.thresholds[0].passed, false);
    assert.ok(result.thresholds[0].actual > 50, `errors ${result.thresholds[0].actual}%`);
    assert.ok(result.pool !== null && result.pool.delayedSends > 0);
    assert.ok(result.warnings.some((w) => w.includes("never sent")), result.warnings.join("\n"));
    assert.ok(result.warnings.some((w) => w.includes("waited for a connection")), result.warnings.join("\n"));
  });

  it("open model: the pool grows on demand for a slow endpoint, and warns when its limit holds sends back", async () => {
    await target.reset();
    // 100 req/s x 250 ms needs ~25 connections; the default pool starts with 10.
    const grown = await run({ url: `${target.url}/delay/250`, rate: 100, durationMs: 2000, workers: 1 });
    assert.equal(grown.snapshot.totalRequests, 200);
    assert.equal(grown.snapshot.totalRequests, (await target.stats()).totalRequests);
    assert.equal(grown.snapshot.missedSends, 0);
    assert.ok(
      grown.pool !== null && grown.pool.initial === 10 && grown.pool.peak > 20,
      JSON.stringify(grown.pool),
    );
    assert.equal(grown.pool.delayedSends, 0);
    assert.deepEqual(grown.warnings, []);
    assert.ok(grown.snapshot.latency.p50 < 600, `p50 ${grown.snapshot.latency.p50} ms`);

    await target.reset();
    const capped = await run({
      url: `${target.url}/delay/250`,
      rate: 100,
      durationMs: 2000,
      workers: 1,
      maxConcurrency: 10,
    });
    assert.ok(capped.pool !== null && capped.pool.peak === 10 && capped.pool.delayedSends > 0);
    assert.ok(
      capped.warnings.some((w) => w.includes("all 10 allowed connections were busy")),
      capped.warnings[0],
    );
  });

  it("transport failures are kept apart from the response latencies", async () => {
    // A port with nothing listening: every request is refused in microseconds.
    const stopped = await startTarget({ mode: "worker" });
    const url = stopped.url + "/";
    await stopped.stop();
    const result = await run({ url, requests: 200, concurrency: 4, workers: 1 });
    const s = result.snapshot;
    assert.equal(s.totalRequests, 200);
    assert.equal(s.errorsByKind.refused, 200);
    assert.equal(s.latency.count, 0);
    assert.ok(s.noResponseLatency !== null);
    assert.equal(s.noResponseLatency.count, 200);
    assert.equal(result.histogram.buckets.length, 0);
  });
});
