import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createStatsApp, createStatsClient } from "../../src/stats/mod.ts";
import { promtool, promtoolCheckMetrics } from "../_helpers/statsd_promtool.ts";
import { startStatsSink } from "../_helpers/statsd_sink.ts";

describe("stats /metrics and /health", () => {
  it("serves Prometheus text that promtool accepts", promtool.options(), async () => {
    const sink = await startStatsSink();
    const stats = createStatsClient({ address: `127.0.0.1:${sink.port}`, logger: () => {} });
    await stats.start();
    for (let i = 0; i < 300; i++) stats.timing("x", i);
    await stats.flush();
    const app = createStatsApp(stats);
    const res = await app.request("/metrics");
    const text = await res.text();
    await stats.stop();
    await sink.close();
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/plain; version=0\.0\.4/);
    assert.match(text, /^lunge_stats_events_sent_total 300$/m);
    assert.match(text, /^lunge_stats_events_dropped_total\{reason="buffer_full"\} 0$/m);
    assert.match(text, /^lunge_stats_send_latency_seconds_bucket\{le="\+Inf"\} \d+$/m);
    const check = promtoolCheckMetrics(text);
    assert.ok(check.ok, check.output);
  });

  it("reports ok, then degraded when the drop rate passes 1 %", async () => {
    const stats = createStatsClient({ bufferSize: 64, logger: () => {} });
    const app = createStatsApp(stats);
    const ok = await app.request("/health");
    assert.equal(ok.status, 200);
    assert.equal((await ok.json()).status, "ok");
    for (let i = 0; i < 100; i++) stats.increment("x");
    const bad = await app.request("/health");
    const body = await bad.json();
    assert.equal(bad.status, 503);
    assert.equal(body.status, "degraded");
    assert.equal(body.checks.dropRate.ok, false);
    assert.equal(body.checks.bufferUtilization.ok, true); // 32 of 64 slots
    assert.equal(body.metrics.eventsReceived, 100);
  });
});
