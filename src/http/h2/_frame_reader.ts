/**
 * Incremental HTTP/2 frame reader: cuts a byte stream into frames wherever
 * the chunk boundaries fall. Frame payloads are handed over in place when a
 * chunk holds all of them and copied into one reused buffer otherwise; DATA
 * payloads are never copied (only their lengths matter to a load tester).
 *
 * @module
 */
import { copyBytes, DEFAULT_MAX_FRAME_SIZE, Flag, FRAME_HEADER_BYTES, FrameType } from "./_frames.ts";

/** Receives the frames a `FrameReader` cuts out. Returning false stops reading. */
export interface FrameHandler {
  /**
   * A complete non-DATA frame; the payload is `payload[start, start + length)`
   * and only valid during the call.
   */
  onFrame(
    type: number,
    flags: number,
    streamId: number,
    payload: Uint8Array,
    start: number,
    length: number,
  ): boolean;
  /** A complete DATA frame: `frameLength` counts for flow control, `dataLength` excludes padding. */
  onData(streamId: number, flags: number, frameLength: number, dataLength: number): boolean;
  /**
   * Part of a DATA frame's data (padding left out; a frame split across reads comes in pieces) as it
   * arrives, before that frame's `onData`: a gRPC session reads its messages from it, a timed stream its
   * first byte and events. Valid only during the call.
   */
  onDataBytes?(streamId: number, bytes: Uint8Array, start: number, length: number): void;
}

const S_HEADER: number = 0;
const S_PAYLOAD: number = 1;
const S_DATA_PAD: number = 2;
const S_DATA: number = 3;

/**
 * Cuts frames out of a byte stream for a `FrameHandler`.
 *
 * @example
 * ```ts
 * import { FrameReader } from "./_frame_reader.ts";
 * const reader = new FrameReader({
 *   onFrame: (type, flags, streamId, _p, _s, length) => (console.log(type, flags, streamId, length), true),
 *   onData: () => true,
 * });
 * const settings = Uint8Array.of(0, 0, 0, 4, 1, 0, 0, 0, 0); // SETTINGS with ACK
 * reader.feed(settings, 0, settings.length); // true
 * ```
 */
export class FrameReader {
  /** Why reading failed (a frame size or padding error), or null. */
  error: string | null = null;
  /** Largest frame payload accepted (our SETTINGS_MAX_FRAME_SIZE). */
  maxFrameSize: number = DEFAULT_MAX_FRAME_SIZE;

  readonly #handler: FrameHandler;
  readonly #header = new Uint8Array(FRAME_HEADER_BYTES);
  #headerFill = 0;
  #state: number = S_HEADER;
  #length = 0;
  #type = 0;
  #flags = 0;
  #streamId = 0;
  #payload = new Uint8Array(DEFAULT_MAX_FRAME_SIZE);
  #payloadFill = 0;
  #remaining = 0; // DATA bytes still to skip
  #dataLength = 0;
  #dataLeft = 0; // DATA bytes (padding excluded) still to hand to onDataBytes

  constructor(handler: FrameHandler) {
    this.#handler = handler;
  }

  /** Clears partial state (a new connection). */
  reset(): void {
    this.error = null;
    this.#state = S_HEADER;
    this.#headerFill = 0;
    this.#payloadFill = 0;
  }

  /**
   * Reads `bytes[start, end)`. Returns false when a frame was malformed
   * (`error` says why) or the handler stopped reading.
   */
  feed(bytes: Uint8Array, start: number, end: number): boolean {
    let p = start;
    while (p < end || (this.#state === S_DATA && this.#remaining === 0)) {
      switch (this.#state) {
        case S_HEADER: {
          if (this.#headerFill === 0 && end - p >= FRAME_HEADER_BYTES) {
            if (!this.#beginFrame(bytes, p)) return false;
            p += FRAME_HEADER_BYTES;
          } else {
            const take = Math.min(FRAME_HEADER_BYTES - this.#headerFill, end - p);
            copyBytes(bytes, p, take, this.#header, this.#headerFill);
            this.#headerFill += take;
            p += take;
            if (this.#headerFill < FRAME_HEADER_BYTES) return true;
            this.#headerFill = 0;
            if (!this.#beginFrame(this.#header, 0)) return false;
          }
          if (this.#state === S_PAYLOAD && this.#length === 0) {
            this.#state = S_HEADER;
            if (!this.#handler.onFrame(this.#type, this.#flags, this.#streamId, this.#payload, 0, 0)) {
              return false;
            }
          }
          break;
        }
        case S_PAYLOAD: {
          const need = this.#length - this.#payloadFill;
          if (this.#payloadFill === 0 && end - p >= need) {
            // The whole payload is in this chunk: hand it over in place.
            this.#state = S_HEADER;
            p += need;
            if (!this.#handler.onFrame(this.#type, this.#flags, this.#streamId, bytes, p - need, need)) {
              return false;
            }
            break;
          }
          const take = Math.min(need, end - p);
          copyBytes(bytes, p, take, this.#payload, this.#payloadFill);
          this.#payloadFill += take;
          p += take;
          if (this.#payloadFill < this.#length) return true;
          this.#payloadFill = 0;
          this.#state = S_HEADER;
          if (
            !this.#handler.onFrame(this.#type, this.#flags, this.#streamId, this.#payload, 0, this.#length)
          ) {
            return false;
          }
          break;
        }
        case S_DATA_PAD: {
          const pad = bytes[p++];
          if (pad >= this.#length) return this.#fail("DATA padding exceeds the frame");
          this.#dataLength = this.#length - 1 - pad;
          this.#dataLeft = this.#dataLength;
          this.#remaining = this.#length - 1;
          this.#state = S_DATA;
          break;
        }
        case S_DATA: {
          const take = Math.min(this.#remaining, end - p);
          if (this.#dataLeft > 0 && take > 0 && this.#handler.onDataBytes !== undefined) {
            const n = take < this.#dataLeft ? take : this.#dataLeft;
            this.#dataLeft -= n;
            this.#handler.onDataBytes(this.#streamId, bytes, p, n);
          }
          this.#remaining -= take;
          p += take;
          if (this.#remaining > 0) return true;
          this.#state = S_HEADER;
          if (!this.#handler.onData(this.#streamId, this.#flags, this.#length, this.#dataLength)) {
            return false;
          }
          break;
        }
      }
    }
    return true;
  }

  #beginFrame(h: Uint8Array, at: number): boolean {
    const length = (h[at] << 16) | (h[at + 1] << 8) | h[at + 2];
    if (length > this.maxFrameSize) {
      return this.#fail(`frame of ${length} bytes exceeds the maximum frame size`);
    }
    this.#length = length;
    this.#type = h[at + 3];
    this.#flags = h[at + 4];
    this.#streamId = ((h[at + 5] & 0x7f) << 24) | (h[at + 6] << 16) | (h[at + 7] << 8) | h[at + 8];
    if (this.#type !== FrameType.Data) {
      this.#state = S_PAYLOAD;
      this.#payloadFill = 0;
      return true;
    }
    if (this.#flags & Flag.Padded) {
      if (length === 0) return this.#fail("padded DATA frame without a pad length");
      this.#state = S_DATA_PAD;
    } else {
      this.#dataLength = length;
      this.#dataLeft = length;
      this.#remaining = length;
      this.#state = S_DATA;
    }
    return true;
  }

  #fail(message: string): boolean {
    this.error = message;
    return false;
  }
}
