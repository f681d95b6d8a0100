/**
 * Picks the client for a prepared request: the raw-socket client (TCP, TLS
 * or unix socket) unless `fetch` was asked for, or HTTP/2 streams over
 * shared connections.
 *
 * @module
 */
import { openSocket } from "./socket_opener.ts";
import { FetchHttpConnection } from "./_fetch_connection.ts";
import { H2_ALPN, notH2 } from "./h2/alpn.ts";
import { H2ConnectionPool } from "./h2/pool.ts";
import { RawHttpConnection } from "./raw_connection.ts";
import type { ConnectionFactoryOptions, HttpConnection, PreparedRequest, ResponseCallback } from "./types.ts";

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

/**
 * Returns a function that makes connections for `req`: one socket each for
 * HTTP/1.1, or stream handles sharing one HTTP/2 connection per `streams` handles.
 *
 * @example
 * ```ts
 * import { createConnectionFactory, prepareRequest } from "./mod.ts";
 * const req = prepareRequest({ url: "http://127.0.0.1:8080/", method: "GET", headers: {} });
 * const make = createConnectionFactory(req, { http2: "prior-knowledge", streams: 10 });
 * const conn = make((status, bodyBytes, errorKind) => console.log(status, bodyBytes, errorKind));
 * conn.send();
 * ```
 */
export function createConnectionFactory(
  req: PreparedRequest,
  options: ConnectionFactoryOptions = {},
): (onResponse: ResponseCallback) => HttpConnection {
  const mode = options.http2 ?? "off";
  if (mode === "off") return (onResponse) => createConnection(req, onResponse);
  if (mode === "tls" && req.tls === null) {
    throw new TypeError("Cannot create connections: --http2 needs https://");
  }
  // One TLS options object for every connection (the runtimes cache per object), offering h2 first.
  const tls = mode === "tls" ? { ...req.tls!, alpn: H2_ALPN } : null;
  const pool = new H2ConnectionPool(req, {
    streams: options.streams ?? 1,
    connect: (listener) => openSocket(req, listener, tls),
    verifyOpen: mode === "tls" ? notH2 : undefined,
  });
  return (onResponse) => pool.create(onResponse);
}
