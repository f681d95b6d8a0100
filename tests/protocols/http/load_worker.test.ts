/**
 * `LoadWorker` on a fake clock with fake connections: every send time, wait,
 * timeout and count is exact, so these tests check numbers, not timings.
 * (The timed end-to-end tier against real servers is in run.test.ts
 * and accuracy.test.ts.)
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { LoadWorker } from "../../../src/protocols/http/load_worker.ts";
import { ArrivalSchedule, buildSegments, type Segment } from "../../../src/pacer/schedule.ts";
import { CTRL_INTERRUPTED, CTRL_MEASURING, CTRL_STOP } from "../../../src/pacer/control.ts";
import type { WorkerMessage } from "../../../src/engine/worker_protocol.ts";
import type { WorkerTotals } from "../../../src/engine/_run_totals.ts";
import { ErrorKind } from "../../../src/collector/types.ts";
import { FakeClock, FakeNetwork, steady, type TestJob, testJob } from "../../_helpers/load_worker_fakes.ts";

/** The run starts this long after the worker is told (as `run()` leaves 30 ms for the start message). */
const START_DELAY_MS = 30;

interface Running {
  clock: FakeClock;
  net: FakeNetwork;
  tj: TestJob;
  posted: WorkerMessage[];
  /** Clock time of the run's start (t = 0 of the schedule). */
  t0: number;
  /** The "done" report, once posted. */
  done(): WorkerTotals | undefined;
}

function startWorker(tj: TestJob, latencyMs: number | null): Running {
  const clock = new FakeClock();
  const net = new FakeNetwork(clock, latencyMs);
  const posted: WorkerMessage[] = [];
  const worker = new LoadWorker(tj.job, (m) => posted.push(m), {
    clock,
    timers: clock,
    createConnection: net.createConnection,
  });
  worker.start(clock.timeOrigin + START_DELAY_MS);
  return {
    clock,
    net,
    tj,
    posted,
    t0: START_DELAY_MS,
    done: () => posted.find((m): m is WorkerTotals => m.type === "done"),
  };
}

/** Send times relative to the run's start. */
function sendTimes(r: Running): number[] {
  return r.net.exchanges().map((e) => e.sentAt - r.t0);
}

function latenciesMs(done: WorkerTotals): number[] {
  return [...(done.latencies ?? [])].map((ns) => ns / 1e6);
}

describe("LoadWorker on a fake clock", () => {
  it("open model: sends every arrival at its scheduled time, latency from the intended time", async () => {
    const tj = testJob({ model: "open", concurrency: 2, segments: [steady(10, 1000)] });
    const r = startWorker(tj, 5);
    try {
      await r.clock.advance(2000);
      assert.deepEqual(sendTimes(r), [0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
      const done = r.done();
      assert.ok(done, "the worker reported");
      assert.equal(done.sent, 10);
      assert.equal(done.abandoned, 0);
      assert.equal(done.delayedSends, 0);
      assert.equal(done.connections, 2);
      assert.equal(done.lastSendEpochMs, r.clock.timeOrigin + r.t0 + 900);
      assert.deepEqual(latenciesMs(done), Array(10).fill(5));
      tj.collector.flush();
      const s = tj.collector.getSnapshot();
      assert.equal(s.totalRequests, 10);
      assert.equal(s.successfulRequests, 10);
      assert.equal(s.missedSends, 0);
      assert.equal(s.bytes, 100);
      assert.ok(r.net.connections.every((c) => c.closed), "connections closed at the end");
    } finally {
      tj.collector.close();
    }
  });

  it("open model on a ramp with a fractional offset: each send within 1 ms of ArrivalSchedule's time", async () => {
    const segments = buildSegments({ warmupMs: 0, rampUpMs: 1000, steadyMs: 500, rampDownMs: 0 }, 40);
    const tj = testJob({ model: "open", concurrency: 4, segments, arrivalOffset: 0.5 });
    const r = startWorker(tj, 2);
    try {
      await r.clock.advance(3000);
      const schedule = new ArrivalSchedule(segments, 0.5);
      const times = sendTimes(r);
      assert.equal(times.length, schedule.count()); // 20 in the ramp + 20 in the steady part
      assert.equal(times.length, 40);
      times.forEach((t, k) => {
        const due = schedule.timeOf(k);
        assert.ok(t >= due && t < due + 1, `arrival ${k}: due ${due}, sent ${t}`);
      });
      // Coordinated omission corrected: latency = the wait for the timer + the 2 ms response.
      for (const ms of latenciesMs(r.done()!)) assert.ok(ms >= 2 && ms < 3, `latency ${ms}`);
    } finally {
      tj.collector.close();
    }
  });

  it("open model, every connection busy: sends fall behind, the waits count, the unsent are missed sends", async () => {
    // One connection, no growth, 250 ms per response at 10/s: only every 2.5th arrival finds it free.
    const tj = testJob({ model: "open", concurrency: 1, maxConcurrency: 1, segments: [steady(10, 1000)] });
    const r = startWorker(tj, 250);
    try {
      await r.clock.advance(3000);
      assert.deepEqual(sendTimes(r), [0, 250, 500, 750, 1000]);
      const done = r.done()!;
      assert.equal(done.sent, 5);
      assert.equal(done.connections, 1);
      assert.equal(done.delayedSends, 9, "arrivals 1..9 waited for the connection");
      // Latency from the intended time: arrival k (due 100k) waits for the connection, then 250 ms.
      assert.deepEqual(latenciesMs(done), [250, 400, 550, 700, 850]);
      tj.collector.flush();
      const s = tj.collector.getSnapshot();
      assert.equal(s.totalRequests, 5);
      assert.equal(s.missedSends, 5, "arrivals 5..9 were never sent");
      assert.equal(s.totalRequests + s.missedSends, 10, "every planned arrival is counted once");
    } finally {
      tj.collector.close();
    }
  });

  it("after a warm-up, unsent arrivals are missed by the planned boundary, not by the main thread's flag", async () => {
    // As above, with a 500 ms warm-up first; the main thread's "measuring" flag never comes (its timer
    // late on a loaded machine): the worker still counts what it drops after the planned warm-up end.
    const tj = testJob({
      model: "open",
      concurrency: 1,
      maxConcurrency: 1,
      segments: [{ ...steady(10, 500), phase: "warmup" }, steady(10, 1000, 500)],
    });
    Atomics.store(tj.control, CTRL_MEASURING, 0);
    const r = startWorker(tj, 250);
    try {
      await r.clock.advance(3000);
      assert.deepEqual(sendTimes(r), [0, 250, 500, 750, 1000, 1250, 1500]);
      tj.collector.flush();
      const s = tj.collector.getSnapshot();
      assert.equal(s.totalRequests, 5, "the sends from 500 ms on are measured");
      assert.equal(s.missedSends, 8, "arrivals 7..14 were never sent");
      assert.equal(
        s.totalRequests + s.missedSends + 2,
        15,
        "each arrival counted once, the two warm-up sends apart",
      );
    } finally {
      tj.collector.close();
    }
  });

  it("open model: a busy pool grows after a 10 ms wait, up to maxConcurrency", async () => {
    const tj = testJob({ model: "open", concurrency: 1, maxConcurrency: 3, segments: [steady(10, 1000)] });
    const r = startWorker(tj, 250);
    try {
      await r.clock.advance(3000);
      const done = r.done()!;
      assert.equal(done.connections, 3);
      assert.equal(done.sent, 10);
      tj.collector.flush();
      assert.equal(tj.collector.getSnapshot().missedSends, 0);
      // Arrival 1 (due 100) waits GROW_AFTER_MS for a second connection, then goes out on a new one.
      assert.equal(sendTimes(r)[1], 110);
    } finally {
      tj.collector.close();
    }
  });

  it("timeouts come from the sweep: each request aborted just past timeoutMs, counted as timeouts", async () => {
    // timeoutMs 50: the sweep runs every 5 ms; the server never answers.
    const tj = testJob({ model: "closed", concurrency: 2, segments: [steady(2, 300)], timeoutMs: 50 });
    const r = startWorker(tj, null);
    try {
      await r.clock.advance(2000);
      const done = r.done()!;
      const exchanges = r.net.exchanges();
      assert.equal(exchanges.length, done.sent);
      // Each VU's request times out at the first sweep past 50 ms (55 ms), and the VU sends again:
      // at 0, 55, ..., 275; the one in flight at the end (300) also times out, as the drain waits.
      assert.equal(done.sent, 12);
      for (const e of exchanges) {
        assert.equal(e.outcome, ErrorKind.Timeout);
        const waited = e.endedAt! - e.sentAt;
        assert.ok(waited > 50 && waited <= 55, `aborted after ${waited} ms`);
      }
      assert.equal(done.abandoned, 0);
      assert.deepEqual(done.errors, [[ErrorKind.Timeout, "fake timeout", done.sent]]);
      tj.collector.flush();
      const s = tj.collector.getSnapshot();
      assert.equal(s.errorsByKind.timeout, done.sent);
      assert.equal(s.failedRequests, done.sent);
      assert.equal(tj.clients.aggregate().timeouts, done.sent);
    } finally {
      tj.collector.close();
    }
  });

  it("drain at the end: requests in flight at the planned end complete and are recorded", async () => {
    const tj = testJob({ model: "open", concurrency: 4, segments: [steady(10, 1000)] });
    const r = startWorker(tj, 300);
    try {
      await r.clock.advanceTo(r.t0 + 1199);
      assert.equal(r.done(), undefined, "the last request (sent at 900) is still in flight");
      await r.clock.advanceTo(r.t0 + 1200);
      const done = r.done()!;
      assert.equal(done.sent, 10);
      assert.equal(done.abandoned, 0);
      // Completed by the planned end (1000): the requests sent up to 700.
      assert.equal(done.completedInWindow, 8);
      tj.collector.flush();
      assert.equal(tj.collector.getSnapshot().totalRequests, 10);
    } finally {
      tj.collector.close();
    }
  });

  it("closed model after a warm-up: the window counts every completion inside it, also of warm-up sends", async () => {
    // 4 VUs, 300 ms per response, 1000 ms warm-up then 1000 ms measured: sends at 0, 300, ..., 1800.
    const tj = testJob({
      model: "closed",
      concurrency: 4,
      segments: [{ ...steady(4, 1000), phase: "warmup" }, steady(4, 1000, 1000)],
    });
    Atomics.store(tj.control, CTRL_MEASURING, 0);
    const r = startWorker(tj, 300);
    try {
      await r.clock.advanceTo(r.t0 + 1000);
      Atomics.store(tj.control, CTRL_MEASURING, 1); // as run() does at the end of the warm-up
      await r.clock.advanceTo(r.t0 + 3000);
      const done = r.done()!;
      // Completions in (1000, 2000]: at 1200 (sent at 900, in the warm-up), 1500 and 1800, per VU.
      assert.equal(done.completedInWindow, 12);
      tj.collector.flush();
      // Measured (sent in the window): those sent at 1200, 1500 and 1800, per VU.
      assert.equal(tj.collector.getSnapshot().totalRequests, 12);
    } finally {
      tj.collector.close();
    }
  });

  it("an interrupt: due arrivals never sent are missed sends, the request in flight is abandoned after the grace", async () => {
    const tj = testJob({ model: "open", concurrency: 1, maxConcurrency: 1, segments: [steady(10, 5000)] });
    const r = startWorker(tj, null);
    try {
      await r.clock.advanceTo(r.t0 + 450);
      Atomics.store(tj.control, CTRL_INTERRUPTED, 1);
      Atomics.store(tj.control, CTRL_STOP, 1);
      await r.clock.advanceTo(r.t0 + 1400);
      assert.equal(r.done(), undefined, "in-flight requests get a grace period");
      await r.clock.advanceTo(r.t0 + 1600);
      const done = r.done()!;
      assert.equal(done.sent, 1);
      assert.equal(done.abandoned, 1);
      tj.collector.flush();
      const s = tj.collector.getSnapshot();
      assert.equal(s.missedSends, 4, "arrivals due at 100..400 never had a connection");
      assert.equal(s.totalRequests, 0, "the abandoned request is not recorded");
      assert.ok(r.net.connections.every((c) => c.closed));
    } finally {
      tj.collector.close();
    }
  });

  it("closed model: the running VUs follow the ramp up and the ramp down", async () => {
    // 0 -> 10 VUs over 1 s, 10 for 200 ms, 10 -> 0 over 500 ms; 10 ms per response.
    const segments: Segment[] = buildSegments(
      { warmupMs: 0, rampUpMs: 1000, steadyMs: 200, rampDownMs: 500 },
      10,
    );
    const tj = testJob({ model: "closed", concurrency: 10, segments });
    const r = startWorker(tj, 10);
    try {
      await r.clock.advance(3000);
      const done = r.done()!;
      assert.equal(r.net.connections.length, 10);
      assert.equal(r.net.exchanges().length, done.sent);
      r.net.connections.forEach((c, i) => {
        const first = c.exchanges[0].sentAt - r.t0;
        const last = c.exchanges[c.exchanges.length - 1].sentAt - r.t0;
        // VU i joins once the level passes i (at i × 100 ms), at the next 20 ms re-check.
        assert.ok(first > i * 100 && first <= i * 100 + 20, `VU ${i} joined at ${first}`);
        // ...and leaves once the ramp-down level falls to i (at 1200 + (10 - i) × 50 ms).
        const leaves = 1200 + (10 - i) * 50;
        assert.ok(
          last <= leaves && last > leaves - 20,
          `VU ${i} last sent at ${last}, level ${i} at ${leaves}`,
        );
      });
      tj.collector.flush();
      assert.equal(tj.collector.getSnapshot().totalRequests, done.sent);
      assert.equal(done.abandoned, 0);
    } finally {
      tj.collector.close();
    }
  });
});
