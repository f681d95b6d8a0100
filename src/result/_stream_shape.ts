/**
 * Internal: the JSON shape of a result's `streams` part (stream timings:
 * time to first byte, SSE events, LLM tokens); see docs/result-schema.md.
 *
 * @module
 */
import type { StreamMetricStats, StreamStats, StreamSummary } from "../collector/stream_stats.ts";
import { int, num, object, type Shape, str } from "./_shape.ts";

const metricStats = object<StreamMetricStats>({
  count: int,
  p50: num,
  p90: num,
  p95: num,
  p99: num,
  max: num,
  mean: num,
  histogram: object<StreamMetricStats["histogram"]>({
    encoding: str,
    buckets: { kind: "array", item: { kind: "pair", item: int } },
  }),
});

const countFields = {
  sseStreams: int,
  events: int,
  cutStreams: int,
  llmStreams: int,
  outputTokens: int,
  doneStreams: int,
  usageStreams: int,
  metrics: { kind: "record", value: metricStats } as Shape,
};

/** `streams`: absent, null, or the run's stream timings with its names. */
export const STREAMS_SHAPE: Shape = {
  kind: "optional",
  inner: {
    kind: "nullable",
    inner: object<StreamSummary>({
      ...countFields,
      names: { kind: "array", item: object<StreamStats & { name: string }>({ name: str, ...countFields }) },
    }),
  },
};
