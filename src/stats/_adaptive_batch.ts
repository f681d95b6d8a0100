/**
 * Adaptive batch size: 10 events under low buffer pressure
 * (< 25 % full), the configured size (50) at medium, 100 at high (> 75 %).
 * To avoid oscillation, a level changes only after the utilization has
 * stayed past a threshold plus a 5-point hysteresis band for
 * `stableTicks` consecutive observations.
 *
 * @module
 */

/** Options of `AdaptiveBatchSize`. */
export interface AdaptiveBatchOptions {
  /** Batch size at medium pressure (default 50). */
  medium?: number;
  /** Batch size at low pressure (default 10). */
  low?: number;
  /** Batch size at high pressure (default 100). */
  high?: number;
  /** Observations in a row before switching level (default 3). */
  stableTicks?: number;
}

/**
 * Picks the batch size from buffer utilization, with hysteresis.
 *
 * @example
 * ```ts
 * import { AdaptiveBatchSize } from "./_adaptive_batch.ts";
 * const a = new AdaptiveBatchSize({ stableTicks: 1 });
 * a.observe(0.9); // 100
 * a.observe(0.1); // 50 (one level at a time)
 * a.observe(0.1); // 10
 * ```
 */
export class AdaptiveBatchSize {
  readonly #sizes: [number, number, number];
  readonly #stable: number;
  #level = 1;
  #pending = 1;
  #streak = 0;
  #changes = 0;

  /**
   * Starts at the medium level.
   *
   * @param options Batch sizes per level (10 / 50 / 100 by default) and `stableTicks` (default 3).
   */
  constructor(options: AdaptiveBatchOptions = {}) {
    this.#sizes = [options.low ?? 10, options.medium ?? 50, options.high ?? 100];
    this.#stable = options.stableTicks ?? 3;
  }

  /** Current batch size. */
  get size(): number {
    return this.#sizes[this.#level];
  }

  /** Level changes so far (an adaptation metric). */
  get changes(): number {
    return this.#changes;
  }

  /** Feeds one utilization reading (0..1); returns the batch size to use. */
  observe(utilization: number): number {
    const level = this.#level;
    // Targets with a hysteresis band around the 25 % and 75 % thresholds.
    let target = level;
    if (level === 0 && utilization > 0.3) target = 1;
    else if (level === 1 && utilization < 0.2) target = 0;
    else if (level === 1 && utilization > 0.8) target = 2;
    else if (level === 2 && utilization < 0.7) target = 1;
    if (target === level) {
      this.#streak = 0;
      return this.size;
    }
    if (target !== this.#pending) {
      this.#pending = target;
      this.#streak = 0;
    }
    if (++this.#streak >= this.#stable) {
      this.#level = target;
      this.#streak = 0;
      this.#changes++;
    }
    return this.size;
  }
}
