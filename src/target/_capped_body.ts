/**
 * Reads a request body up to a cap, without buffering more than the cap.
 *
 * @module
 */

/**
 * The body of `request` as bytes, or `null` when it is larger than
 * `maxBytes` (a `Content-Length` above the cap is refused before reading;
 * a streamed body is read until it passes the cap, then cancelled).
 *
 * @example
 * ```ts
 * import { readBodyCapped } from "./_capped_body.ts";
 * const r = new Request("http://h/echo", { method: "POST", body: "hello" });
 * console.log((await readBodyCapped(r, 3)) === null); // true
 * ```
 */
export async function readBodyCapped(
  request: Request,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer> | null> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (declared > maxBytes) return null;
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const body = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}
