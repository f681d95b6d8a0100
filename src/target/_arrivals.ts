/**
 * Arrivals (and responses) counted over time at the target: the server-side
 * measure of the rate a load client achieved. Counts are kept per second
 * from the first arrival after a reset, and per 10 ms slice over the last
 * minutes; the ground truth shows them per second, and answers for any
 * window of wall-clock time (a client's measured span), so that a client's
 * own clock plays no part in the count.
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

/** How far back the 10 ms slices reach; older counts are kept per second only. */
export const ARRIVAL_FINE_MINUTES = 10;
const FINE_SLICES = ARRIVAL_FINE_MINUTES * 60 * SLICES_PER_SECOND;
const FIRST_FINE_SLICES = 1024;

/**
 * One series of counts (arrivals, or responses) from the first arrival: per
 * second for the whole run, and per 10 ms slice over the last
 * {@linkcode ARRIVAL_FINE_MINUTES} minutes only, in a ring. Kept whole, the
 * slices grew by 1.6 KB a second (100 slices of both series), which a soak
 * read as the target's heap and RSS growing by 0.1 MiB a minute; the per-second
 * counts alone grow a hundredth of that.
 */
class SliceSeries {
  #fine = new Uint32Array(FIRST_FINE_SLICES);
  /** The newest slice counted; -1 before any. */
  #top = -1;
  readonly seconds: number[] = [];

  /** Counts one at slice `index` (its time from the first arrival, in slices). */
  bump(index: number): void {
    const second = Math.floor(index / SLICES_PER_SECOND);
    while (this.seconds.length <= second) this.seconds.push(0);
    this.seconds[second]++;
    if (index > this.#top) this.#advance(index);
    if (index > this.#top - this.#fine.length) this.#fine[index % this.#fine.length]++;
  }

  /** Makes `index` the newest slice: grows the ring up to its cap, and zeroes the slices it reuses. */
  #advance(index: number): void {
    if (index >= this.#fine.length && this.#fine.length < FINE_SLICES) {
      let length = this.#fine.length;
      while (length <= index && length < FINE_SLICES) length *= 2;
      const grown = new Uint32Array(Math.min(length, FINE_SLICES));
      // Every slice counted so far is below the old length, so each keeps its place.
      grown.set(this.#fine.subarray(0, Math.min(this.#top + 1, this.#fine.length)));
      this.#fine = grown;
    }
    const size = this.#fine.length;
    for (let i = Math.max(this.#top + 1, index - size + 1); i <= index; i++) this.#fine[i % size] = 0;
    this.#top = index;
  }

  /**
   * Counts in [from, to) ms after the first arrival; a slice cut by an edge counts in proportion.
   * Where the ring still holds them, 10 ms slices; before that, whole seconds.
   */
  countIn(from: number, to: number): number {
    if (this.#top < 0) return 0;
    // The ring's oldest whole second: seconds before it are counted per second.
    const oldestFine = Math.max(0, this.#top - this.#fine.length + 1);
    const fineFromMs = Math.ceil(oldestFine / SLICES_PER_SECOND) * 1000;
    let n = countSlices(this.seconds, 1000, from, Math.min(to, fineFromMs));
    const lo = Math.max(fineFromMs, from);
    if (to > lo) n += this.#countFine(lo, to);
    return n;
  }

  #countFine(from: number, to: number): number {
    let n = 0;
    const size = this.#fine.length;
    const lo = Math.max(0, Math.floor(from / ARRIVAL_SLICE_MS));
    const hi = Math.min(this.#top, Math.floor(to / ARRIVAL_SLICE_MS));
    for (let i = lo; i <= hi; i++) {
      const start = i * ARRIVAL_SLICE_MS;
      const overlap = Math.min(to, start + ARRIVAL_SLICE_MS) - Math.max(from, start);
      if (overlap > 0) n += (this.#fine[i % size] * overlap) / ARRIVAL_SLICE_MS;
    }
    return n;
  }

  /** Numbers kept: the ring's slices and the seconds (what stays bounded in a long run). */
  get retained(): number {
    return this.#fine.length + this.seconds.length;
  }
}

/** Counts in [from, to) ms of `slices` of `sliceMs` each; a slice cut by an edge counts in proportion. */
function countSlices(slices: readonly number[], sliceMs: number, from: number, to: number): number {
  let n = 0;
  const first = Math.max(0, Math.floor(from / sliceMs));
  const last = Math.min(slices.length - 1, Math.floor(to / sliceMs));
  for (let i = first; i <= last; i++) {
    const start = i * sliceMs;
    const overlap = Math.min(to, start + sliceMs) - Math.max(from, start);
    if (overlap > 0) n += (slices[i] * overlap) / sliceMs;
  }
  return n;
}

/**
 * Counts arrivals and responses from the first arrival: per second for the
 * whole run, and per 10 ms slice over the last {@linkcode ARRIVAL_FINE_MINUTES}
 * minutes (a window whose edge is older than that is prorated by the second
 * there). `record` allocates only when a new second begins, or while the
 * ring of slices grows to its cap.
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
  #arrivals = new SliceSeries();
  #responses = new SliceSeries();

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
    this.#arrivals.bump(Math.floor((nowMs - this.#first) / ARRIVAL_SLICE_MS));
  }

  /** Counts one response at clock reading `nowMs` (ignored before any arrival). */
  recordResponse(nowMs: number): void {
    if (this.#first < 0) return;
    this.#responses.bump(Math.floor((nowMs - this.#first) / ARRIVAL_SLICE_MS));
  }

  /** Forgets everything; `firstMs`/`lastMs` count from `resetAt` from now on. */
  reset(resetAt: number): void {
    this.#resetAt = resetAt;
    this.#first = this.#last = -1;
    this.#total = 0;
    this.#arrivals = new SliceSeries();
    this.#responses = new SliceSeries();
  }

  /**
   * Numbers the counter keeps now, both series: bounded by the slices of
   * {@linkcode ARRIVAL_FINE_MINUTES} minutes plus one per second (tests read it).
   */
  get retainedNumbers(): number {
    return this.#arrivals.retained + this.#responses.retained;
  }

  /** The counts now, and inside `window` when one is given. */
  snapshot(window?: ArrivalWindowQuery): ArrivalStats {
    const none = this.#first < 0;
    const stats: ArrivalStats = {
      total: this.#total,
      perSecond: this.#arrivals.seconds.slice(),
      responsesPerSecond: this.#responses.seconds.slice(),
      firstMs: none ? null : this.#first - this.#resetAt,
      lastMs: none ? null : this.#last - this.#resetAt,
    };
    if (window !== undefined) {
      const from = window.fromEpochMs - this.#timeOrigin - this.#first;
      const to = window.toEpochMs - this.#timeOrigin - this.#first;
      stats.window = {
        ...window,
        arrivals: none ? 0 : this.#arrivals.countIn(from, to),
        responses: none ? 0 : this.#responses.countIn(from, to),
      };
    }
    return stats;
  }
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
