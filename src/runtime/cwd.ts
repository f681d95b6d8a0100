/**
 * The current working directory (to resolve user-given relative paths into
 * `file:` URLs, e.g. a scenario module).
 *
 * @example
 * ```ts
 * import { currentDirectory } from "./cwd.ts";
 * console.log(currentDirectory());
 * ```
 *
 * @module
 */
import { runtimeName } from "./mod.ts";
import { currentDirectory as denoCwd } from "./deno/cwd.ts";
import { currentDirectory as nodeCwd } from "./node/cwd.ts";

/**
 * The current working directory.
 *
 * @example
 * ```ts
 * import { currentDirectory } from "./cwd.ts";
 * console.log(currentDirectory().startsWith("/")); // true on Linux
 * ```
 */
export const currentDirectory: () => string = runtimeName === "deno" ? denoCwd : nodeCwd; // Node and Bun
