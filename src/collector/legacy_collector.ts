/**
 * The legacy mutex-based metrics collector: the same data and interface as
 * the atomic one, but every record takes one shared mutex. It is the
 * baseline the atomic collector is measured against and a rollback switch.
 *
 * @module
 */
import { SharedMutex } from "../shared/mutex.ts";
import type { Accumulator } from "./accumulator.ts";
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
} from "./lane_layout.ts";
import type { RegionViews } from "./lane_layout.ts";
import { LegacyWriter, warnLegacyOnce } from "./legacy_writer.ts";
import { type CollectorOptions, OwnerCollector, validateCollectorOptions } from "./owner_collector.ts";

/**
 * Mutex-based collector: one shared region, every record under the lock.
 *
 * @deprecated Use `AtomicMetricsCollector` (the default of `createCollector`).
 * Kept as the performance baseline and as the `LUNGE_USE_OLD_COLLECTOR=1`
 * rollback switch; scheduled for removal in 0.3.0.
 *
 * @example
 * ```ts
 * import { LegacyMetricsCollector } from "./legacy_collector.ts";
 * const c = new LegacyMetricsCollector();
 * c.recordRequest({ status: 503, durationMs: 4, bytes: 0 });
 * c.getSnapshot().failedRequests; // 1
 * c.close();
 * ```
 */
export class LegacyMetricsCollector extends OwnerCollector {
  /** Always "legacy". */
  readonly kind = "legacy" as const;
  readonly #mutex: SharedMutex;
  readonly #region: RegionViews;

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
    super(allocateCollectorBuffer(1, opts.sampleCapacity), opts);
    this.#mutex = SharedMutex.attach({ buffer: this.buffer, byteOffset: H_MUTEX * 4 });
    this.#region = regionViews(this.buffer, 0, opts.sampleCapacity);
  }

  /** @ignore Internal hook (see `OwnerCollector`). */
  protected drainInto(acc: Accumulator, histograms: boolean): void {
    this.#mutex.lock();
    try {
      acc.drainCounters(this.#region.counters, null);
      if (histograms) acc.drainHistograms(this.#region, null);
      const mm = this.#region.minMax;
      acc.takeExtremes(mm);
      mm[F_LAT_MIN] = mm[F_SVC_MIN] = mm[F_NR_MIN] = Infinity;
      mm[F_LAT_MAX] = mm[F_SVC_MAX] = mm[F_NR_MAX] = -Infinity;
    } finally {
      this.#mutex.unlock();
    }
  }

  /** @ignore Internal hook (see `OwnerCollector`). */
  protected sampleRegions(): RegionViews[] {
    return [this.#region];
  }

  #writer: LegacyWriter | null = null;

  /** Records one request under the mutex. */
  record(status: number, durationMs: number, bytes: number, errorKind: number, serviceTimeMs: number): void {
    (this.#writer ??= this.createWriter()).record(status, durationMs, bytes, errorKind, serviceTimeMs);
  }

  /** Records one request with integer nanosecond latencies (see `CollectorWriter.recordNs`). */
  recordNs(status: number, latencyNs: number, bytes: number, errorKind: number, serviceNs: number): void {
    (this.#writer ??= this.createWriter()).recordNs(status, latencyNs, bytes, errorKind, serviceNs);
  }

  /** @ignore Internal hook (see `OwnerCollector`). */
  protected createWriter(): LegacyWriter {
    return this.#writer ??= new LegacyWriter(this.buffer, this.options.sampleCapacity);
  }
}
