/**
 * The shape of one entry of the run option table (`table.ts`): everything
 * written once about an option, from which the CLI parser, `--help`, the
 * engine's checks and the load workers' job follow.
 *
 * @module
 */

/**
 * How an option's value is read and checked.
 * - `number`, `integer`, `duration` (ms; the CLI reads `30s`, `500ms`), `choice`
 *   (one of `values`), `boolean`: parsed and checked from the entry alone.
 * - `text`, `texts` (repeatable): read by code of their own (a file, a header,
 *   a threshold); the table gives their flag and help.
 */
export type OptionKind = "number" | "integer" | "duration" | "choice" | "boolean" | "text" | "texts";

/** Where and how an option appears in `lunge run --help`. */
export interface OptionHelp {
  /** Section title without the colon, e.g. `"Load model"`; sections print in table order. */
  readonly section: string;
  /** The value placeholder after the flag, e.g. `"<R>"`. */
  readonly arg?: string;
  /** The description: the first line beside the flag, the others below it. */
  readonly lines: readonly string[];
  /** Whether a flag wider than its column puts the description on the next line (else two spaces). */
  readonly wrap?: boolean;
  /** Verbatim lines printed before this option's (a usage line of the section). */
  readonly before?: readonly string[];
  /** Verbatim lines printed after this option's. */
  readonly after?: readonly string[];
}

/**
 * One run option. `name` is its key in `RunOptions` (null for the flags that
 * only steer the command line's outputs, such as `--json`); `flag` its long
 * flag (null for library-only options, which have no flag and no help).
 *
 * @example
 * ```ts
 * import type { OptionEntry } from "./option_entry.ts";
 * const rate: OptionEntry = {
 *   name: "rate",
 *   flag: "rate",
 *   short: "r",
 *   kind: "number",
 *   min: 0,
 *   minExclusive: true,
 *   max: 10_000_000,
 *   default: null,
 *   help: { section: "Load model", arg: "<R>", lines: ["open model: constant arrival rate, requests/s"] },
 * };
 * ```
 */
export interface OptionEntry {
  /** Key in `RunOptions`, or null for an output flag of the command line. */
  readonly name: string | null;
  /** Long flag without `--`, or null for a library-only option. */
  readonly flag: string | null;
  /** One-letter alias without `-`. */
  readonly short?: string;
  /** Other long flags meaning the same (e.g. `no-progress` for `quiet`). */
  readonly aliases?: readonly string[];
  /** How the value is read and checked. */
  readonly kind: OptionKind;
  /** Allowed values of a `choice`. */
  readonly values?: readonly string[];
  /** Smallest value (or just above it with `minExclusive`). */
  readonly min?: number;
  /** Whether `min` itself is refused. */
  readonly minExclusive?: boolean;
  /** Largest value, inclusive (none: unbounded; durations are bounded to 30 days on the command line). */
  readonly max?: number;
  /** How messages write `max` (e.g. `"2^26"`); default the number itself. */
  readonly maxText?: string;
  /** Whether the command line reads it with code of its own (for messages of its own). */
  readonly ownParser?: boolean;
  /** The value a run uses when the option is not given; absent when it is worked out (e.g. from the rate). */
  readonly default?: number | string | boolean | null;
  /** Whether the normalized value may still be null when a default exists (e.g. a duration when `requests` bounds the run). */
  readonly orNull?: boolean;
  /** The part of the normalized options that holds the value, when not the top level (e.g. `"workload"`). */
  readonly group?: "workload";
  /** The field of the load worker's job this option ends up in, when a worker needs it. */
  readonly worker?: string;
  /** How it shows in `lunge run --help` (absent for library-only options). */
  readonly help?: OptionHelp;
}
