/**
 * The `lunge` command: `deno run -A cli.ts <command>` or `bun cli.ts <command>`.
 * See `lunge --help`, and `src/cli/main.ts` for the exit codes.
 *
 * @example
 * ```sh
 * deno run -A cli.ts run builtin --duration 2s
 * bun cli.ts serve --port 8080
 * ```
 *
 * @module
 */
import { main } from "./src/cli/main.ts";
import { system } from "./src/runtime/mod.ts";

system.exit(await main(system.args()));
