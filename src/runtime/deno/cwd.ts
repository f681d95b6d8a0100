/**
 * The current working directory on Deno.
 *
 * @example
 * ```ts
 * import { currentDirectory } from "./cwd.ts";
 * console.log(currentDirectory());
 * ```
 */
export function currentDirectory(): string {
  return Deno.cwd();
}
