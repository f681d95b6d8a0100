/**
 * Durations as people type them on a command line: `30s`, `500ms`, `2m`,
 * `1h`, `1m30s`, `250us`, `1.5s`. A bare number means seconds, as in wrk
 * and oha (`-d 10` is ten seconds).
 *
 * @example
 * ```ts
 * import { parseDuration } from "./durations.ts";
 * parseDuration("1m30s"); // 90000
 * parseDuration("10"); // 10000 (bare numbers are seconds)
 * ```
 *
 * @module
 */

/** Milliseconds per duration unit. `µs` and `us` are both microseconds. */
export const DURATION_UNITS: Readonly<Record<string, number>> = Object.freeze({
  ns: 1e-6,
  us: 1e-3,
  "µs": 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
});

// One "<number><unit>" part; the units are tried longest first so that "ms" is not read as "m" + "s".
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
const BARE = /^(\d+(?:\.\d*)?|\.\d+)$/;

const EXAMPLES = "e.g. 30s, 500ms, 2m, 1h, 1m30s or 250us";

/**
 * Parses a duration into milliseconds. A bare number is seconds. Throws a
 * `RangeError` naming the input for anything else (empty, negative, unknown
 * unit, trailing garbage, not finite).
 *
 * @example
 * ```ts
 * import { parseDuration } from "./durations.ts";
 * parseDuration("500ms"); // 500
 * parseDuration("2m"); // 120000
 * parseDuration("250us"); // 0.25
 * parseDuration("1.5"); // 1500
 * ```
 */
export function parseDuration(text: string): number {
  const input = String(text).trim();
  if (input.startsWith("-")) {
    throw new RangeError(`Invalid duration "${text}": must not be negative`);
  }
  const bare = BARE.exec(input);
  if (bare) return checkFinite(text, Number(bare[1]) * 1000);

  let ms = 0;
  let at = 0;
  PART.lastIndex = 0;
  while (at < input.length) {
    PART.lastIndex = at;
    const part = PART.exec(input);
    if (part === null) {
      throw new RangeError(`Invalid duration "${text}": expected a number with a unit, ${EXAMPLES}`);
    }
    ms += Number(part[1]) * DURATION_UNITS[part[2]];
    at = PART.lastIndex;
  }
  if (at === 0) {
    throw new RangeError(`Invalid duration "${text}": expected a number with a unit, ${EXAMPLES}`);
  }
  return checkFinite(text, ms);
}

function checkFinite(text: string, ms: number): number {
  if (!Number.isFinite(ms)) throw new RangeError(`Invalid duration "${text}": too large`);
  return ms;
}
