import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { system } from "../../src/runtime/mod.ts";
import { linearFit } from "../../stress/linear_fit.ts";
import {
  checked,
  countsVerdict,
  errorsVerdict,
  failureLine,
  fitWindow,
  HEAP_BOUNDS,
  heapVerdict,
  notChecked,
  settleSeconds,
  socketsVerdict,
  throughputVerdict,
  workersVerdict,
} from "../../stress/verdicts.ts";
import { formatVerdict } from "../../stress/report_text.ts";
import type { GcReadings } from "../../stress/types.ts";

const MIB = 1024 * 1024;

/**
 * A fake server that handles `perTick` requests per tick, each allocating a
 * ~1 KiB record; the leaking one keeps every record in an array that only grows.
 */
function fakeServer(leak: boolean): (perTick: number) => void {
  const kept: number[][] = [];
  let sink = 0;
  return (perTick: number): void => {
    for (let i = 0; i < perTick; i++) {
      const record = new Array<number>(128).fill(i); // ~1 KiB of heap
      sink += record.length;
      if (leak) kept.push(record);
    }
    if (sink < 0) throw new Error("unreachable"); // keeps the allocation observable
  };
}

/** Drives the fake for `ticks` simulated seconds and measures the heap like the stress run does. */
function measure(
  leak: boolean,
  ticks = 16,
  perTick = 6000,
): { points: Array<[number, number]>; sampledAfterGc: boolean; gc: GcReadings } {
  const server = fakeServer(leak);
  const ranAtStart = system.gc();
  const start = system.memory();
  const points: Array<[number, number]> = [];
  let sampledAfterGc = true;
  for (let t = 1; t <= ticks; t++) {
    server(perTick);
    if (!system.gc()) sampledAfterGc = false;
    points.push([t, system.memory().heapUsed]);
  }
  const ranAtEnd = system.gc();
  const end = system.memory();
  return {
    points,
    sampledAfterGc,
    gc: {
      gc: ranAtStart && ranAtEnd,
      startHeapUsed: start.heapUsed,
      endHeapUsed: end.heapUsed,
      startRss: start.rss,
      endRss: end.rss,
    },
  };
}

describe("linear fit", () => {
  it("recovers an exact line", () => {
    const fit = linearFit([0, 1, 2, 3, 4], [3, 5, 7, 9, 11]);
    assert.equal(fit.slope, 2);
    assert.equal(fit.intercept, 3);
    assert.equal(fit.r2, 1);
    assert.ok(fit.slopeStdError < 1e-12);
  });

  it("matches a hand-computed least-squares fit of noisy points", () => {
    // x = 1..4, y = 2, 3, 5, 4: Sxx = 5, Sxy = 4, Syy = 5 → slope 0.8, intercept 3.5 - 0.8*2.5 = 1.5
    const fit = linearFit([1, 2, 3, 4], [2, 3, 5, 4]);
    assert.ok(Math.abs(fit.slope - 0.8) < 1e-12, String(fit.slope));
    assert.ok(Math.abs(fit.intercept - 1.5) < 1e-12);
    // residuals: -0.3, -0.1, 1.1, -0.7 → SSR = 1.8; SE = sqrt(SSR / (n - 2) / Sxx)
    assert.ok(Math.abs(fit.slopeStdError - Math.sqrt(1.8 / 2 / 5)) < 1e-12);
    assert.ok(Math.abs(fit.r2 - (1 - 1.8 / 5)) < 1e-12);
  });

  it("a flat series has slope 0 and r2 1; bad input is a RangeError", () => {
    assert.equal(linearFit([0, 1, 2], [7, 7, 7]).slope, 0);
    assert.equal(linearFit([0, 1, 2], [7, 7, 7]).r2, 1);
    assert.throws(() => linearFit([1], [1]), RangeError);
    assert.throws(() => linearFit([1, 1], [1, 2]), /all x values are equal/);
    assert.throws(() => linearFit([1, 2], [1]), RangeError);
  });
});

describe("heap verdict", () => {
  it("a deliberately leaking fake (an array that grows per request) fails it", () => {
    const m = measure(true);
    const verdict = heapVerdict({ side: "fake", ...m });
    assert.equal(verdict.passed, false, verdict.detail);
    assert.match(verdict.detail, /heap grows|memory not returned/);
  });

  it("the same fake without the leak passes it", () => {
    const m = measure(false);
    const verdict = heapVerdict({ side: "fake", ...m });
    assert.equal(verdict.passed, true, verdict.detail);
  });

  const gcOk: GcReadings = {
    gc: true,
    startHeapUsed: 10 * MIB,
    endHeapUsed: 10.5 * MIB,
    startRss: 0,
    endRss: 0,
  };

  it("fails a slope clearly above 1 MiB/min even when the end check passes", () => {
    const points: Array<[number, number]> = [];
    for (let t = 0; t <= 120; t++) points.push([t, 10 * MIB + (t / 60) * 2 * MIB + (t % 2) * 1000]);
    const v = heapVerdict({ side: "x", points, sampledAfterGc: true, gc: gcOk });
    assert.equal(v.passed, false);
    assert.match(v.detail, /^heap grows: slope \+2\.00 MiB\/min/);
  });

  it("passes a slope just under the bound; noise too large to decide is not checked, never passed", () => {
    const points: Array<[number, number]> = [];
    for (let t = 0; t <= 120; t++) points.push([t, 10 * MIB + (t / 60) * 0.9 * MIB]);
    assert.equal(heapVerdict({ side: "x", points, sampledAfterGc: true, gc: gcOk }).passed, true);
    const noisy: Array<[number, number]> = [[0, 10 * MIB], [1, 14 * MIB], [2, 9 * MIB], [3, 13 * MIB]];
    const v = heapVerdict({ side: "x", points: noisy, sampledAfterGc: true, gc: gcOk });
    assert.equal(v.status, "not checked", v.detail);
    assert.equal(v.passed, false);
    assert.match(v.detail, /too noisy to decide/);
  });

  it("fails when memory after the forced GC does not come back (margin 8 MiB + 25 %)", () => {
    const flat: Array<[number, number]> = [[0, 10 * MIB], [1, 10 * MIB], [2, 10 * MIB]];
    const margin = HEAP_BOUNDS.gcMarginBytes + HEAP_BOUNDS.gcMarginRatio * 10 * MIB; // 10.5 MiB
    const within = { ...gcOk, endHeapUsed: 10 * MIB + margin - 1 };
    const beyond = { ...gcOk, endHeapUsed: 10 * MIB + margin + 1 };
    assert.equal(heapVerdict({ side: "x", points: flat, sampledAfterGc: true, gc: within }).passed, true);
    const v = heapVerdict({ side: "x", points: flat, sampledAfterGc: true, gc: beyond });
    assert.equal(v.passed, false);
    assert.match(v.detail, /^memory not returned: /);
    // Without a real forced GC the margin doubles, and the detail says so.
    const raw = heapVerdict({ side: "x", points: flat, sampledAfterGc: true, gc: { ...beyond, gc: false } });
    assert.equal(raw.passed, true);
    assert.match(raw.detail, /no forced GC available/);
  });

  it("on raw figures fits whole GC cycles only, and leaves the slope undecided without two", () => {
    const saw: Array<[number, number]> = [[0, 5], [1, 9], [2, 4], [3, 8], [4, 4], [5, 7]];
    assert.deepEqual(fitWindow(saw, false), [[2, 4], [3, 8], [4, 4]]);
    assert.equal(fitWindow([[0, 5], [1, 6], [2, 7]], false), null);
    assert.deepEqual(fitWindow([[0, 5], [1, 6], [2, 7]], true), [[0, 5], [1, 6], [2, 7]]);
    // A sawtooth whose floors rise 4 MiB per cycle of 10 s (24 MiB/min) fails; flat floors pass.
    const rising: Array<[number, number]> = [];
    const flat: Array<[number, number]> = [];
    for (let t = 0; t < 60; t++) {
      const phase = t % 10;
      rising.push([t, (10 + 4 * Math.floor(t / 10) + phase) * MIB]);
      flat.push([t, (10 + phase) * MIB]);
    }
    assert.equal(heapVerdict({ side: "x", points: rising, sampledAfterGc: false, gc: gcOk }).passed, false);
    assert.equal(heapVerdict({ side: "x", points: flat, sampledAfterGc: false, gc: gcOk }).passed, true);
    const undecided = heapVerdict({
      side: "x",
      points: [[0, MIB], [1, 2 * MIB], [2, 3 * MIB]],
      sampledAfterGc: false,
      gc: gcOk,
    });
    assert.match(undecided.detail, /slope undecided \(fewer than 2 GC cycles/);
    assert.equal(undecided.status, "not checked");
    assert.equal(undecided.passed, false);
  });

  it("leaves out 10 % of the run (2-30 s) as settle time", () => {
    assert.equal(settleSeconds(3), 2);
    assert.equal(settleSeconds(60), 6);
    assert.equal(settleSeconds(300), 30);
    assert.equal(settleSeconds(3600), 30);
  });
});

describe("other verdicts", () => {
  it("counts must match exactly", () => {
    assert.equal(countsVerdict(3_000_000, 3_000_000).passed, true);
    const off = countsVerdict(2_999_999, 3_000_000);
    assert.equal(off.passed, false);
    assert.equal(off.detail, "collector 2,999,999, target ground truth 3,000,000 (-1)");
  });

  it("throughput within 1 %", () => {
    assert.equal(throughputVerdict(9_901, 10_000).passed, true);
    assert.equal(throughputVerdict(10_099, 10_000).passed, true);
    assert.equal(throughputVerdict(9_899, 10_000).passed, false);
    assert.match(throughputVerdict(9_899, 10_000).detail, /-1\.01 %/);
  });

  it("errors at most 1 %, and a run without a completed request fails", () => {
    assert.equal(errorsVerdict(10, 1000).passed, true);
    assert.equal(errorsVerdict(11, 1000).passed, false);
    assert.equal(errorsVerdict(0, 0).passed, false);
  });

  it("workers: every load-worker thread seen during the run is gone after it; unseen is not checked", () => {
    assert.equal(workersVerdict(2, 0, 10, 11).passed, true);
    assert.equal(workersVerdict(2, 1).passed, false);
    assert.equal(workersVerdict(2, 1).detail, "2 load-worker threads during the run, 1 left after it");
    for (const unseen of [workersVerdict(0, 0), workersVerdict(null, null)]) {
      assert.equal(unseen.status, "not checked");
      assert.equal(unseen.passed, false);
      assert.match(unseen.detail, /not visible here|one worker runs on the main thread/);
    }
  });

  it("sockets: target at 0 and at most the control connection on the client side", () => {
    assert.equal(socketsVerdict(0, 12, 1).passed, true);
    assert.equal(socketsVerdict(3, 5000, 1).passed, false);
    assert.equal(socketsVerdict(0, 12, 2).passed, false);
    assert.match(socketsVerdict(3, 5000, 1).detail, /never reached 0/);
  });
});

describe("verdict formatting", () => {
  it("one aligned line per verdict, colored only when asked", () => {
    const pass = checked("counts", true, "collector 10, target ground truth 10 (exact)");
    assert.equal(
      formatVerdict(pass, false),
      "PASS  counts                  collector 10, target ground truth 10 (exact)",
    );
    assert.equal(
      formatVerdict(checked("counts", false, "x"), true).startsWith("\x1b[31mFAIL\x1b[39m  counts"),
      true,
    );
    assert.equal(
      formatVerdict(notChecked("sockets closed", "no /proc"), false),
      "NOT CHECKED  sockets closed          no /proc",
    );
  });

  it("the failure reason is one line naming every failed verdict; null when all passed", () => {
    const ok = checked("a", true, "fine");
    assert.equal(failureLine([ok, notChecked("b", "unknown here")]), null);
    const line = failureLine([ok, checked("counts", false, "x"), checked("heap (target)", false, "y")]);
    assert.equal(line, "FAIL counts: x | heap (target): y");
    assert.equal(line!.includes("\n"), false);
  });
});
