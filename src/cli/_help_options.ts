/**
 * The option lines of `lunge run --help`, rendered from the option table:
 * a section per `help.section` in table order, each flag in a 28-column
 * field and its description beside and below it.
 *
 * @module
 */
import { OPTION_TABLE, type OptionEntry } from "../options/table.ts";

/** Column where the descriptions start. */
const COLUMN = 28;

/**
 * The left column of an entry: `  -r, --rate <R>` or `      --warmup <T>`.
 *
 * @example
 * ```ts
 * import { flagColumn } from "./_help_options.ts";
 * flagColumn({ name: "rate", flag: "rate", short: "r", kind: "number", help: { section: "x", arg: "<R>", lines: [] } });
 * // "  -r, --rate <R>"
 * ```
 */
export function flagColumn(entry: OptionEntry): string {
  const arg = entry.help?.arg === undefined ? "" : ` ${entry.help.arg}`;
  return `${entry.short === undefined ? "      " : `  -${entry.short}, `}--${entry.flag}${arg}`;
}

function entryLines(entry: OptionEntry): string[] {
  const help = entry.help!;
  const left = flagColumn(entry);
  const [first, ...rest] = help.lines;
  const out = [...(help.before ?? [])];
  if (left.length < COLUMN) out.push(left.padEnd(COLUMN) + first);
  else if (help.wrap) out.push(left, " ".repeat(COLUMN) + first);
  else out.push(`${left}  ${first}`);
  for (const line of rest) out.push(" ".repeat(COLUMN) + line);
  out.push(...(help.after ?? []));
  return out;
}

/**
 * The help sections of the run options, each `Title:` and its lines, joined
 * by blank lines (no newline at the end). `only` limits it to one section.
 *
 * @example
 * ```ts
 * import { runOptionsHelp } from "./_help_options.ts";
 * runOptionsHelp("Scale-out").startsWith("Scale-out:\n      --segment <I/N>"); // true
 * ```
 */
export function runOptionsHelp(only?: string): string {
  const sections = new Map<string, string[]>();
  for (const entry of OPTION_TABLE as readonly OptionEntry[]) {
    if (entry.flag === null || entry.help === undefined) continue;
    if (only !== undefined && entry.help.section !== only) continue;
    const lines = sections.get(entry.help.section) ?? [`${entry.help.section}:`];
    lines.push(...entryLines(entry));
    sections.set(entry.help.section, lines);
  }
  return [...sections.values()].map((lines) => lines.join("\n")).join("\n\n");
}
