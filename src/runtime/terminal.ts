/**
 * Terminal facts across runtimes: whether stdout is a terminal (for colors in
 * the final summary) and the terminal width (for the progress bar). Whether
 * stderr is a terminal is `system.stderrIsTerminal()`.
 *
 * @example
 * ```ts
 * import { stdoutIsTerminal, terminalColumns } from "./terminal.ts";
 * console.log(stdoutIsTerminal(), terminalColumns() ?? 80);
 * ```
 *
 * @module
 */
import { runtime } from "./mod.ts";

/**
 * Whether stdout is attached to a terminal.
 *
 * @example
 * ```ts
 * import { stdoutIsTerminal } from "./terminal.ts";
 * if (stdoutIsTerminal()) console.log("colors allowed");
 * ```
 */
export const stdoutIsTerminal: () => boolean = runtime.stdoutIsTerminal;

/**
 * Columns of the attached terminal, or `null` when there is none.
 *
 * @example
 * ```ts
 * import { terminalColumns } from "./terminal.ts";
 * const width = terminalColumns() ?? 80;
 * ```
 */
export const terminalColumns: () => number | null = runtime.terminalColumns;
