/**
 * The hot path of the atomic collector: one writer per lane, lock-free,
 * wait-free and allocation-free.
 *
 * Because exactly one thread ever writes a lane, a record needs no atomic
 * read-modify-write at all: it is a handful of plain stores into words no
 * other thread writes. Lane counters only ever grow (modulo 2^32); the owner
 * never writes them, it remembers what it last saw and adds the difference.
 * Plain 32-bit typed-array accesses are tear-free in the JavaScript memory
 * model, so the owner always reads a value the writer wrote. A record thus
 * makes no `Atomics` call at all outside rare cold paths; the bench counts
 * them (`bench/_lib/hot_path_probe.ts`) and CI fails if one appears.
 *
 * @module
 */
import { bucketIndex } from "../shared/histogram_layout.ts";
import { GROUP_BITS } from "../shared/histogram_groups.ts";
import { invalidField, invalidResult, InvalidResultError } from "./_errors.ts";
import {
  C_BYTES_HIGH,
  C_BYTES_LOW,
  C_BYTES_SEQ,
  C_ERROR_BASE,
  C_INVALID,
  C_MINMAX_EPOCH,
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
  H_EPOCH,
  H_F64_GENERATION_RATE,
  H_LANES,
  H_MAGIC,
  H_NEXT_LANE,
  M_LATENCY,
  M_NO_RESPONSE,
  M_SERVICE,
  MAGIC,
  regionViews,
} from "./_lane_layout.ts";
import type { CollectorWriter } from "./writer.ts";

const TWO_POW_32 = 4294967296;

/**
 * Claims a free lane of an atomic collector buffer and records into it.
 * Create one per thread (the collector and `attachCollector` do it for you).
 *
 * @example
 * ```ts
 * import { AtomicMetricsCollector } from "./_atomic_collector.ts";
 * import { AtomicLaneWriter } from "./_atomic_writer.ts";
 * const c = new AtomicMetricsCollector();
 * const w = new AtomicLaneWriter(c.handle().buffer, c.handle().sampleCapacity);
 * w.record(200, 3.2, 100, 0, -1);
 * c.close();
 * ```
 */
export class AtomicLaneWriter implements CollectorWriter {
  /** Always "atomic". */
  readonly kind = "atomic" as const;
  /** The lane this writer owns. */
  readonly lane: number;
  readonly #header: Int32Array;
  readonly #headerF64: Float64Array;
  readonly #counters: Uint32Array;
  readonly #minMax: Float64Array;
  readonly #latency: Uint32Array;
  readonly #service: Uint32Array;
  readonly #noResponse: Uint32Array;
  readonly #samples: Float64Array;
  readonly #marks: Uint8Array;
  readonly #sampleMask: number;
  #epoch = -1;
  #samplePos = 0;
  #latMin = Infinity;
  #latMax = -Infinity;
  #svcMin = Infinity;
  #svcMax = -Infinity;
  #nrMin = Infinity;
  #nrMax = -Infinity;

  constructor(buffer: SharedArrayBuffer, sampleCapacity: number) {
    const header = new Int32Array(buffer, 0, 16);
    if (Atomics.load(header, H_MAGIC) !== MAGIC) {
      throw new TypeError("Cannot attach collector: the buffer is not a lunge collector buffer");
    }
    const lane = Atomics.add(header, H_NEXT_LANE, 1);
    const lanes = Atomics.load(header, H_LANES);
    if (lane >= lanes) {
      Atomics.sub(header, H_NEXT_LANE, 1);
      throw new RangeError(
        `Cannot attach collector: all ${lanes} lanes are taken; create the collector with "lanes" >= the number of writer threads`,
      );
    }
    this.lane = lane;
    this.#header = header;
    this.#headerF64 = new Float64Array(buffer, 0, 16);
    const v = regionViews(buffer, lane, sampleCapacity);
    this.#counters = v.counters;
    this.#minMax = v.minMax;
    this.#latency = v.latency;
    this.#service = v.service;
    this.#noResponse = v.noResponse;
    this.#samples = v.samples;
    this.#marks = v.marks;
    this.#sampleMask = v.samples.length - 1;
    this.#samplePos = v.counters[C_SAMPLE_POS];
  }

  /**
   * Records one request, latency in milliseconds. Lock-free; allocation-free
   * unless the input is invalid (on V8, where this call is not inlined, the
   * float arguments are boxed: prefer `recordNs` on hot paths).
   */
  record(status: number, durationMs: number, bytes: number, errorKind: number, serviceTimeMs: number): void {
    const bad = invalidField(status, durationMs, bytes, errorKind, serviceTimeMs);
    if (bad !== null) this.#reject(bad, [status, durationMs, bytes, errorKind, serviceTimeMs]);
    this.#write(status, durationMs * 1e6, bytes, errorKind, serviceTimeMs < 0 ? -1 : serviceTimeMs * 1e6);
  }

  /**
   * Records one request with integer nanosecond latencies (service time
   * negative for none). Integers below 2^30 (latencies under ~1.07 s) travel
   * as small integers on V8, so this form never allocates, inlined or not.
   */
  recordNs(status: number, latencyNs: number, bytes: number, errorKind: number, serviceNs: number): void {
    const bad = invalidField(status, latencyNs, bytes, errorKind, serviceNs);
    if (bad !== null) this.#reject(bad, [status, latencyNs, bytes, errorKind, serviceNs], true);
    this.#write(status, latencyNs, bytes, errorKind, serviceNs);
  }

  #write(status: number, ns: number, bytes: number, errorKind: number, serviceNs: number): void {
    const c = this.#counters;
    // The epoch only changes on reset; a stale read lasts one record.
    if (this.#header[H_EPOCH] !== this.#epoch) this.#startEpoch();
    // Plain stores: this thread is the lane's only writer (Uint32 wraps mod 2^32; the owner reads deltas).
    if (errorKind === 0) c[C_STATUS_BASE + status - 100]++;
    else c[C_ERROR_BASE + errorKind]++;
    if (bytes !== 0) {
      const low = c[C_BYTES_LOW] + bytes;
      if (low < TWO_POW_32) c[C_BYTES_LOW] = low;
      else this.#carryBytes(low);
    }
    if (errorKind !== 0) return this.#noResponseDuration(ns);
    // Bucket first, then its group's mark (plain stores): the owner clears a mark before it
    // reads the group, so a bump it missed leaves the mark set for its next flush.
    const lat = bucketIndex(ns);
    this.#latency[lat]++;
    this.#marks[M_LATENCY + (lat >>> GROUP_BITS)] = 1;
    if (ns < this.#latMin || ns > this.#latMax) this.#latencyExtreme(ns);
    if (serviceNs >= 0) {
      const svc = bucketIndex(serviceNs);
      this.#service[svc]++;
      this.#marks[M_SERVICE + (svc >>> GROUP_BITS)] = 1;
      if (serviceNs < this.#svcMin || serviceNs > this.#svcMax) this.#serviceExtreme(serviceNs);
    }
    if (this.#sampleMask >= 0) {
      const pos = this.#samplePos++;
      this.#samples[pos & this.#sampleMask] = ns / 1e6;
      c[C_SAMPLE_POS] = pos + 1;
    }
  }

  /**
   * A request that failed without a response: its duration goes to its own
   * histogram, so a refusal in microseconds never pulls the response-latency
   * percentiles down (no service time, no sample).
   */
  #noResponseDuration(ns: number): void {
    const b = bucketIndex(ns);
    this.#noResponse[b]++;
    this.#marks[M_NO_RESPONSE + (b >>> GROUP_BITS)] = 1;
    if (ns < this.#nrMin || ns > this.#nrMax) this.#noResponseExtreme(ns);
  }

  /** Rare (every 4 GiB): moves the overflow into the high word under a seqlock so readers never see half of it. */
  #carryBytes(sum: number): void {
    const c = this.#counters;
    const low = sum % TWO_POW_32;
    Atomics.add(c, C_BYTES_SEQ, 1); // odd: readers retry
    c[C_BYTES_HIGH] += (sum - low) / TWO_POW_32;
    c[C_BYTES_LOW] = low;
    Atomics.add(c, C_BYTES_SEQ, 1); // even: consistent again
  }

  /**
   * Makes every record so far visible to other threads at once (a full
   * fence). Plain stores become visible on their own within nanoseconds;
   * call this before telling another thread "I am done" by other means.
   */
  publish(): void {
    Atomics.store(this.#counters, C_SAMPLE_POS, this.#counters[C_SAMPLE_POS]);
  }

  #startEpoch(): void {
    this.#epoch = Atomics.load(this.#header, H_EPOCH);
    this.#latMin = this.#svcMin = Infinity;
    this.#latMax = this.#svcMax = -Infinity;
    this.#nrMin = Infinity;
    this.#nrMax = -Infinity;
  }

  #latencyExtreme(ns: number): void {
    if (ns < this.#latMin) this.#latMin = ns;
    if (ns > this.#latMax) this.#latMax = ns;
    this.#publishExtremes();
  }

  #serviceExtreme(ns: number): void {
    if (ns < this.#svcMin) this.#svcMin = ns;
    if (ns > this.#svcMax) this.#svcMax = ns;
    this.#publishExtremes();
  }

  #noResponseExtreme(ns: number): void {
    if (ns < this.#nrMin) this.#nrMin = ns;
    if (ns > this.#nrMax) this.#nrMax = ns;
    this.#publishExtremes();
  }

  /** Min/max only move O(log n) times in n records, so this cold path is rare. */
  #publishExtremes(): void {
    const mm = this.#minMax;
    mm[F_LAT_MIN] = this.#latMin / 1e6; // published in ms (±Infinity stays ±Infinity)
    mm[F_LAT_MAX] = this.#latMax / 1e6;
    mm[F_SVC_MIN] = this.#svcMin / 1e6;
    mm[F_SVC_MAX] = this.#svcMax / 1e6;
    mm[F_NR_MIN] = this.#nrMin / 1e6;
    mm[F_NR_MAX] = this.#nrMax / 1e6;
    Atomics.store(this.#counters, C_MINMAX_EPOCH, this.#epoch); // the owner trusts them for this epoch
  }

  #reject(field: string, values: number[], nanoseconds = false): never {
    this.#counters[C_INVALID]++;
    throw invalidResult(field, values, nanoseconds);
  }

  /** Counts `n` requests that could not be sent on time. */
  recordMissedSends(n: number): void {
    if (!(n >= 0) || Math.floor(n) !== n) throw new InvalidResultError("missedSends", n);
    this.#counters[C_MISSED] += n;
  }

  /** Counts one unit of work sent: a plain store, this thread being the lane's only writer. */
  recordSent(): void {
    this.#counters[C_SENT]++;
  }

  /** Stores the generation rate (last writer wins). */
  recordGenerationRate(rate: number): void {
    if (!(rate >= 0 && rate < Infinity)) throw new InvalidResultError("rate", rate);
    this.#headerF64[H_F64_GENERATION_RATE] = rate;
  }
}
