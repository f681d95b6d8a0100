/**
 * The figures of streamed responses, as the result carries them: time to
 * first body byte for every response, and for `text/event-stream` bodies the
 * first event, the gaps between events, events per stream and the stream's
 * duration; for LLM streams (OpenAI-compatible chunks) the time to first
 * token, inter-token latency, tokens per second and output tokens per stream.
 * Each metric is a compact log-linear histogram (within 0.8%) kept sparse in
 * the result, so results merge by adding buckets and the percentiles are
 * computed again from the sum. Pure data and functions; the lanes that
 * record them are in `stream_lanes.ts`.
 *
 * @module
 */
import {
  COMPACT_BUCKETS,
  COMPACT_ENCODING,
  compactMean,
  compactPercentiles,
} from "../shared/compact_histogram.ts";

/** The stream metrics, in their lane order. */
export const STREAM_METRICS: readonly StreamMetricName[] = [
  "ttfb",
  "first_event",
  "event_gap",
  "events",
  "stream_duration",
  "ttft",
  "itl",
  "tokens_per_s",
  "output_tokens",
];

/** A stream metric's name (spelled out: the public type must not refer to a constant the API does not export). */
export type StreamMetricName =
  | "ttfb"
  | "first_event"
  | "event_gap"
  | "events"
  | "stream_duration"
  | "ttft"
  | "itl"
  | "tokens_per_s"
  | "output_tokens";

/**
 * How a metric's value is stored in the compact (nanosecond) layout: times are
 * ns (shown in ms), counts and rates are stored times 1000 (1 event is 1 µs),
 * so they are exact up to 12 and within 0.8% above, up to about 214,000.
 */
export const STREAM_METRIC_UNITS: Readonly<Record<StreamMetricName, "ms" | "count" | "per_s">> = {
  ttfb: "ms",
  first_event: "ms",
  event_gap: "ms",
  events: "count",
  stream_duration: "ms",
  ttft: "ms",
  itl: "ms",
  tokens_per_s: "per_s",
  output_tokens: "count",
};

/** Stored units per shown unit: ns per ms for times, 1000 per count or per-second. */
export function streamMetricScale(metric: StreamMetricName): number {
  return STREAM_METRIC_UNITS[metric] === "ms" ? 1e6 : 1e3;
}

/** One metric's distribution (values in the metric's unit: ms, count, or per second). */
export interface StreamMetricStats {
  /** Values recorded (responses, streams, or gaps). */
  count: number;
  /** Median. */
  p50: number;
  /** 90th percentile. */
  p90: number;
  /** 95th percentile. */
  p95: number;
  /** 99th percentile. */
  p99: number;
  /** Exact largest value. */
  max: number;
  /** Mean from the histogram's bucket midpoints. */
  mean: number;
  /** The compact histogram, sparse: `[bucket, count]` pairs, mergeable. */
  histogram: { encoding: string; buckets: Array<[number, number]> };
}

/** Exact stream counts. */
export interface StreamCounts {
  /** `text/event-stream` responses. */
  sseStreams: number;
  /** Events read in them. */
  events: number;
  /** Streams that ended inside an event (the partial event is not counted). */
  cutStreams: number;
  /** Streams with at least one LLM content chunk or a `[DONE]`. */
  llmStreams: number;
  /** Output tokens over every LLM stream (usage blocks where sent, else content chunks). */
  outputTokens: number;
  /** LLM streams that ended with `data: [DONE]`. */
  doneStreams: number;
  /** LLM streams that sent `usage.completion_tokens`. */
  usageStreams: number;
}

/** The streams of a run, or of one name. */
export interface StreamStats extends StreamCounts {
  /** Per metric (only those with values). */
  metrics: Partial<Record<StreamMetricName, StreamMetricStats>>;
}

/** The result's `streams` part: the whole run and each name that streamed. */
export interface StreamSummary extends StreamStats {
  /** Per name (request-set targets, scenario steps) in first-seen order. */
  names: Array<StreamStats & { name: string }>;
}

/** The counts' keys, in their lane order. */
export const STREAM_COUNT_KEYS: readonly (keyof StreamCounts)[] = [
  "sseStreams",
  "events",
  "cutStreams",
  "llmStreams",
  "outputTokens",
  "doneStreams",
  "usageStreams",
];

/**
 * One metric's stats from dense compact bucket counts and the exact max (stored units).
 *
 * @example
 * ```ts
 * import { COMPACT_BUCKETS } from "../shared/compact_histogram.ts";
 * import { metricStatsOf } from "./stream_stats.ts";
 * const counts = new Float64Array(COMPACT_BUCKETS);
 * counts[10] = 1;
 * metricStatsOf("events", counts, 1000).p50; // 1.05
 * ```
 */
export function metricStatsOf(
  metric: StreamMetricName,
  counts: ArrayLike<number>,
  maxStored: number,
): StreamMetricStats {
  const scale = streamMetricScale(metric);
  let count = 0;
  const buckets: Array<[number, number]> = [];
  for (let i = 0; i < COMPACT_BUCKETS; i++) {
    if (counts[i] !== 0) {
      count += counts[i];
      buckets.push([i, counts[i]]);
    }
  }
  const max = maxStored / scale;
  const [p50, p90, p95, p99] = compactPercentiles(counts, [50, 90, 95, 99]).map((v) =>
    Math.min(v / scale, max)
  );
  return {
    count,
    p50,
    p90,
    p95,
    p99,
    max,
    mean: compactMean(counts) / scale,
    histogram: { encoding: COMPACT_ENCODING, buckets },
  };
}

/**
 * Several segments' stats of one metric merged: buckets added, max the largest.
 *
 * @example
 * ```ts
 * import { mergeMetricStats } from "./stream_stats.ts";
 * mergeMetricStats("ttfb", []); // null
 * ```
 */
export function mergeMetricStats(
  metric: StreamMetricName,
  parts: readonly StreamMetricStats[],
): StreamMetricStats | null {
  if (parts.length === 0) return null;
  const counts = new Float64Array(COMPACT_BUCKETS);
  let max = 0;
  for (const p of parts) {
    if (p.histogram.encoding !== COMPACT_ENCODING) {
      throw new TypeError(`Cannot merge stream histograms of encoding "${p.histogram.encoding}"`);
    }
    for (const [i, n] of p.histogram.buckets) counts[i] += n;
    if (p.max > max) max = p.max;
  }
  return metricStatsOf(metric, counts, max * streamMetricScale(metric));
}

/**
 * Stream stats of several results (segments) merged.
 *
 * @example
 * ```ts
 * import { mergeStreamStats } from "./stream_stats.ts";
 * mergeStreamStats([]).events; // 0
 * ```
 */
export function mergeStreamStats(parts: readonly StreamStats[]): StreamStats {
  const out = emptyStreamStats();
  for (const p of parts) for (const k of STREAM_COUNT_KEYS) out[k] += p[k];
  for (const m of STREAM_METRICS) {
    const merged = mergeMetricStats(m, parts.map((p) => p.metrics[m]).filter((s) => s !== undefined));
    if (merged !== null) out.metrics[m] = merged;
  }
  return withExactMeans(out);
}

/**
 * Sets the means of the per-stream counts from the exact totals (events per
 * stream, output tokens per LLM stream) instead of bucket midpoints.
 *
 * @example
 * ```ts
 * import { emptyStreamStats, withExactMeans } from "./stream_stats.ts";
 * withExactMeans(emptyStreamStats()).events; // 0
 * ```
 */
export function withExactMeans(stats: StreamStats): StreamStats {
  const events = stats.metrics.events;
  if (events !== undefined && events.count === stats.sseStreams && events.count > 0) {
    events.mean = stats.events / events.count;
  }
  const tokens = stats.metrics.output_tokens;
  if (tokens !== undefined && tokens.count === stats.llmStreams && tokens.count > 0) {
    tokens.mean = stats.outputTokens / tokens.count;
  }
  return stats;
}

/**
 * Stream summaries merged (names by name, in first-seen order); null when none has one.
 *
 * @example
 * ```ts
 * import { mergeStreamSummaries } from "./stream_stats.ts";
 * mergeStreamSummaries([null, undefined]); // null
 * ```
 */
export function mergeStreamSummaries(
  parts: ReadonlyArray<StreamSummary | null | undefined>,
): StreamSummary | null {
  const present = parts.filter((p): p is StreamSummary => p !== null && p !== undefined);
  if (present.length === 0) return null;
  const order: string[] = [];
  const byName = new Map<string, StreamStats[]>();
  for (const p of present) {
    for (const n of p.names) {
      if (!byName.has(n.name)) {
        byName.set(n.name, []);
        order.push(n.name);
      }
      byName.get(n.name)!.push(n);
    }
  }
  return {
    ...mergeStreamStats(present),
    names: order.map((name) => ({ name, ...mergeStreamStats(byName.get(name)!) })),
  };
}

/**
 * Empty stats (no streams).
 *
 * @example
 * ```ts
 * import { emptyStreamStats } from "./stream_stats.ts";
 * emptyStreamStats().sseStreams; // 0
 * ```
 */
export function emptyStreamStats(): StreamStats {
  return {
    sseStreams: 0,
    events: 0,
    cutStreams: 0,
    llmStreams: 0,
    outputTokens: 0,
    doneStreams: 0,
    usageStreams: 0,
    metrics: {},
  };
}

/**
 * A stream metric's value for a threshold or a comparison, e.g. `ttft_p99`,
 * `first_event_p95`, `events_max`, `itl_mean`; NaN when nothing was recorded.
 * Returns undefined when `key` is not a stream metric.
 *
 * @example
 * ```ts
 * import { streamMetricValue } from "./stream_stats.ts";
 * streamMetricValue("ttft_p99", null); // NaN
 * streamMetricValue("p99", null); // undefined
 * ```
 */
export function streamMetricValue(key: string, stats: StreamStats | null | undefined): number | undefined {
  const parsed = parseStreamMetricKey(key);
  if (parsed === null) return undefined;
  const s = stats?.metrics[parsed.metric];
  if (s === undefined || s.count === 0) return Number.NaN;
  return s[parsed.stat];
}

/** Statistics a stream threshold may name. */
export const STREAM_STATS = ["p50", "p90", "p95", "p99", "max", "mean", "count"] as const;

/**
 * `ttft_p99` → `{ metric: "ttft", stat: "p99" }`; null when it is not a stream metric key.
 *
 * @example
 * ```ts
 * import { parseStreamMetricKey } from "./stream_stats.ts";
 * parseStreamMetricKey("first_event_p95"); // { metric: "first_event", stat: "p95" }
 * ```
 */
export function parseStreamMetricKey(
  key: string,
): { metric: StreamMetricName; stat: typeof STREAM_STATS[number] } | null {
  const cut = key.lastIndexOf("_");
  if (cut < 0) return null;
  const metric = key.slice(0, cut) as StreamMetricName;
  const stat = key.slice(cut + 1) as typeof STREAM_STATS[number];
  if (!(STREAM_METRICS as readonly string[]).includes(metric)) return null;
  if (!(STREAM_STATS as readonly string[]).includes(stat)) return null;
  return { metric, stat };
}
