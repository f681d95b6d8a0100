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
    return Deno.readTextFileSync(path);
  } catch {
    return null;
  }
}
