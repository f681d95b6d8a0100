import process from "node:process";
import os from "node:os";
import type { MemoryFigures, SystemAdapter } from "../types.ts";

/** Parts shared by every runtime that has Node's `process` (Node and Bun). */
export function nodeLikeSystem(name: "node" | "bun", version: string): SystemAdapter {
  return {
    name,
    version,
    env: (key: string): string | undefined => process.env[key],
    memory: (): MemoryFigures => {
      const m = process.memoryUsage();
      return { heapUsed: m.heapUsed, heapTotal: m.heapTotal, rss: m.rss, external: m.external };
    },
    cpuCount: (): number => os.availableParallelism?.() ?? os.cpus().length,
    cpuModel: (): string => os.cpus()[0]?.model ?? "unknown",
    unrefTimer: (id: ReturnType<typeof setInterval>): void => {
      (id as unknown as { unref?: () => void }).unref?.();
    },
    gc: (): boolean => {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (typeof gc !== "function") return false;
      gc();
      return true;
    },
    cpuTimeMs: (): number => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    },
    onInterrupt: (handler: () => void): () => void => {
      process.on("SIGINT", handler);
      return () => process.off("SIGINT", handler);
    },
    exit: (code: number): never => process.exit(code),
    args: (): string[] => process.argv.slice(2),
    stderrIsTerminal: (): boolean => process.stderr.isTTY === true,
    writeStderr: (text: string): void => {
      process.stderr.write(text);
    },
    writeStdout: (text: string): void => {
      process.stdout.write(text);
    },
  };
}

/**
 * The Node.js system adapter.
 *
 * @example
 * ```ts
 * import { nodeSystem } from "./system.ts";
 * console.log(nodeSystem.cpuCount());
 * ```
 */
export const nodeSystem: SystemAdapter = nodeLikeSystem("node", process.versions.node);
