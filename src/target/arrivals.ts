/**
 * Arrivals counted per second at the target: the server-side measure of the
 * rate a load client achieved. Seconds are counted from the first arrival
 * after a reset, so second 0 starts with the run's first request and every
 * full second lies inside the run; a client's own clock plays no part.
 *
 * @module
 */

/** What the target saw arrive, per second (see {@linkcode ArrivalCounter}). */
export interface ArrivalStats {
  /** Requests that arrived (counted on arrival, before any delay or stall). */
  total: number;
  /** Arrivals in each second since the first one: index 0 = [first, first + 1 s). */
  perSecond: number[];
  /**
   * Responses in each second since the first arrival (same seconds as
   * `perSecond`): in the closed model the server's measure of completions.
   */
  responsesPerSecond: number[];
  /** Milliseconds from the reset to the first arrival; null when none arrived. */
  firstMs: number | null;
  /** Milliseconds from the reset to the last arrival; null when none arrived. */
  lastMs: number | null;
}

/**
 * Counts arrivals per second from the first one. `record` allocates only
 * when a new second begins.
 *
 * @example
 * ```ts
 * import { ArrivalCounter } from "./arrivals.ts";
 * const arrivals = new ArrivalCounter(0);
 * arrivals.record(5);
 * arrivals.record(1004);
 * arrivals.record(1006);
 * arrivals.recordResponse(1005);
 * arrivals.snapshot().perSecond; // [2, 1]
 * arrivals.snapshot().responsesPerSecond; // [0, 1]
 * ```
 */
export class ArrivalCounter {
  #resetAt: number;
  #first = -1;
  #last = -1;
  #total = 0;
  #perSecond: number[] = [];
  #responses: number[] = [];

  /** @param resetAt The clock reading (ms) that `firstMs`/`lastMs` count from. */
  constructor(resetAt: number) {
    this.#resetAt = resetAt;
  }

  /** Counts one arrival at clock reading `nowMs` (performance.now() on the server). */
  record(nowMs: number): void {
    if (this.#first < 0) this.#first = nowMs;
    this.#last = nowMs;
    this.#total++;
    const second = Math.floor((nowMs - this.#first) / 1000);
    while (this.#perSecond.length <= second) this.#perSecond.push(0);
    this.#perSecond[second]++;
  }

  /** Counts one response at clock reading `nowMs`, in the seconds of `record` (ignored before any arrival). */
  recordResponse(nowMs: number): void {
    if (this.#first < 0) return;
    const second = Math.floor((nowMs - this.#first) / 1000);
    while (this.#responses.length <= second) this.#responses.push(0);
    this.#responses[second]++;
  }

  /** Forgets every arrival; `firstMs`/`lastMs` count from `resetAt` from now on. */
  reset(resetAt: number): void {
    this.#resetAt = resetAt;
    this.#first = this.#last = -1;
    this.#total = 0;
    this.#perSecond = [];
    this.#responses = [];
  }

  /** A copy of the counts. */
  snapshot(): ArrivalStats {
    const none = this.#first < 0;
    return {
      total: this.#total,
      perSecond: this.#perSecond.slice(),
      responsesPerSecond: this.#responses.slice(),
      firstMs: none ? null : this.#first - this.#resetAt,
      lastMs: none ? null : this.#last - this.#resetAt,
    };
  }
}

/**
 * The arrival rate (req/s) over the first `seconds` seconds from the first
 * arrival: the server's count per second over a run of that many whole
 * seconds (arrivals after that window are left out). `null` when nothing
 * arrived.
 *
 * @example
 * ```ts
 * import { arrivalRate } from "./arrivals.ts";
 * arrivalRate({ total: 2003, perSecond: [1000, 1000, 3], responsesPerSecond: [], firstMs: 0, lastMs: 2001 }, 2); // 1000
 * ```
 */
export function arrivalRate(stats: ArrivalStats, seconds: number): number | null {
  return stats.firstMs === null || !(seconds > 0) ? null : sumOf(stats.perSecond, seconds) / seconds;
}

/**
 * The response rate (req/s) over the first `seconds` seconds from the first
 * arrival: in the closed model, the server's count of the completions inside
 * a run of that many whole seconds (the requests still in flight at its end
 * are answered after it). `null` when nothing arrived.
 *
 * @example
 * ```ts
 * import { responseRate } from "./arrivals.ts";
 * responseRate({ total: 3, perSecond: [3], responsesPerSecond: [2, 1], firstMs: 0, lastMs: 5 }, 1); // 2
 * ```
 */
export function responseRate(stats: ArrivalStats, seconds: number): number | null {
  return stats.firstMs === null || !(seconds > 0) ? null : sumOf(stats.responsesPerSecond, seconds) / seconds;
}

function sumOf(counts: readonly number[], first: number): number {
  let n = 0;
  for (let i = 0; i < Math.min(first, counts.length); i++) n += counts[i];
  return n;
}
