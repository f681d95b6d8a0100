/**
 * The owner's side of a collector: plain JS numbers that drained region
 * counts are added to. Float64 holds exact integers to 2^53, so totals never
 * overflow (150k req/s for 24 hours is 1.3e10).
 *
 * @module
 */
import { HISTOGRAM_BUCKETS } from "../shared/histogram_layout.ts";
import { ERROR_KIND_COUNT } from "./types.ts";
import {
  C_BYTES_HIGH,
  C_BYTES_LOW,
  C_BYTES_SEQ,
  C_ERROR_BASE,
  C_INVALID,
  C_MISSED,
  C_STATUS_BASE,
  F_LAT_MAX,
  F_LAT_MIN,
  F_SVC_MAX,
  F_SVC_MIN,
  type RegionViews,
  STATUS_SLOTS,
} from "./lane_layout.ts";

const TWO_POW_32 = 4294967296;

/**
 * What a region word gained since the last drain.
 *
 * Atomic lanes (with `seen`): the word only grows, modulo 2^32, and only its
 * writer stores to it, so the owner keeps the value it last saw and takes the
 * difference; it never writes the lane. Legacy region (`seen` null): the
 * caller holds the mutex, so the word is read and zeroed.
 */
function take(words: Uint32Array, seen: Uint32Array | null, index: number): number {
  const now = words[index];
  if (seen === null) {
    words[index] = 0;
    return now;
  }
  const delta = (now - seen[index]) >>> 0;
  seen[index] = now;
  return delta;
}

/** The owner's memory of what it last saw in one atomic lane. */
export interface LaneShadow {
  /** Bytes total (high * 2^32 + low) last seen. */
  bytes: number;
  counters: Uint32Array;
  latency: Uint32Array;
  service: Uint32Array;
}

/** A lane's byte total, read consistently against the writer's carry seqlock. */
function laneBytes(c: Uint32Array): number {
  for (;;) {
    const before = Atomics.load(c, C_BYTES_SEQ);
    const total = c[C_BYTES_HIGH] * TWO_POW_32 + c[C_BYTES_LOW];
    if ((before & 1) === 0 && Atomics.load(c, C_BYTES_SEQ) === before) return total;
  }
}

/** A zeroed shadow for a lane of the given shape. */
export function createLaneShadow(r: RegionViews): LaneShadow {
  return {
    bytes: 0,
    counters: new Uint32Array(r.counters.length),
    latency: new Uint32Array(r.latency.length),
    service: new Uint32Array(r.service.length),
  };
}

/**
 * Cumulative totals of a collector plus the counts of the current second.
 *
 * @example
 * ```ts
 * import { Accumulator } from "./accumulator.ts";
 * const acc = new Accumulator();
 * acc.totalRequests(); // 0
 * ```
 */
export class Accumulator {
  /** Requests by status, index = status - 100. */
  readonly status: Float64Array = new Float64Array(STATUS_SLOTS);
  /** Transport errors, index = ErrorKind (1 .. ERROR_KIND_COUNT - 1). */
  readonly errors: Float64Array = new Float64Array(ERROR_KIND_COUNT);
  missed = 0;
  invalid = 0;
  bytes = 0;
  readonly latency: Float64Array = new Float64Array(HISTOGRAM_BUCKETS);
  readonly service: Float64Array = new Float64Array(HISTOGRAM_BUCKETS);
  latMin = Infinity;
  latMax = -Infinity;
  svcMin = Infinity;
  svcMax = -Infinity;
  /** Requests, failures and latencies drained during the current second. */
  secRequests = 0;
  secErrors = 0;
  readonly secLatency: Float64Array = new Float64Array(HISTOGRAM_BUCKETS);

  /** Adds what a region's counters gained (see `take`). */
  drainCounters(c: Uint32Array, seen: LaneShadow | null): void {
    if (seen === null) {
      this.bytes += take(c, null, C_BYTES_LOW) + take(c, null, C_BYTES_HIGH) * TWO_POW_32;
    } else {
      const total = laneBytes(c);
      this.bytes += total - seen.bytes;
      seen.bytes = total;
    }
    this.#drainCountWords(c, seen === null ? null : seen.counters);
  }

  #drainCountWords(c: Uint32Array, seen: Uint32Array | null): void {
    let requests = 0;
    let failed = 0;
    for (let i = 0; i < STATUS_SLOTS; i++) {
      const n = take(c, seen, C_STATUS_BASE + i);
      if (n === 0) continue;
      this.status[i] += n;
      requests += n;
      if (i >= 300) failed += n; // status >= 400
    }
    for (let k = 1; k < ERROR_KIND_COUNT; k++) {
      const n = take(c, seen, C_ERROR_BASE + k);
      this.errors[k] += n;
      requests += n;
      failed += n;
    }
    this.missed += take(c, seen, C_MISSED);
    this.invalid += take(c, seen, C_INVALID);
    this.secRequests += requests;
    this.secErrors += failed;
  }

  /** Adds what a region's histograms gained (see `take`). */
  drainHistograms(r: RegionViews, seen: LaneShadow | null): void {
    const lat = r.latency;
    const svc = r.service;
    const seenLat = seen === null ? null : seen.latency;
    const seenSvc = seen === null ? null : seen.service;
    for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
      // Cheap peeks first: almost every bucket is unchanged.
      if (seenLat === null ? lat[i] !== 0 : lat[i] !== seenLat[i]) {
        const n = take(lat, seenLat, i);
        this.latency[i] += n;
        this.secLatency[i] += n;
      }
      if (seenSvc === null ? svc[i] !== 0 : svc[i] !== seenSvc[i]) this.service[i] += take(svc, seenSvc, i);
    }
  }

  /** Folds a region's min/max (ms) into the totals. */
  takeExtremes(mm: Float64Array): void {
    if (mm[F_LAT_MIN] < this.latMin) this.latMin = mm[F_LAT_MIN];
    if (mm[F_LAT_MAX] > this.latMax) this.latMax = mm[F_LAT_MAX];
    if (mm[F_SVC_MIN] < this.svcMin) this.svcMin = mm[F_SVC_MIN];
    if (mm[F_SVC_MAX] > this.svcMax) this.svcMax = mm[F_SVC_MAX];
  }

  /** All requests counted (successful + failed). */
  totalRequests(): number {
    let n = 0;
    for (let i = 0; i < STATUS_SLOTS; i++) n += this.status[i];
    for (let k = 1; k < ERROR_KIND_COUNT; k++) n += this.errors[k];
    return n;
  }

  /** Ends the current second. */
  clearSecond(): void {
    this.secRequests = 0;
    this.secErrors = 0;
    this.secLatency.fill(0);
  }

  /** Forgets everything. */
  clear(): void {
    this.status.fill(0);
    this.errors.fill(0);
    this.missed = this.invalid = this.bytes = 0;
    this.latency.fill(0);
    this.service.fill(0);
    this.latMin = this.svcMin = Infinity;
    this.latMax = this.svcMax = -Infinity;
    this.clearSecond();
  }
}
