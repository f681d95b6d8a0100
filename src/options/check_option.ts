/**
 * The engine's checks of the numeric run options, from their table entries:
 * a value of the wrong type or out of the entry's limits is a
 * `RunOptionsError` naming the option, e.g.
 * `Cannot start run: "rate" must be > 0 (and at most 10,000,000), got 0`.
 *
 * @module
 */
import { RunOptionsError } from "./run_options_error.ts";
import { optionEntry } from "./table.ts";
import type { OptionEntry } from "./option_entry.ts";
import { groupThousands } from "./values.ts";

/**
 * What a valid value of a numeric entry is, as messages say it: `> 0`,
 * `an integer from 1 to 256`, `an integer >= 1`, `> 0 (and at most 10,000,000)`.
 *
 * @example
 * ```ts
 * import { numberRule } from "./check_option.ts";
 * import { optionEntry } from "./table.ts";
 * numberRule(optionEntry("workers")); // "an integer from 1 to 256"
 * ```
 */
export function numberRule(entry: OptionEntry): string {
  const min = entry.min ?? -Infinity;
  const bounded = upperBound(entry) !== Infinity;
  if (entry.kind === "integer") {
    return bounded ? `an integer from ${min} to ${entry.maxText ?? entry.max}` : `an integer >= ${min}`;
  }
  const lower = `${entry.minExclusive ? ">" : ">="} ${min}`;
  return bounded ? `${lower} (and at most ${entry.maxText ?? groupThousands(entry.max!)})` : lower;
}

// A `max` of MAX_SAFE_INTEGER only keeps the command line's value exact; the library never bounded it.
function upperBound(entry: OptionEntry): number {
  return entry.max === undefined || entry.max >= Number.MAX_SAFE_INTEGER ? Infinity : entry.max;
}

function isValid(entry: OptionEntry, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  if (entry.kind === "integer" && !Number.isInteger(value)) return false;
  const min = entry.min ?? -Infinity;
  if (entry.minExclusive ? value <= min : value < min) return false;
  return value <= upperBound(entry);
}

/**
 * The checked value of the numeric option `name`, or null when it is not
 * given (`undefined` or `null`).
 *
 * @throws {RunOptionsError} when the value is not a number within the entry's limits.
 * @example
 * ```ts
 * import { optionalNumberOption } from "./check_option.ts";
 * optionalNumberOption("rate", 100); // 100
 * optionalNumberOption("rate", undefined); // null
 * ```
 */
export function optionalNumberOption(name: string, value: unknown): number | null {
  if (value === undefined || value === null) return null;
  const entry = optionEntry(name);
  if (typeof value !== "number" || !isValid(entry, value)) {
    throw new RunOptionsError(name, `"${name}" must be ${numberRule(entry)}, got ${String(value)}`);
  }
  return value;
}

/**
 * The checked value of the numeric option `name`, or its table default when not given.
 *
 * @throws {RunOptionsError} when the value is not a number within the entry's limits.
 * @example
 * ```ts
 * import { numberOption } from "./check_option.ts";
 * numberOption("timeoutMs", undefined); // 10000
 * ```
 */
export function numberOption(name: string, value: unknown): number {
  const checked = optionalNumberOption(name, value);
  if (checked !== null) return checked;
  const fallback = optionEntry(name).default;
  if (typeof fallback !== "number") {
    throw new Error(`run option "${name}" has no numeric default in the table`);
  }
  return fallback;
}

/**
 * The table default of the option `name` (`undefined` when it is worked out at run time).
 *
 * @example
 * ```ts
 * import { optionDefault } from "./check_option.ts";
 * optionDefault("method"); // "GET"
 * ```
 */
export function optionDefault(name: string): number | string | boolean | null | undefined {
  return optionEntry(name).default;
}
