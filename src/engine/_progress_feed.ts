/**
 * The figures of the live progress line, once per second on the main
 * thread: the collector's snapshot (requests, errors, the last second's
 * p99), and for a gRPC run the status counts of its lanes, for a WebSocket
 * run the messages the pacer sent. Nothing is added on a worker's hot path:
 * these are reads of counters the workers keep anyway.
 *
 * @module
 */
import type { GrpcLanes } from "../collector/grpc_lanes.ts";
import type { MetricsCollector } from "../collector/types.ts";
import { GRPC_STATUS_NAMES } from "../grpc/status.ts";
import { levelAt, type Segment, segmentAt } from "../pacer/schedule.ts";
import { system } from "../runtime/mod.ts";
import type { RunProgress } from "./options.ts";

/** What the feed reads. */
export interface ProgressFeedOptions {
  /** Receives each second's figures. */
  onProgress: (progress: RunProgress) => void;
  /** The run's collector. */
  collector: MetricsCollector;
  /** The run's schedule (phase, target rate). */
  segments: readonly Segment[];
  /** Open model: the target rate is shown. */
  open: boolean;
  /** Parts of a split plan (`--segment I/N`): this run's share of the rate. */
  segmentCount: number;
  /** `performance.now()` when the run (warm-up included) started. */
  startPerf: number;
  /** The planned total, ms, or null for a request-count run. */
  totalMs: number | null;
  /** A gRPC run's lanes (calls by status), or null. */
  grpc: GrpcLanes | null;
  /** A WebSocket run: units are messages sent and answered. */
  websocket: boolean;
}

/**
 * The non-OK gRPC statuses of `statuses` (counts by code, 17: above 16) by name.
 *
 * @example
 * ```ts
 * import { notOkStatuses } from "./_progress_feed.ts";
 * notOkStatuses([5, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0]); // { DEADLINE_EXCEEDED: 2, UNAVAILABLE: 3 }
 * ```
 */
export function notOkStatuses(statuses: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (let code = 1; code < statuses.length; code++) {
    const n = statuses[code];
    if (n === 0) continue;
    const name = GRPC_STATUS_NAMES[code] ?? "UNKNOWN";
    out[name] = (out[name] ?? 0) + n;
  }
  return out;
}

/**
 * Starts the once-per-second feed; returns the timer (cleared by the caller at the end).
 *
 * @example
 * ```ts
 * import { startProgressFeed } from "./_progress_feed.ts";
 * declare const collector: import("../collector/types.ts").MetricsCollector;
 * const timer = startProgressFeed({
 *   onProgress: (p) => console.log(p.requests), collector, segments: [], open: false, segmentCount: 1,
 *   startPerf: performance.now(), totalMs: null, grpc: null, websocket: false,
 * });
 * clearInterval(timer);
 * ```
 */
export function startProgressFeed(o: ProgressFeedOptions): ReturnType<typeof setInterval> {
  let lastRequests = 0;
  let lastAt = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const elapsedMs = Math.max(0, now - o.startPerf);
    const snapshot = o.collector.getSnapshot();
    // p99 of the last complete second: the current one has only just begun.
    const completed = Math.floor(snapshot.elapsedMs / 1000);
    const points = o.collector.getTimeSeries().points.filter((p) => p.second < completed);
    const last = points.length > 0 ? points[points.length - 1] : null;
    const segment = segmentAt(o.segments, elapsedMs);
    const rps = ((snapshot.totalRequests - lastRequests) * 1000) / Math.max(1, now - lastAt);
    lastRequests = snapshot.totalRequests;
    lastAt = now;
    const progress: RunProgress = {
      phase: segment?.phase ?? "done",
      elapsedMs,
      totalMs: o.totalMs,
      requests: snapshot.totalRequests,
      rps,
      p99Ms: last?.p99 ?? 0,
      errors: snapshot.failedRequests,
      targetRate: o.open ? levelAt(o.segments, elapsedMs) / o.segmentCount : null,
    };
    if (o.grpc !== null) {
      progress.unit = "calls";
      progress.grpcNotOk = notOkStatuses(o.grpc.totals(-1).statuses);
    } else if (o.websocket) {
      progress.unit = "messages";
      progress.messagesSent = snapshot.sent ?? snapshot.totalRequests;
    }
    o.onProgress(progress);
  }, 1000);
  system.unrefTimer(timer);
  return timer;
}
