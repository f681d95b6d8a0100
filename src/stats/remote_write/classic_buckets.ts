/**
 * lunge's log-linear latency histogram folded into Prometheus classic
 * histogram buckets (`le` upper bounds in seconds): fixed bounds, the same
 * in every process, so `sum by (le)` across segments and
 * `histogram_quantile` work on the fleet.
 *
 * @module
 */
import { bucketLowerBoundNs, bucketMidpointNs, HISTOGRAM_BUCKETS } from "../../shared/histogram_layout.ts";

const STEPS = [1, 1.5, 2, 3, 4, 5, 7] as const;

/**
 * The `le` bounds in seconds, ascending, `+Inf` excluded: 7 per decade from
 * 10 µs to 70 s (each bucket at most 1.5 times the one below), then 120 s.
 */
export const LE_SECONDS: readonly number[] = (() => {
  const bounds: number[] = [];
  for (let exp = -5; exp <= 1; exp++) {
    for (const step of STEPS) bounds.push(Number((step * 10 ** exp).toPrecision(3)));
  }
  bounds.push(120);
  return bounds;
})();

/** The `le` label values, `+Inf` last. */
export const LE_LABELS: readonly string[] = [...LE_SECONDS.map((s) => String(s)), "+Inf"];

/**
 * For each lunge bucket, the classic bucket its lower bound falls in (LE_SECONDS.length for +Inf):
 * a value equal to an `le` bound counts under it, as Prometheus's `le` means; a lunge bucket is at
 * most 0.1% wide, so a value up to 0.1% above a bound may count under it too.
 */
const SLOT: Uint8Array = (() => {
  const slots = new Uint8Array(HISTOGRAM_BUCKETS);
  let slot = 0;
  for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
    const seconds = bucketLowerBoundNs(i) / 1e9;
    while (slot < LE_SECONDS.length && seconds > LE_SECONDS[slot]) slot++;
    slots[i] = slot;
  }
  return slots;
})();

/** A classic histogram: cumulative counts per `LE_LABELS`, the sum in seconds and the count. */
export interface ClassicHistogram {
  /** Cumulative count of each bucket, in the order of `LE_LABELS` (the last is the count). */
  readonly cumulative: Float64Array;
  /** Sum of the values in seconds (from bucket midpoints, within 0.05%). */
  readonly sumSeconds: number;
  /** Number of values. */
  readonly count: number;
}

/**
 * Folds a lunge histogram (counts per log-linear bucket) into classic buckets.
 *
 * @example
 * ```ts
 * import { classicHistogram, LE_LABELS } from "./classic_buckets.ts";
 * import { HISTOGRAM_BUCKETS, bucketIndex } from "../../shared/histogram_layout.ts";
 * const counts = new Float64Array(HISTOGRAM_BUCKETS);
 * counts[bucketIndex(2_500_000)] = 3; // three values of 2.5 ms
 * const h = classicHistogram(counts);
 * console.log(h.count, h.cumulative[LE_LABELS.indexOf("0.003")]); // 3 3
 * ```
 */
export function classicHistogram(counts: Float64Array): ClassicHistogram {
  const perSlot = new Float64Array(LE_LABELS.length);
  let sumNs = 0;
  const n = Math.min(counts.length, HISTOGRAM_BUCKETS);
  for (let i = 0; i < n; i++) {
    const c = counts[i];
    if (c === 0) continue;
    perSlot[SLOT[i]] += c;
    sumNs += c * bucketMidpointNs(i);
  }
  let running = 0;
  for (let s = 0; s < perSlot.length; s++) {
    running += perSlot[s];
    perSlot[s] = running;
  }
  return { cumulative: perSlot, sumSeconds: sumNs / 1e9, count: running };
}
