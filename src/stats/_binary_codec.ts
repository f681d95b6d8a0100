/**
 * The compact binary event format and its packets (with a sequence number
 * and a CRC-32, so a receiver can detect loss and corruption).
 *
 * Event: `[Type:1][NameLen:2][Name:N][Value:8][Timestamp:8][NumTags:1][Tags...]`
 * where each tag is `[KeyLen:2][Key][ValLen:2][Val]`; all integers little
 * endian, the value a float64, the timestamp int64 milliseconds since the
 * epoch. The type byte carries the metric type (bits 0-2), the priority
 * (bits 3-4) and the sampling shift (bits 5-7, rate = 1 / 2^shift).
 *
 * Packet: `[Magic "LS":2][Version:1][Flags:1][Seq:4][Count:2][CRC32:4][events]`,
 * the CRC-32 covering the header before it and every event byte after it.
 *
 * @module
 */
import { crc32 } from "./_crc32.ts";
import type { Priority, StatEvent, StatType, Tag } from "./types.ts";

/** Bytes of the packet header. */
export const BINARY_HEADER_BYTES = 14;
/** Fixed bytes of one binary event besides its name and tag section. */
export const BINARY_EVENT_OVERHEAD: number = 1 + 2 + 8 + 8;
/** Format version written in the header. */
export const BINARY_VERSION = 1;

const MAGIC_0 = 0x4c; // "L"
const MAGIC_1 = 0x53; // "S"
const TWO_32 = 4294967296;

/**
 * A packet that cannot be decoded: wrong magic or version, truncated, or a
 * CRC-32 mismatch.
 *
 * @example
 * ```ts
 * import { decodeBinaryPacket, PacketDecodeError } from "./_binary_codec.ts";
 * try { decodeBinaryPacket(new Uint8Array(3)); } catch (e) { e instanceof PacketDecodeError; }
 * ```
 */
export class PacketDecodeError extends Error {
  /**
   * Creates the error.
   *
   * @param message What is wrong with the packet (magic, version, length or CRC).
   */
  constructor(message: string) {
    super(message);
    this.name = "PacketDecodeError";
  }
}

/**
 * Writes one binary event at `at` (room for `name.length + tags.length +
 * BINARY_EVENT_OVERHEAD` bytes needed); returns the offset after it.
 * `view` is a DataView over the same buffer as `out`.
 *
 * @example
 * ```ts
 * import { writeBinaryEvent } from "./_binary_codec.ts";
 * const out = new Uint8Array(64);
 * const end = writeBinaryEvent(out, new DataView(out.buffer), 0, 0, 1, 0, new Uint8Array([104]), 5, Date.now(), new Uint8Array([0]));
 * end; // 21
 * ```
 */
export function writeBinaryEvent(
  out: Uint8Array,
  view: DataView,
  at: number,
  type: number,
  priority: number,
  rateShift: number,
  name: Uint8Array,
  value: number,
  timestampMs: number,
  tags: Uint8Array,
): number {
  out[at] = (type & 7) | ((priority & 3) << 3) | ((rateShift & 7) << 5);
  view.setUint16(at + 1, name.length, true);
  out.set(name, at + 3);
  at += 3 + name.length;
  view.setFloat64(at, value, true);
  const ts = Math.floor(timestampMs);
  const hi = Math.floor(ts / TWO_32);
  view.setUint32(at + 8, ts - hi * TWO_32, true);
  view.setInt32(at + 12, hi, true);
  at += 16;
  out.set(tags, at);
  return at + tags.length;
}

/**
 * Fills in the header of a packet whose events occupy
 * `[BINARY_HEADER_BYTES, end)`: magic, version, sequence, count, CRC-32.
 *
 * @example
 * ```ts
 * import { BINARY_HEADER_BYTES, sealBinaryPacket } from "./_binary_codec.ts";
 * const packet = new Uint8Array(BINARY_HEADER_BYTES);
 * sealBinaryPacket(packet, new DataView(packet.buffer), BINARY_HEADER_BYTES, 7, 0);
 * ```
 */
export function sealBinaryPacket(
  out: Uint8Array,
  view: DataView,
  end: number,
  sequence: number,
  count: number,
): void {
  out[0] = MAGIC_0;
  out[1] = MAGIC_1;
  out[2] = BINARY_VERSION;
  out[3] = 0;
  view.setUint32(4, sequence >>> 0, true);
  view.setUint16(8, count, true);
  const crc = crc32(out, BINARY_HEADER_BYTES, end, crc32(out, 0, 10));
  view.setUint32(10, crc, true);
}

/** A decoded binary packet. */
export interface DecodedPacket {
  /** Sequence number the sender gave the packet (wraps at 2^32). */
  sequence: number;
  /** The events it carried, in the order written. */
  events: StatEvent[];
}

const decoder = new TextDecoder();

/**
 * Decodes and verifies a binary packet. Throws `PacketDecodeError` on a bad
 * magic, version, truncation or CRC mismatch.
 *
 * @example
 * ```ts
 * import { decodeBinaryPacket } from "./_binary_codec.ts";
 * declare const datagram: Uint8Array;
 * const { sequence, events } = decodeBinaryPacket(datagram);
 * ```
 */
export function decodeBinaryPacket(bytes: Uint8Array): DecodedPacket {
  if (bytes.length < BINARY_HEADER_BYTES) {
    throw new PacketDecodeError("Cannot decode packet: shorter than its header");
  }
  if (bytes[0] !== MAGIC_0 || bytes[1] !== MAGIC_1) {
    throw new PacketDecodeError("Cannot decode packet: bad magic");
  }
  if (bytes[2] !== BINARY_VERSION) {
    throw new PacketDecodeError(`Cannot decode packet: unknown version ${bytes[2]}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sequence = view.getUint32(4, true);
  const count = view.getUint16(8, true);
  const expected = view.getUint32(10, true);
  const actual = crc32(bytes, BINARY_HEADER_BYTES, bytes.length, crc32(bytes, 0, 10));
  if (actual !== expected) throw new PacketDecodeError("Cannot decode packet: CRC-32 mismatch");
  const events: StatEvent[] = [];
  let at = BINARY_HEADER_BYTES;
  const need = (n: number): void => {
    if (at + n > bytes.length) throw new PacketDecodeError("Cannot decode packet: truncated event");
  };
  for (let i = 0; i < count; i++) {
    need(3);
    const typeByte = bytes[at];
    const nameLen = view.getUint16(at + 1, true);
    at += 3;
    need(nameLen + 17);
    const name = decoder.decode(bytes.subarray(at, at + nameLen));
    at += nameLen;
    const value = view.getFloat64(at, true);
    const timestamp = view.getInt32(at + 12, true) * TWO_32 + view.getUint32(at + 8, true);
    at += 16;
    const numTags = bytes[at++];
    const tags: Tag[] = [];
    for (let t = 0; t < numTags; t++) {
      need(2);
      const kl = view.getUint16(at, true);
      need(2 + kl + 2);
      const key = decoder.decode(bytes.subarray(at + 2, at + 2 + kl));
      at += 2 + kl;
      const vl = view.getUint16(at, true);
      need(2 + vl);
      const val = decoder.decode(bytes.subarray(at + 2, at + 2 + vl));
      at += 2 + vl;
      tags.push({ key, value: val });
    }
    events.push({
      type: (typeByte & 7) as StatType,
      priority: ((typeByte >> 3) & 3) as Priority,
      sampleRate: 1 / (1 << ((typeByte >> 5) & 7)),
      name,
      value,
      timestamp,
      tags,
    });
  }
  if (at !== bytes.length) {
    throw new PacketDecodeError("Cannot decode packet: trailing bytes after the last event");
  }
  return { sequence, events };
}
