// Segment arithmetic: N segments (W workers each) together are exactly one run's plan.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  checkStartAt,
  parseSegment,
  parseStartAt,
  seqSlot,
  splitCount,
  workerShare,
} from "../../src/engine/execution_segment.ts";
import { ArrivalSchedule, buildSegments, type PhasePlan } from "../../src/pacer/schedule.ts";
import { planFingerprint } from "../../src/engine/_plan_fingerprint.ts";
import { normalizeRunOptions } from "../../src/engine/_normalize.ts";

function arrivalTimes(schedule: ArrivalSchedule): number[] {
  const n = schedule.count();
  return Array.from({ length: n }, (_, k) => schedule.timeOf(k));
}

/** Every arrival of a split plan, tagged with its single-run index (k = (j·W + w)·N + I). */
function splitArrivals(
  phases: PhasePlan,
  rate: number,
  segments: number,
  workers: number,
): Array<{ k: number; t: number }> {
  const plan = buildSegments(phases, rate);
  const out: Array<{ k: number; t: number }> = [];
  for (let i = 0; i < segments; i++) {
    for (let w = 0; w < workers; w++) {
      const share = workerShare(
        { model: "open", concurrency: 1000, requests: null, workers, segment: { index: i, count: segments } },
        plan,
        w,
      );
      const times = arrivalTimes(new ArrivalSchedule(share.segments, share.arrivalOffset));
      times.forEach((t, j) => out.push({ k: (j * workers + w) * segments + i, t }));
    }
  }
  return out;
}

describe("execution segments: open model", () => {
  const cases: Array<[string, PhasePlan, number]> = [
    ["steady 1001/s for 10 s", { warmupMs: 0, rampUpMs: 0, steadyMs: 10_000, rampDownMs: 0 }, 1001],
    ["ramps and warm-up, 1001/s", { warmupMs: 1500, rampUpMs: 3000, steadyMs: 4000, rampDownMs: 2500 }, 1001],
    ["odd rate 997/s, ramp-up only", { warmupMs: 0, rampUpMs: 7000, steadyMs: 1234, rampDownMs: 0 }, 997],
  ];
  for (const [name, phases, rate] of cases) {
    for (const [segments, workers] of [[3, 1], [3, 2], [7, 3], [1, 4]]) {
      it(`${name}: ${segments} segments x ${workers} workers is exactly the single-run schedule`, () => {
        const single = arrivalTimes(new ArrivalSchedule(buildSegments(phases, rate), 0));
        const split = splitArrivals(phases, rate, segments, workers);
        assert.equal(split.length, single.length, "same number of arrivals");
        const ks = new Set(split.map((a) => a.k));
        assert.equal(ks.size, split.length, "no arrival twice");
        for (const { k, t } of split) {
          assert.ok(k < single.length, `arrival ${k} exists in the single run`);
          assert.ok(Math.abs(t - single[k]) < 1e-6, `arrival ${k}: ${t} vs ${single[k]}`);
        }
      });
    }
  }

  it("rate 1001 over 3 segments: 3337, 3337, 3336 arrivals in 10 s (the remainder to the lowest)", () => {
    const phases = { warmupMs: 0, rampUpMs: 0, steadyMs: 10_000, rampDownMs: 0 };
    const split = splitArrivals(phases, 1001, 3, 1);
    const perSegment = [0, 1, 2].map((i) => split.filter((a) => a.k % 3 === i).length);
    assert.deepEqual(perSegment, [3337, 3337, 3336]);
  });
});

describe("execution segments: users, requests, seq", () => {
  it("7 virtual users over 3 segments: 3, 2, 2", () => {
    assert.deepEqual([0, 1, 2].map((i) => splitCount(7, 3, i)), [3, 2, 2]);
  });

  it("closed model: 7 users over 3 segments x 2 workers add up to exactly 7, levels too", () => {
    const plan = buildSegments({ warmupMs: 0, rampUpMs: 1000, steadyMs: 1000, rampDownMs: 0 }, 7);
    let users = 0;
    let level = 0;
    for (let i = 0; i < 3; i++) {
      const workers = Math.min(2, splitCount(7, 3, i));
      for (let w = 0; w < workers; w++) {
        const share = workerShare(
          { model: "closed", concurrency: 7, requests: null, workers, segment: { index: i, count: 3 } },
          plan,
          w,
        );
        users += share.concurrency;
        level += share.segments[1].to;
      }
    }
    assert.equal(users, 7);
    assert.ok(Math.abs(level - 7) < 1e-9);
  });

  it("--requests 1000 over 3 segments x 2 workers: 334+333+333, split again per worker", () => {
    const limits: number[][] = [];
    for (let i = 0; i < 3; i++) {
      const row: number[] = [];
      for (let w = 0; w < 2; w++) {
        const share = workerShare(
          { model: "closed", concurrency: 100, requests: 1000, workers: 2, segment: { index: i, count: 3 } },
          [],
          w,
        );
        row.push(share.requestLimit!);
      }
      limits.push(row);
    }
    assert.deepEqual(limits, [[167, 167], [167, 166], [167, 166]]);
    assert.equal(limits.flat().reduce((a, b) => a + b, 0), 1000);
  });

  it("{{seq}} values are disjoint across segments and workers, and cover 0..n-1", () => {
    const seen = new Set<number>();
    const N = 3;
    const W = 2;
    for (let i = 0; i < N; i++) {
      for (let w = 0; w < W; w++) {
        const slot = seqSlot({ index: i, count: N }, W, w);
        for (let j = 0; j < 100; j++) {
          const v = slot.first + j * slot.stride;
          assert.ok(!seen.has(v), `seq ${v} twice`);
          seen.add(v);
        }
      }
    }
    for (let v = 0; v < 600; v++) assert.ok(seen.has(v), `seq ${v} missing`);
  });
});

describe("execution segments: parsing and checks", () => {
  it("parses I/N and refuses 3/3, 0/0, a/b", () => {
    assert.deepEqual(parseSegment("2/3"), { index: 2, count: 3 });
    assert.throws(() => parseSegment("3/3"), /index must be from 0 to 2/);
    assert.throws(() => parseSegment("0/0"), /count must be an integer from 1/);
    assert.throws(() => parseSegment("a/b"), /must be I\/N/);
  });

  it("parses --start-at as RFC 3339 or epoch ms; refuses seconds and junk", () => {
    assert.equal(parseStartAt("2026-11-30T10:00:00Z"), Date.UTC(2026, 10, 30, 10, 0, 0));
    assert.equal(parseStartAt("2026-11-30T11:00:00.5+01:00"), Date.UTC(2026, 10, 30, 10, 0, 0, 500));
    assert.equal(parseStartAt("1795946400000"), 1795946400000);
    assert.throws(() => parseStartAt("1795946400"), /milliseconds/);
    assert.throws(() => parseStartAt("tomorrow"), /RFC 3339/);
    assert.throws(() => parseStartAt("2026-11-30T10:00:00"), /RFC 3339/); // no offset: ambiguous
  });

  it("a start time more than 1 s past is refused, within 1 s it is accepted", () => {
    const now = 1_800_000_000_000;
    checkStartAt(now - 900, now);
    assert.throws(() => checkStartAt(now - 1500, now), /1\.5 s in the past/);
  });

  it("normalize: concurrency and requests must cover every segment; workers fit the segment's users", () => {
    const url = "http://127.0.0.1:1/";
    assert.throws(
      () => normalizeRunOptions({ url, concurrency: 2, segment: { index: 0, count: 3 } }),
      /at least/,
    );
    assert.throws(
      () => normalizeRunOptions({ url, requests: 2, concurrency: 9, segment: { index: 0, count: 3 } }),
      /"requests" \(2\)/,
    );
    const o = normalizeRunOptions({ url, concurrency: 7, workers: 8, segment: { index: 2, count: 3 } });
    assert.equal(o.workers, 2);
  });

  it("the plan fingerprint ignores workers, collector and segment, not the rate or URL", () => {
    const base = normalizeRunOptions({ url: "http://127.0.0.1:1/", rate: 100, workers: 1 });
    const same = normalizeRunOptions({
      url: "http://127.0.0.1:1/",
      rate: 100,
      workers: 2,
      collector: "legacy",
      segment: { index: 1, count: 3 },
    });
    assert.equal(planFingerprint(base), planFingerprint(same));
    assert.notEqual(planFingerprint(base), planFingerprint({ ...base, rate: 101 }));
    assert.notEqual(planFingerprint(base), planFingerprint({ ...base, url: "http://127.0.0.1:2/" }));
    assert.match(planFingerprint(base), /^[0-9a-f]{16}$/);
  });
});
