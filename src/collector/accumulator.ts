/**
 * The owner's side of a collector: plain JS numbers that drained region
 * counts are added to. Float64 holds exact integers to 2^53, so totals never
 * overflow (150k req/s for 24 hours is 1.3e10).
 *
 * @module
 */
import { HISTOGRAM_BUCKETS } from "../shared/histogram_layout.ts";
import {
  addToGroupSums,
  clearGroupSums,
  createGroupSums,
  GROUP_BITS,
  GROUP_SIZE,
  type GroupSums,
  HISTOGRAM_GROUPS,
} from "../shared/histogram_groups.ts";
import { ERROR_KIND_COUNT } from "./types.ts";
import {
  C_BYTES_HIGH,
  C_BYTES_LOW,
  C_BYTES_SEQ,
  C_ERROR_BASE,
  C_INVALID,
  C_MISSED,
  C_SENT,
  C_STATUS_BASE,
  F_LAT_MAX,
  F_LAT_MIN,
  F_NR_MAX,
  F_NR_MIN,
  F_SVC_MAX,
  F_SVC_MIN,
  M_LATENCY,
  M_NO_RESPONSE,
  M_SERVICE,
  type RegionViews,
  STATUS_SLOTS,
} from "./_lane_layout.ts";

const TWO_POW_32 = 4294967296;

/**
 * What a region word gained since the last drain: the word only grows,
 * modulo 2^32, and only its writer stores to it, so the owner keeps the value
 * it last saw and takes the difference; it never writes the region.
 */
function take(words: Uint32Array, seen: Uint32Array, index: number): number {
  const now = words[index];
  const delta = (now - seen[index]) >>> 0;
  seen[index] = now;
  return delta;
}

/** The owner's memory of what it last saw in one region. */
export interface LaneShadow {
  /** Bytes total (high * 2^32 + low) last seen. */
  bytes: number;
  counters: Uint32Array;
  latency: Uint32Array;
  service: Uint32Array;
  noResponse: Uint32Array;
  /** The lane's marks, four at a time (a quick skip over untouched groups). */
  marks32: Uint32Array;
}

/** How long a reader waits for a writer to finish a byte carry before giving up. */
export const SEQLOCK_TIMEOUT_MS = 1000;

/**
 * A lane's byte total, read consistently against the writer's carry seqlock.
 * Bounded: a carry takes nanoseconds, so a lane still mid-carry after
 * `SEQLOCK_TIMEOUT_MS` has lost its writer (a thread terminated mid-write).
 */
export function laneBytes(c: Uint32Array, timeoutMs: number = SEQLOCK_TIMEOUT_MS): number {
  let deadline = 0;
  for (let spins = 0;; spins++) {
    const before = Atomics.load(c, C_BYTES_SEQ);
    const total = c[C_BYTES_HIGH] * TWO_POW_32 + c[C_BYTES_LOW];
    if ((before & 1) === 0 && Atomics.load(c, C_BYTES_SEQ) === before) return total;
    if ((spins & 1023) === 1023) {
      const now = performance.now();
      if (deadline === 0) deadline = now + timeoutMs;
      else if (now > deadline) {
        throw new Error(
          `Cannot read the collector: a lane stayed mid-update for over ${timeoutMs} ms ` +
            "(its writer thread was terminated while writing)",
        );
      }
    }
  }
}

/** A zeroed shadow for a lane of the given shape. */
export function createLaneShadow(r: RegionViews): LaneShadow {
  return {
    bytes: 0,
    counters: new Uint32Array(r.counters.length),
    latency: new Uint32Array(r.latency.length),
    service: new Uint32Array(r.service.length),
    noResponse: new Uint32Array(r.noResponse.length),
    marks32: new Uint32Array(r.marks.buffer, r.marks.byteOffset, r.marks.length >>> 2),
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
  /** Units of work sent (counted by the pacer as it starts them). */
  sent = 0;
  invalid = 0;
  bytes = 0;
  readonly latency: Float64Array = new Float64Array(HISTOGRAM_BUCKETS);
  readonly service: Float64Array = new Float64Array(HISTOGRAM_BUCKETS);
  latMin = Infinity;
  latMax = -Infinity;
  svcMin = Infinity;
  svcMax = -Infinity;
  /** Durations of requests that failed without a response, and their min/max (ms). */
  readonly noResponse: Float64Array = new Float64Array(HISTOGRAM_BUCKETS);
  nrMin = Infinity;
  nrMax = -Infinity;
  /** Requests, failures and latencies drained during the current second. */
  secRequests = 0;
  secErrors = 0;
  readonly secLatency: Float64Array = new Float64Array(HISTOGRAM_BUCKETS);
  /** Running sums of `latency` per 64-bucket group: statistics in one step per group. */
  readonly latencyGroups: GroupSums = createGroupSums();
  /** Running sums of `service` per group. */
  readonly serviceGroups: GroupSums = createGroupSums();
  /** Running sums of `noResponse` per group. */
  readonly noResponseGroups: GroupSums = createGroupSums();
  /** Counts of `secLatency` per group (percentiles skip the empty groups). */
  readonly secLatencyGroups: Float64Array = new Float64Array(HISTOGRAM_GROUPS);
  /** Set when a drain changed a histogram or an extreme; the owner clears it when it recomputes statistics. */
  histogramsChanged = false;

  /** Adds what a region's counters gained (see `take`). */
  drainCounters(c: Uint32Array, seen: LaneShadow): void {
    const total = laneBytes(c);
    this.bytes += total - seen.bytes;
    seen.bytes = total;
    this.#drainCountWords(c, seen.counters);
  }

  #drainCountWords(c: Uint32Array, seen: Uint32Array): void {
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
    this.sent += take(c, seen, C_SENT);
    this.invalid += take(c, seen, C_INVALID);
    this.secRequests += requests;
    this.secErrors += failed;
  }

  /**
   * Adds what a region's histograms gained (see `take`). A region is read
   * only in the 64-bucket groups its writer marked, unless `everyGroup`.
   *
   * A mark is cleared (a sequentially consistent store) before its group is
   * read, and the writer sets it after bumping a bucket: a bump this read
   * misses leaves the mark set, so the count arrives with the next flush.
   * Should a weakly ordered CPU ever reorder the writer's two plain stores, a
   * read of every group (periodic, and at close) still brings it in: the
   * shadow makes every read exact, whenever it happens.
   */
  drainHistograms(r: RegionViews, seen: LaneShadow, everyGroup = true): void {
    this.#drainMarked(
      r.marks,
      seen.marks32,
      M_LATENCY,
      r.latency,
      seen.latency,
      this.latency,
      this.latencyGroups,
      true,
      everyGroup,
    );
    this.#drainMarked(
      r.marks,
      seen.marks32,
      M_SERVICE,
      r.service,
      seen.service,
      this.service,
      this.serviceGroups,
      false,
      everyGroup,
    );
    this.#drainMarked(
      r.marks,
      seen.marks32,
      M_NO_RESPONSE,
      r.noResponse,
      seen.noResponse,
      this.noResponse,
      this.noResponseGroups,
      false,
      everyGroup,
    );
  }

  /** Drains the marked groups of one histogram (every group with `everyGroup`). */
  #drainMarked(
    marks: Uint8Array,
    marks32: Uint32Array,
    firstMark: number,
    words: Uint32Array,
    seen: Uint32Array,
    into: Float64Array,
    sums: GroupSums,
    perSecond: boolean,
    everyGroup: boolean,
  ): void {
    const firstWord = firstMark >>> 2;
    for (let w = 0; w < HISTOGRAM_GROUPS >>> 2; w++) {
      if (marks32[firstWord + w] === 0 && !everyGroup) continue;
      for (let g = w << 2; g < (w + 1) << 2; g++) {
        if (marks[firstMark + g] !== 0) Atomics.store(marks, firstMark + g, 0);
        else if (!everyGroup) continue;
        this.#drainGroup(words, seen, into, sums, perSecond, g);
      }
    }
  }

  #drainGroup(
    words: Uint32Array,
    seen: Uint32Array,
    into: Float64Array,
    sums: GroupSums,
    perSecond: boolean,
    g: number,
  ): void {
    let added = 0;
    for (let i = g << GROUP_BITS, end = i + GROUP_SIZE; i < end; i++) {
      const now = words[i];
      if (now === seen[i]) continue; // cheap peek first: most buckets are unchanged
      const n = (now - seen[i]) >>> 0;
      seen[i] = now;
      into[i] += n;
      if (perSecond) this.secLatency[i] += n;
      addToGroupSums(sums, i, n);
      added += n;
    }
    if (added === 0) return;
    if (perSecond) this.secLatencyGroups[g] += added;
    this.histogramsChanged = true;
  }

  /** Folds a region's min/max (ms) into the totals. */
  takeExtremes(mm: Float64Array): void {
    // A moved extreme changes the statistics even when no bucket did.
    const latMin = Math.min(this.latMin, mm[F_LAT_MIN]);
    const latMax = Math.max(this.latMax, mm[F_LAT_MAX]);
    const svcMin = Math.min(this.svcMin, mm[F_SVC_MIN]);
    const svcMax = Math.max(this.svcMax, mm[F_SVC_MAX]);
    const nrMin = Math.min(this.nrMin, mm[F_NR_MIN]);
    const nrMax = Math.max(this.nrMax, mm[F_NR_MAX]);
    if (
      latMin !== this.latMin || latMax !== this.latMax || svcMin !== this.svcMin || svcMax !== this.svcMax ||
      nrMin !== this.nrMin || nrMax !== this.nrMax
    ) {
      this.histogramsChanged = true;
    }
    this.latMin = latMin;
    this.latMax = latMax;
    this.svcMin = svcMin;
    this.svcMax = svcMax;
    this.nrMin = nrMin;
    this.nrMax = nrMax;
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
    const groups = this.secLatencyGroups;
    for (let g = 0; g < HISTOGRAM_GROUPS; g++) {
      if (groups[g] === 0) continue;
      this.secLatency.fill(0, g << GROUP_BITS, (g + 1) << GROUP_BITS);
      groups[g] = 0;
    }
  }

  /** Forgets everything. */
  clear(): void {
    this.status.fill(0);
    this.errors.fill(0);
    this.missed = this.invalid = this.bytes = 0;
    this.sent = 0;
    this.latency.fill(0);
    this.service.fill(0);
    this.noResponse.fill(0);
    clearGroupSums(this.latencyGroups);
    clearGroupSums(this.serviceGroups);
    clearGroupSums(this.noResponseGroups);
    this.histogramsChanged = false;
    this.latMin = this.svcMin = this.nrMin = Infinity;
    this.latMax = this.svcMax = this.nrMax = -Infinity;
    this.clearSecond();
  }
}
