/**
 * The version of lunge (kept equal to `deno.json` and `package.json`; a test checks).
 *
 * @example
 * ```ts
 * import { VERSION } from "./version.ts";
 * console.log(`lunge ${VERSION}`);
 * ```
 *
 * @module
 */

/** The version of this lunge. */
export const VERSION = "0.2.0";
