import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createTargetApp } from "../../src/target/app.ts";
import { runtimeName } from "../../src/runtime/mod.ts";

describe("target POST /__lunge/gc (stress leak checks)", () => {
  it("forces a GC where possible, answers memory after it, and is not counted", async () => {
    const target = createTargetApp();
    const res = await target.fetch(new Request("http://localhost/__lunge/gc", { method: "POST" }));
    assert.equal(res.status, 200);
    const body = await res.json() as {
      gc: boolean;
      memory: { heapUsed: number; rss: number; external: number };
    };
    // Bun always can; Deno and Node only with --expose-gc: the answer says which.
    assert.equal(
      body.gc,
      runtimeName === "bun" ? true : typeof (globalThis as { gc?: unknown }).gc === "function",
    );
    assert.ok(body.memory.heapUsed > 0 && body.memory.rss >= body.memory.heapUsed, JSON.stringify(body));
    assert.equal(target.groundTruth().totalRequests, 0);
  });

  it("GET is not allowed (only POST changes state)", async () => {
    const target = createTargetApp();
    const res = await target.fetch(new Request("http://localhost/__lunge/gc"));
    assert.equal(res.status, 404);
    assert.equal(target.groundTruth().totalRequests, 0);
  });
});
