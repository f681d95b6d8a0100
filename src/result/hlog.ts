/**
 * HdrHistogram interval logs (`.hlog`, log format 1.3): the
 * `#[StartTime: …]` and `#[BaseTime: …]` headers, the CSV legend, and one
 * line per interval (start and length in seconds, the interval's maximum in
 * ms, its histogram as compressed base64 V2). Values are microseconds, as
 * in wrk2's and jHiccup's logs. lunge adds one comment line with the plan
 * fingerprint and segment so that `lunge merge` can check the inputs.
 *
 * @module
 */
import {
  bucketIndex,
  bucketMidpointNs,
  HISTOGRAM_BUCKETS,
  MAX_TRACKABLE_NS,
} from "../shared/histogram_layout.ts";
import { decodeHdrBase64, encodeHdrBase64, hdrBucketRange } from "./_hdr_encoding.ts";

/** Highest value (µs) the logged histograms declare: lunge's top bucket. */
export const HLOG_HIGHEST_US: number = Math.ceil(MAX_TRACKABLE_NS / 1000);

/** One interval of an interval log, counts in lunge's ns layout. */
export interface HlogInterval {
  /** Start, seconds after the log's start time. */
  startSec: number;
  /** Length in seconds. */
  lengthSec: number;
  /** Latency bucket counts in lunge's log-linear ns layout. */
  counts: Float64Array;
}

/** What lunge writes into the log besides the intervals. */
export interface HlogMeta {
  /** Epoch ms of the start of the first interval (the measured phase). */
  startEpochMs: number;
  /** Plan fingerprint, or null (a log from another tool). */
  plan: string | null;
  /** `I/N` of a split run, or null. */
  segment: { index: number; count: number } | null;
  /** lunge version that wrote the log, or null. */
  version: string | null;
}

/** A parsed interval log. */
export interface Hlog {
  meta: HlogMeta;
  intervals: HlogInterval[];
}

/**
 * lunge ns bucket counts → HdrHistogram µs counts (index space of 3
 * digits, lowest 1): each ns bucket's midpoint, rounded to a whole µs.
 *
 * @example
 * ```ts
 * import { nsCountsToUsIndex } from "./hlog.ts";
 * const ns = new Float64Array(40000); ns[2048 + 1024 * 9] = 1; // about 1 ms
 * nsCountsToUsIndex(ns).reduce((a, b) => a + b, 0); // 1
 * ```
 */
export function nsCountsToUsIndex(counts: ArrayLike<number>): Float64Array {
  const out = new Float64Array(HISTOGRAM_BUCKETS);
  let last = -1;
  for (let i = 0; i < Math.min(counts.length, HISTOGRAM_BUCKETS); i++) {
    const c = counts[i];
    if (c === 0) continue;
    const j = bucketIndex(Math.round(bucketMidpointNs(i) / 1000));
    out[j] += c;
    if (j > last) last = j;
  }
  return out.subarray(0, last + 1);
}

/** The midpoint (ns) of the highest non-empty ns bucket, or 0. */
function maxNs(counts: ArrayLike<number>): number {
  for (let i = Math.min(counts.length, HISTOGRAM_BUCKETS) - 1; i >= 0; i--) {
    if (counts[i] !== 0) return bucketMidpointNs(i);
  }
  return 0;
}

/**
 * One interval line: start and length (s), max (ms), histogram.
 *
 * @example
 * ```ts
 * import { formatHlogLine } from "./hlog.ts";
 * formatHlogLine(0, 1, new Float64Array(40000)).startsWith("0.000,1.000,0.000,HISTF"); // true
 * ```
 */
export function formatHlogLine(startSec: number, lengthSec: number, counts: ArrayLike<number>): string {
  const encoded = encodeHdrBase64({
    significantDigits: 3,
    lowest: 1,
    highest: HLOG_HIGHEST_US,
    counts: nsCountsToUsIndex(counts),
  });
  return `${startSec.toFixed(3)},${lengthSec.toFixed(3)},${(maxNs(counts) / 1e6).toFixed(3)},${encoded}`;
}

/**
 * The log's header lines (each ending with a newline).
 *
 * @example
 * ```ts
 * import { formatHlogHeader } from "./hlog.ts";
 * formatHlogHeader({ startEpochMs: 0, plan: null, segment: null, version: "0.2.0" }).includes("#[StartTime: 0.000"); // true
 * ```
 */
export function formatHlogHeader(meta: HlogMeta): string {
  const start = (meta.startEpochMs / 1000).toFixed(3);
  const lunge = [
    meta.version === null ? null : `version=${meta.version}`,
    meta.plan === null ? null : `plan=${meta.plan}`,
    meta.segment === null ? null : `segment=${meta.segment.index}/${meta.segment.count}`,
    "unit=us",
  ].filter((x) => x !== null).join(" ");
  return [
    "#[Histogram log format version 1.3]",
    `#[StartTime: ${start} (seconds since epoch), ${new Date(meta.startEpochMs).toISOString()}]`,
    `#[BaseTime: ${start} (seconds since epoch)]`,
    `#[Lunge: ${lunge}]`,
    '"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"',
    "",
  ].join("\n");
}

/**
 * Parses an interval log written by lunge or by any HdrHistogram log
 * writer (values taken as µs). Throws a TypeError naming the line for a
 * malformed one.
 *
 * @example
 * ```ts
 * import { formatHlogHeader, formatHlogLine, parseHlog } from "./hlog.ts";
 * const text = formatHlogHeader({ startEpochMs: 1e12, plan: "ab", segment: null, version: null }) +
 *   formatHlogLine(0, 1, new Float64Array(40000)) + "\n";
 * parseHlog(text).intervals.length; // 1
 * ```
 */
export function parseHlog(text: string): Hlog {
  const meta: HlogMeta = { startEpochMs: Number.NaN, plan: null, segment: null, version: null };
  let baseSec = Number.NaN;
  const intervals: HlogInterval[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((raw, n) => {
    const line = raw.trim();
    if (line === "") return;
    if (line.startsWith("#[StartTime:")) {
      meta.startEpochMs = Number.parseFloat(line.slice("#[StartTime:".length)) * 1000;
      return;
    }
    if (line.startsWith("#[BaseTime:")) {
      baseSec = Number.parseFloat(line.slice("#[BaseTime:".length));
      return;
    }
    if (line.startsWith("#[Lunge:")) {
      for (const field of line.slice("#[Lunge:".length, -1).trim().split(/\s+/)) {
        const [key, value] = field.split("=");
        if (key === "plan") meta.plan = value;
        if (key === "version") meta.version = value;
        const seg = key === "segment" ? /^(\d+)\/(\d+)$/.exec(value ?? "") : null;
        if (seg !== null) meta.segment = { index: Number(seg[1]), count: Number(seg[2]) };
      }
      return;
    }
    if (line.startsWith("#") || line.startsWith('"StartTimestamp"') || line.startsWith("StartTimestamp")) {
      return;
    }
    const fields = line.split(",");
    if (fields.length > 0 && fields[0].startsWith("Tag=")) fields.shift();
    const [start, length, , histogram] = fields;
    const startSec = Number(start);
    const lengthSec = Number(length);
    if (fields.length !== 4 || !Number.isFinite(startSec) || !Number.isFinite(lengthSec)) {
      throw new TypeError(`line ${n + 1} is not an interval line (start,length,max,histogram)`);
    }
    let counts: Float64Array;
    try {
      counts = hdrToNsCounts(histogram);
    } catch (error) {
      throw new TypeError(`line ${n + 1}: ${(error as Error).message}`);
    }
    intervals.push({ startSec, lengthSec, counts });
  });
  if (!Number.isFinite(meta.startEpochMs)) {
    if (!Number.isFinite(baseSec)) throw new TypeError("no #[StartTime: …] header");
    meta.startEpochMs = baseSec * 1000;
  }
  // Timestamps are relative to BaseTime; lunge's intervals are kept relative to StartTime.
  const shift = Number.isFinite(baseSec) ? baseSec - meta.startEpochMs / 1000 : 0;
  for (const interval of intervals) interval.startSec += shift;
  return { meta, intervals };
}

/** A base64 histogram (µs) → lunge ns counts, each bucket at its middle value. */
function hdrToNsCounts(text: string): Float64Array {
  const h = decodeHdrBase64(text);
  const out = new Float64Array(HISTOGRAM_BUCKETS);
  for (let i = 0; i < h.counts.length; i++) {
    const c = h.counts[i];
    if (c === 0) continue;
    const [from, to] = hdrBucketRange(h.significantDigits, h.lowest, i);
    out[bucketIndex(((from + to - 1) / 2) * 1000)] += c;
  }
  return out;
}
