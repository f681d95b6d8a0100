import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { run } from "../../src/engine/run.ts";
import { inThreadWorker } from "../../src/engine/_in_thread_worker.ts";
import type { WorkerMessage } from "../../src/engine/worker_protocol.ts";
import { startTarget } from "../../src/target/start.ts";
import type { TargetHandle } from "../../src/target/types.ts";
import { runCli } from "../_helpers/cli_spawn.ts";
import { steady, testJob } from "../_helpers/load_worker_fakes.ts";

describe("one load worker on the calling thread", () => {
  let target: TargetHandle;
  before(async () => {
    target = await startTarget({ mode: "process" });
  });
  after(async () => {
    await target.stop();
  });

  it("speaks the worker protocol: ready after the job, done after the start, counts equal the target's", async () => {
    await target.reset();
    const t = testJob({
      model: "closed",
      concurrency: 4,
      segments: [steady(4, 400)],
      spec: { url: `${target.url}/`, method: "GET", headers: {} },
    });
    const worker = inThreadWorker();
    const seen: WorkerMessage[] = [];
    const done = new Promise<void>((resolve) =>
      worker.onMessage((m) => {
        seen.push(m as WorkerMessage);
        if ((m as WorkerMessage).type === "ready") {
          worker.postMessage({ type: "start", startEpochMs: Date.now() });
        }
        if ((m as WorkerMessage).type === "done") {
          resolve();
        }
      })
    );
    worker.postMessage(t.job);
    assert.equal(seen.length, 0, "messages arrive asynchronously, as from a thread");
    await done;
    worker.terminate();
    t.collector.close();
    assert.deepEqual(seen.map((m) => m.type), ["ready", "done"]);
    const truth = await target.stats();
    assert.ok(t.collector.getSnapshot().totalRequests > 0);
    assert.equal(t.collector.getSnapshot().totalRequests, truth.totalRequests);
  });

  it("a bad job is reported as the worker's error, not thrown at the caller", async () => {
    const worker = inThreadWorker();
    const t = testJob({ model: "closed", concurrency: 1, segments: [steady(1, 100)] });
    const message = new Promise<WorkerMessage>((resolve) =>
      worker.onMessage((m) => resolve(m as WorkerMessage))
    );
    worker.postMessage({ ...t.job, spec: { url: "not a url", method: "GET", headers: {} } });
    const m = await message;
    worker.terminate();
    t.collector.close();
    assert.equal(m.type, "error");
  });

  for (const workers of [1, 2]) {
    it(`an abort reaches an idle open-model worker at once (-w ${workers}), not at its slowed sweep`, async () => {
      const controller = new AbortController();
      let abortedAt = 0;
      const result = await run({
        url: `${target.url}/`,
        rate: 0.2, // one arrival every 5 s: the workers sit idle between them
        durationMs: 30_000,
        workers,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.requests > 0 && abortedAt === 0) {
            abortedAt = performance.now();
            controller.abort();
          }
        },
      });
      const tookMs = performance.now() - abortedAt;
      assert.equal(result.interrupted, true);
      assert.ok(abortedAt > 0, "the run was aborted");
      // The idle sweep comes every 5 s; the stop message makes it a matter of milliseconds.
      assert.ok(tookMs < 2000, `the run ended ${tookMs.toFixed(0)} ms after the abort`);
    });
  }

  it("LUNGE_THREADED_LOAD=1 gives the single worker a thread, with the same counts", async () => {
    await target.reset();
    const r = await runCli(["run", `${target.url}/`, "-n", "300", "-c", "3", "-w", "1", "-q"], {
      env: { LUNGE_THREADED_LOAD: "1" },
      timeoutMs: 30_000,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await target.stats()).totalRequests, 300);
  });
});
