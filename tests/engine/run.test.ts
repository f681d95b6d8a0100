import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { run } from "../../src/engine/run.ts";
import { RunOptionsError } from "../../src/engine/options.ts";
import { startTarget } from "../../src/target/start.ts";
import type { TargetHandle } from "../../src/target/types.ts";

describe("run() against the built-in target", () => {
  let target: TargetHandle;
  before(async () => {
    target = await startTarget({ mode: "process" });
  });
  after(async () => {
    await target.stop();
  });

  for (const collector of ["atomic", "legacy"] as const) {
    it(`closed model (${collector}): request and per-status counts equal the target's ground truth`, async () => {
      await target.reset();
      const result = await run({
        url: `${target.url}/flaky?error_rate=0.3`,
        durationMs: 1500,
        concurrency: 20,
        workers: 2,
        collector,
      });
      const truth = await target.stats();
      const s = result.snapshot;
      assert.ok(s.totalRequests > 500, `only ${s.totalRequests} requests`);
      assert.equal(s.totalRequests, truth.totalRequests);
      // Closed and drained: every send the pacer counted into the lanes completed (failures included).
      assert.equal(s.sent, s.totalRequests);
      assert.deepEqual(s.statusCounts, truth.byStatus);
      assert.equal(s.bytes, truth.bodyBytesSent);
      assert.ok(s.failedRequests > 0 && s.successfulRequests > 0);
      assert.equal(result.clients.requests, s.totalRequests);
      assert.equal(result.clients.errors, s.failedRequests);
      assert.equal(result.options.collector, collector);
      assert.equal(s.collector, collector);
    });
  }

  it("open model: exact ground truth and achieved rate within 1% of the target rate", async () => {
    await target.reset();
    const rate = 400;
    const result = await run({
      url: `${target.url}/status/404`,
      rate,
      durationMs: 3000,
      concurrency: 50,
      workers: 2,
    });
    const truth = await target.stats();
    assert.equal(result.snapshot.totalRequests, truth.totalRequests);
    assert.equal(result.snapshot.statusCounts["404"], truth.byStatus["404"]);
    assert.ok(Math.abs(result.achievedRate - rate) / rate <= 0.01, `achieved ${result.achievedRate}`);
    assert.equal(result.snapshot.totalRequests, rate * 3); // every arrival sent, late ones included
    assert.ok(result.snapshot.serviceTime !== null);
    assert.equal(result.options.model, "open");
  });

  it("open model corrects coordinated omission: a 1 s stall shows in corrected p99, not in service time", async () => {
    await target.reset();
    const stall = setTimeout(() => target.stall(1000), 1200);
    const result = await run({
      url: `${target.url}/`,
      rate: 400,
      durationMs: 4000,
      concurrency: 4,
      workers: 1,
    });
    clearTimeout(stall);
    const s = result.snapshot;
    assert.ok(s.latency.p99 > 500, `corrected p99 ${s.latency.p99} ms should show the stall`);
    assert.ok(
      s.serviceTime !== null && s.serviceTime.p99 < 100,
      `service p99 ${s.serviceTime?.p99} ms should not`,
    );
    // concurrency given: a fixed pool of 4, so arrivals during the stall wait for a connection.
    assert.ok(
      result.pool !== null && result.pool.delayedSends > 100,
      `delayed sends ${result.pool?.delayedSends}: arrivals during the stall found no free connection`,
    );
    assert.equal(s.totalRequests + s.missedSends, 1600); // late (or, past the end, missed): every arrival shows
  });

  it("an overloaded open model stops on time, counts unsent arrivals as missed and reports the rate it achieved", async () => {
    const t0 = performance.now();
    // 2 connections x ~40 req/s each cannot carry 1000 req/s.
    const result = await run({
      url: `${target.url}/delay/25`,
      rate: 1000,
      durationMs: 1000,
      concurrency: 2,
      workers: 1,
    });
    assert.ok(performance.now() - t0 < 4000, "the backlog is not sent after the planned end");
    const s = result.snapshot;
    assert.ok(s.totalRequests < 200, `sent ${s.totalRequests}`);
    assert.ok(s.missedSends >= 1000 - s.totalRequests - 2, `missed ${s.missedSends}`);
    assert.ok(result.achievedRate < 200, `achieved ${result.achievedRate}`);
  });

  it("a request-count limit sends exactly that many", async () => {
    await target.reset();
    const result = await run({ url: `${target.url}/bytes/100`, requests: 1001, concurrency: 7, workers: 2 });
    assert.equal(result.snapshot.totalRequests, 1001);
    assert.equal((await target.stats()).totalRequests, 1001);
    assert.equal(result.snapshot.bytes, 100_100);
  });

  it("warm-up requests reach the target but are not counted; the series covers the measured part", async () => {
    await target.reset();
    const result = await run({
      url: `${target.url}/`,
      rate: 200,
      warmupMs: 1000,
      durationMs: 2000,
      concurrency: 10,
      workers: 1,
    });
    const truth = await target.stats();
    assert.ok(truth.totalRequests >= 590, `target saw ${truth.totalRequests}`);
    assert.ok(Math.abs(result.snapshot.totalRequests - 400) <= 4, `counted ${result.snapshot.totalRequests}`);
    assert.equal(result.snapshot.sent, result.snapshot.totalRequests, "warm-up sends are not counted either");
    assert.ok(result.timeSeries.length >= 2 && result.timeSeries.length <= 3);
  });

  it("ramps the rate linearly: ramp-up 0→R over 2 s then 1 s steady is about 2R requests", async () => {
    const result = await run({
      url: `${target.url}/`,
      rate: 300,
      rampUpMs: 2000,
      durationMs: 3000,
      concurrency: 10,
      workers: 2,
    });
    assert.ok(Math.abs(result.snapshot.totalRequests - 600) <= 6, `got ${result.snapshot.totalRequests}`);
  });

  it("an abort stops the run early with a partial result", async () => {
    const controller = new AbortController();
    const t0 = performance.now();
    const result = await run({
      url: `${target.url}/`,
      durationMs: 30_000,
      concurrency: 10,
      workers: 2,
      signal: controller.signal,
      onProgress: (p) => p.requests > 0 && controller.abort(), // abort once load is flowing
    });
    assert.ok(performance.now() - t0 < 10_000);
    assert.equal(result.interrupted, true);
    assert.ok(result.snapshot.totalRequests > 0);
    // What was still in flight when the grace period ran out was sent but never completed.
    assert.ok(result.snapshot.sent! >= result.snapshot.totalRequests, `sent ${result.snapshot.sent}`);
  });

  it("reports progress once per second", async () => {
    const seen: number[] = [];
    await run({
      url: `${target.url}/`,
      durationMs: 2200,
      concurrency: 5,
      workers: 1,
      onProgress: (p) => seen.push(p.requests),
    });
    assert.ok(seen.length >= 2, `progress calls: ${seen.length}`);
    assert.ok(seen[seen.length - 1] >= seen[0]);
  });
});

describe("run() edge cases", () => {
  it("an unreachable port gives counted refused errors, not a crash", async () => {
    const result = await run({ url: "http://127.0.0.1:9/", durationMs: 500, concurrency: 2, workers: 1 });
    assert.ok(result.snapshot.totalRequests > 0);
    assert.equal(result.snapshot.errorsByKind.refused, result.snapshot.totalRequests);
    assert.equal(result.targetRefusedConnections, true);
  });

  it("timeouts are classified and counted", async () => {
    const target = await startTarget({ mode: "worker" });
    try {
      const result = await run({
        url: `${target.url}/delay/2000`,
        requests: 3,
        concurrency: 3,
        workers: 1,
        timeoutMs: 200,
      });
      assert.equal(result.snapshot.errorsByKind.timeout, 3);
      assert.equal(result.clients.timeouts, 3);
    } finally {
      await target.stop();
    }
  });

  it("rejects bad options before starting", async () => {
    await assert.rejects(run({ url: "ftp://x" }), /must be http:\/\/ or https:\/\//);
    await assert.rejects(run({ url: "http://127.0.0.1:1/", rate: 0 }), /"rate" must be > 0/);
    await assert.rejects(run({ url: "http://127.0.0.1:1/", concurrency: 0 }), /"concurrency"/);
    await assert.rejects(
      run({ url: "http://127.0.0.1:1/", durationMs: 1000, rampUpMs: 800, rampDownMs: 800 }),
      (e: unknown) => e instanceof RunOptionsError && /exceed the duration/.test(e.message),
    );
    await assert.rejects(
      run({ url: "not a url" }),
      (e: unknown) => e instanceof RunOptionsError && e.option === "url" && /not a valid URL/.test(e.message),
    );
    await assert.rejects(
      run({ url: "http://127.0.0.1:1/", rate: 0 }),
      (e: unknown) =>
        e instanceof RunOptionsError && e.option === "rate" &&
        e.message.startsWith('Cannot start run: "rate"'),
    );
  });
});
