/**
 * A compact log-linear histogram layout for per-name metrics: values in units
 * of 100 ns, 64 sub-buckets per power of two. A bucket is at most 1/64 of its
 * lower bound wide, so its midpoint is within 0.8% of every value in it; the
 * layout covers 0 to 2^31 units (about 214 s; larger values land in the top
 * bucket) in 1,664 buckets (6.5 KiB of Uint32 counts), a twentieth of the
 * main layout, so that hundreds of names per worker stay within a few MiB.
 * Counts of the same layout merge by adding them bucket by bucket.
 *
 * @module
 */

const SUB_BITS = 6;
const HALF = 1 << SUB_BITS; // 64
const LINEAR = HALF * 2; // 128 exact buckets (0 .. 12.7 µs)
const UNIT_NS = 100;
const TOP_BITS = 31;
const TOP_NS = 2 ** TOP_BITS * UNIT_NS;

/** Buckets of the compact layout. */
export const COMPACT_BUCKETS: number = LINEAR + (TOP_BITS - SUB_BITS - 1) * HALF;

/** Name of this layout (for encoded histograms). */
export const COMPACT_ENCODING = "lunge-compact-100ns-v1";

/**
 * The compact bucket of a value in nanoseconds (negative counts as 0).
 *
 * @example
 * ```ts
 * import { compactBucketIndex } from "./compact_histogram.ts";
 * compactBucketIndex(5_000); // 50 (exact below 12.8 µs)
 * ```
 */
export function compactBucketIndex(ns: number): number {
  if (ns >= TOP_NS) return COMPACT_BUCKETS - 1;
  const u = ns > 0 ? (ns / UNIT_NS) | 0 : 0;
  if (u < LINEAR) return u;
  const shift = 31 - Math.clz32(u) - SUB_BITS; // >= 1
  const index = LINEAR + (shift - 1) * HALF + ((u >>> shift) - HALF);
  return index < COMPACT_BUCKETS ? index : COMPACT_BUCKETS - 1;
}

/**
 * The midpoint (ns) of compact bucket `index`: the value that stands for it.
 *
 * @example
 * ```ts
 * import { compactBucketMidpointNs } from "./compact_histogram.ts";
 * compactBucketMidpointNs(50); // 5050
 * ```
 */
export function compactBucketMidpointNs(index: number): number {
  if (index < LINEAR) return (index + 0.5) * UNIT_NS;
  const k = index - LINEAR;
  const shift = Math.floor(k / HALF) + 1;
  const low = ((k % HALF) + HALF) * 2 ** shift;
  return (low + 2 ** (shift - 1)) * UNIT_NS;
}

/**
 * Nearest-rank percentiles (ns, bucket midpoints) of compact bucket counts;
 * `percentiles` ascending in [0, 100]. All 0 when there are no values.
 *
 * @example
 * ```ts
 * import { compactPercentiles, COMPACT_BUCKETS } from "./compact_histogram.ts";
 * const counts = new Float64Array(COMPACT_BUCKETS);
 * counts[10] = 1;
 * compactPercentiles(counts, [50, 99]); // [1050, 1050]
 * ```
 */
export function compactPercentiles(counts: ArrayLike<number>, percentiles: readonly number[]): number[] {
  const out = percentiles.map(() => 0);
  let total = 0;
  for (let i = 0; i < COMPACT_BUCKETS; i++) total += counts[i];
  if (total === 0) return out;
  let k = 0;
  let seen = 0;
  const rankOf = (p: number): number => Math.max(1, Math.ceil((p * total) / 100 - 1e-9));
  let rank = rankOf(percentiles[0]);
  for (let i = 0; i < COMPACT_BUCKETS && k < percentiles.length; i++) {
    seen += counts[i];
    while (k < percentiles.length && seen >= rank) {
      out[k++] = compactBucketMidpointNs(i);
      if (k < percentiles.length) rank = rankOf(percentiles[k]);
    }
  }
  return out;
}

/**
 * Mean (ns) of compact bucket counts, from bucket midpoints; 0 when empty.
 *
 * @example
 * ```ts
 * import { compactMean, COMPACT_BUCKETS } from "./compact_histogram.ts";
 * const counts = new Float64Array(COMPACT_BUCKETS);
 * counts[10] = 2;
 * compactMean(counts); // 1050
 * ```
 */
export function compactMean(counts: ArrayLike<number>): number {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < COMPACT_BUCKETS; i++) {
    const c = counts[i];
    if (c !== 0) {
      n += c;
      sum += c * compactBucketMidpointNs(i);
    }
  }
  return n === 0 ? 0 : sum / n;
}
