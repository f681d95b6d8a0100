/**
 * The pacer's periodic sweep (timeouts, the stop flag, a stalled
 * pump), on a timer that slows down while nothing is in flight. An idle
 * run's CPU is mostly timer wake-ups: a sweep every 100 ms costs about as
 * much as the whole rest of a `--rate 1` run, and has nothing to time out.
 * A stop reaches an idle worker as a message (`hurry()`), so the slowed
 * sweep is only a safety net.
 *
 * @module
 */
import type { WorkerClock, WorkerTimers } from "./clock.ts";

/**
 * How often an idle worker still sweeps. A stop arrives as a message, so this only bounds how long a
 * pump stalled by a bug would wait; at 1 s it was a quarter of a `--rate 1` run's wake-ups.
 */
export const IDLE_SWEEP_MS = 5000;

/** Options of {@linkcode AdaptiveSweep} past its timers. */
export interface AdaptiveSweepOptions {
  /**
   * How long a request just sent can go without a sweep (the request
   * timeout): `wake()` keeps a slowed-down sweep that comes sooner than that,
   * instead of re-arming at `busyMs`. At one request a second this halves
   * the sweeps, and a timeout is still seen within `busyMs` of its deadline.
   * @default 0
   */
  graceMs?: number;
  /**
   * Where the sweep reads the time.
   * @default performance
   */
  clock?: WorkerClock;
}

/**
 * Calls `sweep` every `busyMs` while `busy()` says requests are in flight,
 * every `idleMs` otherwise; `wake()` (on a send) brings it back to `busyMs`
 * at once, unless the slowed-down sweep comes within `graceMs` anyway.
 *
 * @example
 * ```ts
 * import { AdaptiveSweep } from "./_adaptive_sweep.ts";
 * let inFlight = 0;
 * const sweep = new AdaptiveSweep(100, () => {}, () => inFlight > 0);
 * sweep.start();
 * inFlight++;
 * sweep.wake();
 * sweep.stop();
 * ```
 */
export class AdaptiveSweep {
  readonly #busyMs: number;
  readonly #idleMs: number;
  readonly #sweep: () => void;
  readonly #busy: () => boolean;
  readonly #timers: WorkerTimers;
  readonly #graceMs: number;
  readonly #clock: WorkerClock;
  #timer: unknown = null;
  /** When the armed timer fires (clock ms). */
  #dueAt = 0;
  #idle = false;
  #stopped = false;

  /** `timers` default to the global ones (tests give fake ones). */
  constructor(
    busyMs: number,
    sweep: () => void,
    busy: () => boolean,
    idleMs: number = IDLE_SWEEP_MS,
    timers: WorkerTimers = globalThis,
    options: AdaptiveSweepOptions = {},
  ) {
    this.#timers = timers;
    this.#graceMs = options.graceMs ?? 0;
    this.#clock = options.clock ?? performance;
    this.#busyMs = busyMs;
    this.#idleMs = Math.max(busyMs, idleMs);
    this.#sweep = sweep;
    this.#busy = busy;
  }

  /** Starts sweeping every `busyMs`. */
  start(): void {
    this.#arm(this.#busyMs);
  }

  /** Back to `busyMs` when the sweep had slowed down (cheap when it had not: one branch). */
  wake(): void {
    if (!this.#idle || this.#stopped) return;
    // The slowed-down sweep comes before anything sent now could time out: keep it (one wake-up less).
    if (this.#timer !== null && this.#dueAt <= this.#clock.now() + this.#graceMs) return;
    this.#idle = false;
    this.#arm(this.#busyMs);
  }

  /** Back to `busyMs` at once, whatever the grace (a stop: its deadline is near). */
  hurry(): void {
    if (!this.#idle || this.#stopped) return;
    this.#idle = false;
    this.#arm(this.#busyMs);
  }

  /** Stops for good. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #arm(ms: number): void {
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#dueAt = this.#clock.now() + ms;
    this.#timer = this.#timers.setTimeout(() => this.#fire(), ms);
  }

  #fire(): void {
    this.#timer = null;
    this.#sweep();
    if (this.#stopped) return;
    this.#idle = !this.#busy();
    this.#arm(this.#idle ? this.#idleMs : this.#busyMs);
  }
}
