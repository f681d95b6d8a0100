/**
 * Native CRC-32 for Bun: its `node:zlib` has a native `crc32`, so this
 * adapter re-exports the shared implementation under the same names.
 *
 * @example
 * ```ts
 * import { nativeCrc32 } from "./_checksum.ts";
 * nativeCrc32?.(new Uint8Array([1, 2, 3]), 0);
 * ```
 *
 * @module
 */
export { nativeCrc32 } from "../node/checksum.ts";
export type { NativeCrc32 } from "../node/checksum.ts";
