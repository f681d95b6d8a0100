/** Network failures and overflow never crash, block, or lose track of an event. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createStatsClient, type StatsMetricsSnapshot } from "../../src/stats/mod.ts";
import type { UdpSender } from "../../src/runtime/udp.ts";
import { closedPort, startStatsSink } from "../_helpers/statsd_sink.ts";

const quiet = (): void => {};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function assertAccounted(m: StatsMetricsSnapshot): void {
  assert.equal(
    m.eventsSent + m.eventsDropped + m.eventsBuffered + m.eventsInFlight,
    m.eventsReceived,
    JSON.stringify(m.dropsByReason),
  );
}

/** Records `n` events in slices, returning the 99th percentile time of one record call (ms). */
async function produce(stats: ReturnType<typeof createStatsClient>, n: number, slice = 200): Promise<number> {
  const times: number[] = [];
  const tags = { chaos: "yes" };
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    stats.increment("chaos.events", 1, tags);
    times.push(performance.now() - t0);
    if (i % slice === 0) await sleep(1);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length * 0.99)];
}

describe("chaos", () => {
  it("destination unreachable: no crash, no block, all accounted", async () => {
    const port = await closedPort();
    const stats = createStatsClient({
      address: `127.0.0.1:${port}`,
      logger: quiet,
      breakerFailureThreshold: 3,
      maxBatchAgeMs: 10,
    });
    await stats.start();
    const t0 = performance.now();
    const p99 = await produce(stats, 3000, 100);
    const took = performance.now() - t0;
    const m = await stats.stop(500);
    assert.equal(m.eventsReceived, 3000);
    assertAccounted(m);
    assert.ok(p99 < 1, `p99 of a record call ${p99.toFixed(3)} ms`);
    assert.ok(took < 3000, `3000 records took ${took.toFixed(0)} ms`);
    // Node and Bun surface ICMP port-unreachable on connected sockets; Deno's node:dgram does not.
    if (m.udpErrors >= 3) assert.ok(m.breakerOpens >= 1 && m.dropsByReason.circuit_open > 0);
  });

  it("receiver stops mid-run and comes back on the same port", async () => {
    let sink = await startStatsSink();
    const port = sink.port;
    const stats = createStatsClient({
      address: `127.0.0.1:${port}`,
      logger: quiet,
      breakerFailureThreshold: 3,
      breakerResetTimeoutMs: 100,
      maxBatchAgeMs: 10,
    });
    await stats.start();
    await produce(stats, 500);
    await stats.flush();
    const firstRun = (await sink.waitForEvents(500, 2000)).length;
    await sink.close();
    await produce(stats, 1000, 50); // receiver gone
    sink = await startStatsSink(port);
    await sleep(250); // past the breaker's reset timeout
    // Keep producing until traffic flows again (the breaker closes after a good probe).
    const deadline = performance.now() + 3000;
    while (sink.events().length === 0 && performance.now() < deadline) await produce(stats, 50, 50);
    await produce(stats, 500);
    const m = await stats.stop(1000);
    await sleep(50);
    const received = sink.events().length;
    await sink.close();
    assert.ok(firstRun >= 500, `first receiver got ${firstRun}`);
    assert.ok(received >= 500, `second receiver got ${received}`);
    assert.equal(m.breakerState, "closed");
    assertAccounted(m);
  });

  it("a lossy network (30 % of packets fail) is counted, never thrown", async () => {
    let n = 0;
    let delivered = 0;
    const transport: UdpSender = {
      sendBufferBytes: 0,
      send(bytes, length, done) {
        const fail = n++ % 10 < 3;
        if (!fail) {
          delivered += new TextDecoder().decode(bytes.subarray(0, length)).split("\n").filter(Boolean).length;
        }
        setTimeout(() => done(fail ? new Error("ENOBUFS") : null), 0);
      },
      onError() {},
      close: () => Promise.resolve(),
    };
    const stats = createStatsClient({ logger: quiet, breakerFailureThreshold: 1000 }, { transport });
    await stats.start();
    await produce(stats, 5000);
    const m = await stats.stop();
    assertAccounted(m);
    assert.equal(m.eventsSent, delivered);
    assert.ok(m.dropsByReason.network_error > 0);
    assert.equal(m.eventsSent + m.dropsByReason.network_error, 5000);
  });

  it("buffer overflow while the socket is stalled: drops by reason, no block", async () => {
    const pending: Array<() => void> = [];
    const transport: UdpSender = {
      sendBufferBytes: 0,
      send(_b, _l, done) {
        pending.push(() => done(null)); // never completes until released
      },
      onError() {},
      close: () => Promise.resolve(),
    };
    const stats = createStatsClient({ logger: quiet, bufferSize: 1024, maxInFlightPackets: 4 }, {
      transport,
    });
    await stats.start();
    const t0 = performance.now();
    for (let i = 0; i < 100_000; i++) stats.increment("overflow", 1);
    const took = performance.now() - t0;
    const mid = stats.metrics();
    assertAccounted(mid);
    assert.ok(mid.dropsByReason.buffer_full > 90_000);
    assert.ok(took < 2000, `100k records took ${took.toFixed(0)} ms`);
    for (const release of pending.splice(0)) release();
    const m = await stats.stop(300);
    for (const release of pending.splice(0)) release();
    assertAccounted(m);
  });
});
