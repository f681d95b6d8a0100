/**
 * An incremental parser of `text/event-stream` bodies (Server-Sent Events, as
 * the WHATWG HTML standard's "event stream interpretation" reads them). It
 * takes body bytes as they arrive, split anywhere (inside a field name, a
 * value, or between the CR and LF of a line end), and dispatches each event
 * to a sink. It never holds more than the event being read: one reused data
 * buffer (grown by doubling up to `maxDataBytes`), a small event-type and id
 * buffer. Nothing is allocated per event; strings are made only when the
 * sink asks for them (`data()`, `eventType()`, `lastEventId()`).
 *
 * The rules followed: one leading UTF-8 BOM is skipped; lines end with CRLF,
 * LF or CR; an empty line dispatches the event (nothing when no `data` field
 * was seen, which also clears the event type); a line starting with `:` is a
 * comment; `name:value` with one leading space of the value removed, or a
 * bare `name` with an empty value; `data` appends the value and a LF (the last
 * LF is removed at dispatch); `event` sets the type; `id` sets the last event
 * id unless the value holds NUL (it persists across events); `retry` sets the
 * reconnection time when the value is ASCII digits only; other fields are
 * ignored; an event still open when the body ends is discarded.
 *
 * @module
 */

const S_LINE = 0; // at the start of a line
const S_NAME = 1; // in a field name
const S_VALUE_START = 2; // right after the colon (one space is skipped)
const S_VALUE = 3; // in a field value
const S_COMMENT = 4; // in a comment line

const F_IGNORE = 0;
const F_DATA = 1;
const F_EVENT = 2;
const F_ID = 3;
const F_RETRY = 4;

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;
const BOM = [0xef, 0xbb, 0xbf];
/** Bytes kept of an `event` type or an `id` (longer ones are cut; they are never timed). */
const SMALL_FIELD_BYTES = 256;

/** Receives every dispatched event; read the parser's fields inside the call. */
export interface SseSink {
  /** One event was dispatched; `parser.dataLength` bytes of `parser.dataBytes` are its data. */
  onSseEvent(parser: SseParser): void;
}

const decoder = new TextDecoder();

/**
 * The parser; one per connection (or HTTP/2 stream handle), `reset()` per response.
 *
 * @example
 * ```ts
 * import { SseParser } from "./sse_parser.ts";
 * const seen: string[] = [];
 * const parser = new SseParser({ onSseEvent: (p) => seen.push(p.data()) });
 * const bytes = new TextEncoder().encode("data: a\ndata: b\n\n: note\r\ndata: c\r\r");
 * parser.feed(bytes, 0, 5); // split anywhere
 * parser.feed(bytes, 5, bytes.length);
 * console.log(seen, parser.events); // ["a\nb", "c"] 2
 * ```
 */
export class SseParser {
  /** Events dispatched since `reset()`. */
  events = 0;
  /** The current event's data; valid for `dataLength` bytes inside `onSseEvent`. */
  dataBytes: Uint8Array;
  /** Bytes of the current event's data (after the final LF is removed, at dispatch). */
  dataLength = 0;
  /** Data bytes dropped because an event's data passed `maxDataBytes` (the event still counts). */
  droppedBytes = 0;
  /** The last `retry` value in ms, or -1 when none was given. */
  retryMs = -1;

  readonly #sink: SseSink;
  readonly #maxData: number;
  #state = S_LINE;
  #afterCr = false;
  #bom = 0; // BOM bytes matched so far; -1 once the start of the stream is past
  #nameLength = 0;
  #name0 = 0;
  #name1 = 0;
  #name2 = 0;
  #name3 = 0;
  #name4 = 0;
  #field = F_IGNORE;
  #eventBytes = new Uint8Array(SMALL_FIELD_BYTES);
  #eventLength = 0;
  #idBytes = new Uint8Array(SMALL_FIELD_BYTES);
  #idLength = 0;
  #idScratch = new Uint8Array(SMALL_FIELD_BYTES);
  #idScratchLength = 0;
  #idHasNul = false;
  #retry = 0;
  #retryDigits = true;
  #retryLength = 0;
  /** A data line's LF fell past `maxDataBytes`: the event has data although none may be kept. */
  #overLf = false;

  /** `maxDataBytes`: the most data kept of one event (default 1 MiB); more is counted in `droppedBytes`. */
  constructor(sink: SseSink, maxDataBytes = 1 << 20) {
    this.#sink = sink;
    this.#maxData = maxDataBytes;
    this.dataBytes = new Uint8Array(Math.min(1024, maxDataBytes));
  }

  /**
   * Starts a new stream (a new response); the last event id is forgotten too.
   *
   * @example
   * ```ts
   * import { SseParser } from "./sse_parser.ts";
   * const parser = new SseParser({ onSseEvent: () => {} });
   * parser.reset();
   * ```
   */
  reset(): void {
    this.events = 0;
    this.dataLength = 0;
    this.droppedBytes = 0;
    this.retryMs = -1;
    this.#state = S_LINE;
    this.#afterCr = false;
    this.#bom = 0;
    this.#eventLength = 0;
    this.#idLength = 0;
    this.#overLf = false;
  }

  /**
   * Whether an event has begun (a field was read) but not been dispatched: a
   * body ending now cuts it, and it is discarded.
   *
   * @example
   * ```ts
   * import { SseParser } from "./sse_parser.ts";
   * const parser = new SseParser({ onSseEvent: () => {} });
   * const bytes = new TextEncoder().encode("data: half");
   * parser.feed(bytes, 0, bytes.length);
   * console.log(parser.midEvent); // true
   * ```
   */
  get midEvent(): boolean {
    return this.dataLength > 0 || this.#eventLength > 0 || this.#state !== S_LINE;
  }

  /**
   * Reads `buf[start, end)`, dispatching every event it completes.
   *
   * @example
   * ```ts
   * import { SseParser } from "./sse_parser.ts";
   * let n = 0;
   * const parser = new SseParser({ onSseEvent: () => n++ });
   * const bytes = new TextEncoder().encode("\uFEFFdata:x\n\n");
   * parser.feed(bytes, 0, bytes.length);
   * console.log(n); // 1
   * ```
   */
  feed(buf: Uint8Array, start: number, end: number): void {
    let i = start;
    if (this.#bom >= 0) i = this.#skipBom(buf, i, end);
    while (i < end) {
      const c = buf[i];
      if (this.#afterCr) {
        this.#afterCr = false;
        if (c === LF) {
          i++;
          continue;
        }
      }
      switch (this.#state) {
        case S_LINE:
          if (c === LF || c === CR) {
            this.#afterCr = c === CR;
            this.#dispatch();
          } else if (c === COLON) this.#state = S_COMMENT;
          else {
            this.#nameLength = 0;
            this.#nameByte(c);
            this.#state = S_NAME;
          }
          i++;
          break;
        case S_NAME:
          if (c === COLON) {
            this.#beginValue();
            this.#state = S_VALUE_START;
          } else if (c === LF || c === CR) {
            this.#afterCr = c === CR;
            this.#beginValue();
            this.#endValue();
            this.#state = S_LINE;
          } else this.#nameByte(c);
          i++;
          break;
        case S_VALUE_START:
          this.#state = S_VALUE;
          if (c === SPACE) i++;
          break;
        case S_VALUE: {
          let j = i;
          while (j < end && buf[j] !== LF && buf[j] !== CR) j++;
          if (j > i) this.#valueBytes(buf, i, j);
          if (j < end) {
            this.#afterCr = buf[j] === CR;
            this.#endValue();
            this.#state = S_LINE;
            j++;
          }
          i = j;
          break;
        }
        default: // S_COMMENT
          if (c === LF || c === CR) {
            this.#afterCr = c === CR;
            this.#state = S_LINE;
          }
          i++;
      }
    }
  }

  /**
   * The current event's data as a string (allocates; call inside `onSseEvent`).
   *
   * @example
   * ```ts
   * import { SseParser } from "./sse_parser.ts";
   * const parser = new SseParser({ onSseEvent: (p) => console.log(p.data()) });
   * const bytes = new TextEncoder().encode("data: hi\n\n");
   * parser.feed(bytes, 0, bytes.length); // logs "hi"
   * ```
   */
  data(): string {
    return decoder.decode(this.dataBytes.subarray(0, this.dataLength));
  }

  /**
   * The current event's type: the last `event` field, or `"message"` (allocates).
   *
   * @example
   * ```ts
   * import { SseParser } from "./sse_parser.ts";
   * const parser = new SseParser({ onSseEvent: (p) => console.log(p.eventType()) });
   * const bytes = new TextEncoder().encode("event: tick\ndata\n\n");
   * parser.feed(bytes, 0, bytes.length); // logs "tick"
   * ```
   */
  eventType(): string {
    return this.#eventLength === 0
      ? "message"
      : decoder.decode(this.#eventBytes.subarray(0, this.#eventLength));
  }

  /**
   * The last event id seen on this stream, or "" (allocates).
   *
   * @example
   * ```ts
   * import { SseParser } from "./sse_parser.ts";
   * const parser = new SseParser({ onSseEvent: (p) => console.log(p.lastEventId()) });
   * const bytes = new TextEncoder().encode("id: 7\ndata\n\n");
   * parser.feed(bytes, 0, bytes.length); // logs "7"
   * ```
   */
  lastEventId(): string {
    return decoder.decode(this.#idBytes.subarray(0, this.#idLength));
  }

  #skipBom(buf: Uint8Array, i: number, end: number): number {
    while (i < end && this.#bom >= 0) {
      if (buf[i] === BOM[this.#bom]) {
        i++;
        if (++this.#bom === 3) this.#bom = -1;
        continue;
      }
      // Not a BOM: the bytes matched so far start a field name (never a known one).
      const matched = this.#bom;
      this.#bom = -1;
      if (matched > 0) {
        this.#nameLength = 0;
        for (let k = 0; k < matched; k++) this.#nameByte(BOM[k]);
        this.#state = S_NAME;
      }
    }
    return i;
  }

  #nameByte(c: number): void {
    switch (this.#nameLength) {
      case 0:
        this.#name0 = c;
        break;
      case 1:
        this.#name1 = c;
        break;
      case 2:
        this.#name2 = c;
        break;
      case 3:
        this.#name3 = c;
        break;
      case 4:
        this.#name4 = c;
        break;
    }
    this.#nameLength++;
  }

  /** Decides which field the name read names, and prepares its value. */
  #beginValue(): void {
    const n = this.#nameLength;
    const a = this.#name0, b = this.#name1, c = this.#name2, d = this.#name3, e = this.#name4;
    let field = F_IGNORE;
    if (n === 4 && a === 100 && b === 97 && c === 116 && d === 97) field = F_DATA;
    else if (n === 5 && a === 101 && b === 118 && c === 101 && d === 110 && e === 116) field = F_EVENT;
    else if (n === 2 && a === 105 && b === 100) field = F_ID;
    else if (n === 5 && a === 114 && b === 101 && c === 116 && d === 114 && e === 121) field = F_RETRY;
    this.#field = field;
    if (field === F_EVENT) this.#eventLength = 0;
    else if (field === F_ID) {
      this.#idScratchLength = 0;
      this.#idHasNul = false;
    } else if (field === F_RETRY) {
      this.#retry = 0;
      this.#retryDigits = true;
      this.#retryLength = 0;
    }
  }

  #valueBytes(buf: Uint8Array, i: number, j: number): void {
    switch (this.#field) {
      case F_DATA:
        this.#appendData(buf, i, j);
        break;
      case F_EVENT:
        this.#eventLength = copyCapped(buf, i, j, this.#eventBytes, this.#eventLength);
        break;
      case F_ID:
        for (let k = i; k < j; k++) if (buf[k] === 0) this.#idHasNul = true;
        this.#idScratchLength = copyCapped(buf, i, j, this.#idScratch, this.#idScratchLength);
        break;
      case F_RETRY:
        for (let k = i; k < j; k++) {
          const d = buf[k] - 48;
          if (d < 0 || d > 9) this.#retryDigits = false;
          else this.#retry = this.#retry * 10 + d;
        }
        this.#retryLength += j - i;
        break;
    }
  }

  #endValue(): void {
    switch (this.#field) {
      case F_DATA:
        this.#appendLf();
        break;
      case F_ID:
        if (!this.#idHasNul) {
          const scratch = this.#idScratch;
          this.#idScratch = this.#idBytes;
          this.#idBytes = scratch;
          this.#idLength = this.#idScratchLength;
        }
        break;
      case F_RETRY:
        if (this.#retryDigits && this.#retryLength > 0) this.retryMs = this.#retry;
        break;
    }
  }

  #appendData(buf: Uint8Array, i: number, j: number): void {
    let length = this.dataLength;
    const room = this.#maxData - length;
    let n = j - i;
    if (n > room) {
      this.droppedBytes += n - room;
      n = room;
    }
    if (length + n > this.dataBytes.length) this.#grow(length + n);
    const out = this.dataBytes;
    for (let k = 0; k < n; k++) out[length++] = buf[i + k];
    this.dataLength = length;
  }

  #appendLf(): void {
    // The LF counts even past the cap, so that an event with data is never taken for one without.
    if (this.dataLength >= this.#maxData) {
      this.droppedBytes++;
      this.#overLf = true;
      return;
    }
    if (this.dataLength + 1 > this.dataBytes.length) this.#grow(this.dataLength + 1);
    this.dataBytes[this.dataLength++] = LF;
  }

  #grow(need: number): void {
    let size = this.dataBytes.length * 2;
    while (size < need) size *= 2;
    const bigger = new Uint8Array(Math.min(size, this.#maxData));
    bigger.set(this.dataBytes.subarray(0, this.dataLength), 0);
    this.dataBytes = bigger;
  }

  #dispatch(): void {
    if (this.dataLength === 0 && !this.#overLf) {
      this.#eventLength = 0;
      return;
    }
    if (this.dataLength > 0 && this.dataBytes[this.dataLength - 1] === LF && !this.#overLf) this.dataLength--;
    this.events++;
    this.#sink.onSseEvent(this);
    this.dataLength = 0;
    this.#eventLength = 0;
    this.#overLf = false;
  }
}

/** Copies `src[i, j)` after `length` bytes of `dst`, up to its size; returns the new length. */
function copyCapped(src: Uint8Array, i: number, j: number, dst: Uint8Array, length: number): number {
  for (let k = i; k < j && length < dst.length; k++) dst[length++] = src[k];
  return length;
}
