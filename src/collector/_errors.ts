/**
 * Typed errors of the collectors.
 *
 * @module
 */
import { ERROR_KIND_COUNT } from "./types.ts";

/**
 * Thrown by `recordRequest`/`record` for a result that cannot be counted: a
 * negative or non-finite duration, a status outside 100-599 (or 0 without a
 * transport error), negative or fractional bytes, an unknown error kind. The
 * collector counts it in `invalidRecords` and leaves every other count as it
 * was.
 *
 * @example
 * ```ts
 * import { InvalidResultError } from "./_errors.ts";
 * try {
 *   throw new InvalidResultError("durationMs", -1);
 * } catch (e) {
 *   if (e instanceof InvalidResultError) console.log(e.field); // "durationMs"
 * }
 * ```
 */
export class InvalidResultError extends RangeError {
  /** The field that was wrong. */
  readonly field: string;
  /** The value it had. */
  readonly value: unknown;

  /**
   * Builds the message `Cannot record request: invalid "<field>" (<value>)`.
   *
   * @param field Name of the invalid `RequestResult` field, e.g. "durationMs".
   * @param value The value it had (shown in the message via `String(value)`).
   */
  constructor(field: string, value: unknown) {
    super(`Cannot record request: invalid "${field}" (${String(value)})`);
    this.name = "InvalidResultError";
    this.field = field;
    this.value = value;
  }
}

/**
 * Checks one result; returns the name of the first bad field, or `null`.
 * Kept allocation-free: it runs on every record.
 *
 * @example
 * ```ts
 * import { invalidField } from "./_errors.ts";
 * invalidField(200, 1.2, 10, 0, -1); // null
 * invalidField(700, 1.2, 10, 0, -1); // "status"
 * ```
 */
export function invalidField(
  status: number,
  durationMs: number,
  bytes: number,
  errorKind: number,
  serviceTimeMs: number,
): string | null {
  if (!(durationMs >= 0 && durationMs < Infinity)) return "durationMs";
  if (!(bytes >= 0 && bytes <= Number.MAX_SAFE_INTEGER) || Math.floor(bytes) !== bytes) return "bytes";
  // Every kind the engine reports (dns, tls, protocol and fd_limit included) is a valid one.
  if (!(errorKind >= 0 && errorKind < ERROR_KIND_COUNT) || (errorKind | 0) !== errorKind) return "errorKind";
  if (errorKind === 0) {
    if (!(status >= 100 && status <= 599) || (status | 0) !== status) return "status";
  } else if (status !== 0 && !(status >= 100 && status <= 599 && (status | 0) === status)) {
    return "status";
  }
  if (serviceTimeMs === Infinity || serviceTimeMs !== serviceTimeMs) return "serviceTimeMs"; // NaN
  return null;
}

const FIELDS = ["status", "durationMs", "bytes", "errorKind", "serviceTimeMs"];
const FIELDS_NS = ["status", "latencyNs", "bytes", "errorKind", "serviceNs"];

/**
 * The error for a rejected record: `field` as `invalidField` named it,
 * `values` the five arguments in order, `nanoseconds` when they came through
 * `recordNs` (the field names then say so).
 *
 * @example
 * ```ts
 * import { invalidResult } from "./_errors.ts";
 * invalidResult("durationMs", [200, -1, 0, 0, -1], false).message;
 * // 'Cannot record request: invalid "durationMs" (-1)'
 * ```
 */
export function invalidResult(
  field: string,
  values: readonly number[],
  nanoseconds: boolean,
): InvalidResultError {
  const index = FIELDS.indexOf(field);
  return new InvalidResultError(nanoseconds ? FIELDS_NS[index] : field, values[index]);
}
