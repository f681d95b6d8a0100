/**
 * Directory creation and listing across runtimes (for result folders such as
 * `stress/results/`).
 *
 * @example
 * ```ts
 * import { makeDirectory } from "./_directories.ts";
 * makeDirectory("/tmp/lunge-results");
 * ```
 *
 * @module
 */
import { runtime } from "./mod.ts";

/**
 * Creates `path` and any missing parents; no error when it exists. Throws an
 * `Error` naming the path and the reason otherwise.
 *
 * @example
 * ```ts
 * import { makeDirectory } from "./_directories.ts";
 * makeDirectory("/tmp/lunge-results/nested");
 * ```
 */
export const makeDirectory: (path: string) => void = runtime.makeDirectory;

/**
 * Names of the entries of directory `path` (unsorted); `null` when it is
 * missing or unreadable.
 *
 * @example
 * ```ts
 * import { listDirectory } from "./_directories.ts";
 * const threads = listDirectory("/proc/self/task"); // thread ids on Linux
 * ```
 */
export const listDirectory: (path: string) => string[] | null = runtime.listDirectory;
