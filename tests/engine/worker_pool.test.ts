/**
 * The run's worker pool with fake workers (no threads): the ready and done
 * latches, a failure before the start, a crash after it (with its bounded
 * drain), and termination on every path.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { WorkerPool, type WorkerPoolOptions } from "../../src/engine/_worker_pool.ts";
import type { WorkerHandle } from "../../src/runtime/worker.ts";
import type { WorkerTotals } from "../../src/engine/_run_totals.ts";
import type { WorkerJob } from "../../src/engine/worker_protocol.ts";

/** A worker that only records what it is told; the test speaks for it. */
class FakeWorker implements WorkerHandle {
  readonly posted: unknown[] = [];
  terminated = 0;
  #onMessage: (m: unknown) => void = () => {};
  #onError: (e: Error) => void = () => {};
  constructor(readonly index: number) {}
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  onMessage(handler: (message: unknown) => void): void {
    this.#onMessage = handler;
  }
  onError(handler: (error: Error) => void): void {
    this.#onError = handler;
  }
  terminate(): void {
    this.terminated++;
  }
  ready(): void {
    this.#onMessage({ type: "ready", workerIndex: this.index });
  }
  done(sent: number): void {
    this.#onMessage(totals(this.index, sent));
  }
  fail(message: string): void {
    this.#onMessage({ type: "error", workerIndex: this.index, message });
  }
  crash(message: string): void {
    this.#onError(new Error(message));
  }
}

function totals(workerIndex: number, sent: number): WorkerTotals {
  return {
    type: "done",
    workerIndex,
    sent,
    abandoned: 0,
    lastSendEpochMs: 0,
    completedInWindow: sent,
    connections: 1,
    delayedSends: 0,
  };
}

const fakeJob = (w: number): WorkerJob => ({ type: "job", workerIndex: w }) as unknown as WorkerJob;

interface Harness {
  pool: WorkerPool;
  workers: FakeWorker[];
  crashes: string[];
  dones: WorkerTotals[];
}

function harness(count: number, options: Partial<WorkerPoolOptions> = {}): Harness {
  const workers: FakeWorker[] = [];
  const crashes: string[] = [];
  const dones: WorkerTotals[] = [];
  const pool = new WorkerPool({
    count,
    spawn: (w) => {
      const worker = new FakeWorker(w);
      workers.push(worker);
      return worker;
    },
    job: fakeJob,
    drainAfterCrashMs: 60_000,
    onDone: (m) => dones.push(m),
    onCrash: (m) => crashes.push(m),
    ...options,
  });
  return { pool, workers, crashes, dones };
}

/** Whether `p` has settled after the pending microtasks ran. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(() => (done = true), () => (done = true));
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return done;
}

describe("the worker pool", () => {
  it("spawns W workers and posts each its own job at once", () => {
    const { pool, workers } = harness(3);
    try {
      assert.equal(workers.length, 3);
      workers.forEach((w, i) => assert.deepEqual(w.posted, [fakeJob(i)]));
    } finally {
      pool.terminate();
    }
  });

  it("is ready only when every worker is (a repeated ready counts once)", async () => {
    const { pool, workers } = harness(3);
    try {
      const ready = pool.ready();
      workers[0].ready();
      workers[0].ready();
      workers[2].ready();
      assert.equal(await settled(ready), false);
      workers[1].ready();
      assert.equal(await settled(ready), true);
      await ready;
    } finally {
      pool.terminate();
    }
  });

  it("starts every worker at one epoch and finishes when all are done, in arrival order", async () => {
    const { pool, workers, dones, crashes } = harness(3);
    try {
      for (const w of workers) w.ready();
      await pool.ready();
      pool.start(12345);
      for (const w of workers) assert.deepEqual(w.posted[1], { type: "start", startEpochMs: 12345 });
      const finished = pool.finished();
      workers[2].done(30);
      workers[0].done(10);
      assert.equal(await settled(finished), false);
      workers[1].done(20);
      const all = await finished;
      assert.deepEqual(all.map((t) => t.sent), [30, 10, 20]);
      assert.deepEqual(dones.map((t) => t.sent), [30, 10, 20]);
      assert.equal(pool.crash, null);
      assert.deepEqual(crashes, []);
    } finally {
      pool.terminate();
    }
    for (const w of workers) assert.equal(w.terminated, 1);
  });

  it("a worker error before the start fails ready() with the first message", async () => {
    const { pool, workers, crashes } = harness(3);
    workers[0].ready();
    workers[1].fail("Cannot create connections: --http2 needs https://");
    workers[2].crash("later");
    await assert.rejects(pool.ready(), {
      message: "load worker 2 failed: Cannot create connections: --http2 needs https://",
    });
    await assert.rejects(pool.finished(), /load worker 2 failed/);
    assert.deepEqual(crashes, [], "a failure before the start is not a crash");
    assert.equal(pool.crash, null);
    pool.terminate();
    for (const w of workers) assert.equal(w.terminated, 1);
  });

  it("an uncaught error before the start fails ready(); Bun's quoted source is cut to its error line", async () => {
    const { pool, workers } = harness(2);
    workers[1].crash(
      "12 | const x = 1;\n13 | throw new Error('boom');\n           ^\nerror: boom\n    at x.ts:13",
    );
    await assert.rejects(pool.ready(), { message: "load worker 2 crashed: boom" });
    pool.terminate();
  });

  it("a crash after the start: onCrash, no totals for the crashed worker, the others' reports kept", async () => {
    const { pool, workers, crashes } = harness(3);
    try {
      for (const w of workers) w.ready();
      await pool.ready();
      pool.start(1);
      const finished = pool.finished();
      workers[0].done(10);
      workers[1].crash("simulated crash");
      workers[1].crash("again"); // a second error: the first message stays
      assert.deepEqual(crashes, ["load worker 2 crashed: simulated crash", "load worker 2 crashed: again"]);
      assert.equal(pool.crash, "load worker 2 crashed: simulated crash");
      assert.equal(await settled(finished), false, "the run waits for the others to report");
      workers[2].done(30);
      const all = await finished;
      assert.deepEqual(all.map((t) => [t.workerIndex, t.sent, t.connections]), [[0, 10, 1], [1, 0, 0], [
        2,
        30,
        1,
      ]]);
    } finally {
      pool.terminate();
    }
  });

  it("an error message after the start is a crash too", async () => {
    const { pool, workers, crashes } = harness(1);
    try {
      workers[0].ready();
      await pool.ready();
      pool.start(1);
      workers[0].fail("start failed");
      assert.deepEqual(crashes, ["load worker 1 failed: start failed"]);
      const all = await pool.finished(); // the only worker crashed: nothing more to wait for
      assert.deepEqual(all.map((t) => t.sent), [0]);
    } finally {
      pool.terminate();
    }
  });

  it("after a crash a silent worker is given up when the drain time is over", async () => {
    const { pool, workers } = harness(2, { drainAfterCrashMs: 30 });
    try {
      for (const w of workers) w.ready();
      await pool.ready();
      pool.start(1);
      workers[0].crash("gone");
      // Worker 2 neither finishes nor dies; the run still ends (bounded by the test's own limit).
      const all = await Promise.race([
        pool.finished(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("pool hung")), 10_000)),
      ]);
      assert.deepEqual(all.map((t) => t.workerIndex), [0], "the silent worker reports nothing");
      assert.equal(pool.crash, "load worker 1 crashed: gone");
    } finally {
      pool.terminate();
    }
    for (const w of workers) assert.equal(w.terminated, 1);
  });

  it("a spawn that throws terminates the workers already started", () => {
    const workers: FakeWorker[] = [];
    assert.throws(
      () =>
        new WorkerPool({
          count: 4,
          spawn: (w) => {
            if (w === 2) throw new Error("cannot spawn");
            const worker = new FakeWorker(w);
            workers.push(worker);
            return worker;
          },
          job: fakeJob,
          drainAfterCrashMs: 1000,
        }),
      /cannot spawn/,
    );
    assert.equal(workers.length, 2);
    for (const w of workers) assert.equal(w.terminated, 1);
  });
});
