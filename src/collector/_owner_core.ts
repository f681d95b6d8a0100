/**
 * The owner's machinery, written once for any collector whose writers fill
 * regions of the lane layout: the background flush, the accumulated totals,
 * the 1-second time series, the snapshot cache, samples, reset and close. A
 * collector composes one `CollectorCore` and hands it a `RegionSource` that
 * says how its regions are drained; the core knows nothing else about it.
 *
 * @module
 */
import type { CollectorKind } from "./types.ts";
import { percentilesOfGroupedCounts } from "../shared/histogram_groups.ts";
import { system } from "../runtime/mod.ts";
import { Accumulator } from "./accumulator.ts";
import { C_SAMPLE_POS, H_EPOCH, H_F64_GENERATION_RATE } from "./_lane_layout.ts";
import type { RegionViews } from "./_lane_layout.ts";
import { buildSnapshot, EMPTY_LATENCY, latencyStatsOf } from "./snapshot.ts";
import type {
  CollectorHandle,
  LatencyStats,
  MetricsSnapshot,
  RequestResult,
  TimeSeriesData,
  TimeSeriesPoint,
} from "./types.ts";
import type { CollectorOptions } from "./_owner_collector.ts";
import type { CollectorWriter } from "./writer.ts";

const SERIES_PERCENTILES = [50, 95, 99];
/**
 * At least this often (ms) a flush reads every histogram group, marked or
 * not: a backstop should a CPU reorder a writer's bucket and mark stores
 * (see `Accumulator.drainHistograms`).
 */
const EVERY_GROUP_MS = 10_000;
/**
 * The background flush's longest period (ms) at the default `flushIntervalMs`: it wakes once a second,
 * just past each second boundary, to close that second of the series, however fast records arrive.
 * Reads stay fresh by flushing themselves (see `#fresh`). At 1000 req/s with one load worker, ten
 * background flushes a second cost 3-4% of lunge's whole CPU (the wake-ups, not the work in them).
 */
const BACKGROUND_FLUSH_MS = 1000;

/** How a collector's regions reach the owner: what its `CollectorCore` calls. */
export interface RegionSource {
  /**
   * Adds what the writers recorded since the last call to `acc`: counters
   * and extremes always, histograms too when `histograms` (only the groups
   * writers marked, or every group when `everyGroup`).
   */
  drainInto(acc: Accumulator, histograms: boolean, everyGroup: boolean): void;
  /** The regions that hold samples, with their views. */
  sampleRegions(): RegionViews[];
  /** The writer of this thread (created on first use). */
  writer(): CollectorWriter;
}

/**
 * Everything a collector does on its owning thread besides recording:
 * background flush every `flushIntervalMs`, accumulated totals, the
 * 1-second time series, cached latency statistics.
 *
 * @example
 * ```ts
 * import { AtomicMetricsCollector } from "./_atomic_collector.ts";
 * const c = new AtomicMetricsCollector(); // composes a CollectorCore
 * c.getSnapshot().totalRequests; // 0
 * c.close();
 * ```
 */
export class CollectorCore {
  readonly #kind: CollectorKind;
  readonly #source: RegionSource;
  readonly #buffer: SharedArrayBuffer;
  readonly #options: Required<CollectorOptions>;
  readonly #header: Int32Array;
  readonly #headerF64: Float64Array;
  readonly #acc = new Accumulator();
  #series: TimeSeriesPoint[] = [];
  #second = 0;
  #startMs = performance.now();
  #closedAtMs: number | null = null;
  #latency: LatencyStats = EMPTY_LATENCY;
  #service: LatencyStats | null = null;
  #noResponse: LatencyStats | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running = true;
  #lastFlushAt = performance.now();
  #lastEveryGroupAt = performance.now();
  /** Sample position of each region at the last reset: older samples are not returned. */
  #sampleBase: number[] = [];
  /** Called with each closed second's latency counts (ns layout; reused afterwards), e.g. for `--hlog`. */
  onSecond: ((counts: Float64Array, second: number, lengthMs: number) => void) | null = null;

  /**
   * Starts the background flush (an unref'd timer: it never keeps the process
   * alive). With `flushIntervalMs` under a second it runs once a second, just
   * past each second boundary, so the 1-second series stays exact; otherwise
   * every `flushIntervalMs`. Reads do not wait for it: `getSnapshot` and
   * `getTimeSeries` flush first when the last flush is older than
   * `flushIntervalMs`, so latency statistics are never older. An idle or busy
   * run's cost of the flush is then its one wake-up a second.
   *
   * @param kind Reported in snapshots and handles.
   * @param buffer The collector's shared memory, already allocated for `options`.
   * @param options Validated options (see `validateCollectorOptions`).
   * @param source How the collector's regions are drained.
   */
  constructor(
    kind: CollectorKind,
    buffer: SharedArrayBuffer,
    options: Required<CollectorOptions>,
    source: RegionSource,
  ) {
    this.#kind = kind;
    this.#source = source;
    this.#buffer = buffer;
    this.#options = options;
    this.#header = new Int32Array(buffer, 0, 16);
    this.#headerF64 = new Float64Array(buffer, 0, 16);
    this.#schedule(this.#nextDelayMs());
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => this.#onTimer(), delayMs);
    system.unrefTimer(this.#timer); // a forgotten collector never keeps the process alive
  }

  #onTimer(): void {
    if (!this.#running) return;
    this.#flush(this.#everyGroupDue());
    this.#schedule(this.#nextDelayMs());
  }

  /** Until just past the next second boundary, or `flushIntervalMs` when that is a second or more. */
  #nextDelayMs(): number {
    const interval = this.#options.flushIntervalMs;
    if (interval >= BACKGROUND_FLUSH_MS) return interval;
    const elapsed = this.#elapsedMs();
    return Math.max(1, Math.ceil((Math.floor(elapsed / 1000) + 1) * 1000 - elapsed) + 1);
  }

  /** Records one request from this thread (see `MetricsCollector.recordRequest`). */
  recordRequest(result: RequestResult): void {
    this.#source.writer().record(
      result.status,
      result.durationMs,
      result.bytes,
      result.errorKind ?? 0,
      result.serviceTimeMs ?? -1,
    );
  }

  /** Counts requests that could not be sent on time. */
  recordMissedSends(n: number): void {
    this.#source.writer().recordMissedSends(n);
  }

  /** Stores the generation rate. */
  recordGenerationRate(rate: number): void {
    this.#source.writer().recordGenerationRate(rate);
  }

  #elapsedMs(): number {
    return (this.#closedAtMs ?? performance.now()) - this.#startMs;
  }

  /** Exact counts now; latency statistics at most `flushIntervalMs` old. */
  getSnapshot(): MetricsSnapshot {
    this.#fresh();
    this.#source.drainInto(this.#acc, false, false);
    return buildSnapshot(this.#acc, {
      collector: this.#kind,
      elapsedMs: this.#elapsedMs(),
      generationRate: this.#headerF64[H_F64_GENERATION_RATE],
      latency: this.#latency,
      serviceTime: this.#service,
      noResponseLatency: this.#noResponse,
    });
  }

  /**
   * Drains everything, recomputes latency statistics and rolls the time
   * series. Its cost follows what changed since the last flush: only the
   * histogram groups writers touched are read, and statistics are
   * recomputed (over the non-empty groups) only when something arrived.
   */
  flush(): void {
    this.#flush(this.#everyGroupDue());
  }

  #everyGroupDue(): boolean {
    return performance.now() - this.#lastEveryGroupAt >= EVERY_GROUP_MS;
  }

  /** One flush. */
  #flush(everyGroup: boolean): void {
    const acc = this.#acc;
    const now = performance.now();
    this.#lastFlushAt = now;
    if (everyGroup) this.#lastEveryGroupAt = now;
    this.#source.drainInto(acc, true, everyGroup);
    if (acc.histogramsChanged) {
      acc.histogramsChanged = false;
      this.#latency = latencyStatsOf(acc.latency, acc.latMin, acc.latMax, acc.latencyGroups);
      const svc = latencyStatsOf(acc.service, acc.svcMin, acc.svcMax, acc.serviceGroups);
      this.#service = svc.count > 0 ? svc : null;
      const failed = latencyStatsOf(acc.noResponse, acc.nrMin, acc.nrMax, acc.noResponseGroups);
      this.#noResponse = failed.count > 0 ? failed : null;
    }
    const second = Math.floor(this.#elapsedMs() / 1000);
    while (this.#second < second) {
      this.#series.push(this.#pointOfCurrentSecond(1000));
      this.onSecond?.(acc.secLatency, this.#second, 1000);
      acc.clearSecond();
      this.#second++;
    }
  }

  #pointOfCurrentSecond(lengthMs: number): TimeSeriesPoint {
    const acc = this.#acc;
    const out = new Float64Array(3);
    percentilesOfGroupedCounts(acc.secLatency, acc.secLatencyGroups, SERIES_PERCENTILES, out);
    return {
      second: this.#second,
      requests: acc.secRequests,
      errors: acc.secErrors,
      rps: lengthMs > 0 ? acc.secRequests / (lengthMs / 1000) : 0,
      p50: out[0] / 1e6,
      p95: out[1] / 1e6,
      p99: out[2] / 1e6,
    };
  }

  /** Flushes when the last flush is older than the interval (the background flush may be backing off). */
  #fresh(): void {
    if (this.#running && performance.now() - this.#lastFlushAt > this.#options.flushIntervalMs) this.flush();
  }

  /** Completed seconds plus the current partial one. */
  getTimeSeries(): TimeSeriesData {
    this.#fresh();
    const points = this.#series.slice();
    const partialMs = this.#elapsedMs() - this.#second * 1000;
    if (partialMs > 0 && this.#acc.secRequests > 0) points.push(this.#pointOfCurrentSecond(partialMs));
    return { points };
  }

  /** Cumulative latency histogram counts (a copy), drained up to now. */
  getHistogram(): Float64Array {
    this.#source.drainInto(this.#acc, true, true);
    return this.#acc.latency.slice();
  }

  /** Uncorrected service-time histogram counts (a copy). */
  getServiceHistogram(): Float64Array {
    this.#source.drainInto(this.#acc, true, true);
    return this.#acc.service.slice();
  }

  /** The latest latency samples (ms) of every writer since the last reset. */
  getRecentSamples(): Float64Array {
    const regions = this.#source.sampleRegions();
    const parts: Float64Array[] = [];
    let total = 0;
    regions.forEach((r, i) => {
      if (r.samples.length === 0) return;
      const pos = Atomics.load(r.counters, C_SAMPLE_POS);
      const written = (pos - (this.#sampleBase[i] ?? 0)) >>> 0;
      const n = Math.min(written, this.#options.sampleCapacity);
      const part = new Float64Array(n);
      const mask = r.samples.length - 1;
      for (let k = 0; k < n; k++) part[k] = r.samples[(pos - n + k) & mask];
      parts.push(part);
      total += n;
    });
    const out = new Float64Array(total);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /** Forgets everything recorded and restarts the clock (at `startMs`, a `performance.now()` value, if given). */
  reset(startMs?: number): void {
    Atomics.add(this.#header, H_EPOCH, 1); // writers drop their cached min/max
    this.#source.drainInto(this.#acc, true, true);
    this.#acc.clear();
    this.#series = [];
    this.#second = 0;
    this.#latency = EMPTY_LATENCY;
    this.#service = null;
    this.#noResponse = null;
    this.#sampleBase = this.#source.sampleRegions().map((r) => Atomics.load(r.counters, C_SAMPLE_POS));
    this.#startMs = startMs ?? performance.now();
    if (this.#closedAtMs !== null) this.#closedAtMs = this.#startMs;
    // The seconds now count from the new start: the background flush moves to their boundaries.
    if (this.#running && this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#schedule(this.#nextDelayMs());
    }
  }

  /** Stops the background flush after a last one; the clock stops too. */
  close(): void {
    if (this.#running) {
      this.#running = false;
      if (this.#timer !== null) clearTimeout(this.#timer);
      this.#timer = null;
      this.#flush(true); // the last flush reads every group
      this.#closedAtMs = performance.now();
      const partialMs = this.#elapsedMs() - this.#second * 1000;
      if (partialMs > 0 && this.#acc.secRequests > 0) {
        this.onSecond?.(this.#acc.secLatency, this.#second, partialMs);
      }
    }
  }

  /** Plain data for `postMessage`: a worker attaches with `attachCollector`. */
  handle(): CollectorHandle {
    return {
      kind: this.#kind,
      buffer: this.#buffer,
      sampleCapacity: this.#options.sampleCapacity,
      lanes: this.#options.lanes,
    };
  }
}
