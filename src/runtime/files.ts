/**
 * Small synchronous file reads and writes across runtimes.
 *
 * @example
 * ```ts
 * import { readTextFileOrNull } from "./files.ts";
 * const text = readTextFileOrNull("/proc/self/status");
 * ```
 *
 * @module
 */
import { runtime } from "./mod.ts";

/**
 * Reads a whole text file synchronously; `null` when it is missing or unreadable.
 *
 * @example
 * ```ts
 * import { readTextFileOrNull } from "./files.ts";
 * console.log(readTextFileOrNull("/etc/hostname"));
 * ```
 */
export const readTextFileOrNull: (path: string) => string | null = runtime.readTextFileOrNull;

/**
 * Writes a whole text file synchronously, creating or replacing it; throws an
 * `Error` naming the path and the reason (`cannot write "x": permission denied`).
 *
 * @example
 * ```ts
 * import { writeTextFile } from "./files.ts";
 * writeTextFile("/tmp/lunge-example.json", "{}\n");
 * ```
 */
export const writeTextFile: (path: string, text: string) => void = runtime.writeTextFile;
