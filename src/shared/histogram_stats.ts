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
  walkRanks(counts, 0, len, 0, total, percentiles, 0, out);
}

/**
 * The nearest rank of percentile `p` among `total` values (at least 1).
 *
 * @example
 * ```ts
 * import { rankOf } from "./histogram_stats.ts";
 * rankOf(50, 4); // 2
 * ```
 */
export function rankOf(p: number, total: number): number {
  return Math.max(1, Math.ceil((p * total) / 100 - 1e-9));
}

/**
 * The nearest-rank walk both percentile functions share: adds the buckets
 * `[from, to)` of `counts` to `seen` (the values before `from`) and writes
 * the midpoint of the bucket where each percentile from index `k` on is
 * reached to `out`. Returns the index of the first percentile not reached.
 *
 * @example
 * ```ts
 * import { walkRanks } from "./histogram_stats.ts";
 * const counts = new Float64Array(40000);
 * counts[10] = 1; counts[20] = 1;
 * const out = new Float64Array(2);
 * walkRanks(counts, 0, 40000, 0, 2, [50, 100], 0, out); // 2; out = [10.5, 20.5]
 * ```
 */
export function walkRanks(
  counts: ArrayLike<number>,
  from: number,
  to: number,
  seen: number,
  total: number,
  percentiles: readonly number[],
  k: number,
  out: Float64Array,
): number {
  let rank = rankOf(percentiles[k], total);
  for (let i = from; i < to && k < percentiles.length; i++) {
    seen += counts[i];
    while (k < percentiles.length && seen >= rank) {
      out[k++] = bucketMidpointNs(i);
      if (k < percentiles.length) rank = rankOf(percentiles[k], total);
    }
  }
  return k;
}
