/**
 * gRPC status codes: their names, what a transport failure or a plain HTTP
 * answer means as a gRPC status, and the HTTP status a call is counted under
 * in the run's HTTP-shaped totals.
 *
 * @module
 */
import { ErrorKind } from "../collector/types.ts";

/**
 * Names of the gRPC status codes, by code (0..16).
 *
 * @example
 * ```ts
 * import { GRPC_STATUS_NAMES } from "./status.ts";
 * GRPC_STATUS_NAMES[14]; // "UNAVAILABLE"
 * ```
 */
export const GRPC_STATUS_NAMES: readonly string[] = Object.freeze([
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
]);

/** The gRPC status codes lunge names (0..16); a code above is counted as UNKNOWN. */
export const GRPC_STATUS_COUNT = 17;

/** Named gRPC status codes. */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  DEADLINE_EXCEEDED: 4,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

// The HTTP status a gRPC code corresponds to (google.api's mapping, as gRPC gateways use it).
const HTTP_OF = [200, 499, 500, 400, 504, 404, 409, 403, 429, 400, 409, 400, 501, 500, 503, 500, 401];

/**
 * The HTTP status a call with gRPC status `code` is counted under in the
 * run's totals (so error rates and `statusCodes` read as for HTTP).
 *
 * @example
 * ```ts
 * import { httpStatusOfGrpc } from "./status.ts";
 * httpStatusOfGrpc(0); // 200
 * httpStatusOfGrpc(14); // 503
 * ```
 */
export function httpStatusOfGrpc(code: number): number {
  return code >= 0 && code < HTTP_OF.length ? HTTP_OF[code] : 500;
}

/**
 * The gRPC status of a response without `grpc-status` that carried HTTP
 * status `http` (gRPC's "HTTP to gRPC status code mapping").
 *
 * @example
 * ```ts
 * import { grpcStatusOfHttp } from "./status.ts";
 * grpcStatusOfHttp(404); // 12 (UNIMPLEMENTED)
 * ```
 */
export function grpcStatusOfHttp(http: number): number {
  switch (http) {
    case 400:
      return GrpcStatus.INTERNAL;
    case 401:
      return 16;
    case 403:
      return 7;
    case 404:
      return GrpcStatus.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return GrpcStatus.UNAVAILABLE;
    default:
      return GrpcStatus.UNKNOWN;
  }
}

/**
 * The gRPC status of a call that failed without an answer (`ErrorKind`): a
 * timeout is DEADLINE_EXCEEDED, a broken protocol INTERNAL, the rest
 * (refused, reset, DNS, TLS) UNAVAILABLE, as gRPC clients report them.
 *
 * @example
 * ```ts
 * import { grpcStatusOfFailure } from "./status.ts";
 * import { ErrorKind } from "../collector/types.ts";
 * grpcStatusOfFailure(ErrorKind.Timeout); // 4
 * ```
 */
export function grpcStatusOfFailure(kind: number): number {
  if (kind === ErrorKind.Timeout) return GrpcStatus.DEADLINE_EXCEEDED;
  if (kind === ErrorKind.Protocol) return GrpcStatus.INTERNAL;
  return GrpcStatus.UNAVAILABLE;
}

/**
 * `grpc-message` as sent (percent-encoded, RFC 3986 style) made readable.
 *
 * @example
 * ```ts
 * import { decodeGrpcMessage } from "./status.ts";
 * decodeGrpcMessage("no%20such%20user"); // "no such user"
 * ```
 */
export function decodeGrpcMessage(text: string): string {
  if (!text.includes("%")) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
