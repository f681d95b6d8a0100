/**
 * Terminal facts for Deno: whether stdout is a terminal, and its width.
 *
 * @module
 */

/**
 * Whether stdout is attached to a terminal.
 *
 * @example
 * ```ts
 * import { stdoutIsTerminal } from "./_terminal.ts";
 * const color = stdoutIsTerminal();
 * ```
 */
export function stdoutIsTerminal(): boolean {
  return Deno.stdout.isTerminal();
}

/**
 * Columns of the terminal on stderr (else stdout), or `null` when neither is a terminal.
 *
 * @example
 * ```ts
 * import { terminalColumns } from "./_terminal.ts";
 * const width = terminalColumns() ?? 80;
 * ```
 */
export function terminalColumns(): number | null {
  try {
    return Deno.consoleSize().columns;
  } catch {
    return null; // not a terminal
  }
}
