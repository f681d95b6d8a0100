/**
 * HPACK encoding of request header blocks (RFC 7541). A load run sends the
 * same request again and again, so the block is encoded once per prepared
 * request: static-table indexes where they match, every other field as a
 * literal without indexing (the block never depends on the dynamic table, so
 * the same bytes are valid on every stream of every connection).
 *
 * @module
 */
import { huffmanEncode, huffmanEncodedLength } from "./_huffman.ts";
import { STATIC_TABLE } from "./_hpack_static.ts";

/**
 * Writes `value` as an HPACK integer with a `prefixBits`-bit prefix; the bits
 * above the prefix in the first byte are `flags`. Returns the offset after it.
 *
 * @example
 * ```ts
 * import { encodeInteger } from "./_hpack_encoder.ts";
 * const out = new Uint8Array(4);
 * encodeInteger(1337, 5, 0, out, 0); // 3: out = 1f 9a 0a
 * ```
 */
export function encodeInteger(
  value: number,
  prefixBits: number,
  flags: number,
  out: Uint8Array,
  at: number,
): number {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out[at++] = flags | value;
    return at;
  }
  out[at++] = flags | max;
  value -= max;
  while (value >= 128) {
    out[at++] = (value % 128) + 128;
    value = Math.floor(value / 128);
  }
  out[at++] = value;
  return at;
}

/**
 * Writes a string literal (length prefix and bytes), Huffman-coded when that
 * is shorter and `huffman` allows it. `out` needs `bytes.length + 5` bytes of room.
 *
 * @example
 * ```ts
 * import { encodeString } from "./_hpack_encoder.ts";
 * const out = new Uint8Array(32);
 * encodeString(new TextEncoder().encode("www.example.com"), true, out, 0); // 13: 8c f1 e3 ...
 * ```
 */
export function encodeString(bytes: Uint8Array, huffman: boolean, out: Uint8Array, at: number): number {
  const coded = huffman ? huffmanEncodedLength(bytes, 0, bytes.length) : Infinity;
  if (coded < bytes.length) {
    at = encodeInteger(coded, 7, 0x80, out, at);
    return huffmanEncode(bytes, 0, bytes.length, out, at);
  }
  at = encodeInteger(bytes.length, 7, 0, out, at);
  out.set(bytes, at);
  return at + bytes.length;
}

/** The request fields of `encodeRequestHeaders`. */
export interface RequestHeaderFields {
  /** Upper-case method, e.g. `"GET"`. */
  method: string;
  /** `"http"` or `"https"`. */
  scheme: string;
  /** Host and port as in the URL. */
  authority: string;
  /** Path and query, at least `"/"`. */
  path: string;
  /** Regular fields, names in lower case. */
  headers: ReadonlyArray<readonly [string, string]>;
}

function staticIndex(name: string, value: string | null): number {
  for (let i = 1; i < STATIC_TABLE.length; i++) {
    const [n, v] = STATIC_TABLE[i];
    if (n === name && (value === null || v === value)) return i;
  }
  return 0;
}

/**
 * Encodes a request's header block once: pseudo-headers first, then the
 * regular fields; full static matches as indexed fields, the rest as literals
 * without indexing (Huffman-coded when shorter, unless `huffman` is false).
 *
 * @example
 * ```ts
 * import { encodeRequestHeaders } from "./_hpack_encoder.ts";
 * const block = encodeRequestHeaders({
 *   method: "GET", scheme: "http", authority: "127.0.0.1:8080", path: "/", headers: [],
 * });
 * block[0]; // 0x82 (":method: GET")
 * ```
 */
export function encodeRequestHeaders(fields: RequestHeaderFields, huffman = true): Uint8Array {
  const encoder = new TextEncoder();
  const list: Array<[string, string]> = [
    [":method", fields.method],
    [":scheme", fields.scheme],
    [":authority", fields.authority],
    [":path", fields.path],
    ...fields.headers.map(([n, v]): [string, string] => [n, v]),
  ];
  let room = 0;
  for (const [n, v] of list) room += encoder.encode(n).length + encoder.encode(v).length + 16;
  const out = new Uint8Array(room);
  let at = 0;
  for (const [name, value] of list) {
    const full = staticIndex(name, value);
    if (full !== 0 && (STATIC_TABLE[full][1] !== "" || value === "")) {
      at = encodeInteger(full, 7, 0x80, out, at);
      continue;
    }
    const nameIdx = staticIndex(name, null);
    if (nameIdx !== 0) at = encodeInteger(nameIdx, 4, 0, out, at);
    else {
      out[at++] = 0;
      at = encodeString(encoder.encode(name), huffman, out, at);
    }
    at = encodeString(encoder.encode(value), huffman, out, at);
  }
  return out.slice(0, at);
}
