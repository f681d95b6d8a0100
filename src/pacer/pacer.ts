/**
 * The pacer: decides when each unit of work of a `Protocol` starts, in the
 * closed model (virtual users loop, their number following the schedule's
 * ramps) or the open model (units start at the arrival rate, each measured
 * from its intended time, the pool growing when every slot is busy). It
 * owns the warm-up edge, the request or iteration limit, missed sends, the
 * stop signal and the end-of-run drain; the protocol only runs units and
 * records them. One pacer drives requests, request sets and scenario
 * iterations alike.
 *
 * @module
 */
import { AdaptiveSweep, IDLE_SWEEP_MS } from "./_adaptive_sweep.ts";
import { ArrivalSchedule, levelAt, type Segment } from "./schedule.ts";
import { CTRL_INTERRUPTED, CTRL_MEASURING, CTRL_STOP, type PacerTotals } from "./control.ts";
import type { WorkerClock, WorkerTimers } from "./clock.ts";
import type { PacerOptions } from "./pacer_options.ts";
import type { PacedSlot, Protocol } from "./protocol.ts";

export type { PacerTotals } from "./control.ts";
export type { Accounting, PacerOptions } from "./pacer_options.ts";

/** Grace period for work in flight after an interrupt. */
const INTERRUPT_GRACE_MS = 1000;
/**
 * Open-model pool growth: an arrival waits this long for a busy slot to
 * free up before a new one is opened for it (a hiccup of a few ms must not
 * open connections)...
 */
const GROW_AFTER_MS = 10;
/**
 * ...and at most this many new slots may be waiting for their first
 * outcome at once: a burst of connects past the server's accept backlog
 * loses SYNs, which retry after 1 s, which makes more arrivals wait.
 */
const GROW_BURST = 64;
/**
 * Open model, at a rate of one arrival or more per this many ms: one repeating timer wakes the pump
 * instead of a one-shot timer armed per arrival. A timer armed and fired per arrival was a measurable
 * share of a 1000 req/s run on Deno, where a repeating timer costs only its wake-ups. Below that rate
 * it would wake with nothing due, so the one-shot timer, armed for the next arrival, stays.
 */
const TICK_MS = 1;

/**
 * Drives one `Protocol` through a worker's schedule.
 *
 * @example
 * ```ts
 * // const pacer = new Pacer(protocol, { model: "open", ... , onDone: (t) => post(t) });
 * // pacer.start(startEpochMs); // protocol calls pacer.complete(slot, at) as units end
 * ```
 */
export class Pacer {
  readonly #protocol: Protocol;
  readonly #control: Int32Array;
  readonly #lane: { recordMissedSends(count: number): void; recordSent(): void };
  readonly #onDone: (totals: PacerTotals) => void;
  readonly #clock: WorkerClock;
  readonly #timers: WorkerTimers;
  readonly #slots: PacedSlot[] = [];
  readonly #idle: PacedSlot[] = [];
  readonly #open: boolean;
  readonly #byPlan: boolean;
  readonly #segments: Segment[];
  readonly #endMs: number;
  /** Whether the schedule ramps down (closed slots then stop one by one). */
  readonly #hasRampDown: boolean;
  readonly #requestLimit: number | null;
  readonly #drainMs: number;
  readonly #sweepEveryMs: number;
  readonly #sweepGraceMs: number;
  /** Open model: the pool grows on demand up to this many slots. */
  readonly #maxSlots: number;
  #arrivals: ArrivalSchedule | null = null;
  #arrivalCount = 0;
  #next = 0; // next arrival index (open)
  #missedUpTo = 0; // arrivals below this index already counted as delayed or missed
  #t0 = 0; // clock time at run start
  #inFlight = 0;
  #sent = 0;
  #measuredSent = 0;
  #lastSentAt = 0; // clock time of the last start
  #activeLevel = 0; // slots allowed to run now (closed)
  #stopping = false;
  #stopDeadline = Infinity;
  #finished = false;
  #wakeTimer: unknown = null;
  /** Open model at ≥ 1 arrival per TICK_MS: the repeating timer that pumps (else null). */
  #ticker: unknown = null;
  #sweepTimer: AdaptiveSweep | null = null;
  #depth = 0;
  /** Arrivals that waited because every allowed slot was busy (counted once each). */
  #delayed = 0;
  /** Slots opened by growth whose first unit is in flight. */
  #freshInFlight = 0;
  /** Clock time at the planned end of the schedule. */
  #windowEnd = Infinity;
  /**
   * Clock time the warm-up ends: a unit started (or due) from then on is measured. Each worker
   * decides by the planned time, not by a flag the main thread sets when its timer fires, since
   * that timer runs late on a loaded machine and the units in between were lost from the counts.
   */
  #measureFrom = 0;
  #warmupEndMs = 0;
  #completedInWindow = 0;

  /** Opens the initial `concurrency` slots on `protocol` (in index order). */
  constructor(protocol: Protocol, options: PacerOptions) {
    this.#protocol = protocol;
    this.#control = options.control;
    this.#lane = options.lane;
    this.#onDone = options.onDone;
    this.#clock = options.clock ?? performance;
    this.#timers = options.timers ?? globalThis;
    this.#open = options.model === "open";
    this.#byPlan = options.accounting === "plan";
    this.#segments = options.segments;
    this.#endMs = options.segments.reduce((end, s) => Math.max(end, s.startMs + s.durationMs), 0);
    this.#hasRampDown = options.segments.some((seg) => seg.phase === "ramp-down");
    this.#warmupEndMs = options.segments.reduce(
      (end, s) => s.phase === "warmup" ? s.startMs + s.durationMs : end,
      0,
    );
    this.#requestLimit = options.requestLimit;
    this.#drainMs = options.drainMs;
    this.#sweepEveryMs = options.sweepEveryMs;
    this.#sweepGraceMs = options.sweepGraceMs ?? 0;
    this.#maxSlots = this.#open ? Math.max(options.concurrency, options.maxConcurrency) : options.concurrency;
    for (let i = 0; i < options.concurrency; i++) this.#addSlot();
    if (this.#open) {
      this.#arrivals = new ArrivalSchedule(options.segments, options.arrivalOffset);
      this.#arrivalCount = this.#arrivals.count();
    }
  }

  /** The slots opened so far, by index. */
  get slots(): readonly PacedSlot[] {
    return this.#slots;
  }

  /** Adds a slot (its protocol side made by `openSlot`) to the pool, idle. */
  #addSlot(): PacedSlot {
    const slot: PacedSlot = {
      index: this.#slots.length,
      busy: false,
      measured: false,
      intendedAt: 0,
      sentAt: 0,
      fresh: false,
    };
    this.#protocol.openSlot(slot);
    this.#slots.push(slot);
    this.#idle.push(slot);
    return slot;
  }

  /** Open model: one more slot when every one is busy, up to the limit (see GROW_BURST). */
  #grow(): boolean {
    if (this.#slots.length >= this.#maxSlots || this.#freshInFlight >= GROW_BURST) return false;
    this.#addSlot().fresh = true;
    this.#freshInFlight++; // it is sent at once
    return true;
  }

  /** Starts at `startEpochMs` (epoch milliseconds shared by all workers). */
  start(startEpochMs: number): void {
    this.#t0 = startEpochMs - this.#clock.timeOrigin;
    this.#windowEnd = this.#t0 + this.#endMs;
    this.#measureFrom = this.#t0 + this.#warmupEndMs;
    this.#sweepTimer = new AdaptiveSweep(
      this.#sweepEveryMs,
      () => this.#sweep(),
      () => this.#inFlight > 0 || this.#stopping,
      IDLE_SWEEP_MS,
      this.#timers,
      { graceMs: this.#sweepGraceMs, clock: this.#clock },
    );
    this.#sweepTimer.start();
    const delay = Math.max(0, -this.#now());
    this.#wakeTimer = this.#timers.setTimeout(this.#onTick, delay);
  }

  /** The wake-up callback, bound once: no closure per timer. */
  readonly #onTick = (): void => this.#tick();
  /** The repeating timer's callback, bound once. */
  readonly #onTicker = (): void => this.#pump();

  #now(): number {
    return this.#clock.now() - this.#t0;
  }

  #tick(): void {
    this.#wakeTimer = null;
    if (this.#open) this.#pump();
    else this.#rampClosed();
  }

  /** Closed model: lets the number of running slots follow the schedule. */
  #rampClosed(): void {
    if (this.#checkStop()) return;
    const now = this.#now();
    const level = Math.min(this.#slots.length, Math.ceil(levelAt(this.#segments, now) - 1e-9));
    this.#activeLevel = level;
    for (let i = 0; i < level; i++) {
      const s = this.#slots[i];
      if (!s.busy && !this.#stopping) this.#sendClosed(s);
    }
    if (now >= this.#endMs) return this.#beginStop(false);
    // Re-check often while ramping; at a steady level just wake up for the next phase.
    const ramping = this.#segments.some((s) => s.from !== s.to && now < s.startMs + s.durationMs);
    this.#wakeTimer = this.#timers.setTimeout(this.#onTick, ramping ? 20 : Math.min(250, this.#endMs - now));
  }

  #sendClosed(s: PacedSlot): void {
    if (!this.#mayMeasure()) return;
    const t = this.#clock.now();
    s.intendedAt = t;
    this.#send(s, t);
  }

  /**
   * False (and stopping begins) when the unit-count limit is reached. Only measured units count,
   * and they alone: a unit can be measured a little before this clock reaches `measureFrom` (the
   * orchestrator's CTRL_MEASURING comes from another thread's clock), and a clock check here let a
   * busy run send past `-n` until its own clock caught up.
   */
  #mayMeasure(): boolean {
    const limit = this.#requestLimit;
    if (limit !== null && this.#measuredSent >= limit) {
      this.#beginStop(false);
      return false;
    }
    return true;
  }

  /** `s.intendedAt` is set; `sentAt` is the clock now. */
  #send(s: PacedSlot, sentAt: number): void {
    s.busy = true;
    s.sentAt = sentAt;
    this.#lastSentAt = sentAt;
    s.measured = (this.#byPlan ? s.intendedAt : sentAt) >= this.#measureFrom ||
      Atomics.load(this.#control, CTRL_MEASURING) === 1;
    if (s.measured) {
      this.#measuredSent++;
      this.#lane.recordSent(); // the live "sent" rate: one plain store on the lane
    }
    this.#inFlight++;
    this.#sent++;
    this.#sweepTimer?.wake(); // a slowed-down sweep must time this unit out on time
    this.#protocol.startWork(s);
  }

  /** Open model: starts every due arrival that has a free slot. */
  #pump(): void {
    if (this.#checkStop()) return;
    const arrivals = this.#arrivals!;
    const now = this.#now();
    const base = this.#t0;
    while (this.#next < this.#arrivalCount) {
      const due = arrivals.timeOf(this.#next);
      if (due > now) break;
      if (this.#idle.length === 0) {
        const waited = now - due >= GROW_AFTER_MS || now >= this.#endMs;
        if (!waited || !this.#grow()) break;
      }
      if (!this.#mayMeasure()) return;
      const s = this.#idle.pop()!;
      s.intendedAt = base + due;
      this.#next++;
      this.#send(s, this.#clock.now());
    }
    if (this.#next < this.#arrivalCount && this.#idle.length === 0 && this.#slots.length >= this.#maxSlots) {
      this.#countLate(now);
    }
    if (now >= this.#endMs) {
      // The schedule is over: arrivals still waiting for a slot are not sent late
      // (an overloaded run would never end); they are counted as missed sends instead.
      this.#dropUnsent(Infinity);
      this.#beginStop(false);
      return;
    }
    if (this.#next >= this.#arrivalCount) {
      this.#beginStop(false);
      return;
    }
    if (this.#ticker !== null) {
      // It also times a busy pool's growth (to the tick) and keeps counting late arrivals.
      if (this.#dense(now)) return;
      this.#timers.clearInterval(this.#ticker);
      this.#ticker = null;
    }
    if (this.#wakeTimer === null && this.#idle.length > 0 && this.#dense(now)) {
      this.#ticker = this.#timers.setInterval(this.#onTicker, TICK_MS);
    } else if (this.#wakeTimer === null && this.#idle.length > 0) {
      // Rounded up: timers have 1 ms steps, and one rounded down fires before the arrival is due, finds
      // nothing to send and re-arms for the next step, which sends no sooner but costs a wake-up.
      const wait = arrivals.timeOf(this.#next) - now;
      this.#wakeTimer = this.#timers.setTimeout(this.#onTick, Math.max(0, Math.ceil(wait)));
    } else if (
      this.#wakeTimer === null && this.#slots.length < this.#maxSlots && this.#freshInFlight < GROW_BURST
    ) {
      // Every slot is busy: wake when the next arrival has waited long enough to grow for it
      // (a completion may free one sooner; it pumps too).
      const wait = arrivals.timeOf(this.#next) + GROW_AFTER_MS - now;
      this.#wakeTimer = this.#timers.setTimeout(this.#onTick, Math.max(1, Math.ceil(wait)));
    }
  }

  /** Whether arrivals come at least once a TICK_MS at run ms `now` (then a repeating timer pumps). */
  #dense(now: number): boolean {
    return levelAt(this.#segments, now) * TICK_MS >= 1000;
  }

  /**
   * Counts (once each) the arrivals due by `now` (run ms) that wait for a slot: delayed sends
   * (`"send"`) from the warm-up's planned end, or missed sends (`"plan"`) of those due after it.
   */
  #countLate(now: number): void {
    if (!this.#byPlan && this.#clock.now() < this.#measureFrom) return;
    const arrivals = this.#arrivals!;
    let k = Math.max(this.#next, this.#missedUpTo);
    let n = 0;
    while (k < this.#arrivalCount) {
      const due = arrivals.timeOf(k);
      if (due > now) break;
      if (!this.#byPlan || due >= this.#warmupEndMs) n++;
      k++;
    }
    this.#missedUpTo = k;
    if (this.#byPlan) {
      if (n > 0) this.#lane.recordMissedSends(n);
    } else this.#delayed += n;
  }

  /**
   * Gives up the measured arrivals due by `upTo` (run ms) that were never sent (the run is over):
   * each is a missed send, which the `errors` rate counts. With `"plan"` accounting those already
   * counted as missed while they waited are not counted again.
   */
  #dropUnsent(upTo: number): void {
    if (!this.#open) return;
    const arrivals = this.#arrivals!;
    if (this.#byPlan) {
      let k = Math.max(this.#next, this.#missedUpTo);
      let n = 0;
      while (k < this.#arrivalCount) {
        const due = arrivals.timeOf(k);
        if (due > upTo) break;
        if (due >= this.#warmupEndMs) n++;
        k++;
      }
      this.#next = this.#missedUpTo = k;
      if (n > 0) this.#lane.recordMissedSends(n);
      return;
    }
    if (this.#clock.now() < this.#measureFrom) return;
    let k = this.#next;
    if (upTo === Infinity) k = this.#arrivalCount;
    else while (k < this.#arrivalCount && arrivals.timeOf(k) <= upTo) k++;
    const n = k - this.#next;
    this.#next = k;
    if (n > 0) this.#lane.recordMissedSends(n);
  }

  /**
   * A unit on `slot` ended at clock time `at` (the protocol has recorded it): frees the slot and
   * starts what is due next. Ignored for a slot with nothing in flight.
   */
  complete(slot: PacedSlot, at: number): void {
    if (!slot.busy) return;
    slot.busy = false;
    if (slot.fresh) {
      slot.fresh = false;
      this.#freshInFlight--;
    }
    this.#inFlight--;
    // The window's rate counts every completion inside it, also of a unit sent during the
    // warm-up: at a steady state those replace the ones still in flight at the end.
    if (at <= this.#windowEnd && (slot.measured || at >= this.#measureFrom)) {
      this.#completedInWindow++;
    }
    if (this.#stopping) {
      if (this.#inFlight === 0) this.#finish();
      return;
    }
    // A synchronous failure inside startWork() must not recurse without bound.
    if (this.#depth > 8) {
      this.#timers.setTimeout(() => this.#afterComplete(slot, this.#clock.now()), 0);
      return;
    }
    this.#depth++;
    try {
      this.#afterComplete(slot, at);
    } finally {
      this.#depth--;
    }
  }

  /** `at`: clock time of the completion (one clock read per unit fewer: each costs ~50 ns on Bun). */
  #afterComplete(s: PacedSlot, at: number): void {
    if (this.#stopping) return;
    if (this.#open) {
      this.#idle.push(s);
      this.#pump();
      return;
    }
    if (this.#checkStop()) return;
    const now = at - this.#t0;
    if (now >= this.#endMs) {
      this.#beginStop(false);
      return;
    }
    if (s.index >= this.#activeLevel) return;
    if (this.#hasRampDown) {
      // Follow the ramp-down per completion: the slots above the current level stop.
      this.#activeLevel = Math.min(this.#slots.length, Math.ceil(levelAt(this.#segments, now) - 1e-9));
      if (s.index >= this.#activeLevel) return;
    }
    this.#sendClosed(s);
  }

  /** Lets the protocol time out work past its deadline; notices a stop from the orchestrator. */
  #sweep(): void {
    this.#checkStop();
    const now = this.#clock.now();
    this.#protocol.sweep(this.#slots, now);
    if (this.#stopping && this.#inFlight > 0 && now >= this.#stopDeadline) {
      this.#finish(); // abandon what is left (interrupt)
    }
    if (!this.#stopping && this.#open && this.#wakeTimer === null && this.#ticker === null) this.#pump();
  }

  /** The orchestrator says the run is stopping: read the control flags now, not at the next sweep. */
  noticeStop(): void {
    if (this.#sweepTimer !== null && !this.#finished) this.#checkStop();
  }

  #checkStop(): boolean {
    if (this.#stopping) return true;
    if (Atomics.load(this.#control, CTRL_STOP) === 1) {
      const interrupted = Atomics.load(this.#control, CTRL_INTERRUPTED) === 1;
      // Arrivals already due but never sent still show in the result.
      if (interrupted) this.#dropUnsent(this.#now());
      this.#beginStop(interrupted);
      return true;
    }
    return false;
  }

  #beginStop(interrupted: boolean): void {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#clearWakeUps();
    this.#stopDeadline = this.#clock.now() + (interrupted ? INTERRUPT_GRACE_MS : this.#drainMs);
    if (this.#inFlight === 0) queueMicrotask(() => this.#finish());
    else this.#sweepTimer?.hurry(); // what is in flight is abandoned at the deadline, not a slow sweep later
  }

  /** Clears the pump's timers: the one-shot and the repeating one. */
  #clearWakeUps(): void {
    if (this.#wakeTimer !== null) this.#timers.clearTimeout(this.#wakeTimer);
    this.#wakeTimer = null;
    if (this.#ticker !== null) this.#timers.clearInterval(this.#ticker);
    this.#ticker = null;
  }

  /** Stops at once: closes every slot and clears the timers; a no-op once finished. */
  abort(): void {
    this.#finish();
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#sweepTimer?.stop();
    this.#clearWakeUps();
    const abandoned = this.#inFlight;
    this.#protocol.close();
    // Every record so far is visible to the orchestrator before it hears "done".
    Atomics.add(this.#control, CTRL_MEASURING + 13, 1);
    this.#onDone({
      sent: this.#sent,
      abandoned,
      lastSendEpochMs: this.#lastSentAt === 0 ? 0 : this.#clock.timeOrigin + this.#lastSentAt,
      completedInWindow: this.#completedInWindow,
      connections: this.#slots.length,
      delayedSends: this.#delayed,
    });
  }
}
