/**
 * Runs an external command (git, node + autocannon) for the bench suites and
 * collects its output, bounded in time. Dev tooling, not library code: like
 * the test helpers it uses `node:child_process`, which Deno, Bun and Node all
 * provide with the same behaviour.
 *
 * @module
 */
import { spawn } from "node:child_process";
import process from "node:process";

/** What a finished command produced. */
export interface CommandOutput {
  /** Exit code, or null when it was killed (timeout) or could not start. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `command args...`, killing it after `timeoutMs` (default 60 s), with
 * `env` added to this process's environment.
 * Never rejects: a command that cannot start gives `code: null` and the
 * reason in `stderr`.
 *
 * @example
 * ```ts
 * import { runCommand } from "./command.ts";
 * const out = await runCommand("git", ["rev-parse", "HEAD"]);
 * console.log(out.code, out.stdout.trim());
 * ```
 */
export function runCommand(
  command: string,
  args: string[],
  timeoutMs = 60_000,
  env: Record<string, string> = {},
): Promise<CommandOutput> {
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let child;
    try {
      const withEnv = Object.keys(env).length === 0 ? {} : { env: { ...process.env, ...env } };
      child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...withEnv });
    } catch (error) {
      resolve({ code: null, stdout, stderr: String(error) });
      return;
    }
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout?.on("data", (chunk: Uint8Array) => (stdout += new TextDecoder().decode(chunk)));
    child.stderr?.on("data", (chunk: Uint8Array) => (stderr += new TextDecoder().decode(chunk)));
    child.on("error", (error: Error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: stderr + String(error) });
    });
    child.on("close", (code: number | null) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
