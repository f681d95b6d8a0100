/**
 * The `grpc-timeout` header: a positive integer of at most 8 digits and a
 * unit (H, M, S, m, u, n).
 *
 * @module
 */

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ["n", 1e-6],
  ["u", 1e-3],
  ["m", 1],
  ["S", 1000],
  ["M", 60_000],
  ["H", 3_600_000],
];

/**
 * The `grpc-timeout` value for `ms` milliseconds: the finest unit whose
 * count fits 8 digits (rounded up, so the server never gets less time).
 *
 * @example
 * ```ts
 * import { grpcTimeout } from "./timeout.ts";
 * grpcTimeout(2500); // "2500000u"
 * grpcTimeout(0.5); // "500000n"
 * grpcTimeout(10 * 86_400_000); // "864000S"
 * ```
 */
export function grpcTimeout(ms: number): string {
  for (const [unit, factor] of UNITS) {
    const n = Math.ceil(ms / factor - 1e-9);
    if (n <= 99_999_999) return `${Math.max(1, n)}${unit}`;
  }
  return "99999999H";
}
