/**
 * zlib compression for the current runtime. Deno and Bun implement
 * `node:zlib` natively, so every runtime uses the one adapter.
 *
 * @example
 * ```ts
 * import { zlibDeflate, zlibInflate } from "./zlib.ts";
 * zlibInflate(zlibDeflate(new TextEncoder().encode("hlog"))).length; // 4
 * ```
 *
 * @module
 */
export { gzipSync, zlibDeflate, zlibInflate } from "./node/zlib.ts";
