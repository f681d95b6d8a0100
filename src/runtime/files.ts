/**
 * Small synchronous file reads across runtimes.
 *
 * @example
 * ```ts
 * import { readTextFileOrNull } from "./files.ts";
 * const text = readTextFileOrNull("/proc/self/status");
 * ```
 *
 * @module
 */
import { runtimeName } from "./mod.ts";
import { readTextFileOrNull as denoRead } from "./deno/files.ts";
import { readTextFileOrNull as nodeRead } from "./node/files.ts";

/**
 * Reads a whole text file synchronously; `null` when it is missing or unreadable.
 *
 * @example
 * ```ts
 * import { readTextFileOrNull } from "./files.ts";
 * console.log(readTextFileOrNull("/etc/hostname"));
 * ```
 */
export const readTextFileOrNull: (path: string) => string | null = runtimeName === "deno"
  ? denoRead
  : nodeRead; // Node and Bun
