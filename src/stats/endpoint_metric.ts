/**
 * Per-endpoint execution metric: count, duration sum, min/max, error count, and
 * latency histogram buckets. Plain numbers in a Float64Array: recording
 * allocates nothing.
 *
 * @module
 */

/** Upper bounds (ms) of the endpoint histogram buckets; +Inf follows. */
export const ENDPOINT_BUCKETS_MS: readonly number[] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

/** A copy of an endpoint metric. */
export interface EndpointMetricSnapshot {
  /** Executions recorded, failed ones included. */
  count: number;
  /** Executions recorded as failed. */
  errors: number;
  /** Sum of all durations, ms (negative or NaN durations count as 0). */
  durationSumMs: number;
  /** Shortest duration, ms (0 when nothing was recorded). */
  minMs: number;
  /** Longest duration, ms (0 when nothing was recorded). */
  maxMs: number;
  /** `durationSumMs / count`, ms (0 when nothing was recorded). */
  meanMs: number;
  /** Non-cumulative counts per bucket of `ENDPOINT_BUCKETS_MS`, then +Inf. */
  buckets: number[];
}

/**
 * Execution statistics of one endpoint.
 *
 * @example
 * ```ts
 * import { EndpointExecutionMetric } from "./endpoint_metric.ts";
 * const m = new EndpointExecutionMetric();
 * m.record(12.5, false);
 * m.record(80, true);
 * m.snapshot().errors; // 1
 * ```
 */
export class EndpointExecutionMetric {
  readonly #buckets = new Float64Array(ENDPOINT_BUCKETS_MS.length + 1);
  #count = 0;
  #errors = 0;
  #sum = 0;
  #min = Infinity;
  #max = 0;

  /** Records one execution of `durationMs`, failed or not. */
  record(durationMs: number, failed: boolean): void {
    if (!(durationMs >= 0)) durationMs = 0;
    this.#count++;
    if (failed) this.#errors++;
    this.#sum += durationMs;
    if (durationMs < this.#min) this.#min = durationMs;
    if (durationMs > this.#max) this.#max = durationMs;
    let i = 0;
    while (i < ENDPOINT_BUCKETS_MS.length && durationMs > ENDPOINT_BUCKETS_MS[i]) i++;
    this.#buckets[i]++;
  }

  /** A copy of the current values. */
  snapshot(): EndpointMetricSnapshot {
    return {
      count: this.#count,
      errors: this.#errors,
      durationSumMs: this.#sum,
      minMs: this.#count > 0 ? this.#min : 0,
      maxMs: this.#max,
      meanMs: this.#count > 0 ? this.#sum / this.#count : 0,
      buckets: Array.from(this.#buckets),
    };
  }
}
