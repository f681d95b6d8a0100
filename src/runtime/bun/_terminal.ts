/**
 * Terminal facts for Bun: Bun implements Node's `process` streams, so this is
 * Node's adapter.
 *
 * @example
 * ```ts
 * import { stdoutIsTerminal, terminalColumns } from "./_terminal.ts";
 * console.log(stdoutIsTerminal(), terminalColumns());
 * ```
 *
 * @module
 */
export { stdoutIsTerminal, terminalColumns } from "../node/terminal.ts";
