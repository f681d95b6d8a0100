/**
 * gzip for gRPC messages (`grpc-encoding: gzip`), with the standard
 * CompressionStream (every runtime has it): used where a message is
 * prepared, never per call on the hot path.
 *
 * @module
 */

async function through(
  bytes: Uint8Array,
  stream: CompressionStream | DecompressionStream,
): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/**
 * gzip-compresses `bytes`.
 *
 * @example
 * ```ts
 * import { gunzip, gzip } from "./compression.ts";
 * const packed = await gzip(new TextEncoder().encode("hello"));
 * new TextDecoder().decode(await gunzip(packed)); // "hello"
 * ```
 */
export function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  return through(bytes, new CompressionStream("gzip"));
}

/**
 * Decompresses gzip `bytes`.
 *
 * @example
 * ```ts
 * import { gunzip, gzip } from "./compression.ts";
 * await gunzip(await gzip(Uint8Array.of(1, 2, 3))); // Uint8Array [1, 2, 3]
 * ```
 */
export function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  return through(bytes, new DecompressionStream("gzip"));
}
