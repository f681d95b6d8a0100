import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createStatsClient } from "../../src/stats/mod.ts";
import { startStatsdDaemon } from "../_helpers/statsd_daemon.ts";

describe("real peer: Etsy statsd daemon", () => {
  it("receives exactly the counter totals and timer counts recorded", async () => {
    const daemon = await startStatsdDaemon();
    try {
      const stats = createStatsClient({
        address: `127.0.0.1:${daemon.port}`,
        prefix: "lunge.",
        logger: () => {},
      });
      await stats.start();
      const a = { route: "a" };
      let expectedHits = 0;
      for (let i = 0; i < 3000; i++) {
        stats.increment("hits", 2);
        expectedHits += 2;
        if (i % 3 === 0) stats.increment("tagged", 1, a);
        if (i % 5 === 0) stats.timing("lat", i % 97);
        if (i % 500 === 0) await new Promise((r) => setTimeout(r, 2));
      }
      stats.gauge("level", 17);
      const final = await stats.stop();
      assert.equal(final.eventsDropped, 0);
      const ok = await daemon.waitFor(() =>
        daemon.counters["lunge.hits"] === expectedHits && daemon.timerCounts["lunge.lat"] === 600 &&
        daemon.counters["lunge.tagged;route=a"] === 1000
      );
      assert.ok(ok, JSON.stringify({ c: daemon.counters, t: daemon.timerCounts }));
      assert.equal(daemon.counters["lunge.hits"], expectedHits);
      assert.equal(daemon.timerCounts["lunge.lat"], 600);
      assert.equal(daemon.counters["lunge.tagged;route=a"], 1000);
      assert.equal(daemon.gauges["lunge.level"], 17);
      assert.equal(daemon.badLines, 0);
    } finally {
      await daemon.stop();
    }
  });
});
