/**
 * A fresh clone of the committed tree, as a new user or a maintainer starts
 * from, and shell commands run in it with a deadline. The clone's
 * `node_modules` is a link to this checkout's install: `npm ci` of the same
 * lock (CI installs exactly that), without a second 270 MB install per test.
 * Commands run in their own process group, so stopping one stops its
 * children too (`deno task` and `npm run` start the real process as a child).
 *
 * @module
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** The repository this test runs in. */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/** A clone of HEAD in a temp folder. */
export interface FreshClone {
  /** The clone's work tree. */
  dir: string;
  /** The temp folder that holds it (and anything a test puts beside it). */
  base: string;
  /** The environment for commands in the clone: its `node_modules/.bin` first on the PATH, no colour. */
  env: Record<string, string>;
  /** Removes everything. */
  cleanup(): void;
}

/**
 * Clones the committed tree (HEAD; uncommitted changes are not in it) and
 * links its `node_modules` to this checkout's.
 *
 * @example
 * ```ts
 * import { freshClone } from "./fresh_clone.ts";
 * const clone = freshClone();
 * console.log(clone.dir);
 * clone.cleanup();
 * ```
 */
export function freshClone(): FreshClone {
  const base = mkdtempSync(join(tmpdir(), "lunge-clone-"));
  const dir = join(base, "lunge");
  const r = spawnSync("git", ["clone", "-q", ROOT, dir], { encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0) {
    rmSync(base, { recursive: true, force: true });
    throw new Error(`git clone ${ROOT} failed (${r.status}): ${r.stderr}`);
  }
  symlinkSync(realpathSync(join(ROOT, "node_modules")), join(dir, "node_modules"));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  // A CI variable of the outer run must not turn a command's not-checked verdicts into failures here.
  delete env.CI;
  Object.assign(env, { PATH: `${join(dir, "node_modules", ".bin")}:${env.PATH ?? ""}`, NO_COLOR: "1" });
  return { dir, base, env, cleanup: (): void => rmSync(base, { recursive: true, force: true }) };
}

/** What a shell command did. */
export interface ShellRun {
  /** Exit code; null when it was stopped (deadline or `until`). */
  code: number | null;
  /** stdout and stderr as they arrived, interleaved. */
  output: string;
  /** Whether `until` matched (the command was then stopped). */
  matched: boolean;
  /** Whether the deadline stopped it. */
  timedOut: boolean;
  ms: number;
}

/**
 * Runs `command` with `sh -c` in `cwd`. With `until`, stops the command's
 * whole process group as soon as its output matches (a long command is
 * checked by its first lines); otherwise it runs to its end or the deadline.
 *
 * @example
 * ```ts
 * import { runShell } from "./fresh_clone.ts";
 * const r = await runShell("echo hello; sleep 30", { cwd: "/tmp", env: {}, until: /hello/ });
 * console.log(r.matched, r.output);
 * ```
 */
export function runShell(
  command: string,
  options: { cwd: string; env: Record<string, string>; timeoutMs?: number; until?: RegExp },
): Promise<ShellRun> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", command], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    let matched = false;
    let timedOut = false;
    const stop = (): void => {
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch { /* already gone */ }
      // Whatever ignores SIGTERM (a runtime mid-start) goes 2 s later.
      setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch { /* already gone */ }
      }, 2000);
    };
    const take = (chunk: Uint8Array): void => {
      output += new TextDecoder().decode(chunk);
      if (!matched && options.until?.test(output)) {
        matched = true;
        stop();
      }
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs ?? 120_000);
    child.on("close", (code: number | null) => {
      clearTimeout(timer);
      resolve({
        code: matched || timedOut ? null : code,
        output,
        matched,
        timedOut,
        ms: performance.now() - started,
      });
    });
  });
}
