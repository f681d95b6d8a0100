/**
 * Errors for failed libc socket calls on Deno, shaped like the ones
 * `Deno.connect` throws (the same `Deno.errors` classes and "(os error N)"
 * messages) and carrying the errno name as `code`, so that the engine
 * classifies them the same way on every path.
 *
 * @module
 */

/** errno → [Deno.errors class, errno name, message] for the errors a client socket meets. */
const KNOWN: Record<number, [string, string, string]> = {
  111: ["ConnectionRefused", "ECONNREFUSED", "Connection refused"],
  104: ["ConnectionReset", "ECONNRESET", "Connection reset by peer"],
  103: ["ConnectionAborted", "ECONNABORTED", "Software caused connection abort"],
  32: ["BrokenPipe", "EPIPE", "Broken pipe"],
  110: ["TimedOut", "ETIMEDOUT", "Connection timed out"],
  24: ["", "EMFILE", "Too many open files"],
  23: ["", "ENFILE", "Too many open files in system"],
  101: ["", "ENETUNREACH", "Network is unreachable"],
  113: ["", "EHOSTUNREACH", "No route to host"],
  99: ["AddrNotAvailable", "EADDRNOTAVAIL", "Cannot assign requested address"],
};

/**
 * The error for `errno` from libc call `call`, e.g. a `Deno.errors.ConnectionRefused`
 * with the message "Connection refused (os error 111)" and `code` "ECONNREFUSED".
 *
 * @example
 * ```ts
 * import { osError } from "./_epoll_errors.ts";
 * const error = osError(111, "connect");
 * console.log(error.message, (error as Error & { code: string }).code); // Connection refused (os error 111) ECONNREFUSED
 * ```
 */
export function osError(errno: number, call: string): Error {
  const known = KNOWN[errno];
  const message = `${known?.[2] ?? `${call} failed`} (os error ${errno})`;
  const classes = (globalThis as unknown as { Deno?: { errors?: Record<string, new (m: string) => Error> } })
    .Deno?.errors;
  const Class = known !== undefined && known[0] !== "" ? classes?.[known[0]] : undefined;
  const error = Class !== undefined ? new Class(message) : new Error(message);
  return Object.assign(error, { code: known?.[1] ?? `E${errno}`, errno, syscall: call });
}
