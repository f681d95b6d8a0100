/**
 * The strict, incremental parser of server frames (RFC 6455 §5): bytes come
 * in socket reads of any size; messages are reassembled from their fragments
 * as counts (and, only when asked, as bytes); control frames are handed over
 * whole. Text is checked as UTF-8 as it streams (`Utf8Validator`), so a
 * message is never buffered just to be checked. Any breach of the framing
 * stops the parser with `error` naming the cause; the connection must then
 * fail (§7.1.7).
 *
 * @module
 */
import { Opcode } from "./frame_writer.ts";
import { Utf8Validator } from "./utf8_validator.ts";

/** Where the parser hands what it read. */
export interface FrameSink {
  /**
   * A whole message: `binary` or text, `length` bytes over all its fragments;
   * `payload` holds them when the parser keeps payloads, else null. Valid only during the call.
   */
  onWsMessage(binary: boolean, length: number, payload: Uint8Array | null): void;
  /** A ping with its payload (`payload[0, length)`, valid only during the call): answer with a pong. */
  onWsPing(payload: Uint8Array, length: number): void;
  /** A close frame: its status code (1005 when it had none) and reason. The parser reads nothing after it. */
  onWsClose(code: number, reason: string): void;
}

const EMPTY = new Uint8Array(0);
const STATE_HEADER = 0;
const STATE_PAYLOAD = 1;
const STATE_CLOSED = 2;
const STATE_FAILED = 3;

/**
 * Whether `code` may appear in a close frame (§7.4.1, §7.4.2 and the IANA registry):
 * 1000-1003, 1007-1014, 3000-4999.
 *
 * @example
 * ```ts
 * import { isValidCloseCode } from "./frame_parser.ts";
 * isValidCloseCode(1005); // false
 * ```
 */
export function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/**
 * Parses server frames; `feed()` returns false once the framing is broken (`error` says how).
 *
 * @example
 * ```ts
 * import { FrameParser } from "./frame_parser.ts";
 * const p = new FrameParser({
 *   onWsMessage: (binary, length) => console.log(binary, length),
 *   onWsPing: () => {},
 *   onWsClose: () => {},
 * }, { maxMessageBytes: 1 << 24, keepPayloads: false });
 * p.feed(new Uint8Array([0x81, 0x02, 0x68, 0x69]), 0, 4); // logs false 2
 * ```
 */
export class FrameParser {
  readonly #sink: FrameSink;
  readonly #maxMessageBytes: number;
  readonly #keepPayloads: boolean;
  #state = STATE_HEADER;
  /** The frame header gathered so far (at most 14 bytes: no mask from a server, so at most 10). */
  readonly #header = new Uint8Array(14);
  #headerHave = 0;
  #headerNeed = 2;
  // The frame being read.
  #fin = false;
  #opcode = 0;
  #remaining = 0;
  #control = false;
  /** A control frame's payload (at most 125 bytes). */
  /**
   * A control frame's payload: a view of the read it came in whole (the usual case), or this
   * parser's own buffer when it spans reads (made then: an idle connection keeps none).
   */
  #controlBytes: Uint8Array = EMPTY;
  #controlOwn: Uint8Array | null = null;
  #controlHave = 0;
  // The data message being read (over its fragments).
  #inMessage = false;
  #binary = false;
  #messageBytes = 0;
  readonly #utf8 = new Utf8Validator();
  #kept: Uint8Array | null = null;
  /** What broke the framing, once `feed` returned false. */
  error = "";

  constructor(sink: FrameSink, options: { maxMessageBytes: number; keepPayloads: boolean }) {
    this.#sink = sink;
    this.#maxMessageBytes = options.maxMessageBytes;
    this.#keepPayloads = options.keepPayloads;
  }

  /** Whether the parser stopped in the middle of a frame or of a fragmented message (a close now truncates it). */
  get midFrame(): boolean {
    return this.#state === STATE_PAYLOAD || this.#headerHave > 0 || this.#inMessage;
  }

  /** Starts over for a new connection. */
  reset(): void {
    this.#state = STATE_HEADER;
    this.#headerHave = 0;
    this.#headerNeed = 2;
    this.#inMessage = false;
    this.#messageBytes = 0;
    this.#controlHave = 0;
    this.#controlBytes = EMPTY;
    this.error = "";
  }

  /** Parses `bytes[start, end)`; false when the framing is broken (see `error`). */
  feed(bytes: Uint8Array, start: number, end: number): boolean {
    let at = start;
    while (at < end) {
      const state = this.#state;
      if (state === STATE_HEADER) {
        const header = this.#header;
        while (this.#headerHave < this.#headerNeed && at < end) header[this.#headerHave++] = bytes[at++];
        if (this.#headerHave < this.#headerNeed) return true;
        if (this.#headerHave === 2) {
          if (!this.#checkFirstBytes()) return false;
          if (this.#headerHave < this.#headerNeed) continue; // an extended length follows
        }
        if (!this.#beginPayload()) return false;
        if (this.#remaining === 0 && !this.#endFrame()) return false;
      } else if (state === STATE_PAYLOAD) {
        const take = Math.min(this.#remaining, end - at);
        if (!this.#payload(bytes, at, at + take)) return false;
        at += take;
        this.#remaining -= take;
        if (this.#remaining === 0 && !this.#endFrame()) return false;
      } else if (state === STATE_CLOSED) {
        return true; // nothing after a close frame counts (§5.5.1)
      } else return false;
    }
    return true;
  }

  #fail(cause: string): false {
    this.error = cause;
    this.#state = STATE_FAILED;
    return false;
  }

  /** The two fixed bytes: flags, opcode, mask bit and the 7-bit length. */
  #checkFirstBytes(): boolean {
    const b0 = this.#header[0], b1 = this.#header[1];
    if ((b0 & 0x70) !== 0) {
      return this.#fail(`reserved bits set (RSV ${(b0 >> 4) & 7}) with no extension negotiated`);
    }
    const opcode = b0 & 0x0f;
    if ((b1 & 0x80) !== 0) return this.#fail("masked frame from the server");
    const len7 = b1 & 0x7f;
    const fin = (b0 & 0x80) !== 0;
    if (opcode >= Opcode.Close) {
      if (opcode > Opcode.Pong) return this.#fail(`unknown opcode 0x${opcode.toString(16)}`);
      if (!fin) return this.#fail("fragmented control frame");
      if (len7 > 125) return this.#fail("control frame payload over 125 bytes");
    } else if (opcode > Opcode.Binary) {
      return this.#fail(`unknown opcode 0x${opcode.toString(16)}`);
    } else if (opcode === Opcode.Continuation) {
      if (!this.#inMessage) return this.#fail("continuation frame with no message to continue");
    } else if (this.#inMessage) {
      return this.#fail("new data frame before the fragmented message ended");
    }
    this.#fin = fin;
    this.#opcode = opcode;
    this.#headerNeed = len7 === 126 ? 4 : len7 === 127 ? 10 : 2;
    return true;
  }

  /** The header is whole: the payload length, the limits, the start of a message. */
  #beginPayload(): boolean {
    const h = this.#header;
    const len7 = h[1] & 0x7f;
    let length: number;
    if (len7 < 126) length = len7;
    else if (len7 === 126) length = (h[2] << 8) | h[3];
    else {
      if ((h[2] & 0x80) !== 0) return this.#fail("64-bit payload length with its top bit set");
      const high = ((h[2] << 24) | (h[3] << 16) | (h[4] << 8) | h[5]) >>> 0;
      length = high * 0x1_0000_0000 + (((h[6] << 24) | (h[7] << 16) | (h[8] << 8) | h[9]) >>> 0);
    }
    this.#headerHave = 0;
    this.#headerNeed = 2;
    this.#remaining = length;
    this.#control = this.#opcode >= Opcode.Close;
    if (this.#control) {
      this.#controlHave = 0;
    } else {
      if (this.#opcode !== Opcode.Continuation) {
        this.#inMessage = true;
        this.#binary = this.#opcode === Opcode.Binary;
        this.#messageBytes = 0;
        this.#utf8.reset();
      }
      if (this.#messageBytes + length > this.#maxMessageBytes) {
        return this.#fail(
          `message of at least ${
            this.#messageBytes + length
          } bytes over the limit of ${this.#maxMessageBytes}`,
        );
      }
      if (this.#keepPayloads) this.#reserve(this.#messageBytes + length);
    }
    this.#state = STATE_PAYLOAD;
    return true;
  }

  #reserve(size: number): void {
    const kept = this.#kept;
    if (kept !== null && kept.length >= size) return;
    const grown = new Uint8Array(Math.max(size, 256, (kept?.length ?? 0) * 2));
    if (kept !== null && this.#messageBytes > 0) grown.set(kept.subarray(0, this.#messageBytes));
    this.#kept = grown;
  }

  #payload(bytes: Uint8Array, from: number, to: number): boolean {
    if (this.#control) {
      if (this.#controlHave === 0 && to - from === this.#remaining) {
        this.#controlBytes = bytes.subarray(from, to); // read by #endControl within this same feed()
      } else {
        const own = this.#controlOwn ??= new Uint8Array(125);
        own.set(bytes.subarray(from, to), this.#controlHave);
        this.#controlBytes = own;
      }
      this.#controlHave += to - from;
      return true;
    }
    if (!this.#binary && !this.#utf8.feed(bytes, from, to)) {
      return this.#fail("invalid UTF-8 in a text message");
    }
    if (this.#keepPayloads) this.#kept!.set(bytes.subarray(from, to), this.#messageBytes);
    this.#messageBytes += to - from;
    return true;
  }

  /** A frame's payload is whole. */
  #endFrame(): boolean {
    this.#state = STATE_HEADER;
    if (this.#control) return this.#endControl();
    if (!this.#fin) return true;
    if (!this.#binary && !this.#utf8.complete) return this.#fail("invalid UTF-8 in a text message");
    this.#inMessage = false;
    const length = this.#messageBytes;
    this.#sink.onWsMessage(this.#binary, length, this.#keepPayloads ? this.#kept!.subarray(0, length) : null);
    return true;
  }

  #endControl(): boolean {
    const opcode = this.#opcode;
    const bytes = this.#controlBytes;
    const length = this.#controlHave;
    this.#controlBytes = EMPTY;
    if (opcode === Opcode.Ping) this.#sink.onWsPing(bytes, length);
    else if (opcode === Opcode.Close) {
      if (length === 1) return this.#fail("close frame with a 1-byte payload");
      let code = 1005;
      let reason = "";
      if (length >= 2) {
        code = (bytes[0] << 8) | bytes[1];
        if (!isValidCloseCode(code)) return this.#fail(`invalid close code ${code}`);
        const check = new Utf8Validator();
        if (!check.feed(bytes, 2, length) || !check.complete) {
          return this.#fail("invalid UTF-8 in a close reason");
        }
        reason = new TextDecoder().decode(bytes.subarray(2, length));
      }
      this.#state = STATE_CLOSED;
      this.#sink.onWsClose(code, reason);
    }
    // A pong needs nothing: lunge sends no pings of its own.
    return true;
  }
}
