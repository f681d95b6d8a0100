import { readFileSync, writeFileSync } from "node:fs";

/**
 * Reads a whole text file synchronously; `null` when it is missing or unreadable.
 *
 * @example
 * ```ts
 * import { readTextFileOrNull } from "./files.ts";
 * console.log(readTextFileOrNull("/proc/net/tcp")?.length);
 * ```
 */
export function readTextFileOrNull(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/**
 * Writes a whole text file synchronously, creating or replacing it. Throws an
 * `Error` whose message names the path and the reason.
 *
 * @example
 * ```ts
 * import { writeTextFile } from "./files.ts";
 * writeTextFile("/tmp/lunge-example.txt", "hello\n");
 * ```
 */
export function writeTextFile(path: string, text: string): void {
  try {
    writeFileSync(path, text, "utf8");
  } catch (error) {
    throw new Error(`cannot write "${path}": ${reason(error)}`);
  }
}

function reason(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === "ENOENT") return "no such directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  return error instanceof Error ? error.message : String(error);
}
