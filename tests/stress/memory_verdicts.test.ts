/**
 * The stress memory verdicts over every thread and both processes: a heap
 * verdict per load worker (from its own readings), the RSS slope of the load
 * generator and of the target, and a slope that cannot be decided reads
 * "not checked", never "passed". Also the errors verdict, which counts missed
 * sends as the CLI's `errors` threshold does.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { errorRatePct } from "../../src/thresholds/thresholds.ts";
import type { Verdict } from "../../stress/types.ts";
import {
  errorsVerdict,
  judge,
  judgeSlope,
  liveHeapEverySeconds,
  RSS_BOUNDS,
  rssVerdict,
  runFailure,
} from "../../stress/verdicts.ts";
import { cleanStressResult } from "../_helpers/stress_result.ts";

const MIB = 1024 * 1024;

function byName(verdicts: Verdict[], name: string): Verdict {
  const v = verdicts.find((x) => x.name === name);
  assert.ok(v !== undefined, `no verdict "${name}" in ${verdicts.map((x) => x.name).join(", ")}`);
  return v;
}

/** [t, bytes] for t = from..to, growing `perMin` bytes per minute, with an alternating wobble. */
function line(from: number, to: number, base: number, perMin: number, wobble = 0): Array<[number, number]> {
  const points: Array<[number, number]> = [];
  for (let t = from; t <= to; t++) {
    points.push([t, base + (t / 60) * perMin + (t % 2 === 0 ? wobble : -wobble)]);
  }
  return points;
}

describe("slope judgement", () => {
  it("flat, grows, or undecided (too few points, or a standard error above twice the bound)", () => {
    assert.equal(judgeSlope(line(2, 20, 10 * MIB, 0), MIB, "after GC").outcome, "flat");
    assert.equal(judgeSlope(line(2, 20, 10 * MIB, 30 * MIB), MIB, "after GC").outcome, "grows");
    assert.equal(judgeSlope(null, MIB, "after GC").outcome, "undecided");
    assert.equal(judgeSlope(line(2, 3, 10 * MIB, 0), MIB, "after GC").outcome, "undecided");
    const noisy = judgeSlope(line(2, 6, 10 * MIB, 0, 4 * MIB), MIB, "after GC");
    assert.equal(noisy.outcome, "undecided");
    assert.match(noisy.text, /too noisy to decide/);
  });

  it("the live-heap rhythm gives a fit about nine readings, every 1 to 10 s", () => {
    assert.equal(liveHeapEverySeconds(10), 1);
    assert.equal(liveHeapEverySeconds(20), 2);
    assert.equal(liveHeapEverySeconds(300), 10);
    assert.equal(liveHeapEverySeconds(1800), 10);
  });
});

describe("RSS verdicts", () => {
  it("a flat RSS passes, a growing one fails, an undecidable one is not checked", () => {
    assert.equal(rssVerdict("target", line(2, 20, 80 * MIB, 0, 2 * MIB)).status, "passed");
    const grows = rssVerdict("target", line(2, 20, 80 * MIB, 4 * RSS_BOUNDS.capBytesPerMin));
    assert.equal(grows.status, "failed");
    assert.match(grows.detail, /^RSS grows: slope \+480\.00 MiB\/min/);
    assert.match(grows.detail, /: 120\.00 MiB\/min\)/); // 18 s: the cap
    for (const undecided of [rssVerdict("target", line(2, 3, 80 * MIB, 0)), rssVerdict("target", [])]) {
      assert.equal(undecided.status, "not checked", undecided.detail);
      assert.equal(undecided.passed, false);
    }
  });

  it("the bound tightens with the window: a soak is held near 0.2 MiB/min, a one-off step passes", () => {
    // 27 minutes, a sample every 10 s (the soak's fit window), 1 MiB of wobble.
    const soak = (perMin: number, step = 0): Array<[number, number]> =>
      line(0, 162, 100 * MIB, perMin * 10, MIB).map(([i, y]) => [30 + i * 10, y + (i >= 81 ? step : 0)]);
    const flat = rssVerdict("load generator", soak(0));
    assert.equal(flat.status, "passed", flat.detail);
    assert.match(
      flat.detail,
      /bound 0\.20 MiB\/min \+ 36\.00 MiB over the window, at most 120\.00 MiB\/min: 1\.53 MiB\/min/,
    );
    // A step of 20 MiB halfway (buffers reaching their size) passes; a steady 2 MiB/min (60 MiB in 30
    // minutes, ten times the goal) fails, though the 120 MiB/min of a short run would pass it.
    assert.equal(rssVerdict("load generator", soak(0, 20 * MIB)).status, "passed");
    const slow = rssVerdict("load generator", soak(2 * MIB));
    assert.equal(slow.status, "failed", slow.detail);
    assert.match(slow.detail, /^RSS grows: slope \+2\.00 MiB\/min/);
  });

  it("judge fits the RSS of both processes after the settle time", () => {
    const clean = judge(cleanStressResult());
    assert.equal(byName(clean, "RSS (load generator)").status, "passed");
    assert.equal(byName(clean, "RSS (target)").status, "passed");
    // The load generator's RSS grows 10 MiB/s (a native leak the heap does not show): only its verdict fails.
    const leaking = judge(cleanStressResult({ sample: (s) => ({ ...s, rss: s.rss + s.t * 10 * MIB }) }));
    assert.equal(byName(leaking, "RSS (load generator)").status, "failed");
    assert.equal(byName(leaking, "RSS (target)").status, "passed");
    assert.equal(byName(leaking, "heap (main thread)").status, "passed");
    // No RSS from the target at all: not checked, and that fails a CI run.
    const blind = judge(cleanStressResult({ sample: (s) => ({ ...s, targetRss: null }) }));
    assert.equal(byName(blind, "RSS (target)").status, "not checked");
    assert.match(runFailure(blind, true) ?? "", /^FAIL under CI=true: NOT CHECKED RSS \(target\)/);
  });
});

describe("heap verdict per load worker", () => {
  it("one verdict per load worker, judged on that worker's own readings", () => {
    const verdicts = judge(cleanStressResult({ loadWorkers: 3 }));
    for (const name of ["heap (load worker 1)", "heap (load worker 2)", "heap (load worker 3)"]) {
      assert.equal(byName(verdicts, name).status, "passed", byName(verdicts, name).detail);
    }
    assert.equal(verdicts.every((v) => v.status === "passed"), true);
  });

  it("a leaking worker fails its own verdict only", () => {
    const flat = Array.from(
      { length: 20 },
      (_, i) => ({ t: i + 1, heapUsed: 5 * MIB, afterGc: true, gcMs: 2 }),
    );
    const growing = flat.map((p) => ({ ...p, heapUsed: p.heapUsed + p.t * 0.5 * MIB })); // 30 MiB/min
    const verdicts = judge(cleanStressResult({
      workerHeaps: [{ worker: 1, points: flat, maxGcMs: 2 }, { worker: 2, points: growing, maxGcMs: 2 }],
    }));
    assert.equal(byName(verdicts, "heap (load worker 1)").status, "passed");
    const leak = byName(verdicts, "heap (load worker 2)");
    assert.equal(leak.status, "failed");
    assert.match(leak.detail, /^heap grows: slope \+30\.00 MiB\/min/);
  });

  it("a worker without readings, or with raw readings that hold no GC cycle, is not checked", () => {
    const raw = Array.from(
      { length: 20 },
      (_, i) => ({ t: i + 1, heapUsed: 5 * MIB, afterGc: false, gcMs: 0 }),
    );
    const verdicts = judge(cleanStressResult({ workerHeaps: [{ worker: 2, points: raw, maxGcMs: 0 }] }));
    const missing = byName(verdicts, "heap (load worker 1)");
    assert.equal(missing.status, "not checked");
    assert.equal(missing.detail, "no heap reading from this worker's thread");
    const undecided = byName(verdicts, "heap (load worker 2)");
    assert.equal(undecided.status, "not checked");
    assert.match(undecided.detail, /slope undecided \(fewer than 2 GC cycles/);
    assert.equal(runFailure(verdicts, false), null);
    assert.match(runFailure(verdicts, true) ?? "", /^FAIL under CI=true: NOT CHECKED heap \(load worker 1\)/);
  });
});

describe("errors verdict counts missed sends", () => {
  it("fails a run whose arrivals were missed, as the CLI's errors threshold would", () => {
    const missed = judge(
      cleanStressResult({ counts: { collector: 19_500, target: 19_500, missedSends: 500 } }),
    );
    const errors = byName(missed, "errors");
    assert.equal(errors.status, "failed");
    assert.equal(
      errors.detail,
      "0 of 19,500 failed and 500 missed sends (2.500 % of requests plus missed sends, bound 1 %)",
    );
    // The same figure as the `errors` threshold's.
    assert.equal(errorRatePct({ totalRequests: 19_500, failedRequests: 0, missedSends: 500 }), 2.5);
    assert.equal(byName(missed, "counts").status, "passed"); // what was sent was counted exactly
  });

  it("failed requests and missed sends add up against the 1 % bound", () => {
    assert.equal(errorsVerdict(50, 10_000, 50).passed, true); // 100 of 10,050
    assert.equal(errorsVerdict(60, 10_000, 50).passed, false); // 110 of 10,050
    assert.equal(errorsVerdict(0, 0, 10).passed, false);
  });
});
