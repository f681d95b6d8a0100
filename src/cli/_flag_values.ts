/**
 * Parsing of command-line values shared by every lunge command line (`lunge`
 * and the stress CLI): strict flag parsing with "did you mean", numbers,
 * whole numbers and durations. Every mistake is a `CliUsageError` whose
 * message is the one line the user sees.
 *
 * @module
 */
import { parseArgs } from "../runtime/parse_args.ts";
import { parseDuration } from "../options/durations.ts";
import { CliUsageError } from "./_errors.ts";

/** The longest duration a flag takes: 30 days. */
export const MAX_DURATION_MS: number = 30 * 24 * 3600 * 1000;

type Flags = Parameters<typeof parseArgs>[0] extends infer C ? C extends { options?: infer O } ? O : never
  : never;

/**
 * `parseArgs` in strict mode; a mistake becomes a `CliUsageError` for `command`
 * (unknown flags get a "did you mean").
 *
 * @example
 * ```ts
 * import { strictParse } from "./_flag_values.ts";
 * const { values } = strictParse(["-r", "5"], { rate: { type: "string", short: "r" } }, "run", false);
 * values.rate; // "5"
 * ```
 */
export function strictParse<O extends Flags>(
  args: string[],
  flags: O,
  command: string | null,
  positionals: boolean,
  // deno-lint-ignore no-explicit-any
): any {
  try {
    return parseArgs({ args, options: flags, strict: true, allowPositionals: positionals });
  } catch (error) {
    throw new CliUsageError(describeParseError(error, Object.keys(flags ?? {})), command);
  }
}

function describeParseError(error: unknown, known: string[]): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code ?? "";
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? "";
  const flag = quoted.split(/[ ,]/)[0] || quoted;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const suggestion = closest(flag.replace(/^-+/, "").split("=")[0], known);
    return `unknown option ${flag}` + (suggestion ? ` (did you mean --${suggestion}?)` : "");
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const long = /--[\w-]+/.exec(quoted)?.[0] ?? flag;
    if (message.includes("does not take an argument")) return `option ${long} does not take a value`;
    if (message.includes("ambiguous")) {
      return `option ${long} needs a value (for a value starting with "-", write ${long}=<value>)`;
    }
    return `option ${long} needs a value`;
  }
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return `unexpected argument "${quoted}"`;
  return message.split("\n")[0];
}

/** The known flag within edit distance 2 of `name`, for "did you mean". */
function closest(name: string, known: string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return name.length > 1 ? best : null;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/** Bounds of a numeric flag. */
export interface NumberRange {
  /** Smallest value allowed (or just above it, with `minExclusive`). */
  min: number;
  /** Whether `min` itself is refused. */
  minExclusive?: boolean;
  /** Largest value allowed. */
  max: number;
}

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A decimal number within `range`.
 *
 * @example
 * ```ts
 * import { number } from "./_flag_values.ts";
 * number("--rate", "2.5e3", { min: 0, minExclusive: true, max: 1e7 }); // 2500
 * ```
 */
export function number(
  flag: string,
  text: string,
  range: NumberRange,
  command: string | null = "run",
): number {
  const value = NUMBER.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value)) throw new CliUsageError(`${flag} must be a number, got "${text}"`, command);
  if (range.minExclusive ? value <= range.min : value < range.min) {
    throw new CliUsageError(
      `${flag} must be ${range.minExclusive ? ">" : ">="} ${range.min}, got ${text}`,
      command,
    );
  }
  if (value > range.max) {
    throw new CliUsageError(`${flag} must be at most ${range.max}, got ${text}`, command);
  }
  return value;
}

/**
 * A whole number from `min` to `max`.
 *
 * @example
 * ```ts
 * import { integer } from "./_flag_values.ts";
 * integer("--workers", "4", 1, 256); // 4
 * ```
 */
export function integer(
  flag: string,
  text: string,
  min: number,
  max: number,
  command: string | null = "run",
): number {
  const value = number(flag, text, { min: -Infinity, max: Infinity }, command);
  if (!Number.isInteger(value)) {
    throw new CliUsageError(`${flag} must be a whole number, got ${text}`, command);
  }
  if (value < min) throw new CliUsageError(`${flag} must be >= ${min}, got ${text}`, command);
  if (value > max) throw new CliUsageError(`${flag} must be at most ${max}, got ${text}`, command);
  return value;
}

/**
 * A duration (`"1m30s"`, `"250ms"`, `"2h"`, or plain seconds) in ms, at most
 * 30 days; `positive` refuses 0.
 *
 * @example
 * ```ts
 * import { duration } from "./_flag_values.ts";
 * duration("--duration", "1m30s", true); // 90000
 * ```
 */
export function duration(
  flag: string,
  text: string,
  positive: boolean,
  command: string | null = "run",
): number {
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (error) {
    const reason = (error as Error).message.replace(/^Invalid duration "[^"]*": /, "");
    throw new CliUsageError(`invalid ${flag} "${text}": ${reason}`, command);
  }
  if (positive && ms <= 0) throw new CliUsageError(`${flag} must be > 0, got "${text}"`, command);
  if (ms > MAX_DURATION_MS) {
    throw new CliUsageError(`${flag} must be at most 30 days, got "${text}"`, command);
  }
  return ms;
}
