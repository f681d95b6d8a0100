/**
 * The connection contract of the HTTP client, in one file: what a request
 * looks like, the per-connection handle a load worker drives (`HttpConnection`,
 * implemented by the HTTP/1.1, HTTP/2 and fetch connections), the completion
 * callback and the options that pick a connection.
 *
 * @module
 */
import type { TlsConnectOptions } from "../runtime/types.ts";
import type { SocketEndpoint } from "./socket_opener.ts";
import type { BodyTap } from "./stream_timer.ts";

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
  /**
   * Times the responses from now on: the head's content type, the body bytes
   * and a stamp per read that brought something to time (a `StreamTimer`); null stops.
   * Absent on the `fetch` connection, whose responses are timed whole.
   */
  observe?(tap: BodyTap | null): void;
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
  /** TLS settings for https:// URLs (raw client). */
  tls?: RequestTlsOptions;
  /** `--connect-to` rules, `HOST:PORT:TARGET_HOST:TARGET_PORT` each (raw client). */
  connectTo?: readonly string[];
  /** Send over this unix domain socket instead of TCP (raw client; http:// URLs). */
  unixSocket?: string;
}

/** What the load workers pass to `prepareRequest` besides the transport (TLS, `--connect-to`, unix socket). */
export type ConnectOptions = Omit<PrepareOptions, "transport">;

/** Options of `createConnectionFactory`. */
export interface ConnectionFactoryOptions {
  /** "off" (default): HTTP/1.1; "prior-knowledge": h2c; "tls": HTTP/2 over TLS with ALPN "h2". */
  http2?: "off" | "tls" | "prior-knowledge";
  /** HTTP/2: handles per connection (concurrent streams); default 1. */
  streams?: number;
}

/** TLS settings of a request; certificates and keys as PEM text. */
export interface RequestTlsOptions {
  /** Skip certificate verification (`-k`). */
  insecure?: boolean;
  /** Trusted CA certificates, PEM (`--cacert`). */
  ca?: string[];
  /** Client certificate chain, PEM (`--cert`). */
  cert?: string;
  /** Client private key, PEM (`--key`). */
  key?: string;
  /** SNI name and the name checked against the certificate (`--servername`); default the URL's host. */
  servername?: string;
}

/** A validated request, serialized once; opaque to the engine. */
export interface PreparedRequest extends SocketEndpoint {
  /** The client that carries it. */
  readonly transport: HttpTransport;
  /** The request URL as given. */
  readonly url: string;
  /** The method as written (case-sensitive, RFC 9110 §9.1). */
  readonly method: string;
  /** Host name to connect to, after `--connect-to` (raw client; IPv6 without brackets). */
  readonly hostname: string;
  /** TCP port to connect to, after `--connect-to` (raw client). */
  readonly port: number;
  /**
   * TLS for https:// URLs (raw client), with SNI set to the URL's host and
   * ALPN `http/1.1`; null for http://.
   */
  readonly tls: TlsConnectOptions | null;
  /** Unix domain socket path (raw client), or null. */
  readonly unixSocket: string | null;
  /** Whether the response to this request never has a body (HEAD). */
  readonly noResponseBody: boolean;
  /** The complete HTTP/1.1 request: head and body (raw client). */
  readonly bytes: Uint8Array;
  /** Headers for `fetch` (fetch client). */
  readonly headers: Record<string, string>;
  /** Body for `fetch`, or `undefined`. */
  readonly body: Uint8Array | undefined;
}
