/**
 * A fixed-bucket latency histogram in milliseconds: record,
 * percentile, reset, and the Prometheus `le` bucket layout. Fixed memory,
 * no allocation when recording.
 *
 * @module
 */

/** Upper bounds (ms) of the buckets; a final +Inf bucket follows. */
export const LATENCY_BUCKETS_MS: readonly number[] = [
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2,
  5,
  10,
  20,
  50,
  100,
  200,
  500,
  1000,
  2000,
  5000,
  10000,
];

/**
 * Latency histogram with `LATENCY_BUCKETS_MS` buckets.
 *
 * @example
 * ```ts
 * import { LatencyHistogram } from "./_latency_histogram.ts";
 * const h = new LatencyHistogram();
 * h.record(3);
 * h.record(40);
 * h.percentile(0.99); // about 50 (upper part of the 20-50 ms bucket)
 * ```
 */
export class LatencyHistogram {
  /** Counts per bucket; the last one is +Inf. */
  readonly counts: Float64Array = new Float64Array(LATENCY_BUCKETS_MS.length + 1);
  #count = 0;
  #sum = 0;
  #max = 0;

  /** Records one latency, in milliseconds (negative values count as 0). */
  record(ms: number): void {
    if (!(ms > 0)) ms = 0;
    let i = 0;
    const n = LATENCY_BUCKETS_MS.length;
    while (i < n && ms > LATENCY_BUCKETS_MS[i]) i++;
    this.counts[i]++;
    this.#count++;
    this.#sum += ms;
    if (ms > this.#max) this.#max = ms;
  }

  /** Number of values recorded. */
  get count(): number {
    return this.#count;
  }

  /** Sum of values recorded, ms. */
  get sum(): number {
    return this.#sum;
  }

  /** Largest value recorded, ms. */
  get max(): number {
    return this.#max;
  }

  /** The `q` quantile (0..1), interpolated inside its bucket; 0 when empty. */
  percentile(q: number): number {
    if (this.#count === 0) return 0;
    const rank = q * this.#count;
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      const c = this.counts[i];
      if (c > 0 && seen + c >= rank) {
        const lo = i === 0 ? 0 : LATENCY_BUCKETS_MS[i - 1];
        const hi = i < LATENCY_BUCKETS_MS.length ? LATENCY_BUCKETS_MS[i] : this.#max;
        return Math.min(this.#max, lo + ((hi - lo) * (rank - seen)) / c);
      }
      seen += c;
    }
    return this.#max;
  }

  /** Clears all counts. */
  reset(): void {
    this.counts.fill(0);
    this.#count = 0;
    this.#sum = 0;
    this.#max = 0;
  }
}
