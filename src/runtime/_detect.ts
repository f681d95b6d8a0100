import type { RuntimeName } from "./types.ts";

/**
 * Tells which runtime this code runs on: Bun first, then Deno, then Node
 * (Bun and Deno both also expose `process`, so the order matters).
 *
 * @example
 * ```ts
 * import { detectRuntime } from "./_detect.ts";
 * console.log(detectRuntime()); // "bun" | "deno" | "node"
 * ```
 */
export function detectRuntime(): RuntimeName {
  const g = globalThis as Record<string, unknown>;
  if (typeof g.Bun !== "undefined") return "bun";
  if (typeof g.Deno !== "undefined") return "deno";
  return "node";
}
