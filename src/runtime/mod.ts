/**
 * The runtime layer: the only place that touches `Deno`, `Bun` or `node:*`.
 * Each runtime has one object implementing the `Runtime` interface
 * (`./{deno,bun,node}/mod.ts`); this module picks it once, at start-up.
 *
 * @example
 * ```ts
 * import { system } from "./mod.ts";
 * console.log(system.name, system.version, system.cpuCount());
 * ```
 *
 * @module
 */
import { detectRuntime } from "./_detect.ts";
import { bunRuntime } from "./bun/mod.ts";
import { denoRuntime } from "./deno/mod.ts";
import { nodeRuntime } from "./node/mod.ts";
import type { Runtime, RuntimeName, SystemAdapter } from "./types.ts";

export { detectRuntime } from "./_detect.ts";
export type { MemoryFigures, Runtime, RuntimeName, SystemAdapter } from "./types.ts";

/** The runtime this process runs on, chosen once. */
export const runtime: Runtime =
  ((name: RuntimeName): Runtime => name === "bun" ? bunRuntime : name === "deno" ? denoRuntime : nodeRuntime)(
    detectRuntime(),
  );

/** The name of the runtime this process runs on. */
export const runtimeName: RuntimeName = runtime.name;

/** Process facilities of the current runtime. */
export const system: SystemAdapter = runtime.system;
