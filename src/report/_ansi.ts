/**
 * Minimal ANSI styling for terminal reports. Every helper takes the `color`
 * switch so that the caller decides once (TTY, `NO_COLOR`) and the reporters
 * stay pure.
 *
 * @module
 */

/** The styles the reporters use. */
export type AnsiStyle = "bold" | "dim" | "red" | "green" | "yellow" | "cyan" | "magenta";

const CODES: Record<AnsiStyle, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  magenta: [35, 39],
};

/**
 * Wraps `text` in the ANSI codes of `style` when `color` is true; returns it
 * unchanged otherwise.
 *
 * @example
 * ```ts
 * import { paint } from "./_ansi.ts";
 * paint("ok", "green", true); // "\x1b[32mok\x1b[39m"
 * paint("ok", "green", false); // "ok"
 * ```
 */
export function paint(text: string, style: AnsiStyle, color: boolean): string {
  if (!color || text === "") return text;
  const [open, close] = CODES[style];
  return `\x1b[${open}m${text}\x1b[${close}m`;
}

// deno-lint-ignore no-control-regex
const ANSI_PATTERN = /\x1b\[[0-9;]*[A-Za-z]/g;

/**
 * Removes ANSI escape sequences from `text`.
 *
 * @example
 * ```ts
 * import { stripAnsi } from "./_ansi.ts";
 * stripAnsi("\x1b[1mbold\x1b[22m"); // "bold"
 * ```
 */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, "");
}

/**
 * The number of terminal columns `text` takes (ANSI codes excluded; every
 * code point counts as one column, which holds for the characters reporters
 * print).
 *
 * @example
 * ```ts
 * import { visibleLength } from "./_ansi.ts";
 * visibleLength("\x1b[31m✗ p99\x1b[39m"); // 5
 * ```
 */
export function visibleLength(text: string): number {
  return [...stripAnsi(text)].length;
}

/**
 * Pads `text` on the right (or the left with `align: "right"`) to `width`
 * visible columns.
 *
 * @example
 * ```ts
 * import { pad } from "./_ansi.ts";
 * pad("42", 5, "right"); // "   42"
 * ```
 */
export function pad(text: string, width: number, align: "left" | "right" = "left"): string {
  const fill = " ".repeat(Math.max(0, width - visibleLength(text)));
  return align === "right" ? fill + text : text + fill;
}
