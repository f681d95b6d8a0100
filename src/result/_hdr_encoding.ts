/**
 * HdrHistogram's V2 histogram encoding, written from its published format:
 * a 40-byte big-endian header (cookie, payload length, normalizing offset,
 * significant digits, lowest discernible value, highest trackable value,
 * integer-to-double ratio) followed by the counts array as ZigZag LEB128
 * numbers, where a negative number -n stands for n empty buckets. The
 * compressed form is a second cookie and length around a zlib stream of
 * that; log files carry it in base64.
 *
 * lunge's log-linear layout is HdrHistogram's layout for 3 significant
 * digits and a lowest value of 1, so an index here is the same bucket in
 * both; only the unit (ns in lunge, µs in `.hlog` files) differs.
 *
 * @module
 */
import { zlibDeflate, zlibInflate } from "../runtime/zlib.ts";

const V2_COOKIE_BASE = 0x1c849303;
const V2_COMPRESSED_COOKIE_BASE = 0x1c849304;
/** The low nibble's high bit set: 9-byte LEB128 words (as HdrHistogram writes it). */
const WORD_SIZE_FLAG = 0x10;
const HEADER_BYTES = 40;

/** A histogram in HdrHistogram's index space plus the parameters that define it. */
export interface HdrCounts {
  /** Significant value digits (lunge: 3). */
  significantDigits: number;
  /** Lowest discernible value (lunge: 1). */
  lowest: number;
  /** Highest trackable value. */
  highest: number;
  /** Count per bucket index; trailing empty buckets may be left out. */
  counts: ArrayLike<number>;
}

/** Thrown for bytes or text that are not a V2 (compressed) HdrHistogram. */
export class HdrDecodeError extends TypeError {
  /**
   * @param message What is wrong with the input.
   */
  constructor(message: string) {
    super(message);
    this.name = "HdrDecodeError";
  }
}

class ByteWriter {
  bytes = new Uint8Array(256);
  length = 0;
  #ensure(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }
  byte(b: number): void {
    this.#ensure(1);
    this.bytes[this.length++] = b;
  }
  int32(v: number, at = -1): void {
    const view = new DataView(this.bytes.buffer);
    if (at >= 0) return view.setInt32(at, v | 0);
    this.#ensure(4);
    new DataView(this.bytes.buffer).setInt32(this.length, v | 0);
    this.length += 4;
  }
  int64(v: number): void {
    this.#ensure(8);
    new DataView(this.bytes.buffer).setBigInt64(this.length, BigInt(Math.trunc(v)));
    this.length += 8;
  }
  float64(v: number): void {
    this.#ensure(8);
    new DataView(this.bytes.buffer).setFloat64(this.length, v);
    this.length += 8;
  }
  /** ZigZag LEB128 (HdrHistogram's "LEB128-64b9B"); exact for |v| < 2^52. */
  zigzag(v: number): void {
    let z = v >= 0 ? v * 2 : -v * 2 - 1;
    for (let i = 0; i < 8; i++) {
      if (z < 128) return this.byte(z);
      this.byte((z % 128) | 0x80);
      z = Math.floor(z / 128);
    }
    this.byte(z & 0xff); // the ninth byte carries 8 bits
  }
  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/**
 * Encodes counts with the V2 encoding (uncompressed).
 *
 * @example
 * ```ts
 * import { encodeHdrV2 } from "./_hdr_encoding.ts";
 * const bytes = encodeHdrV2({ significantDigits: 3, lowest: 1, highest: 3_600_000_000, counts: [0, 2, 5] });
 * bytes.length; // 40-byte header + payload
 * ```
 */
export function encodeHdrV2(h: HdrCounts): Uint8Array {
  const w = new ByteWriter();
  w.int32(V2_COOKIE_BASE | WORD_SIZE_FLAG);
  w.int32(0); // payload length, filled in below
  w.int32(0); // normalizing index offset
  w.int32(h.significantDigits);
  w.int64(h.lowest);
  w.int64(h.highest);
  w.float64(1); // integer-to-double conversion ratio
  let end = h.counts.length;
  while (end > 0 && h.counts[end - 1] === 0) end--;
  for (let i = 0; i < end;) {
    const c = h.counts[i];
    if (c !== 0) {
      w.zigzag(c);
      i++;
      continue;
    }
    let zeros = 0;
    while (i < end && h.counts[i] === 0) {
      zeros++;
      i++;
    }
    w.zigzag(zeros === 1 ? 0 : -zeros);
  }
  w.int32(w.length - HEADER_BYTES, 4);
  return w.result();
}

/**
 * The compressed V2 form (as in `.hlog` lines), base64 encoded.
 *
 * @example
 * ```ts
 * import { encodeHdrBase64 } from "./_hdr_encoding.ts";
 * encodeHdrBase64({ significantDigits: 3, lowest: 1, highest: 3_600_000_000, counts: [0, 1] }).startsWith("HISTF"); // true
 * ```
 */
export function encodeHdrBase64(h: HdrCounts): string {
  const deflated = zlibDeflate(encodeHdrV2(h));
  const w = new ByteWriter();
  w.int32(V2_COMPRESSED_COOKIE_BASE | WORD_SIZE_FLAG);
  w.int32(deflated.length);
  const out = new Uint8Array(8 + deflated.length);
  out.set(w.result());
  out.set(deflated, 8);
  return toBase64(out);
}

/**
 * Decodes a base64 compressed V2 histogram (an `.hlog` line's last field).
 * Throws `HdrDecodeError` for anything else.
 *
 * @example
 * ```ts
 * import { decodeHdrBase64, encodeHdrBase64 } from "./_hdr_encoding.ts";
 * const text = encodeHdrBase64({ significantDigits: 3, lowest: 1, highest: 3_600_000_000, counts: [0, 4] });
 * decodeHdrBase64(text).counts[1]; // 4
 * ```
 */
export function decodeHdrBase64(text: string): HdrCounts {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(text.trim());
  } catch {
    throw new HdrDecodeError("not base64");
  }
  if (bytes.length < 8) throw new HdrDecodeError("too short for a compressed histogram");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if ((view.getInt32(0) & ~0xf0) !== V2_COMPRESSED_COOKIE_BASE) {
    throw new HdrDecodeError("not a V2 compressed histogram (unknown cookie)");
  }
  const length = view.getInt32(4);
  let inner: Uint8Array;
  try {
    inner = zlibInflate(bytes.subarray(8, 8 + length));
  } catch {
    throw new HdrDecodeError("corrupt compressed histogram");
  }
  return decodeHdrV2(inner);
}

/**
 * Decodes the uncompressed V2 encoding.
 *
 * @example
 * ```ts
 * import { decodeHdrV2, encodeHdrV2 } from "./_hdr_encoding.ts";
 * decodeHdrV2(encodeHdrV2({ significantDigits: 3, lowest: 1, highest: 1e9, counts: [3] })).counts[0]; // 3
 * ```
 */
export function decodeHdrV2(bytes: Uint8Array): HdrCounts {
  if (bytes.length < HEADER_BYTES) throw new HdrDecodeError("too short for a histogram header");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if ((view.getInt32(0) & ~0xf0) !== V2_COOKIE_BASE) {
    throw new HdrDecodeError("not a V2 histogram (unknown cookie)");
  }
  const payload = view.getInt32(4);
  const significantDigits = view.getInt32(12);
  const lowest = Number(view.getBigInt64(16));
  const highest = Number(view.getBigInt64(24));
  if (HEADER_BYTES + payload > bytes.length || significantDigits < 0 || significantDigits > 5 || lowest < 1) {
    throw new HdrDecodeError("inconsistent histogram header");
  }
  const counts: number[] = [];
  let at = HEADER_BYTES;
  const end = HEADER_BYTES + payload;
  while (at < end) {
    let z = 0;
    let scale = 1;
    for (let i = 0; i < 9; i++) {
      if (at >= end) throw new HdrDecodeError("truncated histogram payload");
      const b = bytes[at++];
      if (i === 8) {
        z += b * scale;
        break;
      }
      z += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) break;
    }
    const v = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
    if (v < 0) { for (let k = 0; k < -v; k++) counts.push(0); }
    else counts.push(v);
  }
  return { significantDigits, lowest, highest, counts };
}

/**
 * The value range [from, to) that bucket `index` of a histogram with these
 * parameters covers (HdrHistogram's index layout).
 *
 * @example
 * ```ts
 * import { hdrBucketRange } from "./_hdr_encoding.ts";
 * hdrBucketRange(3, 1, 2048); // [2048, 2050]
 * ```
 */
export function hdrBucketRange(significantDigits: number, lowest: number, index: number): [number, number] {
  const subBucketCount = 2 ** Math.ceil(Math.log2(2 * 10 ** significantDigits));
  const half = subBucketCount / 2;
  const unitMagnitude = Math.floor(Math.log2(lowest));
  let bucket = Math.floor(index / half) - 1;
  let sub = (index % half) + half;
  if (bucket < 0) {
    sub -= half;
    bucket = 0;
  }
  const width = 2 ** (bucket + unitMagnitude);
  return [sub * width, (sub + 1) * width];
}

function toBase64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

function fromBase64(text: string): Uint8Array {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}
