/**
 * What both collectors do on the owner's thread besides recording, written
 * once: each subclass says how its regions are drained and which writer this
 * thread uses, and this class hands every owner-side call to the
 * `CollectorCore` built from that (flush, totals, series, snapshot).
 *
 * @module
 */
import type { Accumulator } from "./accumulator.ts";
import type { RegionViews } from "./_lane_layout.ts";
import type { CollectorOptions } from "./_owner_collector.ts";
import { CollectorCore } from "./_owner_core.ts";
import type {
  CollectorHandle,
  CollectorKind,
  MetricsSnapshot,
  RequestResult,
  TimeSeriesData,
} from "./types.ts";
import type { CollectorWriter } from "./writer.ts";

/**
 * The owner-side half of a collector (`AtomicMetricsCollector`,
 * `LegacyMetricsCollector`); not constructed on its own.
 *
 * @example
 * ```ts
 * import { AtomicMetricsCollector } from "./_atomic_collector.ts";
 * import type { OwnerCollectorBase } from "./_owner_collector_base.ts";
 * const c: OwnerCollectorBase = new AtomicMetricsCollector({ lanes: 2 });
 * c.flush();
 * console.log(c.getSnapshot().totalRequests); // 0
 * c.close();
 * ```
 */
export abstract class OwnerCollectorBase {
  readonly #core: CollectorCore;

  /**
   * Starts the background flush over the subclass's regions (its drain and
   * writer are first called from the flush timer, after construction).
   *
   * @param kind Which implementation this is.
   * @param buffer The collector's shared buffer.
   * @param options Validated collector options.
   */
  constructor(kind: CollectorKind, buffer: SharedArrayBuffer, options: Required<CollectorOptions>) {
    this.#core = new CollectorCore(kind, buffer, options, {
      drainInto: (acc, histograms, everyGroup) => this.drainInto(acc, histograms, everyGroup),
      sampleRegions: () => this.sampleRegions(),
      writer: () => this.writer(),
    });
  }

  /**
   * Adds what the writers recorded since the last call to `acc` (see `RegionSource.drainInto`).
   * @ignore
   */
  protected abstract drainInto(acc: Accumulator, histograms: boolean, everyGroup: boolean): void;
  /**
   * The regions that hold samples, with their views.
   * @ignore
   */
  protected abstract sampleRegions(): RegionViews[];
  /**
   * The writer of this thread (created on first use).
   * @ignore
   */
  protected abstract writer(): CollectorWriter;

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
