/**
 * Native checksums for the current runtime (picked once with `runtimeName`).
 *
 * @example
 * ```ts
 * import { nativeCrc32 } from "./checksum.ts";
 * const crc = nativeCrc32 ? nativeCrc32(new TextEncoder().encode("123456789"), 0) : -1;
 * ```
 *
 * @module
 */
import { runtime } from "./mod.ts";
import type { NativeCrc32 } from "./node/checksum.ts";

export type { NativeCrc32 } from "./node/checksum.ts";

/**
 * The runtime's native CRC-32 (IEEE), continuing from `value`; `null` when unavailable.
 *
 * @example
 * ```ts
 * import { nativeCrc32 } from "./checksum.ts";
 * nativeCrc32?.(new Uint8Array([1, 2, 3]), 0);
 * ```
 */
export const nativeCrc32: NativeCrc32 | null = runtime.nativeCrc32;
