import process from "node:process";
import { nodeLikeSystem } from "../node/system.ts";
import type { SystemAdapter } from "../types.ts";

/** The part of the `Bun` global that lunge uses. */
export interface BunGlobal {
  version: string;
  gc(force: boolean): void;
}

/** Returns the `Bun` global; only call it on Bun. */
export function bunGlobal(): BunGlobal {
  return (globalThis as unknown as { Bun: BunGlobal }).Bun;
}

/**
 * The Bun system adapter: Node's `process` plus `Bun.gc`.
 *
 * @example
 * ```ts
 * import { bunSystem } from "./_system.ts";
 * bunSystem.gc();
 * ```
 */
export const bunSystem: SystemAdapter = {
  ...nodeLikeSystem("bun", process.versions.bun ?? "unknown"),
  gc: (): boolean => {
    bunGlobal().gc(true);
    return true;
  },
};
