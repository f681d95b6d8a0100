/**
 * The threshold types: what a user asks (`Threshold`) and what a run found
 * (`ThresholdOutcome`). They live in this room, below the engine and the
 * result, because both judge thresholds: the engine at the end of a run,
 * `lunge merge` again on the merged result.
 *
 * @module
 */

/**
 * A parsed threshold, e.g. `p99<50ms` → { metric: "p99", op: "<", value: 50 }.
 *
 * @example
 * ```ts
 * import type { Threshold } from "./types.ts";
 * const t: Threshold = { expression: "p99<50ms", metric: "p99", op: "<", value: 50 };
 * ```
 */
export interface Threshold {
  /** As the user wrote it. */
  expression: string;
  /** One of the metric names of `THRESHOLD_METRICS` in `thresholds.ts`. */
  metric: string;
  /** Comparison the measured value must satisfy against `value` to pass. */
  op: "<" | "<=" | ">" | ">=" | "==";
  /** In the metric's unit: ms for latencies, percent for error rates, req/s for rates, plain counts. */
  value: number;
}

/**
 * Outcome of one `--threshold` expression.
 *
 * @example
 * ```ts
 * import type { ThresholdOutcome } from "./types.ts";
 * const o: ThresholdOutcome = { expression: "p99<50ms", metric: "p99", actual: 12.5, passed: true };
 * ```
 */
export interface ThresholdOutcome {
  /** The expression as the user wrote it, e.g. `"p99<50ms"`. */
  expression: string;
  /** The metric name, e.g. `"p99"`. */
  metric: string;
  /** The measured value, in the metric's unit (ms, %, req/s, count). */
  actual: number;
  /** Whether `actual` satisfied the threshold's comparison. */
  passed: boolean;
}
