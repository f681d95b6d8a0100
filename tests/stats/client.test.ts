import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  createStatsClient,
  DropStrategy,
  Priority,
  type StatsMetricsSnapshot,
  StatType,
} from "../../src/stats/mod.ts";
import { startStatsSink } from "../_helpers/statsd_sink.ts";

const quiet = (): void => {};

function accounted(m: StatsMetricsSnapshot): number {
  return m.eventsSent + m.eventsDropped + m.eventsBuffered + m.eventsInFlight;
}

describe("stats client over loopback UDP", () => {
  for (const protocol of ["text", "binary"] as const) {
    it(`delivers every event, packed, in ${protocol}`, async () => {
      const sink = await startStatsSink();
      const stats = createStatsClient({
        address: `127.0.0.1:${sink.port}`,
        protocol,
        prefix: "t.",
        logger: quiet,
      });
      await stats.start();
      const tags = { route: "/x" };
      const n = 2000;
      for (let i = 0; i < n; i++) {
        stats.increment("hits", 1, tags);
        if (i % 10 === 0) stats.timing("lat", i / 10, tags);
        if (i % 250 === 0) await new Promise((r) => setTimeout(r, 1));
      }
      assert.equal(await stats.flush(2000), true);
      const final = await stats.stop();
      const events = await sink.waitForEvents(n + n / 10, 3000, protocol);
      await sink.close();
      assert.equal(final.eventsReceived, n + n / 10);
      assert.equal(final.eventsSent, n + n / 10);
      assert.equal(final.eventsDropped, 0);
      const hits = events.filter((e) => e.name === "t.hits");
      assert.equal(hits.reduce((s, e) => s + e.value, 0), n);
      assert.equal(events.filter((e) => e.name === "t.lat" && e.type === StatType.Timer).length, n / 10);
      assert.deepEqual(hits[0].tags, [{ key: "route", value: "/x" }]);
      assert.ok(final.eventsPerPacket >= 20, `${final.eventsPerPacket.toFixed(1)} events per packet`);
      for (const p of sink.packets) assert.ok(p.length <= 1472);
    });
  }

  it("sends a lone event within the batch age", async () => {
    const sink = await startStatsSink();
    const stats = createStatsClient({ address: `127.0.0.1:${sink.port}`, maxBatchAgeMs: 40, logger: quiet });
    await stats.start();
    const t0 = performance.now();
    stats.gauge("lonely", 42);
    const events = await sink.waitForEvents(1, 2000);
    const waited = performance.now() - t0;
    await stats.stop();
    await sink.close();
    assert.equal(events[0].value, 42);
    assert.ok(waited < 500, `took ${waited.toFixed(0)} ms`);
  });

  it("buffers events recorded before start and drops those after stop", async () => {
    const sink = await startStatsSink();
    const stats = createStatsClient({ address: `127.0.0.1:${sink.port}`, logger: quiet });
    stats.increment("early", 5);
    await stats.start();
    const final = await stats.stop();
    assert.equal(stats.increment("late"), false);
    const after = stats.metrics();
    const events = await sink.waitForEvents(1, 2000);
    await sink.close();
    assert.equal(final.eventsSent, 1);
    assert.equal(events[0].name, "early");
    assert.equal(after.dropsByReason.stopped, 1);
    assert.equal(accounted(after), after.eventsReceived);
  });

  it("never throws on bad input and counts it", () => {
    const stats = createStatsClient({ logger: quiet, maxInterned: 4 }); // "n" + a, b, c
    assert.equal(stats.increment("n", NaN), false);
    assert.equal(stats.gauge("n", Infinity), false);
    assert.equal(stats.increment(""), false);
    assert.equal(stats.increment(undefined as unknown as string), false);
    stats.increment("a");
    stats.increment("b");
    stats.increment("c");
    assert.equal(stats.increment("d"), false); // over the name cap
    const m = stats.metrics();
    assert.equal(m.dropsByReason.invalid, 4);
    assert.equal(m.dropsByReason.cardinality_limit, 1);
    assert.equal(m.internedNames, 4);
    assert.equal(accounted(m), m.eventsReceived);
  });

  it("warns once when dropping starts", () => {
    const lines: string[] = [];
    const stats = createStatsClient({ bufferSize: 64, logger: (_l, msg) => lines.push(msg) });
    for (let i = 0; i < 500; i++) stats.increment("x");
    assert.equal(lines.filter((l) => l.includes("dropping")).length, 1);
    const m = stats.metrics();
    assert.equal(m.dropsByReason.buffer_full, 500 - m.eventsBuffered);
  });
});

describe("drop strategies and priorities", () => {
  // Not started: nothing drains, so the rings fill deterministically (16 high, 32 medium, 16 low at bufferSize 64).
  it("DropNewest keeps the first events", () => {
    const stats = createStatsClient({ bufferSize: 64, logger: quiet });
    for (let i = 0; i < 100; i++) stats.increment("x", 1);
    const m = stats.metrics();
    assert.equal(m.eventsBuffered, 32);
    assert.equal(m.dropsByReason.buffer_full, 68);
  });

  it("DropOldest evicts to make room", () => {
    const stats = createStatsClient({ bufferSize: 64, dropStrategy: DropStrategy.DropOldest, logger: quiet });
    for (let i = 0; i < 100; i++) stats.increment("x", 1);
    const m = stats.metrics();
    assert.equal(m.eventsBuffered, 32);
    assert.equal(m.dropsByReason.evicted_oldest, 68);
    assert.equal(m.dropsByReason.buffer_full, 0);
  });

  it("DropByPriority sheds low, then medium, keeps high", () => {
    const stats = createStatsClient({
      bufferSize: 64,
      dropStrategy: DropStrategy.DropByPriority,
      logger: quiet,
    });
    // total capacity 64: fill medium (32) and high (16) = 48 = 75 %.
    for (let i = 0; i < 32; i++) stats.increment("m", 1, undefined, Priority.Medium);
    for (let i = 0; i < 16; i++) stats.increment("h", 1, undefined, Priority.High);
    assert.equal(stats.increment("l", 1, undefined, Priority.Low), false);
    assert.equal(stats.metrics().dropsByReason.priority_shed, 1);
    assert.equal(stats.increment("h", 1, undefined, Priority.High), false); // high ring itself full
    assert.equal(stats.metrics().dropsByReason.buffer_full, 1);
  });

  it("DropSampled keeps a marked share under pressure", () => {
    const stats = createStatsClient({
      bufferSize: 64,
      dropStrategy: DropStrategy.DropSampled,
      logger: quiet,
    });
    let kept = 0;
    for (let i = 0; i < 40; i++) if (stats.increment("s")) kept++;
    const m = stats.metrics();
    assert.ok(m.dropsByReason.sampled_out > 0);
    assert.equal(kept + m.dropsByReason.sampled_out + m.dropsByReason.buffer_full, 40);
    assert.ok(kept > 16 && kept < 32, `kept ${kept}`);
  });

  it("drains high priority first", async () => {
    const sink = await startStatsSink();
    const stats = createStatsClient({ address: `127.0.0.1:${sink.port}`, logger: quiet });
    stats.increment("low", 1, undefined, Priority.Low);
    stats.increment("medium", 1, undefined, Priority.Medium);
    stats.increment("high", 1, undefined, Priority.High);
    await stats.start();
    await stats.stop();
    const events = await sink.waitForEvents(3, 2000);
    await sink.close();
    assert.deepEqual(events.map((e) => e.name), ["high", "medium", "low"]);
  });
});
