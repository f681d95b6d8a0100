/**
 * The `lunge run` flags as the option table declares them: the `parseArgs`
 * definitions, and the values of the options the table alone can read
 * (numbers, whole numbers, durations, choices, switches), with the command
 * line's messages (`--rate must be > 0, got 0`). Options read by code of
 * their own (files, headers, thresholds, ...) are left to it.
 *
 * @module
 */
import { OPTION_TABLE, type OptionEntry } from "../options/table.ts";
import type { CliRunOptions } from "./_cli_run_options.ts";
import { CliUsageError } from "./_errors.ts";
import { duration, integer, number } from "./_flag_values.ts";

type FlagDefinition = { type: "string" | "boolean"; short?: string; multiple?: boolean };

function definitions(): Record<string, FlagDefinition> {
  const flags: Record<string, FlagDefinition> = {};
  for (const entry of OPTION_TABLE as readonly OptionEntry[]) {
    if (entry.flag === null) continue;
    const type = entry.kind === "boolean" ? "boolean" : "string";
    const multiple = entry.kind === "texts" ? { multiple: true } : {};
    flags[entry.flag] = { type, ...(entry.short === undefined ? {} : { short: entry.short }), ...multiple };
    for (const alias of entry.aliases ?? []) flags[alias] = { type, ...multiple };
  }
  return flags;
}

/**
 * The `parseArgs` options of `lunge run`, one per table entry with a flag (and its aliases).
 *
 * @example
 * ```ts
 * import { RUN_FLAGS } from "./_table_flags.ts";
 * RUN_FLAGS.rate; // { type: "string", short: "r" }
 * ```
 */
export const RUN_FLAGS: Record<string, FlagDefinition> = definitions();

/**
 * The value of `text` given to the flag of `entry`, checked against the
 * entry's kind and limits; a mistake is a `CliUsageError` of `lunge run`.
 * Text kinds come back as given.
 *
 * @example
 * ```ts
 * import { flagValue } from "./_table_flags.ts";
 * import { optionEntry } from "../options/table.ts";
 * flagValue(optionEntry("durationMs"), "1m30s"); // 90000
 * ```
 */
export function flagValue(entry: OptionEntry, text: string): number | string {
  const flag = `--${entry.flag}`;
  switch (entry.kind) {
    case "number":
      return number(flag, text, {
        min: entry.min ?? -Infinity,
        minExclusive: entry.minExclusive,
        max: entry.max ?? Infinity,
      });
    case "integer":
      return integer(flag, text, entry.min ?? -Infinity, entry.max ?? Infinity);
    case "duration":
      return duration(flag, text, entry.minExclusive === true);
    case "choice":
      if (entry.values?.includes(text)) return text;
      throw new CliUsageError(`${flag} must be one of ${entry.values?.join(", ")}, got "${text}"`, "run");
    default:
      return text;
  }
}

/**
 * Sets on `options` every run option the table alone reads, from the
 * parsed flag values `v` (switches are set only when given).
 *
 * @example
 * ```ts
 * import { applyTableFlags } from "./_table_flags.ts";
 * const options = { url: "" };
 * applyTableFlags({ rate: "100", http2: true }, options); // options: { url: "", rate: 100, http2: true }
 * ```
 */
export function applyTableFlags(
  v: Record<string, string | string[] | boolean | undefined>,
  options: CliRunOptions,
): void {
  const target = options as Record<string, unknown>;
  for (const entry of OPTION_TABLE as readonly OptionEntry[]) {
    if (entry.name === null || entry.flag === null || entry.ownParser === true) continue;
    const value = v[entry.flag];
    if (entry.kind === "boolean") {
      if (value === true) target[entry.name] = true;
    } else if (entry.kind !== "text" && entry.kind !== "texts" && typeof value === "string") {
      target[entry.name] = flagValue(entry, value);
    }
  }
}
