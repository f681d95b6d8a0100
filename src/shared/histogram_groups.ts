/**
 * Histogram buckets in groups of 64, so that readers can skip the empty or
 * unchanged parts of a 33,792-bucket histogram: writers mark the groups they
 * touch, and totals keep running sums per group, from which statistics
 * follow in one step per group instead of one per bucket.
 *
 * @module
 */
import { bucketMidpointNs, HISTOGRAM_BUCKETS } from "./histogram_layout.ts";
import { type CountsSummary, rankOf, walkRanks } from "./histogram_stats.ts";

/** log2 of the buckets per group. */
export const GROUP_BITS = 6;
/** Buckets per group. */
export const GROUP_SIZE: number = 1 << GROUP_BITS;
/** Groups per histogram (the bucket count is a multiple of 64). */
export const HISTOGRAM_GROUPS: number = Math.ceil(HISTOGRAM_BUCKETS / GROUP_SIZE);

/** The midpoint (ns) of each group's first bucket and the bucket width (ns) inside each group. */
const GROUP_BASE = new Float64Array(HISTOGRAM_GROUPS).map((_, g) => bucketMidpointNs(g << GROUP_BITS));
const GROUP_WIDTH = new Float64Array(HISTOGRAM_GROUPS).map((_, g) =>
  bucketMidpointNs((g << GROUP_BITS) + 1) - GROUP_BASE[g]
);

/**
 * Running sums per 64-bucket group of a histogram. Bucket widths are equal
 * inside a group (a group never straddles a power of two), so bucket i of
 * group g has midpoint `base(g) + j * width(g)` with j = i % 64, and the
 * count, mean and spread of a histogram follow from three sums per group:
 * statistics cost 528 steps, however many buckets are filled.
 */
export interface GroupSums {
  /** Values per group. */
  count: Float64Array;
  /** Sum of j (the bucket's place in its group) over the group's values. */
  sumJ: Float64Array;
  /** Sum of j squared over the group's values. */
  sumJ2: Float64Array;
}

/**
 * Zeroed group sums.
 *
 * @example
 * ```ts
 * import { createGroupSums } from "./histogram_groups.ts";
 * createGroupSums().count.length; // 528
 * ```
 */
export function createGroupSums(): GroupSums {
  return {
    count: new Float64Array(HISTOGRAM_GROUPS),
    sumJ: new Float64Array(HISTOGRAM_GROUPS),
    sumJ2: new Float64Array(HISTOGRAM_GROUPS),
  };
}

/**
 * Adds `n` values in bucket `index` to the sums.
 *
 * @example
 * ```ts
 * import { addToGroupSums, createGroupSums } from "./histogram_groups.ts";
 * const sums = createGroupSums();
 * addToGroupSums(sums, 100, 2);
 * sums.count[1]; // 2
 * ```
 */
export function addToGroupSums(sums: GroupSums, index: number, n: number): void {
  const g = index >>> GROUP_BITS;
  const j = index & (GROUP_SIZE - 1);
  sums.count[g] += n;
  sums.sumJ[g] += n * j;
  sums.sumJ2[g] += n * j * j;
}

/**
 * Forgets everything.
 *
 * @example
 * ```ts
 * import { clearGroupSums, createGroupSums } from "./histogram_groups.ts";
 * const sums = createGroupSums();
 * clearGroupSums(sums);
 * ```
 */
export function clearGroupSums(sums: GroupSums): void {
  sums.count.fill(0);
  sums.sumJ.fill(0);
  sums.sumJ2.fill(0);
}

/**
 * Count, mean and standard deviation (ns) from the group sums, from bucket
 * midpoints as `summarizeCounts` computes them (equal up to rounding: the
 * spread is summed per group around the group's first midpoint, so no
 * precision is lost to large values).
 *
 * @example
 * ```ts
 * import { addToGroupSums, createGroupSums, summarizeGroups } from "./histogram_groups.ts";
 * const sums = createGroupSums();
 * addToGroupSums(sums, 100, 2);
 * summarizeGroups(sums).meanNs; // 100.5
 * ```
 */
export function summarizeGroups(sums: GroupSums): CountsSummary {
  const { count, sumJ, sumJ2 } = sums;
  let n = 0;
  let sum = 0;
  for (let g = 0; g < HISTOGRAM_GROUPS; g++) {
    const c = count[g];
    if (c === 0) continue;
    n += c;
    sum += c * GROUP_BASE[g] + sumJ[g] * GROUP_WIDTH[g];
  }
  if (n === 0) return { count: 0, meanNs: 0, stddevNs: 0 };
  const mean = sum / n;
  let sq = 0;
  for (let g = 0; g < HISTOGRAM_GROUPS; g++) {
    const c = count[g];
    if (c === 0) continue;
    // sum over the group of (base + j w - mean)^2 = c d^2 + 2 d w sumJ + w^2 sumJ2, d = base - mean
    const d = GROUP_BASE[g] - mean;
    const w = GROUP_WIDTH[g];
    sq += c * d * d + 2 * d * w * sumJ[g] + w * w * sumJ2[g];
  }
  return { count: n, meanNs: mean, stddevNs: Math.sqrt(Math.max(0, sq) / n) };
}

/**
 * `percentilesOfCounts` over the non-empty groups only (same arguments plus
 * the group sums; same results).
 *
 * @example
 * ```ts
 * import { HISTOGRAM_GROUPS, percentilesOfGroupedCounts } from "./histogram_groups.ts";
 * const counts = new Float64Array(33792);
 * const groups = new Float64Array(HISTOGRAM_GROUPS);
 * counts[10] = 1; counts[200] = 1;
 * groups[0] = 1; groups[3] = 1;
 * const out = new Float64Array(2);
 * percentilesOfGroupedCounts(counts, groups, [50, 100], out); // out = [10.5, 200.5]
 * ```
 */
export function percentilesOfGroupedCounts(
  counts: ArrayLike<number>,
  groups: ArrayLike<number>,
  percentiles: readonly number[],
  out: Float64Array,
): void {
  const ng = Math.min(groups.length, HISTOGRAM_GROUPS);
  let total = 0;
  for (let g = 0; g < ng; g++) total += groups[g];
  if (total === 0) {
    out.fill(0, 0, percentiles.length);
    return;
  }
  let k = 0;
  let seen = 0;
  for (let g = 0; g < ng && k < percentiles.length; g++) {
    const inGroup = groups[g];
    if (inGroup === 0) continue;
    // Below the next rank the whole group is skipped; the group sums equal its buckets' counts.
    if (seen + inGroup >= rankOf(percentiles[k], total)) {
      // A multiplication, not `g << GROUP_BITS`: Bun's parser read that call's `<<` … `out)` as type arguments.
      const first = g * GROUP_SIZE;
      k = walkRanks(counts, first, first + GROUP_SIZE, seen, total, percentiles, k, out);
    }
    seen += inGroup;
  }
}
