/**
 * The text kept for a failed request: the transport error's own message, or
 * a fixed description when the failure has no error object (a peer closing,
 * a timeout). Runs on the failure path only.
 *
 * @module
 */

/** Methods retried once after a stale keep-alive close (RFC 9110 §9.2.2 idempotent methods). */
const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

/**
 * Whether a request with `method` may be sent again after the server closed
 * a reused connection before answering.
 *
 * @example
 * ```ts
 * import { isRetryableMethod } from "./failure_message.ts";
 * console.log(isRetryableMethod("GET"), isRetryableMethod("POST")); // true false
 * ```
 */
export function isRetryableMethod(method: string): boolean {
  return IDEMPOTENT.has(method.toUpperCase());
}

/**
 * The message of a transport error (`error.message`, with the `code` when the
 * message does not already name it, and the cause's message for `fetch`'s
 * wrapped errors), on one line.
 *
 * @example
 * ```ts
 * import { errorMessage } from "./failure_message.ts";
 * const e = Object.assign(new Error("connect failed"), { code: "ECONNREFUSED" });
 * console.log(errorMessage(e)); // "connect failed (ECONNREFUSED)"
 * ```
 */
export function errorMessage(error: unknown): string {
  if (error === null || error === undefined) return "connection closed by the peer";
  if (typeof error !== "object") return String(error);
  const e = error as { message?: unknown; code?: unknown; cause?: unknown; name?: unknown };
  // A TlsError's message is already the reason; its cause is the runtime's raw text.
  if (e.name === "TlsError" && typeof e.message === "string") return e.message;
  let text = typeof e.message === "string" && e.message !== "" ? e.message : String(error);
  if (typeof e.code === "string" && !text.includes(e.code)) text += ` (${e.code})`;
  const cause = e.cause as { message?: unknown } | undefined;
  if (
    cause !== null && typeof cause === "object" && typeof cause.message === "string" && cause.message !== ""
  ) {
    if (!text.includes(cause.message)) text += `: ${cause.message}`;
  }
  return text.replace(/\s*\n\s*/g, " ");
}

/** A close before any response byte on a fresh connection. */
export const CLOSED_BEFORE_RESPONSE = "connection closed by the server before a response";
/** A close in the middle of a response. */
export const CLOSED_MID_RESPONSE = "connection closed by the server in the middle of a response";
/** A stale keep-alive close under a request that must not be sent twice. */
export const CLOSED_NOT_RETRIED =
  "connection closed by the server before a response (reused connection; not retried: the method is not idempotent)";
