/**
 * `ctx.ws` in scenarios: the example chat scenario against the built-in
 * target's /ws/echo (per-step counts equal the target's ground truth, checks
 * pass), and next() timing out or failing when the server closes.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../../src/engine/run.ts";
import { startTarget } from "../../../src/target/start.ts";
import { startWsPeer } from "../../_helpers/ws_peer.ts";

describe("ctx.ws in scenarios", () => {
  it("the chat example: per-step counts equal the target's ground truth, every check passes", async () => {
    const target = await startTarget({ mode: "process" });
    try {
      const result = await run({
        url: target.url,
        scenario: "examples/websocket_chat.ts",
        durationMs: 800,
        concurrency: 3,
        workers: 1,
      });
      let truth = (await target.stats()).websocket!;
      for (let i = 0; i < 50 && truth.closed < truth.opened; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        truth = (await target.stats()).websocket!;
      }
      const byName = Object.fromEntries(result.names.map((n) => [n.name, n]));
      const sc = result.scenario!;
      assert.equal(sc.iterations.errors, 0, JSON.stringify(sc.errors));
      assert.ok(byName["chat message"].count >= 9, `${byName["chat message"].count}`);
      assert.equal(byName["chat message"].count, truth.messagesSent);
      assert.equal(byName["chat message"].count, truth.messagesReceived);
      assert.equal(byName["chat connect"].count, truth.opened);
      assert.equal(byName["chat message"].errors, 0);
      assert.equal(sc.checks.find((c) => c.name === "echoed")!.fails, 0);
      assert.ok(result.thresholds.every((t) => t.passed), JSON.stringify(result.thresholds));
    } finally {
      await target.stop();
    }
  });

  it("next() rejects on a timeout and when the server closes; both recorded by kind", async () => {
    const peer = await startWsPeer(["--close-after", "1", "4000"]);
    const dir = mkdtempSync(join(tmpdir(), "lunge-ws-scenario-"));
    try {
      const file = join(dir, "s.ts");
      writeFileSync(
        file,
        `export default async function (ctx) {
          const s = await ctx.ws.connect("ws://127.0.0.1:${peer.port}/", { name: "w" });
          s.send("one");
          await s.next();
          try { await s.next({ timeout: 5000, name: "w after close" }); } catch (e) { if (!/4000/.test(e.message)) throw e; }
          const t = await ctx.ws.connect("ws://127.0.0.1:${peer.port}/", { name: "quiet" });
          try { await t.next({ timeout: 50 }); } catch (e) { if (!/within 50 ms/.test(e.message)) throw e; }
          await t.close();
        }`,
      );
      const result = await run({ url: "", scenario: file, requests: 3, concurrency: 1, workers: 1 });
      const byName = Object.fromEntries(result.names.map((n) => [n.name, n]));
      assert.equal(result.scenario!.iterations.errors, 0, JSON.stringify(result.scenario!.errors));
      assert.equal(byName["w message"].count, 3);
      assert.equal(byName["w after close"].errorsByKind.reset, 3);
      assert.equal(byName["quiet message"].errorsByKind.timeout, 3);
      assert.equal(byName["w connect"].count, 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await peer.stop();
    }
  });
});
