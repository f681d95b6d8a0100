/**
 * Creates `path` and any missing parents; no error when it exists already.
 *
 * @example
 * ```ts
 * import { makeDirectory } from "./_directories.ts";
 * makeDirectory("/tmp/lunge-example/a/b");
 * ```
 */
export function makeDirectory(path: string): void {
  try {
    Deno.mkdirSync(path, { recursive: true });
  } catch (error) {
    throw new Error(
      `cannot create directory "${path}": ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * Names of the entries of directory `path`; `null` when it cannot be read.
 *
 * @example
 * ```ts
 * import { listDirectory } from "./_directories.ts";
 * console.log(listDirectory("/proc/self/task")?.length);
 * ```
 */
export function listDirectory(path: string): string[] | null {
  try {
    return [...Deno.readDirSync(path)].map((entry) => entry.name);
  } catch {
    return null;
  }
}
