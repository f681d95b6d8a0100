/**
 * The allocation probe of the stream path: events fed through the HTTP/1.1
 * parser's body tap into the stream timer (SSE parser, LLM chunk scan, a gap
 * recorded into a stream lane), and the heap bytes that costs per event.
 *
 * @module
 */
import { allocatedBytesPerOp, heapBytesPerOp } from "./heap.ts";
import { ResponseParser } from "../../src/http/_response_parser.ts";
import { StreamTimer } from "../../src/http/stream_timer.ts";
import { StreamLanes, StreamLaneWriter, StreamMetric } from "../../src/collector/stream_lanes.ts";
import { recordStream } from "../../src/worker/stream_recorder.ts";

/** One OpenAI-style chunk, as the bench's server sends them. */
export const CHUNK =
  'data: {"id":"c","choices":[{"index":0,"delta":{"content":"tok "},"finish_reason":null}]}\n\n';

/**
 * Bytes per event through the stream path: allocated (garbage included; NaN where the heap moves only at
 * GC, as on Bun) and retained.
 *
 * @example
 * ```ts
 * import { probeEventPath } from "./stream_probe.ts";
 * console.log(probeEventPath().allocated); // 0 on Deno
 * ```
 */
export function probeEventPath(): { allocated: number; retained: number } {
  const lanes = StreamLanes.create({ lanes: 1, nameCapacity: 0 });
  const lane = StreamLaneWriter.attach(lanes.handle());
  let clock = 0;
  const timer = new StreamTimer(() => clock);
  timer.gapsTo({
    eventGap: (ns) => lane.record(-1, StreamMetric.EventGap, ns),
    tokenGap: (ns) => lane.record(-1, StreamMetric.Itl, ns),
  });
  const parser = new ResponseParser();
  parser.tap = timer;
  const head = new TextEncoder().encode(
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n",
  );
  const chunk = new TextEncoder().encode(`${CHUNK.length.toString(16)}\r\n${CHUNK}\r\n`);
  timer.reset();
  parser.feed(head, 0, head.length);
  const oneEvent = (): void => {
    parser.feed(chunk, 0, chunk.length); // one chunk = one event, as a server writes them
    clock++; // an integer clock: the probe itself must not box a number per event
    if (timer.pending) timer.stamp(clock);
  };
  const allocated = allocatedBytesPerOp(oneEvent);
  const retained = heapBytesPerOp(100_000, oneEvent);
  return { allocated, retained };
}

/**
 * Bytes per plain response of the time-to-first-byte path: the timer reset at the send, the parser's body
 * tap, and `recordStream` into a stream lane at the end (allocated, NaN where not measurable; retained).
 *
 * @example
 * ```ts
 * import { probeResponsePath } from "./stream_probe.ts";
 * console.log(probeResponsePath().allocated); // 0 on Deno
 * ```
 */
export function probeResponsePath(): { allocated: number; retained: number } {
  const lanes = StreamLanes.create({ lanes: 1, nameCapacity: 0 });
  const lane = StreamLaneWriter.attach(lanes.handle());
  const timer = new StreamTimer(() => 0);
  const parser = new ResponseParser();
  parser.tap = timer;
  const response = new TextEncoder().encode("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n");
  const times = new Float64Array(2);
  const sent = { sentAt: 0.5 };
  const oneResponse = (i: number): void => {
    timer.reset();
    times[0] = i * 0.25; // the send, and the end 0.125 ms later: doubles, as the clock gives them
    times[1] = times[0] + 0.125;
    sent.sentAt = times[0];
    parser.feed(response, 0, response.length);
    timer.endAt = times[1];
    recordStream(lane, -1, timer, sent);
  };
  return { allocated: allocatedBytesPerOp(oneResponse), retained: heapBytesPerOp(100_000, oneResponse) };
}
