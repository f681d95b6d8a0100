/**
 * Bucket layout of lunge's log-linear (HdrHistogram-style) histograms.
 *
 * Values are nanoseconds. Below 2048 ns every nanosecond has its own bucket;
 * above, each power of two is split into 1024 equal buckets, so a bucket is at
 * most 1/1024 (0.098%) of its lower bound wide and the bucket midpoint is
 * within 0.05% of every value in it: three significant digits from 1 µs up.
 * The top bucket ends at 2^42 ns (73 minutes); larger values land in it.
 *
 * @module
 */

/** log2 of the buckets per power of two. */
export const SUB_BUCKET_BITS = 10;
const HALF = 1 << SUB_BUCKET_BITS; // 1024
const LINEAR = HALF * 2; // 2048 one-nanosecond buckets
/** Values at or above this many nanoseconds land in the top bucket. */
export const MAX_TRACKABLE_NS: number = 2 ** 42;
/** Number of buckets in every lunge histogram. */
export const HISTOGRAM_BUCKETS: number = LINEAR + (42 - 11) * HALF;
/** Name of this layout in encoded histograms. */
export const HISTOGRAM_ENCODING = "lunge-loglinear-ns-v1";

const TWO_POW_32 = 4294967296;
/** INV_POW2[s] = 2^-s, so that a division becomes a multiplication. */
const INV_POW2 = new Float64Array(64).map((_, s) => 2 ** -s);

/**
 * The bucket a value in nanoseconds falls in. Negative values count as 0.
 *
 * @example
 * ```ts
 * import { bucketIndex } from "./histogram_layout.ts";
 * bucketIndex(1500); // 1500 (exact below 2048 ns)
 * bucketIndex(1e6);  // a bucket 1024 ns wide around 1 ms
 * ```
 */
export function bucketIndex(ns: number): number {
  if (ns < LINEAR) return ns > 0 ? ns | 0 : 0;
  if (ns < TWO_POW_32) {
    // Common case (under 4.3 s): integer shifts only.
    const shift = 31 - Math.clz32(ns) - SUB_BUCKET_BITS; // >= 1 here
    return LINEAR + (shift - 1) * HALF + ((ns >>> shift) - HALF);
  }
  if (ns >= MAX_TRACKABLE_NS) return HISTOGRAM_BUCKETS - 1;
  const shift = 63 - Math.clz32(ns / TWO_POW_32) - SUB_BUCKET_BITS;
  const sub = (ns * INV_POW2[shift]) | 0; // in [1024, 2048)
  return LINEAR + (shift - 1) * HALF + (sub - HALF);
}

/**
 * Smallest value (ns) of bucket `index`.
 *
 * @example
 * ```ts
 * import { bucketLowerBoundNs } from "./histogram_layout.ts";
 * bucketLowerBoundNs(2048); // 2048
 * ```
 */
export function bucketLowerBoundNs(index: number): number {
  if (index < LINEAR) return index;
  const k = index - LINEAR;
  const shift = (k >> SUB_BUCKET_BITS) + 1;
  return ((k & (HALF - 1)) + HALF) * 2 ** shift;
}

/**
 * First value (ns) past bucket `index` (exclusive upper bound).
 *
 * @example
 * ```ts
 * import { bucketUpperBoundNs } from "./histogram_layout.ts";
 * bucketUpperBoundNs(2048); // 2050
 * ```
 */
export function bucketUpperBoundNs(index: number): number {
  if (index < LINEAR) return index + 1;
  const k = index - LINEAR;
  const shift = (k >> SUB_BUCKET_BITS) + 1;
  return ((k & (HALF - 1)) + HALF + 1) * 2 ** shift;
}

/**
 * The value (ns) that stands for every value in bucket `index`: its midpoint.
 *
 * @example
 * ```ts
 * import { bucketMidpointNs } from "./histogram_layout.ts";
 * bucketMidpointNs(100); // 100.5
 * ```
 */
export function bucketMidpointNs(index: number): number {
  return (bucketLowerBoundNs(index) + bucketUpperBoundNs(index)) / 2;
}
