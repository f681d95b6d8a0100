/**
 * Internal: the bucket layout of the latency histogram as the HTML report
 * needs it: the bounds of a bucket index, in nanoseconds. The layout is
 * HdrHistogram-style log-linear: values below `2 << subBucketBits` ns have a
 * bucket each; above, every power of two is split into `1 << subBucketBits`
 * equal sub-buckets.
 *
 * @module
 */

/**
 * The lower bound (inclusive) of bucket `index`, in nanoseconds.
 *
 * @example
 * ```ts
 * import { bucketLowerBoundNs } from "./_histogram_layout.ts";
 * bucketLowerBoundNs(100); // 100
 * bucketLowerBoundNs(2048 + 1024); // 4096
 * ```
 */
export function bucketLowerBoundNs(index: number, subBucketBits = 10): number {
  const half = 2 ** subBucketBits;
  if (index < 2 * half) return index;
  const power = Math.floor(index / half) - 1;
  const sub = (index % half) + half;
  return sub * 2 ** power;
}

/**
 * The upper bound (exclusive) of bucket `index`, in nanoseconds.
 *
 * @example
 * ```ts
 * import { bucketUpperBoundNs } from "./_histogram_layout.ts";
 * bucketUpperBoundNs(100); // 101
 * bucketUpperBoundNs(2048 + 1024); // 4100
 * ```
 */
export function bucketUpperBoundNs(index: number, subBucketBits = 10): number {
  const half = 2 ** subBucketBits;
  if (index < 2 * half) return index + 1;
  const power = Math.floor(index / half) - 1;
  return bucketLowerBoundNs(index, subBucketBits) + 2 ** power;
}

/**
 * The bucket index that holds `ns` nanoseconds (the inverse of the bounds).
 *
 * @example
 * ```ts
 * import { bucketIndexOfNs } from "./_histogram_layout.ts";
 * bucketIndexOfNs(4099); // 3072
 * ```
 */
export function bucketIndexOfNs(ns: number, subBucketBits = 10): number {
  const half = 2 ** subBucketBits;
  const value = Math.max(0, Math.floor(ns));
  if (value < 2 * half) return value;
  const power = Math.floor(Math.log2(value)) - subBucketBits;
  let sub = Math.floor(value / 2 ** power);
  // Guard against log2 rounding at exact powers of two.
  let p = power;
  if (sub >= 2 * half) {
    p++;
    sub = Math.floor(value / 2 ** p);
  } else if (sub < half) {
    p--;
    sub = Math.floor(value / 2 ** p);
  }
  return p * half + sub;
}
