/**
 * The typed errors of gRPC input and of a server that cannot be used.
 *
 * @module
 */

/**
 * A gRPC input that cannot be used: a .proto that does not parse, an
 * unknown method, data that does not fit the request message. `option`
 * names the run option at fault; the message is one line.
 *
 * @example
 * ```ts
 * import { GrpcInputError } from "./errors.ts";
 * const e = new GrpcInputError("call", 'no method "Say" in service "demo.Echo"');
 * e.option; // "call"
 * ```
 */
export class GrpcInputError extends Error {
  /** The run option at fault (`"call"`, `"proto"`, `"data"`, ...). */
  readonly option: string;
  constructor(option: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "GrpcInputError";
    this.option = option;
  }
}

/**
 * The server cannot be used for gRPC calls: unreachable, or not a gRPC
 * server (it answered with another content type or without grpc-status).
 *
 * @example
 * ```ts
 * import { GrpcServerError } from "./errors.ts";
 * new GrpcServerError("grpc://127.0.0.1:1 is not reachable: connection refused").message;
 * ```
 */
export class GrpcServerError extends Error {
  /** A one-line `message` naming the server and what it did; `cause` the underlying error. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "GrpcServerError";
  }
}
