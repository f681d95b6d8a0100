import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { runWsEchoClient } from "../../bench/_lib/ws_native_floor.ts";
import { startWsPeer } from "../_helpers/ws_peer.ts";

describe("bench: the WebSocket native floor (a C echo client)", () => {
  it("has a C compiler to build it (apt-get install gcc)", () => {
    assert.equal(spawnSync("cc", ["--version"]).status, 0, "cc is missing: apt-get install gcc");
  });

  it("completes round trips against the ws package's echo server, counted as the server counts them", async () => {
    const peer = await startWsPeer();
    try {
      const run = await runWsEchoClient({
        url: `ws://127.0.0.1:${peer.port}/`,
        connections: 4,
        seconds: 0.5,
      });
      assert.equal(run.code, 0, run.stderrTail);
      const stats = await peer.stats();
      assert.equal(stats.connections, 4);
      assert.ok(run.roundTrips > 0, `${run.roundTrips} round trips`);
      // It reads the echoes still on their way before it prints: every frame sent came back.
      assert.equal(run.sent, run.roundTrips);
      assert.equal(stats.received, run.sent);
      assert.equal(stats.sent, run.roundTrips);
      // "hello" each way, as the bench sends.
      assert.equal(stats.bytesReceived, 5 * run.sent);
    } finally {
      await peer.stop();
    }
  });

  it("exits 1 with no counts when it cannot connect", async () => {
    // Port 9 on loopback (discard) is closed on these machines: the client exits 1 at once.
    const run = await runWsEchoClient({ url: "ws://127.0.0.1:9/", connections: 2, seconds: 0.2 });
    assert.equal(run.code, 1);
    assert.ok(Number.isNaN(run.roundTrips) && Number.isNaN(run.sent));
    assert.match(run.stderrTail, /connect/);
  });
});
