/**
 * Stream timings (time to first byte, SSE events, LLM tokens) in their own
 * SharedArrayBuffer: one lane per load worker, written with plain stores by
 * its only writer (no lock, no map per response). A lane holds one record for
 * the whole run and one per name (request-set target or scenario step, by the
 * slot `NamedLaneWriter.resolve` gave it, up to `nameCapacity`); a record is
 * a few exact counters, the exact max of each metric and one compact
 * histogram per metric (`STREAM_METRICS`). The owner adds up lane deltas into
 * exact totals (`poll()` at least every few seconds so 32-bit words never
 * wrap unseen). Untouched pages of the buffer are never committed, so a run
 * that streams nothing costs address space, not memory.
 *
 * @module
 */
import { COMPACT_BUCKETS, compactBucketIndex } from "../shared/compact_histogram.ts";
import {
  metricStatsOf,
  STREAM_COUNT_KEYS,
  STREAM_METRICS,
  type StreamMetricName,
  type StreamStats,
  type StreamSummary,
  withExactMeans,
} from "./stream_stats.ts";

const MAGIC = 0x4c535452; // "LSTR"
const H_MAGIC = 0;
const H_RECORDS = 1;
const H_LANES = 2;
const H_NEXT_LANE = 3;
const HEADER_BYTES = 64;

const METRICS = STREAM_METRICS.length;
// The counters (STREAM_COUNT_KEYS, 7) take words 0..7; then one Float64 max per metric from byte 32.
const R_MAX_F64 = 4;
const R_HIST = (R_MAX_F64 + METRICS) * 2; // Uint32 word of the first histogram
/** Uint32 words of one record. */
const RECORD_WORDS = R_HIST + METRICS * COMPACT_BUCKETS;

/** Metric indexes (lane order of `STREAM_METRICS`). */
export const StreamMetric = {
  Ttfb: 0,
  FirstEvent: 1,
  EventGap: 2,
  Events: 3,
  StreamDuration: 4,
  Ttft: 5,
  Itl: 6,
  TokensPerS: 7,
  OutputTokens: 8,
} as const;

/** Counter indexes (lane order of `STREAM_COUNT_KEYS`). */
export const StreamCounter = {
  SseStreams: 0,
  Events: 1,
  CutStreams: 2,
  LlmStreams: 3,
  OutputTokens: 4,
  DoneStreams: 5,
  UsageStreams: 6,
} as const;

/** Plain data that lets a worker attach to the stream lanes. */
export interface StreamLanesHandle {
  /** The shared memory. */
  buffer: SharedArrayBuffer;
}

function laneBytes(records: number): number {
  return Math.ceil((records * RECORD_WORDS * 4) / 64) * 64;
}

function headerOf(buffer: SharedArrayBuffer): Int32Array {
  const header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
  if (Atomics.load(header, H_MAGIC) !== MAGIC) {
    throw new TypeError("Cannot attach stream lanes: the buffer is not a lunge stream-lanes buffer");
  }
  return header;
}

/**
 * The owner side: creates the buffer and reads exact totals.
 *
 * @example
 * ```ts
 * import { StreamLanes, StreamLaneWriter, StreamMetric } from "./stream_lanes.ts";
 * const lanes = StreamLanes.create({ lanes: 1, nameCapacity: 0 });
 * const w = StreamLaneWriter.attach(lanes.handle());
 * w.record(-1, StreamMetric.Ttfb, 1_500_000);
 * lanes.summary([]).metrics.ttfb?.count; // 1
 * ```
 */
export class StreamLanes {
  readonly #buffer: SharedArrayBuffer;
  readonly #records: number;
  readonly #lanes: number;
  readonly #totals: Float64Array;
  readonly #last: Uint32Array;

  private constructor(buffer: SharedArrayBuffer) {
    this.#buffer = buffer;
    const header = headerOf(buffer);
    this.#records = header[H_RECORDS];
    this.#lanes = header[H_LANES];
    this.#totals = new Float64Array(this.#records * RECORD_WORDS);
    this.#last = new Uint32Array(this.#records * RECORD_WORDS * this.#lanes);
  }

  /**
   * Creates `lanes` lanes with one run-wide record and `nameCapacity` per-name records each.
   *
   * @example
   * ```ts
   * import { StreamLanes } from "./stream_lanes.ts";
   * StreamLanes.create({ lanes: 2, nameCapacity: 8 });
   * ```
   */
  static create(options: { lanes: number; nameCapacity: number }): StreamLanes {
    const records = 1 + Math.max(0, options.nameCapacity);
    const buffer = new SharedArrayBuffer(HEADER_BYTES + options.lanes * laneBytes(records));
    const header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    header[H_RECORDS] = records;
    header[H_LANES] = options.lanes;
    Atomics.store(header, H_MAGIC, MAGIC);
    return new StreamLanes(buffer);
  }

  /** Plain data for `postMessage`. */
  handle(): StreamLanesHandle {
    return { buffer: this.#buffer };
  }

  /** Adds what every lane recorded since the last poll to the exact totals. */
  poll(): void {
    const perLane = this.#records * RECORD_WORDS;
    const skipFrom = R_MAX_F64 * 2, skipTo = R_HIST;
    for (let lane = 0; lane < this.#lanes; lane++) {
      const w = new Uint32Array(this.#buffer, HEADER_BYTES + lane * laneBytes(this.#records), perLane);
      for (let r = 0; r < this.#records; r++) {
        const s = r * RECORD_WORDS;
        for (let i = 0; i < RECORD_WORDS; i++) {
          if (i >= skipFrom && i < skipTo) continue; // the max words are not counters
          const cur = w[s + i];
          const k = lane * perLane + s + i;
          const delta = (cur - this.#last[k]) >>> 0;
          if (delta !== 0) {
            this.#totals[s + i] += delta;
            this.#last[k] = cur;
          }
        }
      }
    }
  }

  #maxOf(record: number, metric: number): number {
    let max = 0;
    for (let lane = 0; lane < this.#lanes; lane++) {
      const base = HEADER_BYTES + lane * laneBytes(this.#records) + record * RECORD_WORDS * 4;
      const v = new Float64Array(this.#buffer, base + (R_MAX_F64 + metric) * 8, 1)[0];
      if (v > max) max = v;
    }
    return max;
  }

  #statsOf(record: number): StreamStats {
    const s = record * RECORD_WORDS;
    const t = this.#totals;
    const stats = {} as StreamStats;
    STREAM_COUNT_KEYS.forEach((key, i) => (stats[key] = t[s + i]));
    stats.metrics = {};
    STREAM_METRICS.forEach((metric: StreamMetricName, m) => {
      const h = s + R_HIST + m * COMPACT_BUCKETS;
      const counts = t.subarray(h, h + COMPACT_BUCKETS);
      if (counts.some((c) => c !== 0)) {
        stats.metrics[metric] = metricStatsOf(metric, counts, this.#maxOf(record, m));
      }
    });
    return withExactMeans(stats);
  }

  /**
   * The run's stream stats, with the names (the named lanes' names, in slot
   * order) that streamed or were timed. Polls first.
   */
  summary(names: readonly string[]): StreamSummary {
    this.poll();
    const out: StreamSummary = { ...this.#statsOf(0), names: [] };
    const n = Math.min(names.length, this.#records - 1);
    for (let i = 0; i < n; i++) {
      const stats = this.#statsOf(i + 1);
      if (Object.keys(stats.metrics).length > 0) out.names.push({ name: names[i], ...stats });
    }
    return out;
  }
}

/**
 * A worker's side: claims a lane and records with plain stores, into the
 * run-wide record and the name's (a named-lane slot; -1 or past the capacity: run-wide only).
 *
 * @example
 * ```ts
 * import { StreamCounter, StreamLanes, StreamLaneWriter, StreamMetric } from "./stream_lanes.ts";
 * const lanes = StreamLanes.create({ lanes: 1, nameCapacity: 4 });
 * const w = StreamLaneWriter.attach(lanes.handle());
 * w.record(0, StreamMetric.FirstEvent, 20_000_000);
 * w.count(0, StreamCounter.SseStreams, 1);
 * ```
 */
export class StreamLaneWriter {
  readonly #words: Uint32Array;
  readonly #f64: Float64Array;
  readonly #names: number;

  private constructor(buffer: SharedArrayBuffer) {
    const header = headerOf(buffer);
    const records = header[H_RECORDS];
    const lane = Atomics.add(header, H_NEXT_LANE, 1);
    if (lane >= header[H_LANES]) {
      throw new RangeError(`Cannot attach stream lanes: all ${header[H_LANES]} lanes are taken`);
    }
    const base = HEADER_BYTES + lane * laneBytes(records);
    this.#words = new Uint32Array(buffer, base, records * RECORD_WORDS);
    this.#f64 = new Float64Array(buffer, base, (records * RECORD_WORDS) / 2);
    this.#names = records - 1;
  }

  /** Attaches to lanes created on another thread. */
  static attach(handle: StreamLanesHandle): StreamLaneWriter {
    return new StreamLaneWriter(handle.buffer);
  }

  /** Records one value of `metric` (stored units: ns for times, value x 1000 otherwise). */
  record(name: number, metric: number, stored: number): void {
    this.#put(0, metric, stored);
    if (name >= 0 && name < this.#names) this.#put((name + 1) * RECORD_WORDS, metric, stored);
  }

  /** Adds `n` to a counter (`StreamCounter`). */
  count(name: number, counter: number, n: number): void {
    this.#words[counter] += n;
    if (name >= 0 && name < this.#names) this.#words[(name + 1) * RECORD_WORDS + counter] += n;
  }

  #put(s: number, metric: number, stored: number): void {
    this.#words[s + R_HIST + metric * COMPACT_BUCKETS + compactBucketIndex(stored)]++;
    const m = (s >> 1) + R_MAX_F64 + metric;
    if (stored > this.#f64[m]) this.#f64[m] = stored;
  }
}
