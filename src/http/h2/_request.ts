/**
 * What an HTTP/2 connection needs from a prepared request: the header block
 * encoded once and the HEADERS frame built around it (only the stream id is
 * patched per request), and the body.
 *
 * @module
 */
import type { PreparedRequest } from "../types.ts";
import { encodeRequestHeaders } from "./_hpack_encoder.ts";
import { Flag, FRAME_HEADER_BYTES, FrameType, writeFrameHeader } from "./_frames.ts";

// Connection-specific fields are not allowed in HTTP/2 (RFC 9113 §8.2.2); Host becomes :authority.
const DROPPED = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "host",
]);

/** A request ready for HTTP/2 streams. */
export interface H2Request {
  /** Host name to connect to. */
  readonly hostname: string;
  /** Port to connect to. */
  readonly port: number;
  /** Whether the URL is https:// (TLS with ALPN "h2") rather than h2c. */
  readonly secure: boolean;
  /** The HPACK header block. */
  readonly headerBlock: Uint8Array;
  /** HEADERS frame (END_HEADERS, and END_STREAM without a body) with stream id 0, when the block fits one frame. */
  readonly headersFrame: Uint8Array;
  /** The body, or null. */
  readonly body: Uint8Array | null;
  /** Whether responses never carry a body (HEAD). */
  readonly noResponseBody: boolean;
}

/**
 * Builds the HTTP/2 form of a prepared request.
 *
 * @example
 * ```ts
 * import { prepareRequest } from "../request.ts";
 * import { prepareH2Request } from "./_request.ts";
 * const h2 = prepareH2Request(prepareRequest({ url: "http://127.0.0.1:8080/", method: "GET", headers: {} }));
 * h2.headersFrame.length > 9; // true
 * ```
 */
export function prepareH2Request(req: PreparedRequest, options: { contentLength?: boolean } = {}): H2Request {
  const url = new URL(req.url);
  let authority = url.host;
  const headers: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(req.headers)) {
    const lower = name.toLowerCase();
    if (lower === "host") authority = value;
    if (DROPPED.has(lower)) continue;
    if (lower === "te" && value.toLowerCase() !== "trailers") continue;
    headers.push([lower, value]);
  }
  const body = req.body !== undefined && req.body.length > 0 ? req.body : null;
  if (
    body === null && !headers.some(([n]) => n === "content-length") &&
    ["POST", "PUT", "PATCH"].includes(req.method)
  ) {
    headers.push(["content-length", "0"]);
  } else if (
    body !== null && options.contentLength !== false && !headers.some(([n]) => n === "content-length")
  ) {
    headers.push(["content-length", String(body.length)]);
  }
  const headerBlock = encodeRequestHeaders({
    method: req.method,
    scheme: url.protocol === "https:" ? "https" : "http",
    authority,
    path: `${url.pathname}${url.search}`,
    headers,
  });
  const headersFrame = new Uint8Array(FRAME_HEADER_BYTES + headerBlock.length);
  writeFrameHeader(
    headersFrame,
    0,
    headerBlock.length,
    FrameType.Headers,
    Flag.EndHeaders | (body === null ? Flag.EndStream : 0),
    0,
  );
  headersFrame.set(headerBlock, FRAME_HEADER_BYTES);
  return {
    hostname: req.hostname,
    port: req.port,
    secure: url.protocol === "https:",
    headerBlock,
    headersFrame,
    body,
    noResponseBody: req.noResponseBody,
  };
}
