/**
 * CRC-32 (IEEE 802.3, the zlib/PNG polynomial), incremental.
 *
 * Long ranges go to the runtime's native CRC-32 (`zlib.crc32`: one call per
 * packet, ~0.05 ns/byte); short ranges, and runtimes without it, use a
 * portable slice-by-8 loop (eight table lookups per 8 bytes, ~0.7 ns/byte,
 * against ~2.7 ns/byte for the byte-at-a-time table loop it replaces).
 *
 * @module
 */
import { nativeCrc32 } from "../runtime/checksum.ts";

/** Eight 256-entry tables: table k maps a byte to its CRC contribution k bytes further on. */
const TABLES = /* @__PURE__ */ (() => {
  const t = new Int32Array(256 * 8);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) {
      const previous = t[(k - 1) * 256 + n];
      t[k * 256 + n] = (previous >>> 8) ^ t[previous & 0xff];
    }
  }
  return t;
})();

/** Below this many bytes the native call's fixed cost (~50 ns) loses to the portable loop. */
const NATIVE_MIN_BYTES = 96;

/**
 * Portable CRC-32 over `bytes[start, end)` continuing from `crc` (slice-by-8).
 * Same results as `crc32`; exported to cross-check the native path.
 *
 * @example
 * ```ts
 * import { crc32Portable } from "./_crc32.ts";
 * crc32Portable(new TextEncoder().encode("123456789")); // 0xcbf43926
 * ```
 */
export function crc32Portable(bytes: Uint8Array, start = 0, end: number = bytes.length, crc = 0): number {
  const t = TABLES;
  let c = ~crc;
  let i = start;
  for (const stop = end - 8; i <= stop; i += 8) {
    const low = c ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
    c = t[1792 + (low & 0xff)] ^ t[1536 + ((low >>> 8) & 0xff)] ^ t[1280 + ((low >>> 16) & 0xff)] ^
      t[1024 + (low >>> 24)] ^ t[768 + bytes[i + 4]] ^ t[512 + bytes[i + 5]] ^ t[256 + bytes[i + 6]] ^
      t[bytes[i + 7]];
  }
  for (; i < end; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * Continues a CRC-32 over `bytes[start, end)`. Start with `crc = 0`; the
 * result is an unsigned 32-bit integer.
 *
 * @example
 * ```ts
 * import { crc32 } from "./_crc32.ts";
 * crc32(new TextEncoder().encode("123456789")); // 0xcbf43926
 * ```
 */
export function crc32(bytes: Uint8Array, start = 0, end: number = bytes.length, crc = 0): number {
  if (nativeCrc32 !== null && end - start >= NATIVE_MIN_BYTES) {
    // One short-lived view per call (per packet), the price of a native call over a range.
    return nativeCrc32(bytes.subarray(start, end), crc >>> 0) >>> 0;
  }
  return crc32Portable(bytes, start, end, crc);
}
