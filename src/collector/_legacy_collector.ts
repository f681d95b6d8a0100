/**
 * The legacy mutex-based metrics collector: the same data and interface as
 * the atomic one, but every record takes one shared mutex. It is the
 * baseline the atomic collector is measured against and a rollback switch.
 * It implements `OwnerCollector` on its own, composing the owner's
 * machinery (`CollectorCore`) with a drain that holds the mutex; the atomic
 * collector does not know it exists.
 *
 * @module
 */
import { SharedMutex } from "../shared/mutex.ts";
import { type Accumulator, createLaneShadow, type LaneShadow } from "./accumulator.ts";
import {
  allocateCollectorBuffer,
  F_LAT_MAX,
  F_LAT_MIN,
  F_NR_MAX,
  F_NR_MIN,
  F_SVC_MAX,
  F_SVC_MIN,
  H_MUTEX,
  regionViews,
} from "./_lane_layout.ts";
import type { RegionViews } from "./_lane_layout.ts";
import { LegacyWriter, warnLegacyOnce } from "./_legacy_writer.ts";
import { type CollectorOptions, type OwnerCollector, validateCollectorOptions } from "./_owner_collector.ts";
import { OwnerCollectorBase } from "./_owner_collector_base.ts";
import type { CollectorWriter } from "./writer.ts";

/**
 * Mutex-based collector: one shared region, every record under the lock.
 *
 * @deprecated Use `AtomicMetricsCollector` (the default of `createCollector`).
 * Kept as the performance baseline and as the `LUNGE_USE_OLD_COLLECTOR=1`
 * rollback switch; scheduled for removal in 0.3.0.
 *
 * @example
 * ```ts
 * import { LegacyMetricsCollector } from "./_legacy_collector.ts";
 * const c = new LegacyMetricsCollector();
 * c.recordRequest({ status: 503, durationMs: 4, bytes: 0 });
 * c.getSnapshot().failedRequests; // 1
 * c.close();
 * ```
 */
export class LegacyMetricsCollector extends OwnerCollectorBase implements OwnerCollector {
  /** Always "legacy". */
  readonly kind = "legacy" as const;
  readonly #buffer: SharedArrayBuffer;
  readonly #sampleCapacity: number;
  readonly #mutex: SharedMutex;
  readonly #region: RegionViews;
  /** What the owner last saw in the region (the words only grow, modulo 2^32). */
  readonly #shadow: LaneShadow;
  #writer: LegacyWriter | null = null;

  /**
   * Allocates one mutex-guarded region and starts the background flush; warns
   * once per process that the legacy collector is deprecated. `lanes` is
   * ignored (always 1). Throws a RangeError for an out-of-range option.
   *
   * @param options Sample capacity and flush interval (all optional).
   */
  constructor(options: CollectorOptions = {}) {
    warnLegacyOnce();
    const opts = validateCollectorOptions({ ...options, lanes: 1 });
    const buffer = allocateCollectorBuffer(1, opts.sampleCapacity);
    super("legacy", buffer, opts);
    this.#buffer = buffer;
    this.#sampleCapacity = opts.sampleCapacity;
    this.#mutex = SharedMutex.attach({ buffer: this.#buffer, byteOffset: H_MUTEX * 4 });
    this.#region = regionViews(this.#buffer, 0, opts.sampleCapacity);
    this.#shadow = createLaneShadow(this.#region);
  }

  /**
   * The one region.
   * @ignore
   */
  protected sampleRegions(): RegionViews[] {
    return [this.#region];
  }

  /**
   * This thread's writer (created on first use).
   * @ignore
   */
  protected writer(): CollectorWriter {
    return this.#writer ??= this.#createWriter();
  }

  /**
   * Under the mutex: what the region gained (every histogram group), then its extremes, which it resets.
   * @ignore
   */
  protected drainInto(acc: Accumulator, histograms: boolean): void {
    this.#mutex.lock();
    try {
      acc.drainCounters(this.#region.counters, this.#shadow);
      if (histograms) acc.drainHistograms(this.#region, this.#shadow, true);
      const mm = this.#region.minMax;
      acc.takeExtremes(mm);
      mm[F_LAT_MIN] = mm[F_SVC_MIN] = mm[F_NR_MIN] = Infinity;
      mm[F_LAT_MAX] = mm[F_SVC_MAX] = mm[F_NR_MAX] = -Infinity;
    } finally {
      this.#mutex.unlock();
    }
  }

  /** Records one request under the mutex. */
  record(status: number, durationMs: number, bytes: number, errorKind: number, serviceTimeMs: number): void {
    (this.#writer ??= this.#createWriter()).record(status, durationMs, bytes, errorKind, serviceTimeMs);
  }

  /** Records one request with integer nanosecond latencies (see `CollectorWriter.recordNs`). */
  recordNs(status: number, latencyNs: number, bytes: number, errorKind: number, serviceNs: number): void {
    (this.#writer ??= this.#createWriter()).recordNs(status, latencyNs, bytes, errorKind, serviceNs);
  }

  #createWriter(): LegacyWriter {
    return new LegacyWriter(this.#buffer, this.#sampleCapacity);
  }
}
