/**
 * Shapes of the load engine's HTTP/1.1 client: what a request looks like, the
 * per-connection handle the engine drives, and the completion callback.
 *
 * @module
 */

/** A request as the user describes it; `prepareRequest` validates and serializes it once. */
export interface RequestSpec {
  /** Absolute `http://` or `https://` URL. */
  url: string;
  /** HTTP method, e.g. `"GET"`. */
  method: string;
  /** Request headers; `Host` and `Content-Length` are added when absent. */
  headers: Record<string, string>;
  /** Request body; strings are sent as UTF-8. */
  body?: Uint8Array | string;
}

/**
 * Called exactly once per `send()`: `(status, bodyBytes, ErrorKind.None)` when
 * a response arrived, `(0, 0, kind)` on a transport failure.
 */
export type ResponseCallback = (status: number, bodyBytes: number, errorKind: number) => void;

/** One keep-alive connection carrying at most one request at a time. */
export interface HttpConnection {
  /**
   * Sends the prepared request on this connection (connecting first if needed,
   * reconnecting after a close). Calls the callback given at creation exactly
   * once per send. One request in flight at a time; `send()` while in flight throws.
   */
  send(): void;
  /**
   * Fails the in-flight request now with `kind` (the engine calls this for
   * timeouts from its own sweep) and closes the socket; the next `send()`
   * reconnects. No-op when idle.
   */
  abort(kind: number): void;
  /**
   * Closes the socket. An in-flight request is dropped and NOT reported (the
   * caller is giving up on it, e.g. at the end of a run). A later `send()` reconnects.
   */
  close(): void;
  /** Whether a request is in flight. */
  readonly inFlight: boolean;
  /** Number of times this connection had to (re)connect after the first connect. */
  readonly reconnects: number;
  /**
   * The message of the last failure reported through the callback (set on the
   * failure path only, so reading it costs nothing on success); empty or absent
   * when the connection has none (the engine then describes the kind).
   */
  readonly lastError?: string;
}

/** Which client carries a prepared request. */
export type HttpTransport = "raw" | "fetch";

/** Options of `prepareRequest`. */
export interface PrepareOptions {
  /**
   * `"auto"` (default): the raw-socket client for `http://`, `fetch` otherwise.
   * `"fetch"` forces `fetch` (useful for comparisons and tests); `"raw"` refuses
   * URLs the raw client cannot carry.
   */
  transport?: "auto" | HttpTransport;
}

/** A validated request, serialized once; opaque to the engine. */
export interface PreparedRequest {
  /** The client that carries it. */
  readonly transport: HttpTransport;
  /** The request URL as given. */
  readonly url: string;
  /** Upper-cased method. */
  readonly method: string;
  /** Host name to connect to (raw client; IPv6 without brackets). */
  readonly hostname: string;
  /** TCP port to connect to (raw client). */
  readonly port: number;
  /** Whether the response to this request never has a body (HEAD). */
  readonly noResponseBody: boolean;
  /** The complete HTTP/1.1 request: head and body (raw client). */
  readonly bytes: Uint8Array;
  /** Headers for `fetch` (fetch client). */
  readonly headers: Record<string, string>;
  /** Body for `fetch`, or `undefined`. */
  readonly body: Uint8Array | undefined;
}
