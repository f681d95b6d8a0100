/**
 * Maps transport errors from any runtime (Node-style `code`s on Bun and Node,
 * Deno's error classes, `fetch`'s wrapped causes) onto `ErrorKind`.
 *
 * @module
 */
import { ErrorKind } from "../collector/types.ts";

const BY_CODE: Record<string, number> = {
  ECONNREFUSED: ErrorKind.Refused,
  ConnectionRefused: ErrorKind.Refused,
  ECONNRESET: ErrorKind.Reset,
  EPIPE: ErrorKind.Reset,
  ECONNABORTED: ErrorKind.Reset,
  ConnectionReset: ErrorKind.Reset,
  ConnectionAborted: ErrorKind.Reset,
  BrokenPipe: ErrorKind.Reset,
  UnexpectedEof: ErrorKind.Reset,
  ETIMEDOUT: ErrorKind.Timeout,
  TimedOut: ErrorKind.Timeout,
  ENOTFOUND: ErrorKind.Dns,
  EAI_AGAIN: ErrorKind.Dns,
  EAI_NONAME: ErrorKind.Dns,
  EAI_FAIL: ErrorKind.Dns,
  DNSException: ErrorKind.Dns,
  EMFILE: ErrorKind.FdLimit,
  ENFILE: ErrorKind.FdLimit,
  DEPTH_ZERO_SELF_SIGNED_CERT: ErrorKind.Tls,
  SELF_SIGNED_CERT_IN_CHAIN: ErrorKind.Tls,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: ErrorKind.Tls,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: ErrorKind.Tls,
  CERT_HAS_EXPIRED: ErrorKind.Tls,
  ERR_TLS_CERT_ALTNAME_INVALID: ErrorKind.Tls,
  ERR_SSL_WRONG_VERSION_NUMBER: ErrorKind.Tls,
  ERR_LUNGE_TLS: ErrorKind.Tls,
  TlsError: ErrorKind.Tls,
  InvalidData: ErrorKind.Tls,
};

/**
 * Classifies a transport error: refused connections, resets (ECONNRESET,
 * EPIPE, a peer closing mid-response), timeouts, DNS failures, TLS failures,
 * running out of file descriptors, and `Other` for the rest.
 *
 * @example
 * ```ts
 * import { classifyError } from "./errors.ts";
 * import { ErrorKind } from "../collector/types.ts";
 * const error = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
 * console.log(classifyError(error) === ErrorKind.Refused); // true
 * ```
 */
export function classifyError(error: unknown): number {
  // Walk the cause chain (fetch wraps the socket error in a TypeError).
  for (let e = error, depth = 0; e !== null && typeof e === "object" && depth < 5; depth++) {
    const { code, name } = e as { code?: unknown; name?: unknown };
    if (typeof code === "string" && code in BY_CODE) return BY_CODE[code];
    if (typeof name === "string" && name in BY_CODE) return BY_CODE[name];
    e = (e as { cause?: unknown }).cause;
  }
  const text = String((error as { message?: unknown })?.message ?? error) +
    String((error as { cause?: { message?: unknown } })?.cause?.message ?? "");
  if (/too many open files|EMFILE|ENFILE/i.test(text)) return ErrorKind.FdLimit;
  if (/failed to lookup address|name or service not known|getaddrinfo|ENOTFOUND|EAI_AGAIN|dns/i.test(text)) {
    return ErrorKind.Dns;
  }
  if (/certificate|self[- ]signed|\btls\b|\bssl\b|handshake/i.test(text)) return ErrorKind.Tls;
  if (/refused/i.test(text)) return ErrorKind.Refused;
  if (/reset|broken pipe|EPIPE|socket hang up|closed unexpectedly|connection.*closed/i.test(text)) {
    return ErrorKind.Reset;
  }
  if (/timed? ?out/i.test(text)) return ErrorKind.Timeout;
  return ErrorKind.Other;
}
