/**
 * The owner's side of a collector: plain JS numbers that drained region
 * counts are added to. Float64 holds exact integers to 2^53, so totals never
 * overflow (150k req/s for 24 hours is 1.3e10).
 *
 * @module
 */
import { HISTOGRAM_BUCKETS } from "../shared/histogram_layout.ts";
import {
  C_BYTES_HIGH,
  C_BYTES_LOW,
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

/** Reads a word and zeroes it: atomically for lanes, plainly under the legacy mutex. */
function take(words: Uint32Array, index: number, atomic: boolean): number {
  if (atomic) return Atomics.exchange(words, index, 0);
  const v = words[index];
  words[index] = 0;
  return v;
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
  /** Transport errors, index = ErrorKind (1..4). */
  readonly errors: Float64Array = new Float64Array(5);
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

  /** Moves a region's counters into the totals. */
  drainCounters(c: Uint32Array, atomic: boolean): void {
    let requests = 0;
    let failed = 0;
    for (let i = 0; i < STATUS_SLOTS; i++) {
      if (c[C_STATUS_BASE + i] === 0) continue; // a plain peek saves an exchange per empty slot
      const n = take(c, C_STATUS_BASE + i, atomic);
      this.status[i] += n;
      requests += n;
      if (i >= 300) failed += n; // status >= 400
    }
    for (let k = 1; k <= 4; k++) {
      if (c[C_ERROR_BASE + k] === 0) continue;
      const n = take(c, C_ERROR_BASE + k, atomic);
      this.errors[k] += n;
      requests += n;
      failed += n;
    }
    if (c[C_MISSED] !== 0) this.missed += take(c, C_MISSED, atomic);
    if (c[C_INVALID] !== 0) this.invalid += take(c, C_INVALID, atomic);
    if (c[C_BYTES_LOW] !== 0 || c[C_BYTES_HIGH] !== 0) {
      // Low first: a carry raced past us shows up in the next drain, never twice.
      const low = take(c, C_BYTES_LOW, atomic);
      this.bytes += low + take(c, C_BYTES_HIGH, atomic) * TWO_POW_32;
    }
    this.secRequests += requests;
    this.secErrors += failed;
  }

  /** Moves a region's histogram counts into the totals. */
  drainHistograms(r: RegionViews, atomic: boolean): void {
    const lat = r.latency;
    const svc = r.service;
    for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
      if (lat[i] !== 0) {
        const n = take(lat, i, atomic);
        this.latency[i] += n;
        this.secLatency[i] += n;
      }
      if (svc[i] !== 0) this.service[i] += take(svc, i, atomic);
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
    for (let k = 1; k <= 4; k++) n += this.errors[k];
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
