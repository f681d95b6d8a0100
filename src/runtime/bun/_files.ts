/**
 * Reads a whole text file synchronously; `null` when it is missing or
 * unreadable. Bun implements `node:fs` natively, so this is Node's adapter.
 *
 * @example
 * ```ts
 * import { readTextFileOrNull } from "./_files.ts";
 * console.log(readTextFileOrNull("/proc/net/tcp")?.length);
 * ```
 *
 * @module
 */
export { readTextFileOrNull, writeTextFile } from "../node/files.ts";
