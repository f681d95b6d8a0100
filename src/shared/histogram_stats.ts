/**
 * Statistics from bucket counts of the log-linear layout: percentiles, mean,
 * standard deviation. Pure functions over plain arrays, shared by the
 * histogram class and both collectors.
 *
 * @module
 */
import { bucketMidpointNs, HISTOGRAM_BUCKETS } from "./histogram_layout.ts";

/** Count, mean and standard deviation (ns) of a histogram. */
export interface CountsSummary {
  /** Total of all bucket counts (0 for an empty histogram). */
  count: number;
  /** Mean in nanoseconds, from bucket midpoints; 0 when empty. */
  meanNs: number;
  /** Population standard deviation in nanoseconds, from bucket midpoints; 0 when empty. */
  stddevNs: number;
}

/**
 * Count, mean and standard deviation from bucket counts, using bucket
 * midpoints (each within 0.05% of the values it stands for).
 *
 * @example
 * ```ts
 * import { summarizeCounts } from "./histogram_stats.ts";
 * const counts = new Float64Array(40000);
 * counts[100] = 2;
 * summarizeCounts(counts).meanNs; // 100.5
 * ```
 */
export function summarizeCounts(counts: ArrayLike<number>): CountsSummary {
  let n = 0;
  let sum = 0;
  const len = Math.min(counts.length, HISTOGRAM_BUCKETS);
  for (let i = 0; i < len; i++) {
    const c = counts[i];
    if (c !== 0) {
      n += c;
      sum += c * bucketMidpointNs(i);
    }
  }
  if (n === 0) return { count: 0, meanNs: 0, stddevNs: 0 };
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < len; i++) {
    const c = counts[i];
    if (c !== 0) {
      const d = bucketMidpointNs(i) - mean;
      sq += c * d * d;
    }
  }
  return { count: n, meanNs: mean, stddevNs: Math.sqrt(sq / n) };
}

/**
 * Several percentiles in one pass. `percentiles` must be ascending, each in
 * [0, 100]; results (ns, bucket midpoints, nearest-rank) go to `out`. With no
 * values every result is 0.
 *
 * @example
 * ```ts
 * import { percentilesOfCounts } from "./histogram_stats.ts";
 * const counts = new Float64Array(40000);
 * counts[10] = 1; counts[20] = 1;
 * const out = new Float64Array(2);
 * percentilesOfCounts(counts, [50, 100], out); // out = [10.5, 20.5]
 * ```
 */
export function percentilesOfCounts(
  counts: ArrayLike<number>,
  percentiles: readonly number[],
  out: Float64Array,
): void {
  let total = 0;
  const len = Math.min(counts.length, HISTOGRAM_BUCKETS);
  for (let i = 0; i < len; i++) total += counts[i];
  if (total === 0) {
    out.fill(0, 0, percentiles.length);
    return;
  }
  let k = 0;
  let rank = Math.max(1, Math.ceil((percentiles[0] * total) / 100 - 1e-9));
  let seen = 0;
  for (let i = 0; i < len && k < percentiles.length; i++) {
    seen += counts[i];
    while (k < percentiles.length && seen >= rank) {
      out[k++] = bucketMidpointNs(i);
      if (k < percentiles.length) rank = Math.max(1, Math.ceil((percentiles[k] * total) / 100 - 1e-9));
    }
  }
}
