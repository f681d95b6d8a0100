/**
 * The built-in target's `/ws/echo`: lunge's WebSocket counts equal the
 * target's ground truth in `/__lunge/stats` (worker and process modes), a
 * plain GET gets 426, and `lunge run builtin:/ws/echo` starts it and runs.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { startTarget } from "../../src/target/start.ts";
import { run } from "../../src/engine/run.ts";

describe("built-in target /ws/echo", () => {
  for (const mode of ["worker", "process"] as const) {
    it(`${mode} mode: lunge's counts equal the target's ground truth`, async () => {
      const target = await startTarget({ mode });
      try {
        const result = await run({
          url: target.url.replace(/^http/, "ws") + "/ws/echo",
          messages: ["echo {{seq}}", "ünïcode"],
          concurrency: 5,
          requests: 1000,
          workers: 1,
        });
        const ws = result.websocket!;
        let truth = (await target.stats()).websocket!;
        for (let i = 0; i < 50 && truth.closed < 5; i++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          truth = (await target.stats()).websocket!;
        }
        assert.equal(result.snapshot.successfulRequests, 1000);
        assert.equal(truth.opened, 5);
        assert.equal(truth.closed, 5);
        assert.equal(ws.messagesSent, truth.messagesReceived);
        assert.equal(ws.messagesReceived, truth.messagesSent);
        assert.equal(ws.bytesSent, truth.bytesReceived);
        assert.equal(ws.bytesReceived, truth.bytesSent);
        const plain = await fetch(`${target.url}/ws/echo`);
        assert.equal(plain.status, 426);
        await plain.body?.cancel();
      } finally {
        await target.stop();
      }
    });
  }

  it("lunge run builtin:/ws/echo starts the target and loads it over ws://", async () => {
    const result = await run({
      url: "builtin:/ws/echo",
      messages: ["x"],
      concurrency: 2,
      requests: 200,
      workers: 1,
    });
    assert.match(result.target.url, /^ws:\/\/127\.0\.0\.1:\d+\/ws\/echo$/);
    assert.equal(result.snapshot.successfulRequests, 200);
    assert.equal(result.websocket!.messagesSent, 200);
  });
});
