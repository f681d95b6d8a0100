/**
 * `AsyncMetricRecorder`: callers hand metric updates to a
 * bounded buffer and return at once; a periodic worker applies them in
 * batches. Overflow drops (counted) when `dropOnOverflow`, or applies the
 * update synchronously otherwise. Plus the production and development
 * presets.
 *
 * @module
 */
import { system } from "../runtime/mod.ts";

/** Options of `AsyncMetricRecorder`. */
export interface AsyncMetricsConfig {
  /** Pending updates held at most. */
  bufferSize: number;
  /** Batches applied per tick (JS has one thread, so batch slots stand in for worker threads). */
  workerCount: number;
  /** Longest wait before pending updates are applied, ms (also the `close()` timeout). */
  flushTimeoutMs: number;
  /** Drop updates when the buffer is full (true) or apply them in the caller (false). */
  dropOnOverflow: boolean;
}

/**
 * Production preset: large buffer, drop on overflow, never slow the caller.
 *
 * @example
 * ```ts
 * import { productionMetricsConfig } from "./_async_recorder.ts";
 * productionMetricsConfig().bufferSize; // 50000
 * ```
 */
export function productionMetricsConfig(): AsyncMetricsConfig {
  return { bufferSize: 50_000, workerCount: 8, flushTimeoutMs: 100, dropOnOverflow: true };
}

/**
 * Development preset: small buffer, no drops (overflow applies synchronously).
 *
 * @example
 * ```ts
 * import { developmentMetricsConfig } from "./_async_recorder.ts";
 * developmentMetricsConfig().dropOnOverflow; // false
 * ```
 */
export function developmentMetricsConfig(): AsyncMetricsConfig {
  return { bufferSize: 1000, workerCount: 1, flushTimeoutMs: 20, dropOnOverflow: false };
}

/**
 * Buffers `(key, value)` updates and applies them off the caller's path.
 *
 * @example
 * ```ts
 * import { AsyncMetricRecorder, productionMetricsConfig } from "./_async_recorder.ts";
 * const totals = new Map<number, number>();
 * const rec = new AsyncMetricRecorder(productionMetricsConfig(), (key, value) => {
 *   totals.set(key, (totals.get(key) ?? 0) + value);
 * });
 * rec.record(1, 5);
 * await rec.close(); // applies what is pending
 * ```
 */
export class AsyncMetricRecorder {
  readonly #keys: Float64Array;
  readonly #values: Float64Array;
  #head = 0;
  #size = 0;
  #dropped = 0;
  #applied = 0;
  readonly #config: AsyncMetricsConfig;
  readonly #apply: (key: number, value: number) => void;
  #timer: ReturnType<typeof setInterval> | undefined;

  /**
   * Allocates the buffer and starts a drain every `flushTimeoutMs` (an
   * unref'd timer). Throws a RangeError for a `bufferSize` below 1 or a
   * non-positive `flushTimeoutMs`.
   *
   * @param config Buffer size, flush interval and overflow policy.
   * @param apply Applies one queued update; called from the drain (or inline on overflow when not dropping).
   */
  constructor(config: AsyncMetricsConfig, apply: (key: number, value: number) => void) {
    if (!Number.isInteger(config.bufferSize) || config.bufferSize < 1) {
      throw new RangeError(
        `Cannot create recorder: "bufferSize" must be an integer >= 1, got ${config.bufferSize}`,
      );
    }
    if (!(config.flushTimeoutMs > 0)) {
      throw new RangeError(
        `Cannot create recorder: "flushTimeoutMs" must be > 0, got ${config.flushTimeoutMs}`,
      );
    }
    this.#config = { ...config, workerCount: Math.max(1, config.workerCount | 0) };
    this.#keys = new Float64Array(config.bufferSize);
    this.#values = new Float64Array(config.bufferSize);
    this.#apply = apply;
    this.#timer = setInterval(() => this.drain(), config.flushTimeoutMs);
    system.unrefTimer(this.#timer);
  }

  /** Queues one update; returns false when it was dropped. Never blocks, never allocates. */
  record(key: number, value: number): boolean {
    if (this.#size === this.#keys.length) {
      if (this.#config.dropOnOverflow || this.#timer === undefined) {
        this.#dropped++;
        return false;
      }
      this.#apply(key, value);
      this.#applied++;
      return true;
    }
    const at = (this.#head + this.#size) % this.#keys.length;
    this.#keys[at] = key;
    this.#values[at] = value;
    this.#size++;
    return true;
  }

  /** Applies pending updates now (up to workerCount batches of bufferSize / workerCount; all when `all`). */
  drain(all = false): number {
    const cap = this.#keys.length;
    let budget = all
      ? this.#size
      : Math.max(1, Math.ceil(cap / this.#config.workerCount)) * this.#config.workerCount;
    let n = 0;
    while (this.#size > 0 && budget-- > 0) {
      this.#apply(this.#keys[this.#head], this.#values[this.#head]);
      this.#head = (this.#head + 1) % cap;
      this.#size--;
      n++;
    }
    this.#applied += n;
    return n;
  }

  /** Updates waiting. */
  get pending(): number {
    return this.#size;
  }

  /** Updates dropped on overflow. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Updates applied. */
  get applied(): number {
    return this.#applied;
  }

  /** Stops the worker after applying everything pending. */
  close(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.drain(true);
    return Promise.resolve();
  }
}
