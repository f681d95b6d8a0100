/**
 * `onWorkerHeap`: every load worker reads its own heap in its own thread
 * (after a forced GC where the runtime allows) and the readings reach the
 * main thread through the worker's message channel, off the request path.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { run } from "../../src/engine/run.ts";
import { RunOptionsError, type WorkerHeapReading } from "../../src/engine/options.ts";
import { system } from "../../src/runtime/mod.ts";
import { startTarget } from "../../src/target/start.ts";
import type { TargetHandle } from "../../src/target/types.ts";

describe("run() onWorkerHeap", () => {
  let target: TargetHandle;
  before(async () => {
    target = await startTarget({ mode: "process" });
  });
  after(async () => {
    await target.stop();
  });

  for (const workers of [2, 1]) {
    it(`${workers} load worker${workers > 1 ? "s, each on its thread," : " (on this thread)"} report their heap`, async () => {
      const readings: WorkerHeapReading[] = [];
      const result = await run({
        url: `${target.url}/`,
        rate: 100,
        durationMs: 1500,
        concurrency: 4,
        workers,
        onWorkerHeap: (r) => readings.push(r),
        workerHeapEveryMs: 200,
      });
      // Every arrival sent, or counted as missed (a forced GC at the very end can make one late).
      assert.equal(result.snapshot.totalRequests + result.snapshot.missedSends, 150);
      const gcAvailable = system.gc(); // the same answer a worker gets: Bun always, Deno with --expose-gc
      for (let w = 1; w <= workers; w++) {
        const mine = readings.filter((r) => r.worker === w);
        assert.ok(mine.length >= 3, `worker ${w}: ${mine.length} readings`);
        for (const r of mine) {
          assert.ok(r.heapUsed > 0 && r.elapsedMs > 0 && r.elapsedMs < 3000, JSON.stringify(r));
          assert.equal(r.afterGc, gcAvailable);
          assert.ok(r.gcMs >= 0);
        }
        // In time order, about 200 ms apart.
        for (let i = 1; i < mine.length; i++) assert.ok(mine[i].elapsedMs > mine[i - 1].elapsedMs);
      }
      assert.deepEqual(
        [...new Set(readings.map((r) => r.worker))].sort(),
        Array.from({ length: workers }, (_, i) => i + 1),
      );
    });
  }

  it("scenario workers report their heap too", async () => {
    const readings: WorkerHeapReading[] = [];
    await run({
      url: target.url,
      scenario: "examples/login_then_api.ts",
      durationMs: 1200,
      concurrency: 4,
      workers: 2,
      onWorkerHeap: (r) => readings.push(r),
      workerHeapEveryMs: 200,
    });
    for (const w of [1, 2]) {
      const mine = readings.filter((r) => r.worker === w);
      assert.ok(
        mine.length >= 2 && mine.every((r) => r.heapUsed > 0),
        `worker ${w}: ${JSON.stringify(mine)}`,
      );
    }
  });

  it("a bad workerHeapEveryMs is a RunOptionsError naming it", async () => {
    await assert.rejects(
      run({
        url: `${target.url}/`,
        rate: 10,
        durationMs: 1000,
        onWorkerHeap: () => {},
        workerHeapEveryMs: 5,
      }),
      (e: unknown) => e instanceof RunOptionsError && e.option === "workerHeapEveryMs",
    );
  });
});
