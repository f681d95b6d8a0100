/**
 * Reads a whole text file synchronously; `null` when it is missing or unreadable.
 *
 * @example
 * ```ts
 * import { readTextFileOrNull } from "./_files.ts";
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

/**
 * Writes a whole text file synchronously, creating or replacing it. Throws an
 * `Error` whose message names the path and the reason.
 *
 * @example
 * ```ts
 * import { writeTextFile } from "./_files.ts";
 * writeTextFile("/tmp/lunge-example.txt", "hello\n");
 * ```
 */
export function writeTextFile(path: string, text: string): void {
  try {
    Deno.writeTextFileSync(path, text);
  } catch (error) {
    throw new Error(`cannot write "${path}": ${reason(error)}`);
  }
}

function reason(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "no such directory";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.IsADirectory) return "is a directory";
  return error instanceof Error ? error.message : String(error);
}
