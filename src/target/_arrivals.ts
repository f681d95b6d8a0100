/**
 * Arrivals (and responses) counted over time at the target: the server-side
 * measure of the rate a load client achieved. Counts are kept per 10 ms slice
 * from the first arrival after a reset; the ground truth shows them per
 * second, and answers for any window of wall-clock time (a client's measured
 * span), so that a client's own clock plays no part in the count.
 *
 * @module
 */

/** Resolution of the counts, in ms. */
export const ARRIVAL_SLICE_MS = 10;
const SLICES_PER_SECOND = 1000 / ARRIVAL_SLICE_MS;

/** A span of wall-clock time, epoch milliseconds (e.g. a run's `startedAt` to `startedAt + durationMs`). */
export interface ArrivalWindowQuery {
  /** Start of the window, epoch ms (inclusive). */
  fromEpochMs: number;
  /** End of the window, epoch ms (exclusive). */
  toEpochMs: number;
}

/** What the target counted inside an {@linkcode ArrivalWindowQuery}. */
export interface ArrivalWindow extends ArrivalWindowQuery {
  /** Requests that arrived in the window (edge slices prorated, so possibly fractional). */
  arrivals: number;
  /** Responses the target sent in the window (edge slices prorated). */
  responses: number;
}

/** What the target saw arrive (see {@linkcode ArrivalCounter}). */
export interface ArrivalStats {
  /** Requests that arrived (counted on arrival, before any delay or stall). */
  total: number;
  /** Arrivals in each second since the first one: index 0 = [first, first + 1 s). */
  perSecond: number[];
  /** Responses in each second since the first arrival (same seconds as `perSecond`). */
  responsesPerSecond: number[];
  /** Milliseconds from the reset to the first arrival; null when none arrived. */
  firstMs: number | null;
  /** Milliseconds from the reset to the last arrival; null when none arrived. */
  lastMs: number | null;
  /** The counts inside the window asked for (`stats(window)`); absent when none was asked for. */
  window?: ArrivalWindow;
}

/**
 * Counts arrivals and responses per 10 ms slice from the first arrival.
 * `record` allocates only when a new slice begins.
 *
 * @example
 * ```ts
 * import { ArrivalCounter } from "./_arrivals.ts";
 * const arrivals = new ArrivalCounter(0, 0);
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
  readonly #timeOrigin: number;
  #first = -1;
  #last = -1;
  #total = 0;
  #arrivals: number[] = [];
  #responses: number[] = [];

  /**
   * @param resetAt The clock reading (ms) that `firstMs`/`lastMs` count from.
   * @param timeOrigin Epoch ms of clock reading 0 (`performance.timeOrigin` for `performance.now()`).
   */
  constructor(resetAt: number, timeOrigin: number) {
    this.#resetAt = resetAt;
    this.#timeOrigin = timeOrigin;
  }

  /** Counts one arrival at clock reading `nowMs`. */
  record(nowMs: number): void {
    if (this.#first < 0) this.#first = nowMs;
    this.#last = nowMs;
    this.#total++;
    bump(this.#arrivals, Math.floor((nowMs - this.#first) / ARRIVAL_SLICE_MS));
  }

  /** Counts one response at clock reading `nowMs` (ignored before any arrival). */
  recordResponse(nowMs: number): void {
    if (this.#first < 0) return;
    bump(this.#responses, Math.floor((nowMs - this.#first) / ARRIVAL_SLICE_MS));
  }

  /** Forgets everything; `firstMs`/`lastMs` count from `resetAt` from now on. */
  reset(resetAt: number): void {
    this.#resetAt = resetAt;
    this.#first = this.#last = -1;
    this.#total = 0;
    this.#arrivals = [];
    this.#responses = [];
  }

  /** The counts now, and inside `window` when one is given. */
  snapshot(window?: ArrivalWindowQuery): ArrivalStats {
    const none = this.#first < 0;
    const stats: ArrivalStats = {
      total: this.#total,
      perSecond: perSecond(this.#arrivals),
      responsesPerSecond: perSecond(this.#responses),
      firstMs: none ? null : this.#first - this.#resetAt,
      lastMs: none ? null : this.#last - this.#resetAt,
    };
    if (window !== undefined) {
      const from = window.fromEpochMs - this.#timeOrigin - this.#first;
      const to = window.toEpochMs - this.#timeOrigin - this.#first;
      stats.window = {
        ...window,
        arrivals: none ? 0 : countIn(this.#arrivals, from, to),
        responses: none ? 0 : countIn(this.#responses, from, to),
      };
    }
    return stats;
  }
}

function bump(slices: number[], index: number): void {
  while (slices.length <= index) slices.push(0);
  slices[index]++;
}

function perSecond(slices: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < slices.length; i++) {
    const s = Math.floor(i / SLICES_PER_SECOND);
    if (out.length <= s) out.push(0);
    out[s] += slices[i];
  }
  return out;
}

/** Counts in [from, to) ms after the first arrival; a slice cut by an edge counts in proportion. */
function countIn(slices: readonly number[], from: number, to: number): number {
  let n = 0;
  const lo = Math.max(0, Math.floor(from / ARRIVAL_SLICE_MS));
  const hi = Math.min(slices.length - 1, Math.floor(to / ARRIVAL_SLICE_MS));
  for (let i = lo; i <= hi; i++) {
    const start = i * ARRIVAL_SLICE_MS;
    const overlap = Math.min(to, start + ARRIVAL_SLICE_MS) - Math.max(from, start);
    if (overlap > 0) n += (slices[i] * overlap) / ARRIVAL_SLICE_MS;
  }
  return n;
}

/**
 * The arrival rate (req/s) the target counted in a window it was asked
 * about (`stats(window)`), or `null` when it was not asked or the window is empty.
 *
 * @example
 * ```ts
 * import { windowRates } from "./_arrivals.ts";
 * windowRates({ fromEpochMs: 0, toEpochMs: 2000, arrivals: 2000, responses: 1990 }); // { arrivals: 1000, responses: 995 }
 * ```
 */
export function windowRates(
  window: ArrivalWindow | undefined,
): { arrivals: number; responses: number } | null {
  if (window === undefined || !(window.toEpochMs > window.fromEpochMs)) return null;
  const seconds = (window.toEpochMs - window.fromEpochMs) / 1000;
  return { arrivals: window.arrivals / seconds, responses: window.responses / seconds };
}

/**
 * The planned window of a run's measured part, as the target is asked about
 * it: `startedAt` to `startedAt + options.durationMs` (epoch ms; the run's
 * own `durationMs` where no duration was planned, or where it is shorter:
 * a warm-up whose end timer fired late starts the window late, while the
 * window still ends at the planned end).
 *
 * @example
 * ```ts
 * import { runWindow } from "./_arrivals.ts";
 * const result = { startedAt: "2026-01-01T00:00:00.000Z", durationMs: 1003, options: { durationMs: 1000 } };
 * runWindow(result).toEpochMs; // 1767225601000
 * ```
 */
export function runWindow(
  result: { startedAt: string; durationMs: number; options: { durationMs: number | null } },
): ArrivalWindowQuery {
  const from = Date.parse(result.startedAt);
  const planned = result.options.durationMs ?? result.durationMs;
  return { fromEpochMs: from, toEpochMs: from + Math.min(planned, result.durationMs) };
}
