/**
 * Command-line parsing: `node:util`'s `parseArgs`, which Deno, Bun and Node
 * all ship (the JSR `@std/cli` is out of reach here). Re-exported from the
 * runtime layer so that nothing outside `src/runtime/` imports `node:*`.
 *
 * @example
 * ```ts
 * import { parseArgs } from "./parse_args.ts";
 * const { values } = parseArgs({ args: ["--rate", "5"], options: { rate: { type: "string" } } });
 * values.rate; // "5"
 * ```
 *
 * @module
 */
export { parseArgs } from "node:util";
