/**
 * The lock-free atomic metrics collector.
 *
 * Synchronisation strategy: every writer thread owns a cache-line-aligned
 * lane of one SharedArrayBuffer and updates it with plain stores (see
 * `_atomic_writer.ts`: with one writer per word no read-modify-write needs to
 * be atomic); no two writers share a word or a cache line, and nobody takes
 * a lock. The owner thread reads the lanes and adds what each word gained
 * since it last looked (modulo 2^32) to plain float64 totals: on
 * `getSnapshot` the counters (exact counts, cheap), and at each flush
 * everything, when it also computes percentiles and the time series and
 * caches them. A flush runs in the background once a second, and before a
 * read whose cached figures are older than `flushIntervalMs`. Lane words wrap
 * harmlessly, so counts never overflow however long the run, as long as the
 * owner looks at least once per 2^32 events of one word (the flush once a
 * second does, up to 4 billion per second).
 *
 * @module
 */
import { type Accumulator, createLaneShadow, type LaneShadow } from "./accumulator.ts";
import { AtomicLaneWriter } from "./_atomic_writer.ts";
import {
  allocateCollectorBuffer,
  C_MINMAX_EPOCH,
  H_EPOCH,
  H_NEXT_LANE,
  regionViews,
} from "./_lane_layout.ts";
import type { RegionViews } from "./_lane_layout.ts";
import { type CollectorOptions, type OwnerCollector, validateCollectorOptions } from "./_owner_collector.ts";
import { OwnerCollectorBase } from "./_owner_collector_base.ts";
import type { CollectorWriter } from "./writer.ts";

/**
 * Lock-free collector: one lane per writer thread, drained by the owner.
 *
 * @example
 * ```ts
 * import { AtomicMetricsCollector } from "./_atomic_collector.ts";
 * const c = new AtomicMetricsCollector({ lanes: 4 });
 * c.recordRequest({ status: 200, durationMs: 2.5, bytes: 120 });
 * c.flush();
 * console.log(c.getSnapshot().latency.p99); // 2.5
 * // worker.postMessage(c.handle()); then in the worker: attachCollector(handle)
 * c.close();
 * ```
 */
export class AtomicMetricsCollector extends OwnerCollectorBase implements OwnerCollector {
  /** Always "atomic". */
  readonly kind = "atomic" as const;
  readonly #buffer: SharedArrayBuffer;
  readonly #options: Required<CollectorOptions>;
  readonly #header: Int32Array;
  #regions: RegionViews[] = [];
  #shadows: LaneShadow[] = [];
  #writer: AtomicLaneWriter | null = null;

  /**
   * Allocates the shared buffer (`lanes` regions) and starts the background flush.
   * Throws a RangeError for an out-of-range option.
   *
   * @param options Sample capacity, flush interval, lanes (all optional).
   */
  constructor(options: CollectorOptions = {}) {
    const opts = validateCollectorOptions(options);
    const buffer = allocateCollectorBuffer(opts.lanes, opts.sampleCapacity);
    super("atomic", buffer, opts);
    this.#options = opts;
    this.#buffer = buffer;
    this.#header = new Int32Array(this.#buffer, 0, 16);
  }

  /**
   * Views of the lanes claimed so far (created once per lane).
   * @ignore
   */
  protected sampleRegions(): RegionViews[] {
    const claimed = Math.min(Atomics.load(this.#header, H_NEXT_LANE), this.#options.lanes);
    while (this.#regions.length < claimed) {
      const region = regionViews(this.#buffer, this.#regions.length, this.#options.sampleCapacity);
      this.#regions.push(region);
      this.#shadows.push(createLaneShadow(region));
    }
    return this.#regions;
  }

  /**
   * Adds what every claimed lane gained since the last drain (see `RegionSource.drainInto`).
   * @ignore
   */
  protected drainInto(acc: Accumulator, histograms: boolean, everyGroup: boolean): void {
    const epoch = Atomics.load(this.#header, H_EPOCH);
    const regions = this.sampleRegions();
    for (let i = 0; i < regions.length; i++) {
      const r = regions[i];
      acc.drainCounters(r.counters, this.#shadows[i]);
      if (histograms) acc.drainHistograms(r, this.#shadows[i], everyGroup);
      // A lane's min/max count only once its writer has seen the current epoch.
      if (Atomics.load(r.counters, C_MINMAX_EPOCH) === epoch) acc.takeExtremes(r.minMax);
    }
  }

  /** Records one request from this thread into its own lane (lock-free, allocation-free). */
  record(status: number, durationMs: number, bytes: number, errorKind: number, serviceTimeMs: number): void {
    (this.#writer ??= this.#createWriter()).record(status, durationMs, bytes, errorKind, serviceTimeMs);
  }

  /** Records one request with integer nanosecond latencies (see `CollectorWriter.recordNs`). */
  recordNs(status: number, latencyNs: number, bytes: number, errorKind: number, serviceNs: number): void {
    (this.#writer ??= this.#createWriter()).recordNs(status, latencyNs, bytes, errorKind, serviceNs);
  }

  /**
   * This thread's writer (created on first use).
   * @ignore
   */
  protected writer(): CollectorWriter {
    return this.#writer ??= this.#createWriter();
  }

  #createWriter(): AtomicLaneWriter {
    // One writer (one lane) per collector on this thread, shared with recordMissedSends & co.
    return new AtomicLaneWriter(this.#buffer, this.#options.sampleCapacity);
  }
}
