/**
 * The recording side of the legacy collector: every record takes the one
 * mutex, updates a single shared region with plain writes, and releases it.
 * Kept as the baseline the atomic collector replaces.
 *
 * @module
 */
import { bucketIndex } from "../shared/histogram_layout.ts";
import { SharedMutex } from "../shared/mutex.ts";
import { invalidField, invalidResult, InvalidResultError } from "./_errors.ts";
import {
  C_BYTES_HIGH,
  C_BYTES_LOW,
  C_ERROR_BASE,
  C_INVALID,
  C_MISSED,
  C_SAMPLE_POS,
  C_SENT,
  C_STATUS_BASE,
  F_LAT_MAX,
  F_LAT_MIN,
  F_NR_MAX,
  F_NR_MIN,
  F_SVC_MAX,
  F_SVC_MIN,
  H_F64_GENERATION_RATE,
  H_MAGIC,
  H_MUTEX,
  MAGIC,
  type RegionViews,
  regionViews,
} from "./_lane_layout.ts";
import type { CollectorWriter } from "./writer.ts";

const TWO_POW_32 = 4294967296;
let warned = false;

/**
 * Warns once per thread that the legacy collector is deprecated. Only the
 * owner (`LegacyMetricsCollector`) calls it: writers attach in every load
 * worker, and a warning from each would print it once per thread.
 */
export function warnLegacyOnce(): void {
  if (warned) return;
  warned = true;
  console.warn(
    "lunge: the legacy (mutex) metrics collector is deprecated and will be removed in 0.3.0; " +
      "use the atomic collector (the default). See docs/migration.md.",
  );
}

/**
 * Records into a legacy collector buffer under its mutex.
 *
 * @deprecated Use the atomic collector; the legacy one is kept only as a
 * baseline and rollback switch (`LUNGE_USE_OLD_COLLECTOR=1`) until 0.3.0.
 *
 * @example
 * ```ts
 * import { LegacyMetricsCollector } from "./_legacy_collector.ts";
 * import { LegacyWriter } from "./_legacy_writer.ts";
 * const c = new LegacyMetricsCollector();
 * new LegacyWriter(c.handle().buffer, c.handle().sampleCapacity).record(200, 1, 0, 0, -1);
 * c.close();
 * ```
 */
export class LegacyWriter implements CollectorWriter {
  /** Always "legacy". */
  readonly kind = "legacy" as const;
  readonly #mutex: SharedMutex;
  readonly #region: RegionViews;
  readonly #headerF64: Float64Array;
  readonly #sampleMask: number;

  constructor(buffer: SharedArrayBuffer, sampleCapacity: number) {
    if (Atomics.load(new Int32Array(buffer, 0, 16), H_MAGIC) !== MAGIC) {
      throw new TypeError("Cannot attach collector: the buffer is not a lunge collector buffer");
    }
    this.#mutex = SharedMutex.attach({ buffer, byteOffset: H_MUTEX * 4 });
    this.#region = regionViews(buffer, 0, sampleCapacity);
    this.#headerF64 = new Float64Array(buffer, 0, 16);
    this.#sampleMask = this.#region.samples.length - 1;
  }

  /** The mutex every record takes; the owner takes it to drain. */
  get mutex(): SharedMutex {
    return this.#mutex;
  }

  /** Records one request (latency in ms) under the mutex. */
  record(status: number, durationMs: number, bytes: number, errorKind: number, serviceTimeMs: number): void {
    const bad = invalidField(status, durationMs, bytes, errorKind, serviceTimeMs);
    if (bad !== null) {
      this.#reject(invalidResult(bad, [status, durationMs, bytes, errorKind, serviceTimeMs], false));
    }
    this.#write(status, durationMs * 1e6, bytes, errorKind, serviceTimeMs < 0 ? -1 : serviceTimeMs * 1e6);
  }

  /** Records one request (integer nanosecond latencies, service negative for none) under the mutex. */
  recordNs(status: number, latencyNs: number, bytes: number, errorKind: number, serviceNs: number): void {
    const bad = invalidField(status, latencyNs, bytes, errorKind, serviceNs);
    if (bad !== null) {
      this.#reject(invalidResult(bad, [status, latencyNs, bytes, errorKind, serviceNs], true));
    }
    this.#write(status, latencyNs, bytes, errorKind, serviceNs);
  }

  #reject(error: InvalidResultError): never {
    this.#mutex.lock();
    this.#region.counters[C_INVALID]++;
    this.#mutex.unlock();
    throw error;
  }

  #write(status: number, ns: number, bytes: number, errorKind: number, serviceNs: number): void {
    this.#mutex.lock();
    const r = this.#region;
    const c = r.counters;
    if (errorKind === 0) c[C_STATUS_BASE + status - 100]++;
    else c[C_ERROR_BASE + errorKind]++;
    const low = bytes % TWO_POW_32;
    const sum = c[C_BYTES_LOW] + low;
    c[C_BYTES_LOW] = sum; // wraps modulo 2^32
    c[C_BYTES_HIGH] += (bytes - low) / TWO_POW_32 + (sum >= TWO_POW_32 ? 1 : 0);
    const mm = r.minMax;
    const ms = ns / 1e6;
    if (errorKind !== 0) {
      // Failed without a response: kept apart from the response latencies.
      r.noResponse[bucketIndex(ns)]++;
      if (ms < mm[F_NR_MIN]) mm[F_NR_MIN] = ms;
      if (ms > mm[F_NR_MAX]) mm[F_NR_MAX] = ms;
      this.#mutex.unlock();
      return;
    }
    r.latency[bucketIndex(ns)]++;
    if (ms < mm[F_LAT_MIN]) mm[F_LAT_MIN] = ms;
    if (ms > mm[F_LAT_MAX]) mm[F_LAT_MAX] = ms;
    if (serviceNs >= 0) {
      const svc = serviceNs / 1e6;
      r.service[bucketIndex(serviceNs)]++;
      if (svc < mm[F_SVC_MIN]) mm[F_SVC_MIN] = svc;
      if (svc > mm[F_SVC_MAX]) mm[F_SVC_MAX] = svc;
    }
    if (this.#sampleMask >= 0) {
      const pos = c[C_SAMPLE_POS];
      r.samples[pos & this.#sampleMask] = ms;
      c[C_SAMPLE_POS] = pos + 1;
    }
    this.#mutex.unlock();
  }

  /** Counts `n` requests that could not be sent on time. */
  recordMissedSends(n: number): void {
    if (!(n >= 0) || Math.floor(n) !== n) throw new InvalidResultError("missedSends", n);
    this.#mutex.lock();
    this.#region.counters[C_MISSED] += n;
    this.#mutex.unlock();
  }

  /** Counts one unit of work sent, under the mutex. */
  recordSent(): void {
    this.#mutex.lock();
    this.#region.counters[C_SENT]++;
    this.#mutex.unlock();
  }

  /** Stores the generation rate under the mutex. */
  recordGenerationRate(rate: number): void {
    if (!(rate >= 0 && rate < Infinity)) throw new InvalidResultError("rate", rate);
    this.#mutex.lock();
    this.#headerF64[H_F64_GENERATION_RATE] = rate;
    this.#mutex.unlock();
  }
}
