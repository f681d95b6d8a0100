/**
 * Runs `stress/mod.ts` in a child process of the runtime running the tests
 * (Deno with `--expose-gc`, as the `stress` task does), bounded in time.
 *
 * @module
 */
import { spawn } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { runtimeName } from "../../src/runtime/mod.ts";

const ENTRY = fileURLToPath(new URL("../../stress/mod.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** How a stress child ended. */
export interface StressChild {
  code: number | null;
  stdout: string;
  stderr: string;
  /** ms from the final verdict line on stdout to the process's exit. */
  exitAfterEndMs: number | null;
}

/**
 * Runs the stress command with `args` and extra environment `env`; killed
 * after `timeoutMs`.
 *
 * @example
 * ```ts
 * import { runStressChild } from "./stress_child.ts";
 * const r = await runStressChild(["--duration", "3s", "--rate", "100", "--json", "--no-files"]);
 * console.log(r.code);
 * ```
 */
export function runStressChild(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<StressChild> {
  const command = runtimeName === "deno"
    ? ["run", "-A", "--v8-flags=--expose-gc", ENTRY, ...args]
    : [ENTRY, ...args];
  // The target is a child of the child: it gets a forced GC on Deno only through DENO_V8_FLAGS.
  const gcFlags = runtimeName === "deno" ? { DENO_V8_FLAGS: "--expose-gc" } : {};
  const child = spawn(process.execPath, command, {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1", ...gcFlags, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let endAt: number | null = null;
  child.stdout?.setEncoding("utf8");
  child.stderr?.setEncoding("utf8");
  child.stdout?.on("data", (d: string) => {
    stdout += d;
    if (endAt === null && /(PASS .*|FAIL .*)\n/.test(stdout)) endAt = performance.now();
  });
  child.stderr?.on("data", (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, exitAfterEndMs: endAt === null ? null : performance.now() - endAt });
    });
  });
}
