/**
 * A log-linear (HdrHistogram-style) latency histogram in a SharedArrayBuffer:
 * fixed memory, `Atomics.add` per bucket so any number of threads may record
 * into it, three significant digits from 1 µs to 73 minutes, mergeable.
 *
 * @module
 */
import { AtomicMinMax } from "./_atomic_min_max.ts";
import { bucketIndex, HISTOGRAM_BUCKETS } from "./histogram_layout.ts";
import { percentilesOfCounts, summarizeCounts } from "./histogram_stats.ts";

export {
  bucketIndex,
  bucketLowerBoundNs,
  bucketMidpointNs,
  bucketUpperBoundNs,
  HISTOGRAM_BUCKETS,
  HISTOGRAM_ENCODING,
  MAX_TRACKABLE_NS,
  SUB_BUCKET_BITS,
} from "./histogram_layout.ts";
export { type CountsSummary, percentilesOfCounts, summarizeCounts } from "./histogram_stats.ts";

const TWO_POW_32 = 4294967296;
/** Layout: [min/max 16 B][low words: 4 B × buckets][carry words: 4 B × buckets]. */
const MINMAX_BYTES = 16;

/**
 * Bytes of SharedArrayBuffer one histogram needs.
 *
 * @example
 * ```ts
 * import { histogramBytes } from "./histogram.ts";
 * histogramBytes(); // about 264 KiB
 * ```
 */
export function histogramBytes(): number {
  return MINMAX_BYTES + HISTOGRAM_BUCKETS * 8;
}

/** Plain data that lets another thread attach to a histogram. */
export interface HistogramHandle {
  /** The shared memory holding the histogram (`histogramBytes()` long from `byteOffset`). */
  buffer: SharedArrayBuffer;
  /** Byte offset of the histogram in `buffer`; a multiple of 8. */
  byteOffset: number;
}

/**
 * Shared log-linear histogram of nanosecond values.
 *
 * Each bucket is a 32-bit word plus a carry word: the writer whose
 * `Atomics.add` wraps the low word adds one to the carry, so counts stay exact
 * past 2^32 (a reader racing that very increment may see the count 2^32 low
 * for a moment).
 *
 * @example
 * ```ts
 * import { LogLinearHistogram } from "./histogram.ts";
 * const h = LogLinearHistogram.create();
 * for (const ms of [1, 2, 3, 4, 100]) h.recordNs(ms * 1e6);
 * h.percentileNs(50) / 1e6; // ≈ 3
 * h.maxNs(); // 100000000
 * ```
 */
export class LogLinearHistogram {
  readonly #low: Uint32Array;
  readonly #carry: Uint32Array;
  readonly #minMax: AtomicMinMax;
  readonly #handle: HistogramHandle;

  private constructor(handle: HistogramHandle, init: boolean) {
    const { buffer, byteOffset } = handle;
    if (byteOffset % 8 !== 0 || byteOffset + histogramBytes() > buffer.byteLength) {
      throw new RangeError(
        `Cannot attach histogram: needs ${histogramBytes()} bytes at an 8-byte aligned offset`,
      );
    }
    this.#handle = handle;
    this.#minMax = init ? AtomicMinMax.create(buffer, byteOffset) : AtomicMinMax.attach(handle);
    this.#low = new Uint32Array(buffer, byteOffset + MINMAX_BYTES, HISTOGRAM_BUCKETS);
    this.#carry = new Uint32Array(
      buffer,
      byteOffset + MINMAX_BYTES + HISTOGRAM_BUCKETS * 4,
      HISTOGRAM_BUCKETS,
    );
  }

  /** A histogram in a new SharedArrayBuffer, or in `buffer` at `byteOffset` (zeroed). */
  static create(buffer?: SharedArrayBuffer, byteOffset = 0): LogLinearHistogram {
    return new LogLinearHistogram(
      { buffer: buffer ?? new SharedArrayBuffer(histogramBytes()), byteOffset },
      true,
    );
  }

  /** Attaches to a histogram created elsewhere. */
  static attach(handle: HistogramHandle): LogLinearHistogram {
    return new LogLinearHistogram(handle, false);
  }

  /** Plain data for `postMessage`. */
  handle(): HistogramHandle {
    return { buffer: this.#handle.buffer, byteOffset: this.#handle.byteOffset };
  }

  /** Records one value in nanoseconds (negative counts as 0). Lock-free, allocation-free. */
  recordNs(ns: number): void {
    this.recordCountNs(ns, 1);
  }

  /** Records `count` occurrences of a value in nanoseconds. */
  recordCountNs(ns: number, count: number): void {
    const i = bucketIndex(ns);
    if (Atomics.add(this.#low, i, count) + count >= TWO_POW_32) Atomics.add(this.#carry, i, 1);
    const v = ns > 0 ? Math.round(ns) : 0;
    // Exact min/max; the compare-and-swap runs only when a new extreme shows up.
    if (v < this.#minSeen || v > this.#maxSeen) this.#updateExtremes(v);
  }

  #minSeen = Infinity;
  #maxSeen = -Infinity;

  #updateExtremes(v: number): void {
    this.#minMax.update(v);
    this.#minSeen = Math.min(this.#minSeen, v);
    this.#maxSeen = Math.max(this.#maxSeen, v);
  }

  /** Count of bucket `index` (exact, carry included). */
  bucketCount(index: number): number {
    return Atomics.load(this.#carry, index) * TWO_POW_32 + Atomics.load(this.#low, index);
  }

  /** All bucket counts as plain numbers. */
  counts(): Float64Array {
    const out = new Float64Array(HISTOGRAM_BUCKETS);
    for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
      const low = this.#low[i];
      if (low !== 0 || this.#carry[i] !== 0) out[i] = this.bucketCount(i);
    }
    return out;
  }

  /** Number of values recorded. */
  count(): number {
    let n = 0;
    for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
      if (this.#low[i] !== 0 || this.#carry[i] !== 0) n += this.bucketCount(i);
    }
    return n;
  }

  /** The `p`th percentile (0-100) in ns, nearest rank, within 0.05%; 0 when empty. */
  percentileNs(p: number): number {
    if (!(p >= 0 && p <= 100)) {
      throw new RangeError(`Cannot compute percentile: "p" must be in [0, 100], got ${p}`);
    }
    const out = new Float64Array(1);
    percentilesOfCounts(this.counts(), [p], out);
    return this.count() === 0 ? 0 : Math.min(Math.max(out[0], this.minNs()), this.maxNs());
  }

  /** Smallest value recorded (exact, ns), `Infinity` when empty. */
  minNs(): number {
    return this.#minMax.min();
  }

  /** Largest value recorded (exact, ns), `-Infinity` when empty. */
  maxNs(): number {
    return this.#minMax.max();
  }

  /** Mean in ns (from bucket midpoints, within 0.05%). */
  meanNs(): number {
    return summarizeCounts(this.counts()).meanNs;
  }

  /** Standard deviation in ns (population, from bucket midpoints). */
  stddevNs(): number {
    return summarizeCounts(this.counts()).stddevNs;
  }

  /** Adds every value of `other` to this histogram (other is unchanged). */
  merge(other: LogLinearHistogram): void {
    for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
      const c = other.bucketCount(i);
      if (c === 0) continue;
      const low = c % TWO_POW_32;
      const carry = (c - low) / TWO_POW_32;
      if (Atomics.add(this.#low, i, low) + low >= TWO_POW_32) Atomics.add(this.#carry, i, 1);
      if (carry !== 0) Atomics.add(this.#carry, i, carry);
    }
    if (other.count() > 0) {
      this.#updateExtremes(other.minNs());
      this.#updateExtremes(other.maxNs());
    }
  }

  /** Forgets every value. Not atomic with concurrent recording. */
  reset(): void {
    this.#low.fill(0);
    this.#carry.fill(0);
    this.#minMax.reset();
    this.#minSeen = Infinity;
    this.#maxSeen = -Infinity;
  }
}
