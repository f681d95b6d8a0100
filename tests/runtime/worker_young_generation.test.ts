// Workers started by the runtime adapter: on Deno their V8 young generation is capped
// (resourceLimits of a node:worker_threads worker), so a long run's RSS does not climb as V8 grows it;
// the same churn in a worker without the cap grows it past the cap (the control: the check can fail).
// On Bun (JavaScriptCore, no young generation to size) the web worker round-trips messages.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Worker as NodeWorker } from "node:worker_threads";
import { runtimeName } from "../../src/runtime/mod.ts";
import { spawnWorker } from "../../src/runtime/worker.ts";
import { WORKER_YOUNG_GENERATION_MB } from "../../src/runtime/deno/worker.ts";

const MIB = 1024 * 1024;
/**
 * Allocates 3 million small objects, keeping the last 20,000 alive (enough survivors for V8 to grow
 * an uncapped young generation to its maximum), and posts the new space's size after it. Capped, it
 * may pass the cap for a moment during the churn and settles within it.
 */
const CHURN = `
import v8 from "node:v8";
const scope = globalThis;
scope.onmessage = () => {
  const keep = new Array(20000);
  for (let round = 0; round < 300; round++) {
    for (let i = 0; i < 10000; i++) keep[(round * 10000 + i) % 20000] = { a: i, b: [i, round], c: "x" + i };
  }
  const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
  scope.postMessage(space === undefined ? -1 : space.space_size);
};
`;
const url = (): URL => new URL(`data:text/javascript;base64,${btoa(CHURN)}`);

function once(post: (m: unknown) => void, listen: (h: (m: unknown) => void) => void): Promise<number> {
  return new Promise((resolve) => {
    listen((m) => resolve(m as number));
    post(1);
  });
}

describe("worker young generation", { timeout: 60_000 }, () => {
  it("a worker from spawnWorker keeps its young generation within the cap (Deno); round-trips (Bun)", async () => {
    const worker = spawnWorker(url(), "lunge-test-young");
    try {
      const size = await once((m) => worker.postMessage(m), (h) => worker.onMessage(h));
      assert.equal(typeof size, "number");
      if (runtimeName === "deno") {
        assert.ok(size > 0, "new space size read");
        assert.ok(size <= WORKER_YOUNG_GENERATION_MB * MIB, `new space at ${(size / MIB).toFixed(1)} MiB`);
      }
    } finally {
      worker.terminate();
    }
  });

  // JavaScriptCore has no young generation to compare: the control is Deno's alone.
  if (runtimeName !== "deno") return;
  it("the control: the same churn without the cap grows the young generation past it (Deno)", async () => {
    const worker = new NodeWorker(url(), { name: "lunge-test-young-uncapped" });
    try {
      const size = await once((m) => worker.postMessage(m), (h) => worker.on("message", h));
      assert.ok(
        size > 2 * WORKER_YOUNG_GENERATION_MB * MIB,
        `uncapped new space only ${(size / MIB).toFixed(1)} MiB`,
      );
    } finally {
      void worker.terminate();
    }
  });
});
