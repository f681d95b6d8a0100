import os from "node:os";
import type { MemoryFigures, SystemAdapter } from "../types.ts";

const encoder = new TextEncoder();

/**
 * The Deno system adapter.
 *
 * @example
 * ```ts
 * import { denoSystem } from "./_system.ts";
 * console.log(denoSystem.version);
 * ```
 */
export const denoSystem: SystemAdapter = {
  name: "deno",
  get version(): string {
    return Deno.version.deno;
  },
  env: (key: string): string | undefined => {
    try {
      return Deno.env.get(key);
    } catch {
      return undefined; // no --allow-env: treat as unset
    }
  },
  memory: (): MemoryFigures => {
    const m = Deno.memoryUsage();
    return { heapUsed: m.heapUsed, heapTotal: m.heapTotal, rss: m.rss, external: m.external };
  },
  cpuCount: (): number => navigator.hardwareConcurrency ?? 1,
  cpuModel: (): string => {
    try {
      return os.cpus()[0]?.model ?? "unknown";
    } catch {
      return "unknown";
    }
  },
  unrefTimer: (id: ReturnType<typeof setInterval>): void => Deno.unrefTimer(id as unknown as number),
  gc: (): boolean => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (typeof gc !== "function") return false; // needs --v8-flags=--expose-gc
    gc();
    return true;
  },
  cpuTimeMs: (): number => {
    const u = (globalThis as unknown as { process: { cpuUsage(): { user: number; system: number } } })
      .process.cpuUsage();
    return (u.user + u.system) / 1000;
  },
  onInterrupt: (handler: () => void): () => void => {
    Deno.addSignalListener("SIGINT", handler);
    return () => Deno.removeSignalListener("SIGINT", handler);
  },
  exit: (code: number): never => Deno.exit(code),
  args: (): string[] => [...Deno.args],
  stderrIsTerminal: (): boolean => Deno.stderr.isTerminal(),
  writeStderr: (text: string): void => {
    Deno.stderr.writeSync(encoder.encode(text));
  },
  writeStdout: (text: string): void => {
    const bytes = encoder.encode(text);
    let written = 0;
    while (written < bytes.length) written += Deno.stdout.writeSync(bytes.subarray(written));
  },
};
