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
import { runtimeName } from "./mod.ts";
import { readTextFileOrNull as denoRead, writeTextFile as denoWrite } from "./deno/files.ts";
import { readTextFileOrNull as nodeRead, writeTextFile as nodeWrite } from "./node/files.ts";

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
export const writeTextFile: (path: string, text: string) => void = runtimeName === "deno"
  ? denoWrite
  : nodeWrite; // Node and Bun
