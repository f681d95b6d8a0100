/**
 * One HTTP/2 stream handle: the `HttpConnection` a virtual user drives. Its
 * requests go out as streams of the session it shares with other handles;
 * at most one is in flight at a time, like an HTTP/1.1 connection.
 *
 * @module
 */
import type { HttpConnection, ResponseCallback } from "../types.ts";
import type { BodyTap } from "../stream_timer.ts";

/** Where a handle's current request is. */
export const StreamState = { Idle: 0, Queued: 1, Open: 2 } as const;

/**
 * What a stream handle asks of the session that carries it; `H2Session`
 * implements it. Declared here so the handle does not import the session
 * (which imports the handle).
 */
export interface StreamSession {
  /** Queues the handle's request for a new stream. */
  submit(handle: H2StreamConnection): void;
  /** Fails the handle's request with `kind` (RST_STREAM on an open stream). */
  abort(handle: H2StreamConnection, kind: number): void;
  /** Drops the handle's request unreported. */
  cancel(handle: H2StreamConnection): void;
  /** Counts a handle closed; the last one closes the socket. */
  handleClosed(): void;
  /** Counts a closed handle back in. */
  reopened(): void;
  /** Sends more request data on the handle's stream (queued until it opens); `end` half-closes it. */
  write(handle: H2StreamConnection, bytes: Uint8Array, end: boolean): void;
}

/**
 * Receives a stream's response DATA as it arrives (gRPC reads its length-prefixed messages);
 * `bytes[start, start + length)` is valid only during the call.
 *
 * @example
 * ```ts
 * import type { H2DataSink } from "./_stream.ts";
 * let total = 0;
 * const sink: H2DataSink = { onBytes: (_b, _s, length) => void (total += length) };
 * ```
 */
export interface H2DataSink {
  /** Response data of the open stream, in order. */
  onBytes(bytes: Uint8Array, start: number, length: number): void;
}

/**
 * An `HttpConnection` carried by one stream at a time of a shared `H2Session`.
 *
 * Behaviour at the edges:
 * - a request waits in the session's queue while the connection is being
 *   opened or the server's SETTINGS_MAX_CONCURRENT_STREAMS is reached;
 * - a request on a stream the server did not process (above the last-stream id
 *   of a GOAWAY, or refused with REFUSED_STREAM) is retried on a new
 *   connection and counted in `reconnects`;
 * - `abort(kind)` resets the stream (RST_STREAM CANCEL) and reports `kind`;
 *   the connection stays open unless it showed no sign of life since the stream began;
 * - `close()` drops the request unreported; the session closes its socket once
 *   every handle on it is closed.
 *
 * @example
 * ```ts
 * // Made by H2ConnectionPool.create(); see ./pool.ts.
 * ```
 */
export class H2StreamConnection implements HttpConnection {
  /** Stream id while open, else 0. */
  streamId = 0;
  /** StreamState of the current request. */
  state: number = StreamState.Idle;
  /** Whether a request is in flight (queued or open). */
  busy = false;
  /** Whether `close()` was called and no `send()` since. */
  closed = false;
  // Response progress of the open stream.
  status = 0;
  headersDone = false;
  bodyBytes = 0;
  contentLength = -1;
  /** Bytes of the request body still to send, and where the next DATA frame starts. */
  bodyOffset = 0;
  /** Send window of the open stream (request bodies). */
  sendWindow = 0;
  /** Receive window left on the open stream, and bytes consumed since the last WINDOW_UPDATE. */
  recvWindow = 0;
  recvConsumed = 0;
  /** The session's read counter when the stream opened (to tell a silent connection). */
  readMark = 0;
  /** Retries on a new connection, plus the session's reconnects for its first handle. */
  retries = 0;
  /** The message of the last failure reported on this handle, or "". */
  lastError = "";
  /** Times the responses (first body byte, events, tokens), or null. */
  tap: BodyTap | null = null;
  // gRPC: the response's grpc-status (-1 none), grpc-message and content-type (see HpackDecoder).
  grpcStatus = -1;
  grpcMessage = "";
  contentType = 0;
  /** Gets the response DATA when set (a gRPC session delivers it). */
  sink: H2DataSink | null = null;
  /** This handle's own request body for its next stream (null: the session's request body). */
  body: Uint8Array | null = null;
  /** Keep the request side open after `body` (client streaming): more comes through `write`. */
  keepOpen = false;
  /** The open stream's outgoing data, whether END_STREAM follows it, and whether it went. */
  out: Uint8Array | null = null;
  outEnd = true;
  endSent = false;

  constructor(readonly session: StreamSession, readonly onResponse: ResponseCallback) {}

  /** Times the responses from now on; null stops. */
  observe(tap: BodyTap | null): void {
    this.tap = tap;
  }

  /** Whether a request is in flight. */
  get inFlight(): boolean {
    return this.busy;
  }

  /** Requests retried on a new connection (GOAWAY, REFUSED_STREAM) and reconnects of the session. */
  get reconnects(): number {
    return this.retries;
  }

  /** Sends the request on a new stream of the session. */
  send(): void {
    if (this.busy) throw new Error("Cannot send: a request is already in flight on this connection");
    this.busy = true;
    if (this.closed) {
      this.closed = false;
      this.session.reopened();
    }
    this.session.submit(this);
  }

  /** Fails the in-flight request with `kind` (RST_STREAM on an open stream). */
  abort(kind: number): void {
    if (this.busy) this.session.abort(this, kind);
  }

  /** Sends more request data on the current stream (client streaming); `end` ends the request side. */
  write(bytes: Uint8Array, end: boolean): void {
    if (this.busy) this.session.write(this, bytes, end);
  }

  /** Drops the in-flight request unreported. */
  close(): void {
    if (this.closed) return;
    if (this.busy) this.session.cancel(this);
    this.busy = false;
    this.closed = true;
    this.session.handleClosed();
  }

  /** Clears the response state for a new stream. */
  resetResponse(): void {
    this.status = 0;
    this.headersDone = false;
    this.bodyBytes = 0;
    this.contentLength = -1;
    this.recvConsumed = 0;
    this.grpcStatus = -1;
    this.grpcMessage = "";
    this.contentType = 0;
  }
}
