/**
 * Times a response as it arrives: its first body byte and, for a
 * `text/event-stream` body, every Server-Sent Event and every LLM token
 * chunk (OpenAI-compatible `data: {json}` chunks). A connection hands it the
 * body bytes (`BodyTap`); the clock is read at most once per socket read that
 * brought something to time (`stamp`), never per event: events that arrived
 * in the same read share its time, so their gaps are 0, which is what the
 * client saw.
 *
 * LLM chunks are told apart without parsing JSON: a chunk carries content
 * when its data holds `"content":"` followed by anything but `"` (so
 * `"content":""`, `"content":null` and `"reasoning_content"` do not count),
 * `data: [DONE]` ends the stream, and `"completion_tokens":N` (the `usage`
 * block) gives the output tokens when the server sends it. A byte scan of
 * each chunk costs a fraction of a `JSON.parse` and allocates nothing.
 *
 * @module
 */
import { type SseParser, SseParser as Parser, type SseSink } from "./sse_parser.ts";

/** Where a connection sends the response head and body bytes. */
export interface BodyTap {
  /** The final response head ended; `eventStream` when its content type is `text/event-stream`. */
  head(eventStream: boolean): void;
  /** Body bytes `buf[start, end)` (de-chunked, or an HTTP/2 DATA payload without padding). */
  body(buf: Uint8Array, start: number, end: number): void;
  /** Whether something arrived that still needs the read's time (`stamp`). */
  readonly pending: boolean;
  /** Gives what arrived since the last stamp the clock time `at` (ms). */
  stamp(at: number): void;
  /** The clock the connection reads for `stamp`. */
  now(): number;
}

/** Gets the gaps as they happen (a stream is never kept to time it at its end). */
export interface StreamGapSink {
  /** Time between two consecutive events, ns. */
  eventGap(ns: number): void;
  /** Time between two consecutive content chunks (inter-token latency), ns. */
  tokenGap(ns: number): void;
}

/** Gets every event with its data (scenarios that read the events); optional, it costs strings. */
export interface StreamEventListener {
  /** An event was dispatched (its time follows with `stamped`). */
  onEvent(parser: SseParser): void;
  /** The events given since the last call arrived at clock ms `at`. */
  stamped(at: number): void;
}

const NO_GAPS: StreamGapSink = { eventGap: () => {}, tokenGap: () => {} };

const Q = 34; // "
const CONTENT_KEY = bytesOf('"content":');
const COMPLETION_TOKENS_KEY = bytesOf('"completion_tokens":');
const DONE = bytesOf("[DONE]");

function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** Position of `key` in `buf[0, length)` at or after `from`, or -1. */
function find(buf: Uint8Array, length: number, key: Uint8Array, from: number): number {
  const first = key[0];
  const last = length - key.length;
  outer: for (let i = from; i <= last; i++) {
    if (buf[i] !== first) continue;
    for (let k = 1; k < key.length; k++) if (buf[i + k] !== key[k]) continue outer;
    return i;
  }
  return -1;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * One connection's (or HTTP/2 stream handle's) response timer; `reset()` before each request.
 *
 * @example
 * ```ts
 * import { StreamTimer } from "./stream_timer.ts";
 * const timer = new StreamTimer(() => performance.now());
 * timer.reset();
 * timer.head(true);
 * const bytes = new TextEncoder().encode('data: {"choices":[{"delta":{"content":"hi"}}]}\n\ndata: [DONE]\n\n');
 * timer.body(bytes, 0, bytes.length);
 * timer.finish(performance.now());
 * console.log(timer.events, timer.tokenChunks, timer.done); // 2 1 true
 * ```
 */
export class StreamTimer implements BodyTap, SseSink {
  /** The response is `text/event-stream`. */
  eventStream = false;
  /** Clock ms of the first body byte, or -1 (no body). */
  firstByteAt = -1;
  /** Events dispatched and stamped. */
  events = 0;
  /** Clock ms of the first and the last event, or -1. */
  firstEventAt = -1;
  lastEventAt = -1;
  /** Chunks that carried content (stamped). */
  tokenChunks = 0;
  /** Clock ms of the first and the last content chunk, or -1. */
  firstTokenAt = -1;
  lastTokenAt = -1;
  /** `usage.completion_tokens` when the stream sent it, else -1. */
  usageTokens = -1;
  /** `data: [DONE]` was seen. */
  done = false;
  /** The body ended inside an event (it was discarded). */
  cut = false;
  /**
   * The SSE parser of this connection, made on its first event stream: its buffers (about 2 KB) would
   * otherwise sit in every virtual user of a plain run (20-30 MiB at 10,000 connections).
   */
  get parser(): SseParser {
    return this.#parser ??= new Parser(this);
  }
  /** Clock ms the response ended (set before `end()`). */
  endAt = 0.5;

  readonly #now: () => number;
  #parser: SseParser | null = null;
  #gaps: StreamGapSink = NO_GAPS;
  #listener: StreamEventListener | null = null;
  #firstBytePending = false;
  #pendingEvents = 0;
  #pendingTokens = 0;
  #at = 0.5; // a double from the start, so the field never changes representation

  /** `now` is the clock the connection reads for `stamp` (the load worker's clock). */
  constructor(now: () => number) {
    this.#now = now;
  }

  /**
   * Where gaps go from now on (the load worker binds its lane once per connection).
   *
   * @example
   * ```ts
   * import { StreamTimer } from "./stream_timer.ts";
   * new StreamTimer(() => 0).gapsTo({ eventGap: () => {}, tokenGap: () => {} });
   * ```
   */
  gapsTo(sink: StreamGapSink): void {
    this.#gaps = sink;
  }

  /**
   * Who gets the events themselves (scenarios), or null.
   *
   * @example
   * ```ts
   * import { StreamTimer } from "./stream_timer.ts";
   * new StreamTimer(() => 0).listen(null);
   * ```
   */
  listen(listener: StreamEventListener | null): void {
    this.#listener = listener;
  }

  /** The clock of this timer, ms. */
  now(): number {
    return this.#now();
  }

  /**
   * Forgets the last response; call before each request.
   *
   * @example
   * ```ts
   * import { StreamTimer } from "./stream_timer.ts";
   * new StreamTimer(() => 0).reset();
   * ```
   */
  reset(): void {
    this.eventStream = false;
    this.firstByteAt = -1;
    this.events = 0;
    this.firstEventAt = this.lastEventAt = -1;
    this.tokenChunks = 0;
    this.firstTokenAt = this.lastTokenAt = -1;
    this.usageTokens = -1;
    this.done = false;
    this.cut = false;
    this.#firstBytePending = false;
    this.#pendingEvents = 0;
    this.#pendingTokens = 0;
  }

  /** BodyTap: the final head; an event stream starts the parser. */
  head(eventStream: boolean): void {
    this.eventStream = eventStream;
    if (eventStream) this.parser.reset();
  }

  /** BodyTap: body bytes. */
  body(buf: Uint8Array, start: number, end: number): void {
    if (end <= start) return;
    if (this.firstByteAt < 0) this.#firstBytePending = true;
    if (this.eventStream) this.parser.feed(buf, start, end);
  }

  /** BodyTap: something waits for its time. */
  get pending(): boolean {
    return this.#firstBytePending || this.#pendingEvents > 0;
  }

  /** BodyTap: what arrived since the last stamp arrived at `at`. */
  stamp(at: number): void {
    this.#at = at;
    this.#stamp();
  }

  // The time is read from a field, not passed: a double passed to a call that is not inlined is boxed.
  #stamp(): void {
    const at = this.#at;
    if (this.#firstBytePending) {
      this.#firstBytePending = false;
      this.firstByteAt = at;
    }
    const n = this.#pendingEvents;
    if (n === 0) return;
    this.#pendingEvents = 0;
    const gaps = this.#gaps;
    // The first event of a read is timed against the previous read's; the others came with it.
    if (this.firstEventAt < 0) this.firstEventAt = at;
    else gaps.eventGap(Math.round((at - this.lastEventAt) * 1e6));
    for (let i = 1; i < n; i++) gaps.eventGap(0);
    this.events += n;
    this.lastEventAt = at;
    const t = this.#pendingTokens;
    if (t > 0) {
      this.#pendingTokens = 0;
      if (this.firstTokenAt < 0) this.firstTokenAt = at;
      else gaps.tokenGap(Math.round((at - this.lastTokenAt) * 1e6));
      for (let i = 1; i < t; i++) gaps.tokenGap(0);
      this.tokenChunks += t;
      this.lastTokenAt = at;
    }
    if (this.#listener !== null) this.#listener.stamped(at);
  }

  /**
   * The response ended at `end` (the clock read of its completion): stamps what waits.
   *
   * @example
   * ```ts
   * import { StreamTimer } from "./stream_timer.ts";
   * const timer = new StreamTimer(() => 0);
   * timer.reset();
   * timer.finish(5);
   * ```
   */
  finish(end: number): void {
    this.endAt = end;
    this.end();
  }

  /**
   * The response ended at `endAt` (set it first): stamps what waits. The load worker's form of
   * `finish`, which passes no number (no boxing per response).
   *
   * @example
   * ```ts
   * import { StreamTimer } from "./stream_timer.ts";
   * const timer = new StreamTimer(() => 0);
   * timer.reset();
   * timer.endAt = 5;
   * timer.end();
   * ```
   */
  end(): void {
    this.#at = this.endAt;
    this.#stamp();
    this.cut = this.eventStream && this.#parser !== null && this.#parser.midEvent;
  }

  /** SseSink: one event; checked for LLM content, [DONE] and usage. */
  onSseEvent(parser: SseParser): void {
    this.#pendingEvents++;
    const buf = parser.dataBytes;
    const length = parser.dataLength;
    if (length === DONE.length && find(buf, length, DONE, 0) === 0) this.done = true;
    else if (length > 0 && buf[0] === 123 /* { */) {
      const at = find(buf, length, CONTENT_KEY, 0);
      if (at >= 0) {
        let i = at + CONTENT_KEY.length;
        while (i < length && isSpace(buf[i])) i++;
        if (i + 1 < length && buf[i] === Q && buf[i + 1] !== Q) this.#pendingTokens++;
      }
      const u = find(buf, length, COMPLETION_TOKENS_KEY, 0);
      if (u >= 0) {
        let i = u + COMPLETION_TOKENS_KEY.length;
        while (i < length && isSpace(buf[i])) i++;
        let n = 0, digits = 0;
        for (; i < length && buf[i] >= 48 && buf[i] <= 57; i++, digits++) n = n * 10 + buf[i] - 48;
        if (digits > 0) this.usageTokens = n;
      }
    }
    if (this.#listener !== null) this.#listener.onEvent(parser);
  }
}
