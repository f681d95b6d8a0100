/**
 * zlib (RFC 1950) compression from `node:zlib`, which Node, Deno and Bun
 * all ship with the same synchronous API. HdrHistogram's compressed
 * histogram encoding wraps its payload in a zlib stream; a gRPC message
 * filled per call is gzip-compressed in the load worker, where an
 * asynchronous stream per call would cost a promise chain per message.
 *
 * @module
 */
import * as zlib from "node:zlib";

/**
 * Compresses `data` into a zlib stream.
 *
 * @example
 * ```ts
 * import { zlibDeflate } from "./zlib.ts";
 * zlibDeflate(new Uint8Array([1, 2, 3]))[0]; // 0x78
 * ```
 */
export function zlibDeflate(data: Uint8Array): Uint8Array {
  return new Uint8Array(zlib.deflateSync(data));
}

/**
 * Decompresses a zlib stream; throws on corrupt input.
 *
 * @example
 * ```ts
 * import { zlibDeflate, zlibInflate } from "./zlib.ts";
 * zlibInflate(zlibDeflate(new Uint8Array([7])))[0]; // 7
 * ```
 */
export function zlibInflate(data: Uint8Array): Uint8Array {
  return new Uint8Array(zlib.inflateSync(data));
}

/**
 * Compresses `data` into a gzip member (RFC 1952), synchronously.
 *
 * @example
 * ```ts
 * import { gzipSync } from "./zlib.ts";
 * gzipSync(new Uint8Array([1, 2, 3]))[0]; // 0x1f
 * ```
 */
export function gzipSync(data: Uint8Array): Uint8Array {
  const out = zlib.gzipSync(data);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
