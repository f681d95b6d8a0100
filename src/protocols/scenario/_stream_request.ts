/**
 * `ctx.http.stream(...)`: one streamed request of a scenario. The response is
 * timed as it arrives (first byte, SSE events, LLM tokens) by the same
 * `StreamTimer` the plain runs use, and recorded under the request's name.
 * Its events become strings only when the scenario iterates them: the
 * listener that builds them is attached when `[Symbol.asyncIterator]()` is
 * called (a `for await` right after `stream()`, before any other await, sees
 * every event); awaiting `result` alone costs no string per event.
 *
 * @module
 */
import type { SseParser } from "../../http/sse_parser.ts";
import type { StreamEventListener, StreamTimer } from "../../http/stream_timer.ts";
import type { ScenarioStream, StreamEvent, StreamResult } from "./types.ts";

/**
 * The handle `ctx.http.stream()` returns; the client feeds it.
 *
 * @example
 * ```ts
 * // const s = ctx.http.stream("/sse?events=3");
 * // for await (const e of s) console.log(e.at, e.data);
 * // const r = await s.result;
 * ```
 */
export class StreamHandle implements ScenarioStream, StreamEventListener {
  /** Settles when the response ended (or failed). */
  readonly result: Promise<StreamResult>;
  #resolve!: (r: StreamResult) => void;
  #listening = false;
  #unstamped: StreamEvent[] = [];
  #ready: StreamEvent[] = [];
  #wake: (() => void) | null = null;
  #ended = false;
  readonly #sentAt: number;

  /** `sentAt`: clock ms of the send; event times count from it. */
  constructor(sentAt: number) {
    this.#sentAt = sentAt;
    this.result = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** StreamEventListener: an event, its time follows. */
  onEvent(parser: SseParser): void {
    if (!this.#listening) return;
    this.#unstamped.push({ data: parser.data(), event: parser.eventType(), id: parser.lastEventId(), at: 0 });
  }

  /** StreamEventListener: the events since the last stamp arrived at `at`. */
  stamped(at: number): void {
    if (this.#unstamped.length === 0) return;
    for (const e of this.#unstamped) {
      e.at = at - this.#sentAt;
      this.#ready.push(e);
    }
    this.#unstamped = [];
    this.#notify();
  }

  /** The response ended: its figures from the timer (already finished), or a failure. */
  end(status: number, error: string | null, timer: StreamTimer, durationMs: number): void {
    const since = (t: number): number | null => (t < 0 ? null : t - this.#sentAt);
    const tokens = timer.usageTokens >= 0 ? timer.usageTokens : timer.tokenChunks;
    this.#resolve({
      status,
      error,
      eventStream: timer.eventStream,
      events: timer.events,
      outputTokens: timer.tokenChunks > 0 || timer.usageTokens >= 0 ? tokens : 0,
      done: timer.done,
      cut: timer.cut,
      timings: {
        duration: durationMs,
        firstByte: since(timer.firstByteAt),
        firstEvent: since(timer.firstEventAt),
        firstToken: since(timer.firstTokenAt),
      },
    });
    this.#ended = true;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  /** The events with their times (ms after the send), as they arrive. */
  async *[Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    this.#listening = true;
    while (true) {
      if (this.#ready.length > 0) {
        const batch = this.#ready;
        this.#ready = [];
        yield* batch;
        continue;
      }
      if (this.#ended) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }
}
