/**
 * Test helper: `lunge` in a child process that the test talks to while it
 * runs (wait for a line on stderr, send Ctrl-C), bounded in time.
 *
 * @module
 */
import { spawn } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { runtimeName } from "../../src/runtime/mod.ts";

const CLI = fileURLToPath(new URL("../../cli.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A running CLI child. */
export interface LiveCli {
  /** Resolves with the first match of `pattern` on stderr (rejects after `timeoutMs`). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Sends SIGINT. */
  interrupt(): void;
  /** Resolves when the child has exited. */
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** stderr so far. */
  stderr(): string;
}

/**
 * Starts `cli.ts args` with the current runtime (or `command` when given, e.g. `node dist/lunge.mjs`);
 * killed after `timeoutMs` (default 60 s).
 *
 * @example
 * ```ts
 * import { startLiveCli } from "./live_cli.ts";
 * const cli = startLiveCli(["run", "builtin", "-d", "5s", "--dashboard", "0"]);
 * const [, url] = await cli.waitFor(/dashboard at (\S+)/);
 * cli.interrupt();
 * await cli.done;
 * ```
 */
export function startLiveCli(
  args: string[],
  options: { timeoutMs?: number; env?: Record<string, string>; command?: string[] } = {},
): LiveCli {
  const command = options.command ??
    (runtimeName === "deno" ? [process.execPath, "run", "-A", CLI] : [process.execPath, CLI]);
  const child = spawn(command[0], [...command.slice(1), ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiters = new Set<() => void>();
  child.stdout?.setEncoding("utf8");
  child.stderr?.setEncoding("utf8");
  child.stdout?.on("data", (d: string) => (stdout += d));
  child.stderr?.on("data", (d: string) => {
    stderr += d;
    for (const w of waiters) w();
  });
  const killer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on("close", (code) => {
      clearTimeout(killer);
      for (const w of waiters) w();
      resolve({ code, stdout, stderr });
    });
  });
  let exited = false;
  done.then(() => (exited = true));
  return {
    done,
    stderr: () => stderr,
    interrupt: () => {
      // process.kill, not child.kill: Deno's child_process misreports a child it was asked to kill.
      if (child.pid !== undefined && !exited) process.kill(child.pid, "SIGINT");
    },
    waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const match = pattern.exec(stderr);
          if (match !== null) {
            finish();
            resolve(match);
          } else if (exited) {
            finish();
            reject(new Error(`exited before ${pattern}: ${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms: ${stderr}`));
        }, timeoutMs);
        const finish = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}
