/**
 * The outgoing side of an HTTP/2 connection: frames are appended to one
 * growing buffer and taken out as one chunk per socket write, so a batch of
 * requests costs one write.
 *
 * @module
 */
import {
  CLIENT_PREFACE,
  copyBytes,
  DEFAULT_WINDOW,
  Flag,
  FRAME_HEADER_BYTES,
  FrameType,
  Setting,
  writeFrameHeader,
  writeUint32,
} from "./_frames.ts";

/**
 * Buffers outgoing frames.
 *
 * @example
 * ```ts
 * import { FrameWriter } from "./_frame_writer.ts";
 * const w = new FrameWriter();
 * w.rstStream(1, 8);
 * w.length; // 13
 * w.buffer.subarray(0, w.length); // the RST_STREAM frame
 * ```
 */
export class FrameWriter {
  #out = new Uint8Array(64 * 1024);
  #len = 0;

  /** Bytes buffered. */
  get length(): number {
    return this.#len;
  }

  /** Drops what is buffered (the connection is gone). */
  clear(): void {
    this.#len = 0;
  }

  /** The buffer the frames are in: its first `length` bytes; valid until the next append or `clear()`. */
  get buffer(): Uint8Array {
    return this.#out;
  }

  /** The client preface, our SETTINGS and a connection WINDOW_UPDATE up to `window`. */
  preface(window: number): void {
    this.#reserve(CLIENT_PREFACE.length + FRAME_HEADER_BYTES * 2 + 12 + 4);
    const out = this.#out;
    out.set(CLIENT_PREFACE, this.#len);
    let at = this.#len + CLIENT_PREFACE.length;
    at = writeFrameHeader(out, at, 12, FrameType.Settings, 0, 0);
    at = writeSetting(out, at, Setting.EnablePush, 0);
    at = writeSetting(out, at, Setting.InitialWindowSize, window);
    at = writeFrameHeader(out, at, 4, FrameType.WindowUpdate, 0, 0);
    writeUint32(out, at, window - DEFAULT_WINDOW);
    this.#len = at + 4;
  }

  /** A prepared frame (e.g. the request's HEADERS) with its stream id set to `streamId`. */
  prepared(frame: Uint8Array, streamId: number): void {
    const n = frame.length;
    this.#reserve(n);
    const out = this.#out;
    const at = this.#len;
    copyBytes(frame, 0, n, out, at);
    writeUint32(out, at + 5, streamId);
    this.#len = at + n;
  }

  /** A frame carrying `payload[from, from + n)`. */
  frame(type: number, flags: number, streamId: number, payload: Uint8Array, from: number, n: number): void {
    this.#reserve(FRAME_HEADER_BYTES + n);
    const at = writeFrameHeader(this.#out, this.#len, n, type, flags, streamId);
    copyBytes(payload, from, n, this.#out, at);
    this.#len = at + n;
  }

  /** A SETTINGS ACK. */
  settingsAck(): void {
    this.#reserve(FRAME_HEADER_BYTES);
    this.#len = writeFrameHeader(this.#out, this.#len, 0, FrameType.Settings, Flag.Ack, 0);
  }

  /** A frame with one 32-bit payload word (RST_STREAM, WINDOW_UPDATE). */
  word(type: number, streamId: number, value: number): void {
    this.#reserve(FRAME_HEADER_BYTES + 4);
    const at = writeFrameHeader(this.#out, this.#len, 4, type, 0, streamId);
    writeUint32(this.#out, at, value);
    this.#len = at + 4;
  }

  /** RST_STREAM with `code`. */
  rstStream(streamId: number, code: number): void {
    this.word(FrameType.RstStream, streamId, code);
  }

  /** WINDOW_UPDATE of `increment`. */
  windowUpdate(streamId: number, increment: number): void {
    this.word(FrameType.WindowUpdate, streamId, increment);
  }

  /** GOAWAY (we accept no pushed streams, so the last-stream id is 0). */
  goAway(code: number): void {
    this.#reserve(FRAME_HEADER_BYTES + 8);
    const at = writeFrameHeader(this.#out, this.#len, 8, FrameType.GoAway, 0, 0);
    writeUint32(this.#out, at, 0);
    writeUint32(this.#out, at + 4, code);
    this.#len = at + 8;
  }

  #reserve(n: number): void {
    if (this.#len + n <= this.#out.length) return;
    const bigger = new Uint8Array(Math.max(this.#out.length * 2, this.#len + n));
    bigger.set(this.#out.subarray(0, this.#len), 0);
    this.#out = bigger;
  }
}

function writeSetting(out: Uint8Array, at: number, id: number, value: number): number {
  out[at] = id >>> 8;
  out[at + 1] = id & 0xff;
  writeUint32(out, at + 2, value);
  return at + 6;
}
