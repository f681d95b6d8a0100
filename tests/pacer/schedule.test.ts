/** The load schedule as pure functions of time: phases, levels and arrival times, no clock involved. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ArrivalSchedule, buildSegments, levelAt, segmentAt } from "../../src/pacer/schedule.ts";

const plan = (warmupMs: number, rampUpMs: number, steadyMs: number, rampDownMs: number) => ({
  warmupMs,
  rampUpMs,
  steadyMs,
  rampDownMs,
});

/** Arrival times of the whole schedule (finite ones). */
function times(a: ArrivalSchedule): number[] {
  const out: number[] = [];
  for (let k = 0; k < a.count(); k++) out.push(a.timeOf(k));
  return out;
}

describe("buildSegments", () => {
  it("lays the phases end to end and leaves out empty ones", () => {
    const s = buildSegments(plan(500, 1000, 2000, 250), 40);
    assert.deepEqual(
      s.map((x) => [x.phase, x.startMs, x.durationMs, x.from, x.to]),
      [
        ["warmup", 0, 500, 40, 40],
        ["ramp-up", 500, 1000, 0, 40],
        ["steady", 1500, 2000, 40, 40],
        ["ramp-down", 3500, 250, 40, 0],
      ],
    );
    assert.deepEqual(buildSegments(plan(0, 0, 1000, 0), 7).map((x) => x.phase), ["steady"]);
  });
});

describe("levelAt and segmentAt", () => {
  const s = buildSegments(plan(0, 1000, 1000, 1000), 100);

  it("follows linear ramps up and down and holds the steady level", () => {
    assert.equal(levelAt(s, 0), 0);
    assert.equal(levelAt(s, 250), 25);
    assert.equal(levelAt(s, 999), 99.9);
    assert.equal(levelAt(s, 1000), 100);
    assert.equal(levelAt(s, 1999), 100);
    assert.equal(levelAt(s, 2500), 50);
    assert.equal(segmentAt(s, 2500)?.phase, "ramp-down");
  });

  it("is 0 and has no segment once the run is over", () => {
    assert.equal(levelAt(s, 3000), 0);
    assert.equal(segmentAt(s, 3000), null);
  });

  it("holds the level of an unbounded steady phase (request-count runs)", () => {
    const unbounded = buildSegments(plan(0, 0, Infinity, 0), 12);
    assert.equal(levelAt(unbounded, 1e12), 12);
  });
});

describe("ArrivalSchedule", () => {
  it("spaces a constant rate evenly: 100/s for 1 s is 100 arrivals 10 ms apart", () => {
    const a = new ArrivalSchedule(buildSegments(plan(0, 0, 1000, 0), 100), 0);
    const t = times(a);
    assert.equal(t.length, 100);
    for (let k = 0; k < t.length; k++) assert.ok(Math.abs(t[k] - k * 10) < 1e-9, `arrival ${k} at ${t[k]}`);
    assert.equal(a.timeOf(100), Infinity);
  });

  it("handles odd rates exactly: 1001/s for 3 s is 3003 arrivals", () => {
    const a = new ArrivalSchedule(buildSegments(plan(0, 0, 3000, 0), 1001), 0);
    assert.equal(a.count(), 3003);
    assert.ok(a.timeOf(3002) < 3000);
  });

  it("a linear ramp 0→R over T has R·T/2 arrivals, denser towards its end", () => {
    const a = new ArrivalSchedule(buildSegments(plan(0, 2000, 0, 0), 1000), 0);
    assert.equal(a.count(), 1000);
    const t = times(a);
    // With R = 1 arrival/ms, the integral of the rate up to t is t²/(2T): arrival k is due at sqrt(2kT).
    for (const k of [1, 10, 250, 999]) assert.ok(Math.abs(t[k] - Math.sqrt(2 * k * 2000)) < 1e-6);
    for (let k = 1; k < t.length; k++) assert.ok(t[k] > t[k - 1], "arrival times increase");
  });

  it("arrivals cross phase boundaries continuously", () => {
    const s = buildSegments(plan(0, 1000, 1000, 1000), 100);
    const a = new ArrivalSchedule(s, 0);
    assert.equal(a.count(), 200); // 50 + 100 + 50
    const t = times(a);
    assert.ok(t[49] < 1000 && t[50] >= 1000, "the first 50 fall in the ramp-up");
    assert.ok(t[149] < 2000 && t[150] >= 2000, "the next 100 in the steady phase");
    assert.ok(t[199] < 3000);
  });

  it("workers with fractional offsets interleave: W schedules at R/W together give the one at R", () => {
    const rate = 300;
    const workers = 3;
    const whole = times(new ArrivalSchedule(buildSegments(plan(0, 500, 1000, 0), rate), 0));
    const union: number[] = [];
    for (let w = 0; w < workers; w++) {
      union.push(
        ...times(new ArrivalSchedule(buildSegments(plan(0, 500, 1000, 0), rate / workers), w / workers)),
      );
    }
    union.sort((x, y) => x - y);
    assert.equal(union.length, whole.length);
    for (let k = 0; k < whole.length; k++) assert.ok(Math.abs(union[k] - whole[k]) < 1e-6, `arrival ${k}`);
  });

  it("an unbounded schedule never runs out", () => {
    const a = new ArrivalSchedule(buildSegments(plan(0, 0, Infinity, 0), 50), 0);
    assert.equal(a.count(), Infinity);
    assert.equal(a.timeOf(1_000_000), 20_000_000);
  });
});
