/**
 * Picks the client for a prepared request: the raw-socket client (TCP, TLS
 * or unix socket) unless `fetch` was asked for.
 *
 * @module
 */
import { FetchHttpConnection } from "./fetch_connection.ts";
import { RawHttpConnection } from "./raw_connection.ts";
import type { HttpConnection, PreparedRequest, ResponseCallback } from "./types.ts";

/**
 * Creates one keep-alive connection carrying `req`; it connects lazily on the
 * first `send()`. `onResponse` is called exactly once per `send()`.
 *
 * @example
 * ```ts
 * import { createConnection, prepareRequest } from "./mod.ts";
 * const req = prepareRequest({ url: "http://127.0.0.1:8080/", method: "GET", headers: {} });
 * const conn = createConnection(req, (status, bodyBytes, errorKind) => {
 *   console.log(status, bodyBytes, errorKind);
 *   conn.close();
 * });
 * conn.send();
 * ```
 */
export function createConnection(req: PreparedRequest, onResponse: ResponseCallback): HttpConnection {
  return req.transport === "raw"
    ? new RawHttpConnection(req, onResponse)
    : new FetchHttpConnection(req, onResponse);
}
