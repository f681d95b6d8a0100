import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createCollector } from "../../src/collector/mod.ts";
import { createHarnessMetricsApp, startStatsdRunOutput } from "../../src/stats/harness/mod.ts";
import {
  AsyncMetricRecorder,
  developmentMetricsConfig,
  EndpointExecutionMetric,
  ThroughputMetric,
} from "../../src/stats/mod.ts";
import { startStatsdDaemon } from "../_helpers/statsd_daemon.ts";
import { promtool, promtoolCheckMetrics } from "../_helpers/statsd_promtool.ts";

describe("harness outputs", () => {
  it("streams run metrics to a real statsd daemon as deltas, tagged errors and gauges", async () => {
    const daemon = await startStatsdDaemon();
    const collector = createCollector();
    try {
      const out = await startStatsdRunOutput({
        address: `127.0.0.1:${daemon.port}`,
        intervalMs: 50,
        getSnapshot: () => collector.getSnapshot(),
        client: { logger: () => {} },
      });
      for (let round = 0; round < 4; round++) {
        for (let i = 0; i < 250; i++) {
          collector.record(i % 50 === 0 ? 503 : i % 25 === 0 ? 302 : 200, 1 + (i % 20), 10, 0, -1);
        }
        collector.record(0, 5, 0, 2, -1); // refused: a transport error, no status
        collector.record(418, 5, 0, 0, -1);
        await new Promise((r) => setTimeout(r, 60));
      }
      collector.flush();
      await out.stop();
      const s = collector.getSnapshot();
      const ok = await daemon.waitFor(() => daemon.counters["lunge.requests"] === s.totalRequests);
      assert.ok(ok, JSON.stringify(daemon.counters));
      assert.equal(daemon.counters["lunge.errors"], s.failedRequests);
      assert.equal(daemon.counters["lunge.errors.by_status;status=503"], s.errorsByStatus["503"]);
      assert.equal(daemon.counters["lunge.errors.by_status;status=418"], 4);
      assert.equal(daemon.counters["lunge.errors.by_kind;kind=refused"], 4);
      assert.ok(daemon.gauges["lunge.latency.p99"] > 0);
      assert.ok("lunge.rps" in daemon.gauges);
    } finally {
      collector.close();
      await daemon.stop();
    }
  });

  it(
    'serves harness /metrics with status="other" and endpoint labels that promtool accepts',
    promtool.options(),
    async () => {
      const collector = createCollector();
      for (let i = 0; i < 100; i++) collector.record(i < 90 ? 200 : 500, i, 1, 0, -1);
      collector.record(0, 3, 0, 1, -1);
      collector.flush();
      const ep = new EndpointExecutionMetric();
      ep.record(3, false);
      ep.record(700, true);
      const app = createHarnessMetricsApp({
        getSnapshot: () => collector.getSnapshot(),
        getEndpoints: () => ({ "GET /users": ep.snapshot() }),
      });
      const text = await (await app.request("/metrics")).text();
      const health = await (await app.request("/health")).json();
      collector.close();
      assert.match(text, /^lunge_requests_total 101$/m);
      assert.match(text, /^lunge_errors_total\{status="500"\} 10$/m);
      assert.match(text, /^lunge_errors_total\{status="other"\} \d+$/m);
      assert.match(text, /^lunge_endpoint_errors_total\{endpoint="GET \/users"\} 1$/m);
      assert.match(text, /^lunge_latency_seconds\{quantile="0.99"\} [\d.e-]+$/m);
      assert.equal(health.status, "ok");
      const check = promtoolCheckMetrics(text);
      assert.ok(check.ok, check.output);
    },
  );
});

describe("async recorder, throughput and endpoint metrics", () => {
  it("ThroughputMetric computes a sliding rate and SLA violations", () => {
    let now = 0;
    const t = new ThroughputMetric({ windowSeconds: 3, slaMinPerSecond: 100, now: () => now });
    t.add(150);
    now = 1000;
    t.add(50);
    now = 2000;
    t.add(120);
    now = 3000;
    assert.equal(t.perSecond(), (50 + 120) / 2);
    assert.equal(t.slaViolations, 1);
    assert.equal(t.total, 320);
  });

  it("AsyncMetricRecorder applies updates off the caller's path and drops or applies on overflow", async () => {
    const totals = new Map<number, number>();
    const apply = (k: number, v: number) => totals.set(k, (totals.get(k) ?? 0) + v);
    const dev = new AsyncMetricRecorder({ ...developmentMetricsConfig(), bufferSize: 4 }, apply);
    for (let i = 0; i < 10; i++) dev.record(1, 1);
    assert.equal(dev.dropped, 0);
    await dev.close();
    assert.equal(totals.get(1), 10);
    const prod = new AsyncMetricRecorder({
      bufferSize: 4,
      workerCount: 2,
      flushTimeoutMs: 10,
      dropOnOverflow: true,
    }, apply);
    for (let i = 0; i < 10; i++) prod.record(2, 1);
    assert.equal(prod.dropped, 6);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(prod.pending, 0);
    await prod.close();
    assert.equal(totals.get(2), 4);
  });

  it("EndpointExecutionMetric tracks count, sum, min/max, errors and buckets", () => {
    const m = new EndpointExecutionMetric();
    for (const d of [0.5, 3, 3, 7000]) m.record(d, d > 1000);
    const s = m.snapshot();
    assert.deepEqual([s.count, s.errors, s.minMs, s.maxMs, s.durationSumMs], [4, 1, 0.5, 7000, 7006.5]);
    assert.equal(s.buckets[0], 1);
    assert.equal(s.buckets[2], 2);
    assert.equal(s.buckets[s.buckets.length - 1], 1);
  });
});
