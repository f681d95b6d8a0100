import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AdaptiveBatchSize,
  BreakerState,
  CircuitBreaker,
  createStatsClient,
  MemoryLimiter,
  parseStatsAddress,
  resolveStatsConfig,
  StatsConfigurationError,
} from "../../src/stats/mod.ts";
import type { UdpSender } from "../../src/runtime/udp.ts";

const quiet = (): void => {};

/** A transport that fails while `failing` is true, completing asynchronously like a socket. */
function fakeTransport() {
  const state = { failing: true, sent: 0, events: 0 };
  const transport: UdpSender = {
    sendBufferBytes: 0,
    send(bytes, length, done) {
      const fail = state.failing;
      if (!fail) {
        state.sent++;
        state.events +=
          new TextDecoder().decode(bytes.subarray(0, length)).split("\n").filter(Boolean).length;
      }
      setTimeout(() => done(fail ? new Error("ECONNREFUSED") : null), 0);
    },
    onError() {},
    close: () => Promise.resolve(),
  };
  return { state, transport };
}

describe("circuit breaker", () => {
  it("opens after the threshold, half-opens after the timeout, closes after a good probe", () => {
    let now = 0;
    const changes: string[] = [];
    const b = new CircuitBreaker({
      failureThreshold: 3,
      resetTimeoutMs: 1000,
      probeSettleMs: 50,
      now: () => now,
      onStateChange: (_f, t) => changes.push(String(t)),
    });
    b.recordFailure();
    b.recordSuccess(); // a lone success does not reset the streak (UDP errors arrive late)
    b.recordFailure();
    assert.equal(b.state, BreakerState.Closed);
    b.recordFailure();
    assert.equal(b.state, BreakerState.Open);
    assert.equal(b.allowSend(), false);
    now = 1000;
    assert.equal(b.state, BreakerState.HalfOpen);
    assert.equal(b.allowSend(), true); // the probe
    assert.equal(b.allowSend(), false); // only one
    b.recordFailure(); // probe failed
    assert.equal(b.state, BreakerState.Open);
    now = 2000;
    assert.equal(b.allowSend(), true);
    b.recordSuccess();
    now = 2060;
    assert.equal(b.state, BreakerState.Closed);
    assert.equal(b.opens, 2);
    assert.deepEqual(changes, ["1", "2", "1", "2", "0"]);
  });

  it("resets the failure streak after threshold successes", () => {
    const b = new CircuitBreaker({ failureThreshold: 3 });
    b.recordFailure();
    b.recordFailure();
    for (let i = 0; i < 3; i++) b.recordSuccess();
    b.recordFailure();
    b.recordFailure();
    assert.equal(b.state, BreakerState.Closed);
  });

  it("the client recovers automatically once the network comes back", async () => {
    const { state, transport } = fakeTransport();
    const stats = createStatsClient({
      logger: quiet,
      breakerFailureThreshold: 3,
      breakerResetTimeoutMs: 100,
      maxBatchAgeMs: 10,
      batchSize: 1,
      adaptiveBatching: false,
    }, { transport });
    await stats.start();
    for (let i = 0; i < 10 && stats.metrics().breakerState !== "open"; i++) {
      stats.increment("x");
      await new Promise((r) => setTimeout(r, 15));
    }
    assert.equal(stats.metrics().breakerState, "open");
    stats.increment("while_open");
    await new Promise((r) => setTimeout(r, 20));
    assert.ok(stats.metrics().dropsByReason.circuit_open >= 1);
    state.failing = false;
    const deadline = performance.now() + 2000;
    while (stats.metrics().breakerState !== "closed" && performance.now() < deadline) {
      stats.increment("probe");
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(stats.metrics().breakerState, "closed");
    const before = state.events;
    for (let i = 0; i < 50; i++) stats.increment("after");
    const final = await stats.stop();
    assert.ok(state.events - before >= 50);
    assert.equal(
      final.eventsSent + final.eventsDropped + final.eventsBuffered + final.eventsInFlight,
      final.eventsReceived,
    );
    assert.ok(final.dropsByReason.network_error >= 3);
  });
});

describe("configuration", () => {
  it("has the seed's defaults", () => {
    const c = resolveStatsConfig({});
    assert.equal(c.bufferSize, 16384);
    assert.equal(c.batchSize, 50);
    assert.equal(c.maxBatchAgeMs, 100);
    assert.equal(c.maxMemoryMB, 10);
    assert.equal(c.maxInterned, 10_000);
    assert.equal(c.maxPacketBytes, 1472);
    assert.equal(resolveStatsConfig({ address: "[::1]:8125" }).maxPacketBytes, 1452);
  });

  it("reads environment variables, options win", () => {
    const env: Record<string, string> = {
      LUNGE_STATS_ADDRESS: "10.0.0.1:9000",
      LUNGE_STATS_BATCH_SIZE: "20",
      LUNGE_STATS_PROTOCOL: "binary",
    };
    const c = resolveStatsConfig({ batchSize: 30 }, (k) => env[k]);
    assert.deepEqual([c.host, c.port, c.batchSize, c.protocol], ["10.0.0.1", 9000, 30, "binary"]);
    assert.throws(
      () => resolveStatsConfig({}, (k) => (k === "LUNGE_STATS_BUFFER_SIZE" ? "lots" : undefined)),
      RangeError,
    );
  });

  it("rejects bad values at start-up with RangeError", () => {
    for (
      const address of [
        "",
        "nohost",
        "host:0",
        "host:70000",
        "999.1.1.1:8125",
        "bad host:1",
        "[::1:8125",
        ":8125",
      ]
    ) {
      assert.throws(() => createStatsClient({ address }), RangeError, address);
    }
    assert.throws(() => createStatsClient({ bufferSize: -1 }), /"bufferSize" must be/);
    assert.throws(() => createStatsClient({ batchSize: 0 }), RangeError);
    assert.throws(() => createStatsClient({ maxBatchAgeMs: -5 }), /"maxBatchAgeMs" must be > 0/);
    assert.throws(() => createStatsClient({ dropStrategy: "drop-all" as never }), RangeError);
    assert.throws(() => createStatsClient({ maxMemoryMB: 0.1 }), StatsConfigurationError);
    assert.deepEqual(parseStatsAddress("localhost:8125"), { host: "localhost", port: 8125, family: 4 });
  });
});

describe("memory limiter and adaptive batching", () => {
  it("refuses past the cap and reports pressure", () => {
    const levels: string[] = [];
    const l = new MemoryLimiter(100);
    l.onPressure((level) => levels.push(level));
    assert.ok(l.tryReserve(70));
    assert.ok(l.tryReserve(10)); // 80 %: high
    assert.ok(l.tryReserve(10)); // 90 %: critical
    assert.equal(l.tryReserve(20), false);
    l.release(60);
    assert.deepEqual(levels, ["high", "critical", "normal"]);
    assert.equal(l.refused, 1);
  });

  it("the client stops interning at the memory cap", () => {
    const levels: string[] = [];
    const stats = createStatsClient({
      maxMemoryMB: 1.2,
      bufferSize: 1024,
      maxInFlightPackets: 8,
      logger: quiet,
    });
    stats.onMemoryPressure((level) => levels.push(level));
    const long = "x".repeat(200);
    for (let i = 0; i < 5000; i++) stats.increment(`name.${i}.${long}`);
    const m = stats.metrics();
    assert.ok(m.dropsByReason.memory_limit > 0);
    assert.ok(m.internedNames < 5000);
    assert.ok(m.memoryUsedBytes <= m.memoryLimitBytes);
    assert.ok(levels.includes("high"));
  });

  it("adapts batch size with hysteresis and without oscillating", () => {
    const a = new AdaptiveBatchSize({ stableTicks: 3 });
    assert.equal(a.size, 50);
    for (let i = 0; i < 2; i++) assert.equal(a.observe(0.9), 50);
    assert.equal(a.observe(0.9), 100);
    // Readings that alternate around the 75 % threshold do not flip it.
    for (let i = 0; i < 20; i++) a.observe(i % 2 ? 0.74 : 0.76);
    assert.equal(a.size, 100);
    for (let i = 0; i < 3; i++) a.observe(0.1);
    assert.equal(a.size, 50);
    for (let i = 0; i < 3; i++) a.observe(0.1);
    assert.equal(a.size, 10);
    assert.equal(a.changes, 3);
  });
});
