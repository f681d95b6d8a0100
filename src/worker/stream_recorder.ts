/**
 * What a load worker does with a response's `StreamTimer`: binds it to a
 * connection and to the worker's stream lane once per virtual user, and at
 * the end of each measured response records its time to first byte and, for
 * an event stream, its first event, event count and duration, plus the LLM
 * figures (time to first token, tokens per second, output tokens). The gaps
 * between events and tokens are recorded by the timer as they happen.
 * Times count from the moment the request was sent (in the open model the
 * corrected latency, from the intended send time, stands beside them): they
 * describe the server's stream, not the client's queue.
 *
 * @module
 */
import { StreamCounter, type StreamLaneWriter, StreamMetric } from "../collector/stream_lanes.ts";
import type { HttpConnection } from "../http/types.ts";
import { type StreamGapSink, StreamTimer } from "../http/stream_timer.ts";
import type { PacedSlot } from "../pacer/protocol.ts";

/**
 * Gaps of one virtual user's streams, recorded only while its unit is measured.
 *
 * @example
 * ```ts
 * // Made by timeConnection(); the worker sets `gaps.name` per request.
 * ```
 */
export class SlotGaps implements StreamGapSink {
  /** Named-lane slot of the request in flight, or -1. */
  name = -1;
  constructor(private readonly slot: { measured: boolean }, private readonly lane: StreamLaneWriter) {}
  /** A gap between two events, ns. */
  eventGap(ns: number): void {
    if (this.slot.measured) this.lane.record(this.name, StreamMetric.EventGap, ns);
  }
  /** A gap between two content chunks, ns. */
  tokenGap(ns: number): void {
    if (this.slot.measured) this.lane.record(this.name, StreamMetric.Itl, ns);
  }
}

/** A virtual user's timer with its gap sink. */
export interface UserStreamTimer {
  /** The timer the connection feeds. */
  timer: StreamTimer;
  /** Where its gaps go (set `name` per request). */
  gaps: SlotGaps;
}

/**
 * Makes a timer for a virtual user on `conn` (null when the connection cannot be timed: `fetch`).
 *
 * @example
 * ```ts
 * // In a load worker's openSlot:
 * // user.stream = timeConnection(conn, slot, lane, () => clock.now());
 * ```
 */
export function timeConnection(
  conn: HttpConnection,
  slot: PacedSlot | { measured: boolean },
  lane: StreamLaneWriter,
  now: () => number,
): UserStreamTimer | null {
  if (conn.observe === undefined) return null;
  const timer = new StreamTimer(now);
  const gaps = new SlotGaps(slot, lane);
  timer.gapsTo(gaps);
  conn.observe(timer);
  return { timer, gaps };
}

/**
 * Records a measured response's stream figures: `from.sentAt` is when the request was sent and
 * `timer.endAt` when the response ended (clock ms; set it first).
 *
 * @example
 * ```ts
 * import { StreamLanes, StreamLaneWriter } from "../collector/stream_lanes.ts";
 * import { StreamTimer } from "../http/stream_timer.ts";
 * import { recordStream } from "./stream_recorder.ts";
 * const lanes = StreamLanes.create({ lanes: 1, nameCapacity: 0 });
 * const timer = new StreamTimer(() => 0);
 * timer.reset();
 * timer.endAt = 5;
 * recordStream(StreamLaneWriter.attach(lanes.handle()), -1, timer, { sentAt: 0 });
 * ```
 */
export function recordStream(
  lane: StreamLaneWriter,
  name: number,
  timer: StreamTimer,
  from: { readonly sentAt: number },
): void {
  // Times come from fields and leave as integer ns: no number is boxed per response.
  timer.end();
  const start = from.sentAt;
  const end = timer.endAt;
  if (timer.firstByteAt >= 0) {
    lane.record(name, StreamMetric.Ttfb, Math.round((timer.firstByteAt - start) * 1e6));
  }
  if (!timer.eventStream) return;
  lane.count(name, StreamCounter.SseStreams, 1);
  lane.count(name, StreamCounter.Events, timer.events);
  if (timer.cut) lane.count(name, StreamCounter.CutStreams, 1);
  lane.record(name, StreamMetric.Events, timer.events * 1000);
  lane.record(name, StreamMetric.StreamDuration, Math.round((end - start) * 1e6));
  if (timer.firstEventAt >= 0) {
    lane.record(name, StreamMetric.FirstEvent, Math.round((timer.firstEventAt - start) * 1e6));
  }
  if (timer.tokenChunks === 0 && !timer.done && timer.usageTokens < 0) return;
  // An LLM stream: content chunks, a [DONE] or a usage block.
  const tokens = timer.usageTokens >= 0 ? timer.usageTokens : timer.tokenChunks;
  lane.count(name, StreamCounter.LlmStreams, 1);
  lane.count(name, StreamCounter.OutputTokens, tokens);
  if (timer.done) lane.count(name, StreamCounter.DoneStreams, 1);
  if (timer.usageTokens >= 0) lane.count(name, StreamCounter.UsageStreams, 1);
  lane.record(name, StreamMetric.OutputTokens, tokens * 1000);
  if (timer.firstTokenAt >= 0) {
    lane.record(name, StreamMetric.Ttft, Math.round((timer.firstTokenAt - start) * 1e6));
  }
  if (end > start) {
    lane.record(name, StreamMetric.TokensPerS, Math.round((tokens / ((end - start) / 1000)) * 1000));
  }
}
