/**
 * Merging of result sections `lunge merge` has no specific rule for (per-name
 * metrics of targets and scenario steps, sections added by later versions):
 * numbers are summed, `min`/`max` take the extreme, name-keyed objects are
 * merged key by key, encoded histograms bucket-wise, and latency statistics
 * next to a histogram are recomputed from the merged histogram. Statistics
 * without a histogram (a percentile, a mean) take the largest value, an
 * upper bound.
 *
 * @module
 */
import { latencyStatsOf } from "../collector/snapshot.ts";
import { decodeHistograms, encodeHistogram } from "./histogram_codec.ts";
import type { EncodedHistogram } from "./run_result.ts";

const STATISTIC = /^(p\d+|mean|avg|median|stddev)$/i;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Whether `value` is an `EncodedHistogram`.
 *
 * @example
 * ```ts
 * import { isEncodedHistogram } from "./_merge_generic.ts";
 * isEncodedHistogram({ encoding: "lunge-loglinear-ns-v1", subBucketBits: 10, buckets: [] }); // true
 * ```
 */
export function isEncodedHistogram(value: unknown): value is EncodedHistogram {
  return isObject(value) && typeof value.encoding === "string" && Array.isArray(value.buckets);
}

function isLatencyStats(value: unknown): value is Record<string, number> {
  return isObject(value) && typeof value.count === "number" && typeof value.p50 === "number" &&
    typeof value.min === "number" && typeof value.max === "number";
}

/**
 * Merges the values one section has in several results (`undefined` where
 * a result lacks it).
 *
 * @example
 * ```ts
 * import { mergeGeneric } from "./_merge_generic.ts";
 * mergeGeneric([{ "/a": { requests: 2 } }, { "/a": { requests: 3 }, "/b": { requests: 1 } }]);
 * // { "/a": { requests: 5 }, "/b": { requests: 1 } }
 * ```
 */
export function mergeGeneric(values: readonly unknown[], key = ""): unknown {
  const present = values.filter((v) => v !== undefined);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  if (present.every((v) => typeof v === "number")) {
    const numbers = present as number[];
    if (key === "min") return Math.min(...numbers);
    if (key === "max" || STATISTIC.test(key)) return Math.max(...numbers);
    return numbers.reduce((a, b) => a + b, 0);
  }
  if (present.every((v) => typeof v === "boolean")) return present.some((v) => v === true);
  if (present.every(isEncodedHistogram)) return encodeHistogram(decodeHistograms(present));
  if (present.every(Array.isArray)) {
    const arrays = present as unknown[][];
    const numeric = arrays.every((a) =>
      a.length === arrays[0].length && a.every((x) => typeof x === "number")
    );
    if (numeric) return arrays[0].map((_, i) => arrays.reduce((sum, a) => sum + (a[i] as number), 0));
    return arrays.flat();
  }
  if (present.every(isObject)) {
    const objects = present as Record<string, unknown>[];
    const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))];
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = mergeGeneric(objects.map((o) => o[k]), k);
    recomputeStats(out, objects);
    return out;
  }
  return present[0];
}

/** Latency statistics beside a histogram are recomputed from the merged histogram. */
function recomputeStats(out: Record<string, unknown>, inputs: Record<string, unknown>[]): void {
  const histogramKey = Object.keys(out).find((k) => isEncodedHistogram(out[k]));
  if (histogramKey === undefined) return;
  for (const [k, v] of Object.entries(out)) {
    if (!isLatencyStats(v)) continue;
    const parts = inputs.map((o) => o[k]).filter(isLatencyStats).filter((s) => s.count > 0);
    if (parts.length === 0) continue;
    const counts = decodeHistograms([out[histogramKey] as EncodedHistogram]);
    out[k] = latencyStatsOf(
      counts,
      Math.min(...parts.map((s) => s.min)),
      Math.max(...parts.map((s) => s.max)),
    );
  }
}
