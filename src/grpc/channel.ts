/**
 * gRPC calls on lunge's own HTTP/2 client: a channel prepares the request
 * head once (path, content-type, te, grpc-timeout, metadata) and hands out
 * calls, each a stream handle of a shared HTTP/2 session with a message
 * reader. A call ends with its gRPC status: from the trailers, from a
 * trailers-only answer, from the HTTP status of a server that is not gRPC,
 * or from the transport failure.
 *
 * @module
 */
import { ErrorKind } from "../collector/types.ts";
import { prepareRequest } from "../http/request.ts";
import type { ConnectOptions } from "../http/types.ts";
import { H2_ALPN, notH2 } from "../http/h2/alpn.ts";
import { H2ConnectionPool, type H2StreamConnection } from "../http/h2/pool.ts";
import { openSocket } from "../http/socket_opener.ts";
import { MessageReader } from "./framing.ts";
import {
  decodeGrpcMessage,
  GRPC_STATUS_NAMES,
  GrpcStatus,
  grpcStatusOfFailure,
  grpcStatusOfHttp,
} from "./status.ts";
import { grpcTimeout } from "./timeout.ts";
import { VERSION } from "../version.ts";

/** Options of a `GrpcChannel`. */
export interface GrpcChannelOptions {
  /** `grpc://host:port` (h2c) or `grpcs://host:port` (TLS); http:// and https:// mean the same. */
  url: string;
  /** `/package.Service/Method`. */
  path: string;
  /** The request body every call sends unless it brings its own (framed messages). */
  body: Uint8Array;
  /** Metadata sent with every call (lower-case keys; `-bin` keys carry base64). */
  metadata?: ReadonlyArray<readonly [string, string]>;
  /** Deadline sent as `grpc-timeout`, ms; 0 or absent: none. */
  timeoutMs?: number;
  /** `grpc-encoding` of the request messages ("gzip" when they are compressed). */
  encoding?: string;
  /** TLS settings, `--connect-to`, unix socket. */
  connect?: ConnectOptions;
  /** Calls per HTTP/2 connection (concurrent streams); default 1. */
  streams?: number;
}

/** Called once per call: the gRPC status code, the HTTP status (0 without an answer), DATA bytes, `ErrorKind`. */
export type GrpcEndCallback = (code: number, httpStatus: number, bytes: number, kind: number) => void;

/**
 * The http(s):// URL of a grpc(s):// one.
 *
 * @example
 * ```ts
 * import { httpUrlOf } from "./channel.ts";
 * httpUrlOf("grpc://127.0.0.1:50051"); // "http://127.0.0.1:50051"
 * ```
 */
export function httpUrlOf(url: string): string {
  return url.replace(/^grpcs:/i, "https:").replace(/^grpc:/i, "http:").replace(/\/+$/, "");
}

/**
 * Prepared calls to one method of one server.
 *
 * @example
 * ```ts
 * import { GrpcChannel } from "./channel.ts";
 * import { frameMessage } from "./framing.ts";
 * const channel = new GrpcChannel({
 *   url: "grpc://127.0.0.1:50051",
 *   path: "/demo.Echo/Say",
 *   body: frameMessage(new Uint8Array(0)),
 * });
 * const call = channel.createCall((code) => console.log("grpc-status", code));
 * call.send();
 * ```
 */
export class GrpcChannel {
  readonly #pool: H2ConnectionPool;

  constructor(options: GrpcChannelOptions) {
    const base = httpUrlOf(options.url);
    const secure = base.startsWith("https:");
    const headers: Record<string, string> = {
      "content-type": "application/grpc",
      te: "trailers",
      "user-agent": `lunge/${VERSION} grpc`,
      "grpc-accept-encoding": "identity,gzip",
    };
    if (options.timeoutMs !== undefined && options.timeoutMs > 0) {
      headers["grpc-timeout"] = grpcTimeout(options.timeoutMs);
    }
    if (options.encoding !== undefined && options.encoding !== "identity") {
      headers["grpc-encoding"] = options.encoding;
    }
    for (const [key, value] of options.metadata ?? []) {
      const k = key.toLowerCase();
      headers[k] = headers[k] === undefined || !Object.hasOwn(headers, k) ? value : `${headers[k]},${value}`;
    }
    const req = prepareRequest(
      { url: base + options.path, method: "POST", headers, body: options.body },
      { ...options.connect, transport: "raw" },
    );
    const tls = secure ? { ...req.tls!, alpn: H2_ALPN } : null;
    this.#pool = new H2ConnectionPool(req, {
      streams: options.streams ?? 1,
      connect: (listener) => openSocket(req, listener, tls),
      verifyOpen: secure ? notH2 : undefined,
      grpc: true,
    });
  }

  /** A new call handle (a stream of the current connection; a new one every `streams` handles). */
  createCall(onEnd: GrpcEndCallback): GrpcCall {
    return new GrpcCall(this.#pool, onEnd);
  }
}

/**
 * One call at a time on one HTTP/2 stream handle; reused call after call.
 *
 * @example
 * ```ts
 * // Made by GrpcChannel.createCall(); see ./channel.ts.
 * ```
 */
export class GrpcCall {
  /** Reads the answer's messages (set `onFirst` / `onMessage` to see them). */
  readonly reader: MessageReader = new MessageReader();
  /** The gRPC status of the last call that ended, -1 before. */
  code = -1;
  readonly #conn: H2StreamConnection;
  #http = 0;

  constructor(pool: H2ConnectionPool, onEnd: GrpcEndCallback) {
    this.#conn = pool.createStream((status, bytes, kind) => {
      const code = this.#outcome(status, kind);
      this.code = code;
      this.#http = status;
      onEnd(code, status, bytes, kind);
    });
    this.#conn.sink = this.reader;
  }

  /**
   * Starts a call; `body` (framed messages) replaces the channel's for this
   * call; `keepOpen` leaves the request side open for `write` (client streaming).
   */
  send(body: Uint8Array | null = null, keepOpen = false): void {
    this.reader.reset();
    this.#conn.body = body;
    this.#conn.keepOpen = keepOpen;
    this.#conn.send();
  }

  /** More framed messages for the call in flight; `end` closes the request side. */
  write(bytes: Uint8Array, end: boolean): void {
    this.#conn.write(bytes, end);
  }

  /** Whether a call is in flight. */
  get inFlight(): boolean {
    return this.#conn.inFlight;
  }

  /** Ends the call in flight as `kind` (RST_STREAM CANCEL): reported as DEADLINE_EXCEEDED or UNAVAILABLE. */
  abort(kind: number): void {
    this.#conn.abort(kind);
  }

  /** Drops the call in flight unreported; the connection closes with its last handle. */
  close(): void {
    this.#conn.close();
  }

  /** Calls retried on a new connection, and reconnects. */
  get reconnects(): number {
    return this.#conn.reconnects;
  }

  /**
   * Why the last call failed, one line: `UNAVAILABLE: <grpc-message>`, the
   * transport failure, or what showed the server is not gRPC.
   */
  get errorMessage(): string {
    const c = this.#conn;
    const name = GRPC_STATUS_NAMES[this.code] ?? `status ${this.code}`;
    if (this.#http === 0) return `${name}: ${c.lastError || "no answer"}`;
    if (c.grpcStatus < 0) {
      return this.#http !== 200
        ? `${name}: not a gRPC server (HTTP ${this.#http}${
          c.contentType === 2 ? ", content-type is not application/grpc" : ""
        })`
        : c.contentType !== 1
        ? `${name}: not a gRPC server (HTTP 200, content-type is not application/grpc)`
        : `${name}: the answer ended without grpc-status`;
    }
    if (this.reader.partial && c.grpcStatus === 0) return `${name}: the answer ended inside a message`;
    const message = decodeGrpcMessage(c.grpcMessage);
    return message === "" ? name : `${name}: ${message}`;
  }

  #outcome(status: number, kind: number): number {
    if (kind !== ErrorKind.None) return grpcStatusOfFailure(kind);
    const c = this.#conn;
    if (c.grpcStatus < 0) return status === 200 ? GrpcStatus.INTERNAL : grpcStatusOfHttp(status);
    if (c.grpcStatus === 0 && this.reader.partial) return GrpcStatus.INTERNAL;
    return c.grpcStatus;
  }
}
