/**
 * Windowed throughput: events per second
 * over a sliding window of one-second slots, and SLA violations (windows
 * where the rate fell below a floor). Fixed memory.
 *
 * @module
 */

/** Options of `ThroughputMetric`. */
export interface ThroughputOptions {
  /** Window length in seconds (default 10). */
  windowSeconds?: number;
  /** Minimum events/s; a completed second below it is an SLA violation (default 0: none). */
  slaMinPerSecond?: number;
  /** Clock, ms (injectable for tests). */
  now?: () => number;
}

/**
 * Events per second over a sliding window.
 *
 * @example
 * ```ts
 * import { ThroughputMetric } from "./_throughput.ts";
 * const t = new ThroughputMetric({ windowSeconds: 5, slaMinPerSecond: 100 });
 * t.add(50);
 * t.perSecond(); // rate over the seconds seen so far
 * ```
 */
export class ThroughputMetric {
  readonly #slots: Float64Array;
  readonly #window: number;
  readonly #sla: number;
  readonly #now: () => number;
  readonly #start: number;
  #second = 0;
  #total = 0;
  #violations = 0;

  /**
   * Starts the window at the clock's current time. Throws a RangeError when
   * `windowSeconds` is not an integer >= 1.
   *
   * @param options Window length, SLA minimum and clock (all optional).
   */
  constructor(options: ThroughputOptions = {}) {
    this.#window = options.windowSeconds ?? 10;
    if (!Number.isInteger(this.#window) || this.#window < 1) {
      throw new RangeError(`Cannot create throughput metric: "windowSeconds" must be an integer >= 1`);
    }
    this.#slots = new Float64Array(this.#window);
    this.#sla = options.slaMinPerSecond ?? 0;
    this.#now = options.now ?? (() => performance.now());
    this.#start = this.#now();
  }

  #advance(): void {
    const second = Math.floor((this.#now() - this.#start) / 1000);
    while (this.#second < second) {
      const done = this.#slots[this.#second % this.#window];
      if (this.#sla > 0 && done < this.#sla) this.#violations++;
      this.#second++;
      this.#slots[this.#second % this.#window] = 0;
    }
  }

  /** Counts `n` events (default 1) now. */
  add(n = 1): void {
    this.#advance();
    this.#slots[this.#second % this.#window] += n;
    this.#total += n;
  }

  /** Events per second over the completed seconds of the window (the current second when none completed). */
  perSecond(): number {
    this.#advance();
    const full = Math.min(this.#second, this.#window - 1);
    if (full === 0) return this.#slots[this.#second % this.#window];
    let sum = 0;
    for (let i = 1; i <= full; i++) sum += this.#slots[(this.#second - i) % this.#window];
    return sum / full;
  }

  /** Events counted since creation. */
  get total(): number {
    return this.#total;
  }

  /** Completed seconds below the SLA floor. */
  get slaViolations(): number {
    this.#advance();
    return this.#violations;
  }
}
