/**
 * The types of `ctx.grpc` in scenarios: connect to a server with a .proto
 * (or by reflection), then unary, server-streaming, client-streaming and
 * bidirectional calls, each measured under a name as `ctx.http` requests
 * are, and counted by gRPC status.
 *
 * ```ts
 * export default async function (ctx: ScenarioContext) {
 *   const echo = await ctx.grpc.connect("grpc://127.0.0.1:50051", { proto: "examples/grpc/echo.proto" });
 *   const res = await echo.invoke("lunge.echo.Echo/Say", { name: "ann" }, { name: "say" });
 *   ctx.check(res, { "is OK": (r) => r.ok });
 * }
 * ```
 *
 * @module
 */

/** Options of `ctx.grpc.connect`. */
export interface GrpcConnectOptions {
  /** .proto file(s) declaring the services; absent: server reflection. */
  proto?: string | string[];
  /** Folders searched for the .proto files' imports. */
  importPaths?: string[];
  /** Metadata sent with every call of this connection. */
  metadata?: Record<string, string>;
}

/** Options of one call. */
export interface GrpcCallOptions {
  /** Metrics name (default: `package.Service/Method`). */
  name?: string;
  /** Metadata of this call (added to the connection's). */
  metadata?: Record<string, string>;
  /** Deadline in ms, sent as grpc-timeout (default: the run's `--timeout`). */
  timeout?: number;
}

/** The outcome of a call (never a rejection: a failure has `ok` false and `status` set). */
export interface GrpcResponse {
  /** gRPC status code (0 OK, 14 UNAVAILABLE, 4 DEADLINE_EXCEEDED, ...). */
  readonly status: number;
  /** Its name ("OK", "UNAVAILABLE", ...). */
  readonly statusName: string;
  /** Whether the status is OK. */
  readonly ok: boolean;
  /** The grpc-message (decoded), or why the call failed without an answer; "" when OK. */
  readonly error: string;
  /** The first (for unary calls: the) response message as a plain object, or null. */
  readonly message: Record<string, unknown> | null;
  /** Every response message, in order. */
  readonly messages: Record<string, unknown>[];
  /** Timings in ms: to the first message (null without one) and to the end. */
  readonly timings: { firstMessage: number | null; duration: number };
}

/** A bidirectional (or client-streaming) call in progress. */
export interface GrpcStream {
  /** Sends one request message. */
  send(message: Record<string, unknown>): void;
  /** Ends the request side. */
  end(): void;
  /** Called with each response message as it arrives. */
  onMessage: ((message: Record<string, unknown>) => void) | null;
  /** Settles when the call ends. */
  readonly response: Promise<GrpcResponse>;
}

/** One server (and its .proto) for one virtual user; kept across its iterations. */
export interface GrpcConnection {
  /** A unary call. */
  invoke(method: string, message: Record<string, unknown>, options?: GrpcCallOptions): Promise<GrpcResponse>;
  /** A server-streaming call: the answer's messages in `messages`. */
  serverStream(
    method: string,
    message: Record<string, unknown>,
    options?: GrpcCallOptions,
  ): Promise<GrpcResponse>;
  /** A client-streaming call sending `messages`. */
  clientStream(
    method: string,
    messages: Record<string, unknown>[],
    options?: GrpcCallOptions,
  ): Promise<GrpcResponse>;
  /**
   * A bidirectional call: with `messages`, sends them all and ends; without,
   * returns a stream to `send` on and `end`.
   */
  bidi(method: string, messages: Record<string, unknown>[], options?: GrpcCallOptions): Promise<GrpcResponse>;
  /** A bidirectional call as a stream: `send` messages, `end`, read them with `onMessage`. */
  bidi(method: string, options?: GrpcCallOptions): GrpcStream;
  /** Closes the connection (also done when the run ends). */
  close(): void;
}

/** `ctx.grpc`. */
export interface GrpcClient {
  /** Connects to `target` (grpc://host:port or grpcs://host:port); the same target and proto reuse one connection. */
  connect(target: string, options?: GrpcConnectOptions): Promise<GrpcConnection>;
}
