/**
 * The runtime layer: the only place that touches `Deno`, `Bun` or `node:*`.
 * Each capability has one adapter per runtime with identical exports; this
 * barrel picks the one for the runtime detected at start-up.
 *
 * @example
 * ```ts
 * import { system } from "./mod.ts";
 * console.log(system.name, system.version, system.cpuCount());
 * ```
 *
 * @module
 */
import { detectRuntime } from "./detect.ts";
import { bunSystem } from "./bun/system.ts";
import { denoSystem } from "./deno/system.ts";
import { nodeSystem } from "./node/system.ts";
import type { RuntimeName, SystemAdapter } from "./types.ts";

export { detectRuntime } from "./detect.ts";
export type { MemoryFigures, RuntimeName, SystemAdapter } from "./types.ts";

/** The runtime this process runs on. */
export const runtimeName: RuntimeName = detectRuntime();

/** Process facilities of the current runtime. */
export const system: SystemAdapter = runtimeName === "bun"
  ? bunSystem
  : runtimeName === "deno"
  ? denoSystem
  : nodeSystem;
