/**
 * Sparse, mergeable encoding of collector histograms for `--json` results.
 *
 * @module
 */
import { HISTOGRAM_BUCKETS, HISTOGRAM_ENCODING, SUB_BUCKET_BITS } from "../shared/histogram_layout.ts";
import type { EncodedHistogram } from "./run_result.ts";

/**
 * Encodes bucket counts as `[index, count]` pairs of the non-empty buckets.
 *
 * @example
 * ```ts
 * import { encodeHistogram } from "./histogram_codec.ts";
 * const counts = new Float64Array(40000);
 * counts[7] = 3;
 * encodeHistogram(counts).buckets; // [[7, 3]]
 * ```
 */
export function encodeHistogram(counts: ArrayLike<number>): EncodedHistogram {
  const buckets: Array<[number, number]> = [];
  for (let i = 0; i < Math.min(counts.length, HISTOGRAM_BUCKETS); i++) {
    if (counts[i] !== 0) buckets.push([i, counts[i]]);
  }
  return { encoding: HISTOGRAM_ENCODING, subBucketBits: SUB_BUCKET_BITS, buckets };
}

/**
 * Decodes (and merges, when given several) encoded histograms into counts.
 * Throws a TypeError for a layout this version does not know.
 *
 * @example
 * ```ts
 * import { decodeHistograms, encodeHistogram } from "./histogram_codec.ts";
 * const a = new Float64Array(40000); a[1] = 2;
 * decodeHistograms([encodeHistogram(a), encodeHistogram(a)])[1]; // 4
 * ```
 */
export function decodeHistograms(encoded: readonly EncodedHistogram[]): Float64Array {
  const counts = new Float64Array(HISTOGRAM_BUCKETS);
  for (const h of encoded) {
    if (h.encoding !== HISTOGRAM_ENCODING || h.subBucketBits !== SUB_BUCKET_BITS) {
      throw new TypeError(
        `Cannot merge histogram: unknown encoding "${h.encoding}" (this lunge reads ${HISTOGRAM_ENCODING})`,
      );
    }
    for (const [i, n] of h.buckets) {
      if (!(i >= 0 && i < HISTOGRAM_BUCKETS)) {
        throw new TypeError(`Cannot merge histogram: bucket ${i} out of range`);
      }
      counts[i] += n;
    }
  }
  return counts;
}
