/**
 * Runs `cli.ts` in a child process with the current runtime (`deno run -A
 * cli.ts` or `bun cli.ts`), bounded in time, optionally sending SIGINT.
 *
 * @module
 */
import { spawn } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { runtimeName } from "../../src/runtime/mod.ts";

const CLI = fileURLToPath(new URL("../../cli.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** What the child did. */
export interface CliRun {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from the repeated signal to the exit (`repeatAfterMs`), else null. */
  msAfterSecondSignal?: number | null;
}

/** Options of `runCli`. */
export interface RunCliOptions {
  /** Kill after this many ms (default 30,000). */
  timeoutMs?: number;
  /** Send SIGINT once stderr matches this (e.g. the first progress line). */
  interruptWhen?: RegExp;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** The signal `interruptWhen` sends (default SIGINT). */
  signal?: "SIGINT" | "SIGTERM";
  /** Send the signal a second time this many ms after the first. */
  repeatAfterMs?: number;
}

/** Spawns the CLI with `args` and collects its output. */
export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliRun> {
  const command = runtimeName === "deno" ? ["run", "-A", CLI, ...args] : [CLI, ...args];
  const child = spawn(process.execPath, command, {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let interrupted = false;
  let secondAt = 0;
  child.stdout?.setEncoding("utf8");
  child.stderr?.setEncoding("utf8");
  child.stdout?.on("data", (d: string) => (stdout += d));
  child.stderr?.on("data", (d: string) => {
    stderr += d;
    if (!interrupted && options.interruptWhen?.test(stderr)) {
      interrupted = true;
      // process.kill, not child.kill: Deno's child_process reports a child it was asked to
      // kill as killed by that signal even when the child exits with its own code (130).
      const pid = child.pid;
      if (pid !== undefined) process.kill(pid, options.signal ?? "SIGINT");
      if (pid !== undefined && options.repeatAfterMs !== undefined) {
        setTimeout(() => {
          secondAt = performance.now();
          try {
            process.kill(pid, options.signal ?? "SIGINT");
          } catch {
            // already gone
          }
        }, options.repeatAfterMs);
      }
    }
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout,
        stderr,
        msAfterSecondSignal: secondAt === 0 ? null : performance.now() - secondAt,
      });
    });
  });
}
