/**
 * The pacer on a fake clock, driving a fake protocol: every start time,
 * intended time, measured flag, missed send and the drain are exact, so these
 * tests check numbers, not timings. The same pacer drives the load worker
 * (requests, request sets) and the scenario worker (iterations); their own
 * tests cover what they record.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type Accounting, Pacer, type PacerOptions, type PacerTotals } from "../../src/pacer/pacer.ts";
import type { PacedSlot, Protocol } from "../../src/pacer/protocol.ts";
import type { WorkerTimers } from "../../src/pacer/clock.ts";
import { ArrivalSchedule, buildSegments, type Segment } from "../../src/pacer/schedule.ts";
import { workerShare } from "../../src/engine/execution_segment.ts";
import { CONTROL_BYTES, CTRL_INTERRUPTED, CTRL_MEASURING, CTRL_STOP } from "../../src/pacer/control.ts";
import { FakeClock, steady } from "../_helpers/load_worker_fakes.ts";

/** The run starts this long after the pacer is told (as `run()` leaves 30 ms for the start message). */
const T0 = 30;

/** One unit of work as the fake protocol saw it, in run ms (0 = the run's start). */
interface Unit {
  slot: number;
  intendedAt: number;
  sentAt: number;
  measured: boolean;
  /** Run ms it ended, or null while in flight (or abandoned). */
  endedAt: number | null;
  timedOut: boolean;
}

/** A protocol whose every unit takes `latencyMs` (null: never ends); units past `timeoutMs` time out. */
class FakeProtocol implements Protocol {
  readonly units: Unit[] = [];
  readonly opened: number[] = [];
  /** The unit in flight per slot. */
  readonly #current: Array<Unit | null> = [];
  closed = false;
  pacer: Pacer | null = null;
  readonly #clock: FakeClock;
  latencyMs: number | null;
  readonly timeoutMs: number;

  constructor(clock: FakeClock, latencyMs: number | null, timeoutMs = 10_000) {
    this.#clock = clock;
    this.latencyMs = latencyMs;
    this.timeoutMs = timeoutMs;
  }

  openSlot(slot: PacedSlot): void {
    this.opened.push(slot.index);
    this.#current.push(null);
  }

  startWork(slot: PacedSlot): void {
    const unit: Unit = {
      slot: slot.index,
      intendedAt: slot.intendedAt - T0,
      sentAt: slot.sentAt - T0,
      measured: slot.measured,
      endedAt: null,
      timedOut: false,
    };
    this.units.push(unit);
    this.#current[slot.index] = unit;
    const latency = this.latencyMs;
    if (latency !== null) this.#clock.setTimeout(() => this.#end(slot, unit, false), latency);
  }

  sweep(slots: readonly PacedSlot[], now: number): void {
    for (const slot of slots) {
      const unit = this.#current[slot.index];
      if (slot.busy && unit !== null && now - slot.sentAt > this.timeoutMs) this.#end(slot, unit, true);
    }
  }

  close(): void {
    this.closed = true;
  }

  #end(slot: PacedSlot, unit: Unit, timedOut: boolean): void {
    if (this.#current[slot.index] !== unit || this.closed) return;
    this.#current[slot.index] = null;
    const at = this.#clock.now();
    unit.endedAt = at - T0;
    unit.timedOut = timedOut;
    this.pacer!.complete(slot, at);
  }
}

interface Paced {
  clock: FakeClock;
  protocol: FakeProtocol;
  pacer: Pacer;
  control: Int32Array;
  /** Missed sends the pacer counted into the lane. */
  missed(): number;
  /** Measured sends the pacer counted into the lane. */
  sent(): number;
  /** The totals, once the pacer finished. */
  done(): PacerTotals | null;
  /** Timers the pacer armed (its sweep's included; the fake protocol's not). */
  armed: { timeouts: number; intervals: number };
}

type Fields = Pick<PacerOptions, "model" | "concurrency" | "segments"> & Partial<PacerOptions>;

/** A pacer over a fake protocol, started at T0 on a fresh fake clock; measuring on unless told. */
function pace(
  fields: Fields,
  latencyMs: number | null,
  options: { measuring?: boolean; timeoutMs?: number } = {},
): Paced {
  const clock = new FakeClock();
  const protocol = new FakeProtocol(clock, latencyMs, options.timeoutMs);
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));
  Atomics.store(control, CTRL_MEASURING, options.measuring === false ? 0 : 1);
  let missed = 0;
  let sent = 0;
  let totals: PacerTotals | null = null;
  const armed = { timeouts: 0, intervals: 0 };
  const timers: WorkerTimers = {
    setTimeout: (callback, ms) => (armed.timeouts++, clock.setTimeout(callback, ms)),
    clearTimeout: (handle) => clock.clearTimeout(handle),
    setInterval: (callback, ms) => (armed.intervals++, clock.setInterval(callback, ms)),
    clearInterval: (handle) => clock.clearInterval(handle),
  };
  const pacer = new Pacer(protocol, {
    arrivalOffset: 0,
    maxConcurrency: fields.concurrency,
    requestLimit: null,
    control,
    lane: { recordMissedSends: (n) => void (missed += n), recordSent: () => void sent++ },
    accounting: "send",
    drainMs: (options.timeoutMs ?? 10_000) + 1000,
    sweepEveryMs: 5,
    onDone: (t) => {
      assert.equal(totals, null, "onDone is called once");
      assert.ok(protocol.closed, "the protocol is closed before the report");
      totals = t;
    },
    clock,
    timers,
    ...fields,
  });
  protocol.pacer = pacer;
  pacer.start(clock.timeOrigin + T0);
  return {
    clock,
    protocol,
    pacer,
    control,
    missed: () => missed,
    sent: () => sent,
    done: () => totals,
    armed,
  };
}

const sent = (p: Paced): number[] => p.protocol.units.map((u) => u.sentAt);
const intended = (p: Paced): number[] => p.protocol.units.map((u) => u.intendedAt);

/** Each unit started within 1 ms of its arrival of the schedule, and at or after it. */
function onTime(p: Paced, segments: Segment[], arrivalOffset = 0): void {
  const schedule = new ArrivalSchedule(segments, arrivalOffset);
  assert.equal(p.protocol.units.length, schedule.count());
  p.protocol.units.forEach((u, k) => {
    const due = schedule.timeOf(k);
    assert.ok(Math.abs(u.intendedAt - due) < 1e-6, `arrival ${k}: due ${due}, intended ${u.intendedAt}`);
    assert.ok(u.sentAt >= due && u.sentAt < due + 1, `arrival ${k}: due ${due}, sent ${u.sentAt}`);
  });
}

describe("Pacer: open model", () => {
  it("starts every arrival at its time on a free slot; totals count them", async () => {
    const p = pace({ model: "open", concurrency: 2, segments: [steady(10, 1000)] }, 5);
    await p.clock.advance(2000);
    assert.deepEqual(sent(p), [0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    assert.deepEqual(intended(p), sent(p));
    assert.ok(p.protocol.units.every((u) => u.measured));
    assert.deepEqual(p.done(), {
      sent: 10,
      abandoned: 0,
      lastSendEpochMs: p.clock.timeOrigin + T0 + 900,
      completedInWindow: 10,
      connections: 2,
      delayedSends: 0,
    });
    assert.deepEqual(p.protocol.opened, [0, 1]);
    assert.equal(p.missed(), 0);
    assert.equal(p.sent(), 10, "every measured send counted into the lane");
    assert.equal(p.clock.pending, 0, "no timer left behind");
  });

  it("follows a ramp across phases: each start within 1 ms of the arrival schedule", async () => {
    const segments = buildSegments({ warmupMs: 0, rampUpMs: 1000, steadyMs: 500, rampDownMs: 500 }, 40);
    const p = pace({ model: "open", concurrency: 4, segments, arrivalOffset: 0.25 }, 2);
    await p.clock.advance(3000);
    onTime(p, segments, 0.25);
  });

  it("segments: the instances of a split plan start exactly the single run's arrivals", async () => {
    const phases = buildSegments({ warmupMs: 0, rampUpMs: 500, steadyMs: 500, rampDownMs: 0 }, 60);
    const whole = pace({ model: "open", concurrency: 4, segments: phases }, 1);
    await whole.clock.advance(2000);
    const union: number[] = [];
    for (let index = 0; index < 3; index++) {
      const plan = {
        model: "open",
        concurrency: 4,
        requests: null,
        workers: 1,
        segment: { index, count: 3 },
      } as const;
      const share = workerShare(plan, phases, 0);
      const part = pace({
        model: "open",
        concurrency: 4,
        segments: share.segments,
        arrivalOffset: share.arrivalOffset,
      }, 1);
      await part.clock.advance(2000);
      union.push(...intended(part));
    }
    union.sort((a, b) => a - b);
    assert.equal(union.length, whole.protocol.units.length);
    union.forEach((t, k) => assert.ok(Math.abs(t - intended(whole)[k]) < 1e-6, `arrival ${k}: ${t}`));
  });

  it("a busy pool grows after a 10 ms wait, up to maxConcurrency; grown slots are opened in order", async () => {
    const p = pace({ model: "open", concurrency: 1, maxConcurrency: 3, segments: [steady(10, 1000)] }, 250);
    await p.clock.advance(3000);
    assert.equal(sent(p)[1], 110, "arrival 1 (due 100) waits 10 ms, then goes out on a new slot");
    assert.equal(intended(p)[1], 100, "...measured from its intended time");
    assert.deepEqual(p.protocol.opened, [0, 1, 2]);
    assert.equal(p.done()!.connections, 3);
    assert.equal(p.done()!.sent, 10);
    assert.equal(p.missed(), 0);
  });
});

describe("Pacer: one repeating timer at one arrival a millisecond or more", () => {
  it("2000/s: one repeating timer; 500/s: a one-shot timer per arrival (a 1 ms tick would wake twice)", async () => {
    for (const rate of [2000, 500]) {
      const segments = [steady(rate, 1000)];
      const p = pace({ model: "open", concurrency: 4, segments, sweepEveryMs: 1000 }, 0.5);
      await p.clock.advance(3000);
      onTime(p, segments);
      assert.equal(p.done()!.sent, rate);
      assert.equal(p.clock.pending, 0, `${rate}/s: no timer left behind`);
      const { intervals, timeouts } = p.armed;
      if (rate === 2000) assert.ok(intervals === 1 && timeouts <= 10, `2000/s: ${intervals} and ${timeouts}`);
      else assert.ok(intervals === 0 && timeouts >= 500, `500/s: ${intervals} and ${timeouts}`);
    }
  });

  it("a ramp across 1000/s: the repeating timer starts on the way up, stops on the way down", async () => {
    const segments = buildSegments({ warmupMs: 0, rampUpMs: 1000, steadyMs: 500, rampDownMs: 1000 }, 3000);
    const p = pace({ model: "open", concurrency: 8, segments, sweepEveryMs: 1000 }, 0.5);
    await p.clock.advance(3000);
    onTime(p, segments);
    assert.equal(p.armed.intervals, 1);
    // Below 1000/s, the first third of the ramp up and the last of the ramp down, ~333 of the 4500 arrivals
    // come, one one-shot timer each; the rest come on the ticks.
    assert.ok(p.armed.timeouts < 400, `${p.armed.timeouts} one-shot timers`);
    assert.equal(p.clock.pending, 0);
  });

  it("a busy pool still grows after 10 ms (to the tick), and a full one counts each late arrival once", async () => {
    const grow = pace(
      { model: "open", concurrency: 1, maxConcurrency: 3, segments: [steady(2000, 100)] },
      250,
    );
    await grow.clock.advance(1000);
    assert.ok(sent(grow)[1] >= 10.5 && sent(grow)[1] < 11.5, `arrival 1 (due 0.5) sent at ${sent(grow)[1]}`);
    assert.deepEqual(grow.protocol.opened, [0, 1, 2]);
    const full = pace({
      model: "open",
      concurrency: 1,
      segments: [steady(2000, 100)],
      accounting: "plan",
    }, 250);
    await full.clock.advance(1000);
    assert.equal(full.done()!.sent, 1);
    assert.equal(full.missed(), 199, "arrivals 1..199 found the one slot busy");
  });

  it("a stop from the orchestrator clears the repeating timer; the drain ends the run", async () => {
    const p = pace({ model: "open", concurrency: 4, segments: [steady(2000, 5000)] }, 0.5);
    await p.clock.advanceTo(T0 + 100);
    Atomics.store(p.control, CTRL_STOP, 1);
    p.pacer.noticeStop();
    await p.clock.advance(100);
    assert.equal(p.done()!.sent, 201, "arrivals due at 0, 0.5, ..., 100 ms");
    assert.equal(p.clock.pending, 0);
  });
});

describe("Pacer: missed sends", () => {
  it('"send" accounting: waits count as delayed sends, the never-sent as missed sends', async () => {
    // One slot, 250 ms per unit at 10/s: only every 2.5th arrival finds it free.
    const p = pace({ model: "open", concurrency: 1, segments: [steady(10, 1000)] }, 250);
    await p.clock.advance(3000);
    assert.deepEqual(sent(p), [0, 250, 500, 750, 1000]);
    assert.deepEqual(intended(p), [0, 100, 200, 300, 400]);
    assert.equal(p.done()!.delayedSends, 9, "arrivals 1..9 waited");
    assert.equal(p.missed(), 5, "arrivals 5..9 were never sent");
  });

  it('"plan" accounting: an arrival that finds no free slot is missed at once, still started late', async () => {
    const p = pace({ model: "open", concurrency: 1, segments: [steady(10, 1000)], accounting: "plan" }, 250);
    await p.clock.advance(3000);
    assert.deepEqual(sent(p), [0, 250, 500, 750, 1000]);
    assert.equal(p.done()!.delayedSends, 0);
    // Arrivals 1..9 each found the slot busy when due: each counted once, none again at the end.
    assert.equal(p.missed(), 9);
  });

  it("an interrupt: due arrivals never sent are missed, work in flight is abandoned after the grace", async () => {
    for (const accounting of ["send", "plan"] as Accounting[]) {
      const p = pace({ model: "open", concurrency: 1, segments: [steady(10, 5000)], accounting }, null);
      await p.clock.advanceTo(T0 + 450);
      Atomics.store(p.control, CTRL_INTERRUPTED, 1);
      Atomics.store(p.control, CTRL_STOP, 1);
      p.pacer.noticeStop();
      await p.clock.advanceTo(T0 + 1400);
      assert.equal(p.done(), null, `${accounting}: work in flight gets a 1 s grace`);
      await p.clock.advanceTo(T0 + 1500);
      assert.equal(p.done()!.sent, 1);
      assert.equal(p.done()!.abandoned, 1);
      assert.equal(p.missed(), 4, `${accounting}: arrivals due at 100..400 never had a slot`);
      assert.equal(p.clock.pending, 0);
    }
  });
});

describe("Pacer: warm-up edge", () => {
  const phases = (): Segment[] => [{ ...steady(10, 500), phase: "warmup" }, steady(10, 1000, 500)];

  it('"send": units sent from the planned warm-up end count, without the main thread\'s flag', async () => {
    const p = pace({ model: "open", concurrency: 1, segments: phases() }, 250, { measuring: false });
    await p.clock.advance(3000);
    assert.deepEqual(sent(p), [0, 250, 500, 750, 1000, 1250, 1500]);
    assert.deepEqual(p.protocol.units.map((u) => u.measured), [false, false, true, true, true, true, true]);
    assert.equal(p.missed(), 8, "arrivals 7..14 were never sent");
    assert.equal(p.sent(), 5, "only the measured sends are counted into the lane");
  });

  it('"plan": units due from the planned warm-up end count; missed ones only when due after it', async () => {
    const p = pace(
      { model: "open", concurrency: 1, segments: phases(), accounting: "plan" },
      250,
      { measuring: false },
    );
    await p.clock.advance(3000);
    assert.deepEqual(intended(p), [0, 100, 200, 300, 400, 500, 600]);
    assert.deepEqual(p.protocol.units.map((u) => u.measured), [
      false,
      false,
      false,
      false,
      false,
      true,
      true,
    ]);
    // Arrivals 5..14 are due from 500 on; 5 and 6 still started (late), all ten found the slot busy.
    assert.equal(p.missed(), 10);
    assert.equal(p.sent(), 2);
  });

  it("closed model: the main thread's flag also starts measuring (a late flag loses nothing)", async () => {
    const p = pace(
      {
        model: "closed",
        concurrency: 1,
        segments: [{ ...steady(1, 1000), phase: "warmup" }, steady(1, 1000, 1000)],
      },
      300,
      { measuring: false },
    );
    await p.clock.advanceTo(T0 + 500);
    Atomics.store(p.control, CTRL_MEASURING, 1); // early, as a flag may be
    await p.clock.advanceTo(T0 + 3000);
    assert.deepEqual(sent(p), [0, 300, 600, 900, 1200, 1500, 1800]);
    assert.deepEqual(p.protocol.units.map((u) => u.measured), [false, false, true, true, true, true, true]);
    // Completions by the planned end (2000) of measured units: at 900, 1200, 1500 and 1800.
    assert.equal(p.done()!.completedInWindow, 4);
  });
});

describe("Pacer: closed model", () => {
  it("each slot starts its next unit at its completion's time", async () => {
    const p = pace({ model: "closed", concurrency: 2, segments: [steady(2, 1000)] }, 100);
    await p.clock.advance(2000);
    assert.deepEqual(sent(p), [
      0,
      0,
      100,
      100,
      200,
      200,
      300,
      300,
      400,
      400,
      500,
      500,
      600,
      600,
      700,
      700,
      800,
      800,
      900,
      900,
    ]);
    assert.deepEqual(intended(p), sent(p), "latency from the start: closed model");
    assert.equal(p.done()!.sent, 20);
    assert.equal(p.done()!.abandoned, 0);
  });

  it("the running slots follow the ramp up and the ramp down", async () => {
    const segments = buildSegments({ warmupMs: 0, rampUpMs: 1000, steadyMs: 200, rampDownMs: 500 }, 10);
    const p = pace({ model: "closed", concurrency: 10, segments }, 10);
    await p.clock.advance(3000);
    for (let i = 0; i < 10; i++) {
      const mine = p.protocol.units.filter((u) => u.slot === i).map((u) => u.sentAt);
      // Slot i joins once the level passes i (at i × 100 ms), at the next 20 ms re-check...
      assert.ok(mine[0] > i * 100 && mine[0] <= i * 100 + 20, `slot ${i} joined at ${mine[0]}`);
      // ...and leaves once the ramp-down level falls to i (at 1200 + (10 - i) × 50 ms).
      const leaves = 1200 + (10 - i) * 50;
      const last = mine[mine.length - 1];
      assert.ok(
        last <= leaves && last > leaves - 20,
        `slot ${i} last started at ${last}, level ${i} at ${leaves}`,
      );
    }
  });

  it("a unit limit stops the starts after the warm-up; the rest drains", async () => {
    const p = pace({ model: "closed", concurrency: 3, segments: [steady(3, Infinity)], requestLimit: 7 }, 10);
    await p.clock.advance(1000);
    const done = p.done()!;
    assert.ok(done, "a count-bound run ends by itself");
    assert.equal(p.protocol.units.filter((u) => u.measured).length, 7);
    assert.equal(done.sent, 7);
    assert.ok(p.protocol.units.every((u) => u.endedAt !== null), "every unit started completed");
  });
  it("a unit limit counts measured units, even those measured before this clock's warm-up end", async () => {
    // The orchestrator's CTRL_MEASURING (another thread's clock) can lead this clock: units measured
    // by the flag count against -n, and nothing more is sent once it is reached (was: 7 for -n 2).
    const p = pace({
      model: "closed",
      concurrency: 1,
      segments: [{ ...steady(1, 500), phase: "warmup" }, steady(1, Infinity, 500)],
      requestLimit: 2,
    }, 10);
    await p.clock.advance(2000);
    assert.ok(p.done(), "a count-bound run ends by itself");
    assert.equal(p.protocol.units.filter((u) => u.measured).length, 2);
    assert.equal(p.protocol.units.length, 2);
  });
});

describe("Pacer: drain and stop", () => {
  it("drain: units in flight at the planned end complete before the report", async () => {
    const p = pace({ model: "open", concurrency: 4, segments: [steady(10, 1000)] }, 300);
    await p.clock.advanceTo(T0 + 1199);
    assert.equal(p.done(), null, "the last unit (started at 900) is in flight");
    assert.ok(!p.protocol.closed);
    await p.clock.advanceTo(T0 + 1200);
    assert.equal(p.done()!.sent, 10);
    assert.equal(p.done()!.abandoned, 0);
    assert.equal(p.done()!.completedInWindow, 8, "completed by 1000: those started up to 700");
  });

  it("the drain gives up at its deadline: what is still in flight is abandoned", async () => {
    // Units never end and never time out (timeout 10 s > drain 2 s).
    const p = pace({ model: "closed", concurrency: 2, segments: [steady(2, 500)], drainMs: 2000 }, null);
    await p.clock.advanceTo(T0 + 2499);
    assert.equal(p.done(), null);
    await p.clock.advanceTo(T0 + 2600);
    assert.equal(p.done()!.abandoned, 2);
    assert.equal(p.done()!.sent, 2);
  });

  it("the protocol's sweep times units out; their slots go on", async () => {
    const p = pace({ model: "closed", concurrency: 1, segments: [steady(1, 300)] }, null, { timeoutMs: 50 });
    await p.clock.advance(2000);
    // Timed out at the first 5 ms sweep past 50 ms, then started again at once.
    assert.deepEqual(sent(p), [0, 55, 110, 165, 220, 275]);
    assert.ok(p.protocol.units.every((u) => u.timedOut));
    assert.equal(p.done()!.abandoned, 0);
  });

  it("a plain stop (not an interrupt) drains what is in flight and counts no missed sends", async () => {
    const p = pace({ model: "open", concurrency: 2, segments: [steady(10, 5000)] }, 150);
    await p.clock.advanceTo(T0 + 350);
    Atomics.store(p.control, CTRL_STOP, 1);
    p.pacer.noticeStop();
    await p.clock.advanceTo(T0 + 1000);
    const done = p.done()!;
    assert.equal(done.sent, 4);
    assert.equal(done.abandoned, 0);
    assert.equal(p.missed(), 0);
    assert.ok(p.protocol.units.every((u) => u.endedAt !== null));
  });

  it("a protocol that completes inside startWork (a synchronous failure) does not recurse without bound", async () => {
    const clock = new FakeClock();
    const control = new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));
    Atomics.store(control, CTRL_MEASURING, 1);
    let starts = 0;
    let deepest = 0;
    let depth = 0;
    let totals: PacerTotals | null = null;
    const protocol: Protocol = {
      openSlot: () => {},
      startWork: (slot) => {
        starts++;
        depth++;
        deepest = Math.max(deepest, depth);
        pacer.complete(slot, clock.now());
        depth--;
      },
      sweep: () => {},
      close: () => {},
    };
    const pacer = new Pacer(protocol, {
      model: "closed",
      segments: [steady(1, 20)],
      arrivalOffset: 0,
      concurrency: 1,
      maxConcurrency: 1,
      requestLimit: null,
      control,
      lane: { recordMissedSends: () => {}, recordSent: () => {} },
      accounting: "send",
      drainMs: 1000,
      sweepEveryMs: 5,
      onDone: (t) => void (totals = t),
      clock,
      timers: clock,
    });
    pacer.start(clock.timeOrigin);
    await clock.advance(100);
    assert.ok(totals !== null, "the run ended");
    assert.ok(deepest <= 10, `nested ${deepest} deep`);
    assert.ok(starts > 20, `only ${starts} starts`);
    assert.equal(clock.pending, 0);
  });

  it("abort: finishes at once, closes the protocol, leaves no timer", async () => {
    const p = pace({ model: "open", concurrency: 2, segments: [steady(10, 5000)] }, null);
    await p.clock.advanceTo(T0 + 150);
    p.pacer.abort();
    assert.ok(p.protocol.closed);
    assert.equal(p.done()!.abandoned, 2);
    assert.equal(p.clock.pending, 0);
    p.pacer.abort(); // a no-op the second time
  });
});
