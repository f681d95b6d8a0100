/**
 * Hands out HTTP/2 stream handles: every `streams` handles share one session
 * (one connection), so `-c` connections with `--streams N` give `c × N`
 * virtual users, each an `HttpConnection` to the load engine.
 *
 * @module
 */
import type { HttpConnection, PreparedRequest, ResponseCallback } from "../types.ts";
import { prepareH2Request } from "./_request.ts";
import type { H2Request } from "./_request.ts";
import { type H2ConnectFn, H2Session } from "./_session.ts";
import type { TcpSocket } from "../../runtime/types.ts";
import type { H2StreamConnection } from "./_stream.ts";

export type { H2DataSink, H2StreamConnection } from "./_stream.ts";

/** Options of an `H2ConnectionPool`. */
export interface H2PoolOptions {
  /** Concurrent streams per connection (h2load's `-m`). */
  streams: number;
  /** Opens the byte stream of one connection. */
  connect: H2ConnectFn;
  /** Checks a socket once open (e.g. ALPN "h2"); a message fails the connection. */
  verifyOpen?: (socket: TcpSocket) => string | null;
  /**
   * gRPC: no content-length on the requests (each handle may send a body of its own), and the
   * sessions read grpc-status, grpc-message and content-type and hand DATA to the handles' sinks.
   */
  grpc?: boolean;
}

/**
 * Creates stream handles over shared HTTP/2 sessions.
 *
 * @example
 * ```ts
 * import { prepareRequest } from "../request.ts";
 * import { tcpConnect } from "../../runtime/connect.ts";
 * import { H2ConnectionPool } from "./pool.ts";
 * const req = prepareRequest({ url: "http://127.0.0.1:8080/", method: "GET", headers: {} });
 * const pool = new H2ConnectionPool(req, {
 *   streams: 10,
 *   connect: (listener) => tcpConnect(req.hostname, req.port, listener),
 * });
 * const conn = pool.create((status, bytes, kind) => console.log(status, bytes, kind));
 * conn.send();
 * ```
 */
export class H2ConnectionPool {
  readonly #request: H2Request;
  readonly #options: H2PoolOptions;
  readonly #sessions: H2Session[] = [];
  #inCurrent = 0;

  constructor(req: PreparedRequest, options: H2PoolOptions) {
    if (!Number.isInteger(options.streams) || options.streams < 1) {
      throw new RangeError(`Cannot create HTTP/2 connections: "streams" must be an integer >= 1`);
    }
    this.#request = prepareH2Request(req, { contentLength: options.grpc !== true });
    this.#options = options;
  }

  /** The sessions made so far (one per connection). */
  get sessions(): readonly H2Session[] {
    return this.#sessions;
  }

  /** A new stream handle; a new session starts every `streams` handles. */
  create(onResponse: ResponseCallback): HttpConnection {
    return this.createStream(onResponse);
  }

  /** `create` with the handle's own type: its body, `write`, sink and gRPC fields (see `H2StreamConnection`). */
  createStream(onResponse: ResponseCallback): H2StreamConnection {
    if (this.#sessions.length === 0 || this.#inCurrent >= this.#options.streams) {
      this.#sessions.push(
        new H2Session({
          request: this.#request,
          connect: this.#options.connect,
          verifyOpen: this.#options.verifyOpen,
          grpc: this.#options.grpc,
        }),
      );
      this.#inCurrent = 0;
    }
    this.#inCurrent++;
    return this.#sessions[this.#sessions.length - 1].createStream(onResponse);
  }
}
