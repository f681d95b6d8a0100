/**
 * `result.websocket` survives the JSON round trip and `lunge merge`: two
 * segments of a WebSocket run merge into counts that equal the server's, with
 * the handshake percentiles of the union.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { run } from "../../src/engine/run.ts";
import { parseResultJson, toJson } from "../../src/result/json.ts";
import { mergeResults } from "../../src/result/merge.ts";
import { startWsPeer } from "../_helpers/ws_peer.ts";

describe("WebSocket results: JSON and merge", () => {
  it("two segments merge into the server's counts; the JSON reads back", async () => {
    const peer = await startWsPeer();
    try {
      const url = `ws://127.0.0.1:${peer.port}/`;
      const parts = [];
      for (const index of [0, 1]) {
        const r = await run({
          url,
          messages: ["m {{seq}}"],
          requests: 400,
          concurrency: 4,
          workers: 1,
          segment: { index, count: 2 },
        });
        parts.push(parseResultJson(toJson(r)));
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      const stats = await peer.stats();
      assert.deepEqual(parts[0].websocket, parseResultJson(toJson(parts[0])).websocket);
      const merged = mergeResults(parts.map((result, i) => ({ name: `s${i}`, result })));
      const ws = merged.websocket!;
      assert.equal(merged.snapshot.totalRequests, 400);
      assert.equal(ws.messagesSent, stats.received);
      assert.equal(ws.messagesReceived, stats.sent);
      assert.equal(ws.handshakes, 4);
      assert.deepEqual(ws.handshake, merged.names.find((n) => n.name === "ws handshake")!.latency);
    } finally {
      await peer.stop();
    }
  });
});
