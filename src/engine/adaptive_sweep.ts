/**
 * The load worker's periodic sweep (timeouts, the stop flag, a stalled
 * pump), on a timer that slows down while nothing is in flight. An idle
 * run's CPU is mostly timer wake-ups: a sweep every 100 ms costs about as
 * much as the whole rest of a `--rate 1` run, and has nothing to time out.
 *
 * @module
 */
import type { WorkerTimers } from "./load_worker_options.ts";

/** How often an idle worker still sweeps (the stop flag is read at least this often). */
export const IDLE_SWEEP_MS = 1000;

/**
 * Calls `sweep` every `busyMs` while `busy()` says requests are in flight,
 * every `idleMs` otherwise; `wake()` (on a send) brings it back to `busyMs` at once.
 *
 * @example
 * ```ts
 * import { AdaptiveSweep } from "./adaptive_sweep.ts";
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
  #timer: unknown = null;
  #idle = false;
  #stopped = false;

  /** `timers` default to the global ones (tests give fake ones). */
  constructor(
    busyMs: number,
    sweep: () => void,
    busy: () => boolean,
    idleMs: number = IDLE_SWEEP_MS,
    timers: WorkerTimers = globalThis,
  ) {
    this.#timers = timers;
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
