import process from "node:process";

/**
 * The current working directory on Node and Bun.
 *
 * @example
 * ```ts
 * import { currentDirectory } from "./cwd.ts";
 * console.log(currentDirectory());
 * ```
 */
export function currentDirectory(): string {
  return process.cwd();
}
