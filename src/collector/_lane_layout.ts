/**
 * Memory layout shared by both collectors.
 *
 * A collector's SharedArrayBuffer holds a header and one or more *regions*
 * of identical shape. The atomic collector gives every writer thread its own
 * region (a "lane", cache-line aligned, so writers never share a cache line);
 * the legacy collector has a single region behind a mutex. A region holds
 * 32-bit counters that the owner drains at every flush (at least once a second),
 * so a word only has to hold what arrives in a second and counts never overflow.
 *
 * @module
 */
import { HISTOGRAM_BUCKETS } from "../shared/histogram_layout.ts";
import { HISTOGRAM_GROUPS } from "../shared/histogram_groups.ts";

/** Header words (Int32) of the collector buffer. */
export const H_MAGIC = 0;
export const H_LANES = 1;
export const H_NEXT_LANE = 2;
export const H_SAMPLE_SLOTS = 3;
/** Bumped by reset; writers that see a new epoch forget their cached min/max. */
export const H_EPOCH = 4;
/** The legacy collector's mutex word. */
export const H_MUTEX = 8;
/** Float64 index of the generation rate (byte 64). */
export const H_F64_GENERATION_RATE = 8;
/** Bytes of the header. */
export const HEADER_BYTES = 128;
/** Identifies a lunge collector buffer ("LUNG"). */
export const MAGIC = 0x4c554e47;

/** Counter words (Uint32) of a region. */
export const C_MISSED = 0;
export const C_INVALID = 1;
export const C_BYTES_LOW = 2;
/** Units of 2^32 bytes, carried when C_BYTES_LOW wraps. */
export const C_BYTES_HIGH = 3;
/** Transport errors by kind: C_ERROR_BASE + kind (1..8, see ErrorKind). */
export const C_ERROR_BASE = 4;
export const C_SAMPLE_POS = 13;
/** Epoch for which the region's min/max are valid. */
export const C_MINMAX_EPOCH = 14;
/** Seqlock around a carry into C_BYTES_HIGH: odd while the writer is mid-carry. */
export const C_BYTES_SEQ = 15;
/** Requests by HTTP status: C_STATUS_BASE + (status - 100), statuses 100-599. */
export const C_STATUS_BASE = 16;
export const STATUS_SLOTS = 500;
/** Units of work the pacer started and measures (requests, iterations, messages): the live "sent" rate. */
export const C_SENT = 516;
/** Counter words per region, padded to a cache line. */
export const COUNTER_WORDS = 528;
/** Words that getSnapshot drains (everything but the sample position and epoch). */
export const DRAINED_COUNTER_WORDS: readonly number[] = [
  C_MISSED,
  C_INVALID,
  C_BYTES_LOW,
  C_BYTES_HIGH,
  C_ERROR_BASE + 1,
  C_ERROR_BASE + 2,
  C_ERROR_BASE + 3,
  C_ERROR_BASE + 4,
  C_ERROR_BASE + 5,
  C_ERROR_BASE + 6,
  C_ERROR_BASE + 7,
  C_ERROR_BASE + 8,
  C_SENT,
];

/** Float64 slots after the counters: latency min/max, service-time min/max (ms). */
export const F_LAT_MIN = 0;
export const F_LAT_MAX = 1;
export const F_SVC_MIN = 2;
export const F_SVC_MAX = 3;
/** Min/max duration (ms) of requests that failed without a response. */
export const F_NR_MIN = 4;
export const F_NR_MAX = 5;
const MINMAX_BYTES = 64;

/** Byte offsets inside a region. */
export const MINMAX_OFFSET = COUNTER_WORDS * 4;
export const LATENCY_HIST_OFFSET = MINMAX_OFFSET + MINMAX_BYTES;
export const SERVICE_HIST_OFFSET = LATENCY_HIST_OFFSET + HISTOGRAM_BUCKETS * 4;
/** Durations of requests that failed without a response, kept apart from `latency`. */
export const NO_RESPONSE_HIST_OFFSET = SERVICE_HIST_OFFSET + HISTOGRAM_BUCKETS * 4;
export const SAMPLES_OFFSET = NO_RESPONSE_HIST_OFFSET + HISTOGRAM_BUCKETS * 4;

/**
 * Touched-group marks, after the samples: one byte per 64-bucket group of
 * each histogram, set to 1 by the lane's writer with a plain store after it
 * bumps a bucket, cleared by the owner before it reads the group. Room for
 * four histograms; the mark of group g of histogram h is at h * HISTOGRAM_GROUPS + g.
 */
export const MARKED_HISTOGRAMS = 4;
/** First mark of the latency histogram's groups. */
export const M_LATENCY = 0;
/** First mark of the service-time histogram's groups. */
export const M_SERVICE: number = HISTOGRAM_GROUPS;
/** First mark of the no-response (failed without a response) histogram's groups. */
export const M_NO_RESPONSE: number = 2 * HISTOGRAM_GROUPS;
/** Bytes of a region's marks (a multiple of 64). */
export const MARKS_BYTES: number = Math.ceil((MARKED_HISTOGRAMS * HISTOGRAM_GROUPS) / 64) * 64;

/** Sample slots for a requested capacity: a power of two (0 disables sampling). */
export function sampleSlots(capacity: number): number {
  return capacity <= 0 ? 0 : 2 ** Math.ceil(Math.log2(Math.max(2, capacity)));
}

/** Bytes of one region, rounded to a cache line. */
export function regionBytes(sampleCapacity: number): number {
  return marksOffset(sampleCapacity) + MARKS_BYTES;
}

/** Byte offset of the marks inside a region (cache-line aligned, after the samples). */
export function marksOffset(sampleCapacity: number): number {
  return Math.ceil((SAMPLES_OFFSET + sampleSlots(sampleCapacity) * 8) / 64) * 64;
}

/** Byte offset of region `index`. */
export function regionOffset(index: number, sampleCapacity: number): number {
  return HEADER_BYTES + index * regionBytes(sampleCapacity);
}

/** Typed views over one region. */
export interface RegionViews {
  counters: Uint32Array;
  minMax: Float64Array;
  latency: Uint32Array;
  service: Uint32Array;
  /** Durations of requests that failed without a response (transport errors). */
  noResponse: Uint32Array;
  samples: Float64Array;
  /** Touched-group marks (see `MARKED_HISTOGRAMS`); the legacy collector leaves them unused. */
  marks: Uint8Array;
}

/** Creates the typed views of region `index`. */
export function regionViews(buffer: SharedArrayBuffer, index: number, sampleCapacity: number): RegionViews {
  const base = regionOffset(index, sampleCapacity);
  return {
    counters: new Uint32Array(buffer, base, COUNTER_WORDS),
    minMax: new Float64Array(buffer, base + MINMAX_OFFSET, 6),
    latency: new Uint32Array(buffer, base + LATENCY_HIST_OFFSET, HISTOGRAM_BUCKETS),
    service: new Uint32Array(buffer, base + SERVICE_HIST_OFFSET, HISTOGRAM_BUCKETS),
    noResponse: new Uint32Array(buffer, base + NO_RESPONSE_HIST_OFFSET, HISTOGRAM_BUCKETS),
    samples: new Float64Array(buffer, base + SAMPLES_OFFSET, sampleSlots(sampleCapacity)),
    marks: new Uint8Array(buffer, base + marksOffset(sampleCapacity), MARKS_BYTES),
  };
}

/** Allocates a zeroed collector buffer and writes its header. */
export function allocateCollectorBuffer(regions: number, sampleCapacity: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(HEADER_BYTES + regions * regionBytes(sampleCapacity));
  const header = new Int32Array(buffer, 0, 16);
  header[H_LANES] = regions;
  header[H_SAMPLE_SLOTS] = sampleSlots(sampleCapacity);
  for (let i = 0; i < regions; i++) {
    const mm = regionViews(buffer, i, sampleCapacity).minMax;
    mm[F_LAT_MIN] = mm[F_SVC_MIN] = mm[F_NR_MIN] = Infinity;
    mm[F_LAT_MAX] = mm[F_SVC_MAX] = mm[F_NR_MAX] = -Infinity;
  }
  Atomics.store(header, H_MAGIC, MAGIC);
  return buffer;
}
