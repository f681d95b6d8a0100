/**
 * Terminal facts for Node (and Bun): whether stdout is a terminal, and its width.
 *
 * @module
 */
import process from "node:process";

/**
 * Whether stdout is attached to a terminal.
 *
 * @example
 * ```ts
 * import { stdoutIsTerminal } from "./terminal.ts";
 * const color = stdoutIsTerminal();
 * ```
 */
export function stdoutIsTerminal(): boolean {
  return process.stdout.isTTY === true;
}

/**
 * Columns of the terminal on stderr (else stdout), or `null` when neither is a terminal.
 *
 * @example
 * ```ts
 * import { terminalColumns } from "./terminal.ts";
 * const width = terminalColumns() ?? 80;
 * ```
 */
export function terminalColumns(): number | null {
  const columns = process.stderr.columns ?? process.stdout.columns;
  return typeof columns === "number" && columns > 0 ? columns : null;
}
