import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AdaptiveSweep } from "../../src/pacer/_adaptive_sweep.ts";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe("the load worker's adaptive sweep", () => {
  it("slows down while nothing is in flight, and a send brings it back at once", async () => {
    let sweeps = 0;
    let busy = false;
    const sweep = new AdaptiveSweep(5, () => sweeps++, () => busy, 100);
    sweep.start();
    try {
      await sleep(450);
      // Idle: one sweep at 5 ms, then one per 100 ms at most (a slow machine only lowers it).
      assert.ok(sweeps >= 1 && sweeps <= 6, `idle sweeps: ${sweeps}`);
      busy = true;
      sweep.wake();
      const before = sweeps;
      await sleep(300);
      // Busy: every 5 ms; even a loaded machine runs several in 300 ms (idle pace would give at most 3).
      assert.ok(sweeps - before >= 5, `busy sweeps: ${sweeps - before}`);
    } finally {
      sweep.stop();
    }
  });

  it("a send keeps a slowed-down sweep that comes before the request could time out (graceMs)", async () => {
    let sweeps = 0;
    let busy = false;
    const sweep = new AdaptiveSweep(5, () => sweeps++, () => busy, 1000, globalThis, { graceMs: 10_000 });
    sweep.start();
    try {
      await sleep(50); // the first sweep (5 ms) found nothing in flight: the next one is due at ~1 s
      assert.equal(sweeps, 1);
      busy = true;
      sweep.wake(); // the 1 s sweep comes well within the 10 s grace: no re-arm, no extra wake-up
      await sleep(300);
      assert.equal(sweeps, 1, "no sweep before the slowed-down one");
      await sleep(1000);
      // The slowed-down sweep found a request in flight: back to every 5 ms.
      assert.ok(sweeps >= 5, `sweeps after the slowed-down one: ${sweeps}`);
    } finally {
      sweep.stop();
    }
  });

  it("hurry brings a slowed-down sweep back to its busy pace, grace or not (a stop)", async () => {
    let sweeps = 0;
    let busy = false;
    const sweep = new AdaptiveSweep(5, () => sweeps++, () => busy, 5000, globalThis, { graceMs: 10_000 });
    sweep.start();
    try {
      await sleep(50);
      assert.equal(sweeps, 1, "the first sweep found nothing in flight: the next one is due in 5 s");
      busy = true;
      sweep.wake(); // within the grace: kept
      await sleep(100);
      assert.equal(sweeps, 1);
      sweep.hurry();
      await sleep(300);
      assert.ok(sweeps >= 5, `sweeps after hurry: ${sweeps}`);
    } finally {
      sweep.stop();
    }
  });

  it("stop ends it for good, even from inside a sweep", async () => {
    let sweeps = 0;
    const sweep: AdaptiveSweep = new AdaptiveSweep(2, () => {
      sweeps++;
      sweep.stop();
    }, () => true);
    sweep.start();
    await sleep(60);
    assert.equal(sweeps, 1);
    sweep.wake(); // no effect once stopped
    await sleep(30);
    assert.equal(sweeps, 1);
  });
});
