/**
 * HTTP/2 wire constants (RFC 9113): frame types, flags, settings, error codes,
 * the client connection preface, and writers for the small frames a client
 * sends.
 *
 * @module
 */

/** Bytes of a frame header. */
export const FRAME_HEADER_BYTES = 9;

/** Frame types (RFC 9113 §6). */
export const FrameType = {
  Data: 0x0,
  Headers: 0x1,
  Priority: 0x2,
  RstStream: 0x3,
  Settings: 0x4,
  PushPromise: 0x5,
  Ping: 0x6,
  GoAway: 0x7,
  WindowUpdate: 0x8,
  Continuation: 0x9,
} as const;

/** Frame flags. */
export const Flag = {
  EndStream: 0x1,
  Ack: 0x1,
  EndHeaders: 0x4,
  Padded: 0x8,
  Priority: 0x20,
} as const;

/** SETTINGS identifiers. */
export const Setting = {
  HeaderTableSize: 0x1,
  EnablePush: 0x2,
  MaxConcurrentStreams: 0x3,
  InitialWindowSize: 0x4,
  MaxFrameSize: 0x5,
  MaxHeaderListSize: 0x6,
} as const;

/** Error codes (RFC 9113 §7). */
export const H2Error = {
  NoError: 0x0,
  ProtocolError: 0x1,
  InternalError: 0x2,
  FlowControlError: 0x3,
  SettingsTimeout: 0x4,
  StreamClosed: 0x5,
  FrameSizeError: 0x6,
  RefusedStream: 0x7,
  Cancel: 0x8,
  CompressionError: 0x9,
} as const;

/** Default SETTINGS_MAX_FRAME_SIZE and the largest frame we accept. */
export const DEFAULT_MAX_FRAME_SIZE = 16_384;
/** Default SETTINGS_INITIAL_WINDOW_SIZE (and the initial connection window). */
export const DEFAULT_WINDOW = 65_535;
/** Largest flow-control window (2^31 - 1). */
export const MAX_WINDOW = 0x7fffffff;

/** The client connection preface, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n". */
export const CLIENT_PREFACE: Uint8Array = new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

/**
 * Writes a frame header at `at` and returns the offset after it.
 *
 * @example
 * ```ts
 * import { FrameType, writeFrameHeader } from "./_frames.ts";
 * const out = new Uint8Array(9);
 * writeFrameHeader(out, 0, 0, FrameType.Settings, 0, 0); // 9: an empty SETTINGS frame
 * ```
 */
export function writeFrameHeader(
  out: Uint8Array,
  at: number,
  length: number,
  type: number,
  flags: number,
  streamId: number,
): number {
  out[at] = (length >>> 16) & 0xff;
  out[at + 1] = (length >>> 8) & 0xff;
  out[at + 2] = length & 0xff;
  out[at + 3] = type;
  out[at + 4] = flags;
  writeUint32(out, at + 5, streamId & 0x7fffffff);
  return at + FRAME_HEADER_BYTES;
}

/**
 * Writes a big-endian 32-bit unsigned integer.
 *
 * @example
 * ```ts
 * import { writeUint32 } from "./_frames.ts";
 * writeUint32(new Uint8Array(4), 0, 0x01020304);
 * ```
 */
export function writeUint32(out: Uint8Array, at: number, value: number): void {
  out[at] = (value >>> 24) & 0xff;
  out[at + 1] = (value >>> 16) & 0xff;
  out[at + 2] = (value >>> 8) & 0xff;
  out[at + 3] = value & 0xff;
}

/**
 * Reads a big-endian 32-bit unsigned integer.
 *
 * @example
 * ```ts
 * import { readUint32 } from "./_frames.ts";
 * readUint32(Uint8Array.of(0, 0, 1, 0), 0); // 256
 * ```
 */
export function readUint32(src: Uint8Array, at: number): number {
  return ((src[at] << 24) | (src[at + 1] << 16) | (src[at + 2] << 8) | src[at + 3]) >>> 0;
}

/** Up to this many bytes a copy is a loop: a `subarray` view for `set` would cost an allocation. */
const SHORT_COPY = 128;

/**
 * Copies `src[from, from + n)` into `dst` at `at`. Header fields and small
 * frames are a few dozen bytes; for those a plain loop is cheaper than
 * `dst.set(src.subarray(...))`, which allocates a view each time.
 *
 * @example
 * ```ts
 * import { copyBytes } from "./_frames.ts";
 * const dst = new Uint8Array(4);
 * copyBytes(Uint8Array.of(1, 2, 3), 1, 2, dst, 0); // dst: 2, 3, 0, 0
 * ```
 */
export function copyBytes(src: Uint8Array, from: number, n: number, dst: Uint8Array, at: number): void {
  if (n <= SHORT_COPY) {
    for (let i = 0; i < n; i++) dst[at + i] = src[from + i];
  } else dst.set(src.subarray(from, from + n), at);
}
