/**
 * Internal: turns the sparse encoded histogram of a result into a few dozen
 * log-spaced bins for the latency distribution chart.
 *
 * @module
 */
import type { EncodedHistogram } from "../result/run_result.ts";
import type { DistributionBin } from "./_svg_charts.ts";

/** Bucket bounds of the histogram layout, in nanoseconds. */
export interface BucketBounds {
  lowerNs(index: number): number;
  upperNs(index: number): number;
}

/**
 * Groups the non-empty buckets into `count` bins spaced evenly on a log
 * axis between the lowest and the highest recorded latency. A bucket goes
 * to the bin that holds its midpoint.
 *
 * @example
 * ```ts
 * import { distributionBins } from "./_distribution_bins.ts";
 * const bins = distributionBins(
 *   { encoding: "lunge-loglinear-ns-v1", subBucketBits: 10, buckets: [[100, 3]] },
 *   { lowerNs: (i) => i, upperNs: (i) => i + 1 },
 * );
 * ```
 */
export function distributionBins(
  histogram: EncodedHistogram,
  bounds: BucketBounds,
  count = 60,
): DistributionBin[] {
  const buckets = histogram.buckets.filter(([, n]) => n > 0);
  if (buckets.length === 0) return [];
  const lowMs = Math.max(bounds.lowerNs(buckets[0][0]) / 1e6, 1e-6);
  const highMs = Math.max(bounds.upperNs(buckets[buckets.length - 1][0]) / 1e6, lowMs * 1.5);
  const ratio = Math.log(highMs / lowMs);
  const bins: DistributionBin[] = [];
  for (let i = 0; i < count; i++) {
    bins.push({
      lowMs: lowMs * Math.exp((ratio * i) / count),
      highMs: lowMs * Math.exp((ratio * (i + 1)) / count),
      count: 0,
    });
  }
  for (const [index, n] of buckets) {
    const midMs = Math.max((bounds.lowerNs(index) + bounds.upperNs(index)) / 2e6, lowMs);
    const bin = Math.min(count - 1, Math.max(0, Math.floor((Math.log(midMs / lowMs) / ratio) * count)));
    bins[bin].count += n;
  }
  return bins;
}
