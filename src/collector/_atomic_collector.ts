/**
 * The lock-free atomic metrics collector.
 *
 * Synchronisation strategy: every writer thread owns a cache-line-aligned
 * lane of one SharedArrayBuffer and updates it with plain stores (see
 * `_atomic_writer.ts`: with one writer per word no read-modify-write needs to
 * be atomic); no two writers share a word or a cache line, and nobody takes
 * a lock. The owner thread reads the lanes and adds what each word gained
 * since it last looked (modulo 2^32) to plain float64 totals: on
 * `getSnapshot` the counters only (exact counts, cheap), every 100 ms
 * everything, when it also computes percentiles and the time series and
 * caches them. Lane words wrap harmlessly, so counts never overflow however
 * long the run, as long as the owner looks at least once per 2^32 events of
 * one word (the 100 ms flush does, up to 40 billion per second).
 *
 * @module
 */
import { type Accumulator, createLaneShadow, type LaneShadow } from "./accumulator.ts";
import { AtomicLaneWriter } from "./_atomic_writer.ts";
import { allocateCollectorBuffer, C_MINMAX_EPOCH, H_EPOCH, H_NEXT_LANE, regionViews } from "./_lane_layout.ts";
import type { RegionViews } from "./_lane_layout.ts";
import { type CollectorOptions, type OwnerCollector, validateCollectorOptions } from "./_owner_collector.ts";
import { CollectorCore } from "./_owner_core.ts";
import type { CollectorHandle, MetricsSnapshot, RequestResult, TimeSeriesData } from "./types.ts";

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
export class AtomicMetricsCollector implements OwnerCollector {
  /** Always "atomic". */
  readonly kind = "atomic" as const;
  readonly #buffer: SharedArrayBuffer;
  readonly #options: Required<CollectorOptions>;
  readonly #header: Int32Array;
  readonly #core: CollectorCore;
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
    this.#options = opts;
    this.#buffer = allocateCollectorBuffer(opts.lanes, opts.sampleCapacity);
    this.#header = new Int32Array(this.#buffer, 0, 16);
    this.#core = new CollectorCore(this.kind, this.#buffer, opts, {
      drainInto: (acc, histograms, everyGroup) => this.#drainInto(acc, histograms, everyGroup),
      sampleRegions: () => this.#claimed(),
      writer: () => this.#writer ??= this.#createWriter(),
    });
  }

  /** Views of the lanes claimed so far (created once per lane). */
  #claimed(): RegionViews[] {
    const claimed = Math.min(Atomics.load(this.#header, H_NEXT_LANE), this.#options.lanes);
    while (this.#regions.length < claimed) {
      const region = regionViews(this.#buffer, this.#regions.length, this.#options.sampleCapacity);
      this.#regions.push(region);
      this.#shadows.push(createLaneShadow(region));
    }
    return this.#regions;
  }

  /** Adds what every claimed lane gained since the last drain (see `RegionSource.drainInto`). */
  #drainInto(acc: Accumulator, histograms: boolean, everyGroup: boolean): void {
    const epoch = Atomics.load(this.#header, H_EPOCH);
    const regions = this.#claimed();
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

  #createWriter(): AtomicLaneWriter {
    // One writer (one lane) per collector on this thread, shared with recordMissedSends & co.
    return new AtomicLaneWriter(this.#buffer, this.#options.sampleCapacity);
  }

  /** Called with each closed second's latency counts (ns layout; reused afterwards), e.g. for `--hlog`. */
  get onSecond(): ((counts: Float64Array, second: number, lengthMs: number) => void) | null {
    return this.#core.onSecond;
  }
  set onSecond(listener: ((counts: Float64Array, second: number, lengthMs: number) => void) | null) {
    this.#core.onSecond = listener;
  }

  /** Records one request from this thread (see `MetricsCollector.recordRequest`). */
  recordRequest(result: RequestResult): void {
    this.#core.recordRequest(result);
  }

  /** Counts requests that could not be sent on time. */
  recordMissedSends(n: number): void {
    this.#core.recordMissedSends(n);
  }

  /** Stores the generation rate. */
  recordGenerationRate(rate: number): void {
    this.#core.recordGenerationRate(rate);
  }

  /** Exact counts now; latency statistics at most `flushIntervalMs` old. */
  getSnapshot(): MetricsSnapshot {
    return this.#core.getSnapshot();
  }

  /**
   * Drains everything, recomputes latency statistics and rolls the time
   * series. Its cost follows what changed since the last flush.
   */
  flush(): void {
    this.#core.flush();
  }

  /** Completed seconds plus the current partial one. */
  getTimeSeries(): TimeSeriesData {
    return this.#core.getTimeSeries();
  }

  /** Cumulative latency histogram counts (a copy), drained up to now. */
  getHistogram(): Float64Array {
    return this.#core.getHistogram();
  }

  /** Uncorrected service-time histogram counts (a copy). */
  getServiceHistogram(): Float64Array {
    return this.#core.getServiceHistogram();
  }

  /** The latest latency samples (ms) of every writer since the last reset. */
  getRecentSamples(): Float64Array {
    return this.#core.getRecentSamples();
  }

  /** Forgets everything recorded and restarts the clock (at `startMs`, a `performance.now()` value, if given). */
  reset(startMs?: number): void {
    this.#core.reset(startMs);
  }

  /** Stops the background flush after a last one; the clock stops too. */
  close(): void {
    this.#core.close();
  }

  /** Plain data for `postMessage`: a worker attaches with `attachCollector`. */
  handle(): CollectorHandle {
    return this.#core.handle();
  }
}
