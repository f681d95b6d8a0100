/**
 * Maps transport errors from any runtime (Node-style `code`s on Bun and Node,
 * Deno's error classes, `fetch`'s wrapped causes) onto `ErrorKind`.
 *
 * @module
 */
import { ErrorKind } from "../../collector/types.ts";

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
};

/**
 * Classifies a transport error: refused connections, resets (ECONNRESET,
 * EPIPE, a peer closing mid-response), timeouts, and `Other` for the rest
 * (DNS, TLS, protocol errors).
 *
 * @example
 * ```ts
 * import { classifyError } from "./errors.ts";
 * import { ErrorKind } from "../../collector/types.ts";
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
  if (/refused/i.test(text)) return ErrorKind.Refused;
  if (/reset|broken pipe|EPIPE|socket hang up|closed unexpectedly|connection.*closed/i.test(text)) {
    return ErrorKind.Reset;
  }
  if (/timed? ?out/i.test(text)) return ErrorKind.Timeout;
  return ErrorKind.Other;
}
