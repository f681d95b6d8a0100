/**
 * Directory creation across runtimes (for result folders such as
 * `stress/results/`).
 *
 * @example
 * ```ts
 * import { makeDirectory } from "./directories.ts";
 * makeDirectory("/tmp/lunge-results");
 * ```
 *
 * @module
 */
import { runtimeName } from "./mod.ts";
import { makeDirectory as denoMake } from "./deno/directories.ts";
import { makeDirectory as nodeMake } from "./node/directories.ts";

/**
 * Creates `path` and any missing parents; no error when it exists. Throws an
 * `Error` naming the path and the reason otherwise.
 *
 * @example
 * ```ts
 * import { makeDirectory } from "./directories.ts";
 * makeDirectory("/tmp/lunge-results/nested");
 * ```
 */
export const makeDirectory: (path: string) => void = runtimeName === "deno" ? denoMake : nodeMake; // Node and Bun
