/**
 * The raw-socket HTTP/1.1 keep-alive connection (over TCP, TLS or a unix
 * socket): it
 * writes the request bytes prepared once, parses responses incrementally and
 * reconnects after closes. In the steady state a request costs one socket
 * write and the parsing of what comes back; nothing is allocated here.
 *
 * @module
 */
import { ErrorKind } from "../collector/types.ts";
import type { TcpListener, TcpSocket } from "../runtime/connect.ts";
import { classifyError } from "./errors.ts";
import {
  CLOSED_BEFORE_RESPONSE,
  CLOSED_MID_RESPONSE,
  CLOSED_NOT_RETRIED,
  errorMessage,
  isRetryableMethod,
} from "./failure_message.ts";
import { openSocket } from "./socket_opener.ts";
import { ResponseParser } from "./_response_parser.ts";
import type { HttpConnection, PreparedRequest, ResponseCallback } from "./types.ts";
import type { BodyTap } from "./stream_timer.ts";

/**
 * An `HttpConnection` over a raw TCP socket.
 *
 * Behaviour at the edges:
 * - a close by the server while idle is not an error: the next `send()` reconnects;
 * - a request sent on a reused connection that the server closes before any
 *   response byte arrives (the idle-close race) is retried once on a new connection
 *   when its method is idempotent (GET, HEAD, PUT, DELETE, OPTIONS); otherwise it
 *   fails as `ErrorKind.Reset`;
 * - every failure leaves its message in `lastError` (set on the failure path only);
 * - `Connection: close`, HTTP/1.0 responses and close-delimited bodies close the
 *   socket after the response; the next `send()` reconnects;
 * - bytes arriving while no request is in flight (unsolicited) close the socket;
 * - a malformed response fails the request with `ErrorKind.Protocol` and closes the socket;
 * - `close()` drops an in-flight request without reporting it.
 *
 * @example
 * ```ts
 * import { prepareRequest } from "./request.ts";
 * import { RawHttpConnection } from "./raw_connection.ts";
 * const req = prepareRequest({ url: "http://127.0.0.1:8080/", method: "GET", headers: {} });
 * const conn = new RawHttpConnection(req, (status, bytes, error) => console.log(status, bytes, error));
 * conn.send();
 * ```
 */
export class RawHttpConnection implements HttpConnection, TcpListener {
  private busy = false;
  private reconnectCount = 0;
  private connectCount = 0;
  private socket: TcpSocket | null = null;
  private connected = false;
  /** Requests written on the current socket, the one in flight included. */
  private requestsOnSocket = 0;
  private retried = false;
  private readonly parser = new ResponseParser();
  private retryable: boolean;
  private tap: BodyTap | null = null;
  /** Message of the last failure reported (empty when none yet); read by the engine on failure. */
  lastError = "";

  constructor(private request: PreparedRequest, private readonly onResponse: ResponseCallback) {
    this.retryable = isRetryableMethod(request.method);
  }

  /**
   * Carries `request` from the next `send()` on (request sets switch targets
   * per send). It must go to the same host and port: the open socket is kept.
   */
  use(request: PreparedRequest): void {
    this.request = request;
    this.retryable = isRetryableMethod(request.method);
    if (!this.busy) this.parser.reset(request.noResponseBody);
  }

  /** Times the responses from now on (first body byte, events, tokens); null stops. */
  observe(tap: BodyTap | null): void {
    this.tap = tap;
    this.parser.tap = tap;
  }

  /** Whether a request is in flight. */
  get inFlight(): boolean {
    return this.busy;
  }

  /** Connections opened after the first one. */
  get reconnects(): number {
    return this.reconnectCount;
  }

  /** Sends the request, connecting first when there is no open socket. */
  send(): void {
    if (this.busy) throw new Error("Cannot send: a request is already in flight on this connection");
    this.busy = true;
    this.retried = false;
    if (this.socket === null) this.connect();
    else if (this.connected) this.writeRequest();
    // Otherwise the socket is still connecting; onTcpOpen writes the request.
  }

  /** Fails the in-flight request with `kind` and closes the socket. */
  abort(kind: number): void {
    if (this.busy) this.fail(kind, "");
  }

  /** Closes the socket; an in-flight request is dropped without being reported. */
  close(): void {
    this.busy = false;
    this.drop();
  }

  /** @internal */
  onTcpOpen(socket: TcpSocket): void {
    if (socket !== this.socket) return;
    this.connected = true;
    if (this.busy) this.writeRequest();
  }

  /** @internal */
  onTcpData(socket: TcpSocket, bytes: Uint8Array, length: number): void {
    if (socket !== this.socket) return;
    if (!this.busy) {
      this.drop(); // unsolicited bytes: this connection can no longer be trusted
      return;
    }
    const parser = this.parser;
    const next = parser.feed(bytes, 0, length);
    if (next < 0) {
      this.fail(ErrorKind.Protocol, `malformed response: ${parser.error}`);
      return;
    }
    if (!parser.complete) {
      // Mid-response: what this read brought is timed now (a completed one by the caller's clock read).
      const tap = this.tap;
      if (tap !== null && tap.pending) tap.stamp(tap.now());
      return;
    }
    // Bytes after the response belong to no request; a closing response ends the socket.
    if (next < length || !parser.keepAlive) this.drop();
    this.busy = false;
    this.onResponse(parser.status, parser.bodyBytes, ErrorKind.None);
  }

  /** @internal */
  onTcpClose(socket: TcpSocket, error: unknown): void {
    if (socket !== this.socket) return;
    this.socket = null;
    this.connected = false;
    if (!this.busy) return; // an idle keep-alive connection closed by the server: not an error
    const parser = this.parser;
    if (error === undefined && parser.finish()) {
      this.busy = false;
      this.onResponse(parser.status, parser.bodyBytes, ErrorKind.None);
      return;
    }
    const stale = !parser.midResponse && this.requestsOnSocket > 1 && !this.retried;
    if (stale && this.retryable) {
      // The server closed the reused connection as we sent on it: try once on a new one.
      this.retried = true;
      this.connect();
      return;
    }
    this.busy = false;
    if (error === undefined || error === null) {
      this.lastError = stale
        ? CLOSED_NOT_RETRIED
        : parser.midResponse
        ? CLOSED_MID_RESPONSE
        : CLOSED_BEFORE_RESPONSE;
      this.onResponse(0, 0, ErrorKind.Reset);
      return;
    }
    this.lastError = errorMessage(error);
    this.onResponse(0, 0, classifyError(error));
  }

  private connect(): void {
    if (this.connectCount++ > 0) this.reconnectCount++;
    this.connected = false;
    this.requestsOnSocket = 0;
    this.parser.reset(this.request.noResponseBody);
    this.socket = openSocket(this.request, this);
  }

  private writeRequest(): void {
    this.requestsOnSocket++;
    this.socket!.write(this.request.bytes);
  }

  private drop(): void {
    const socket = this.socket;
    this.socket = null;
    this.connected = false;
    socket?.close();
  }

  private fail(kind: number, message: string): void {
    this.lastError = message;
    this.drop();
    this.busy = false;
    this.onResponse(0, 0, kind);
  }
}
