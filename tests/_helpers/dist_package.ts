/**
 * Builds, packs and installs lunge the way a user gets it, for the
 * `tests/dist/*.test.ts` files: `scripts/build.ts --out <staging>/dist`
 * (never touching the repository's `dist/` or `src/_bundled/`), `npm pack` of a
 * staging copy of the package, `npm install <tarball>` into an empty
 * directory. Also runs commands with a deadline.
 *
 * @module
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url));
/** The npm-installed runtimes. */
export const DENO: string = join(ROOT, "node_modules", ".bin", "deno");
/** The npm-installed Bun. */
export const BUN: string = join(ROOT, "node_modules", ".bin", "bun");
/** Node (the machine's). */
export const NODE = "node";

/** The outcome of a bounded command. */
export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `command args` in `cwd`, killing it after `timeoutMs`. */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; timeoutMs?: number; env?: Record<string, string> },
): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Uint8Array) => (stdout += new TextDecoder().decode(chunk)));
    child.stderr.on("data", (chunk: Uint8Array) => (stderr += new TextDecoder().decode(chunk)));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("close", (code: number | null) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

function must(command: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  const r = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 180_000,
  });
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

/** A packed and installed copy of lunge. */
export interface InstalledPackage {
  /** The temp directory that holds everything (remove with `cleanup`). */
  base: string;
  /** The npm tarball. */
  tarball: string;
  /** The user's project: `package.json` + `node_modules/@lunge/lunge`. */
  project: string;
  /** `<project>/node_modules/@lunge/lunge`. */
  installed: string;
  /** Whether `.d.ts` files were built (the `typescript` package was found). */
  hasTypes: boolean;
  /** Removes `base`. */
  cleanup(): void;
}

/** Builds into a staging copy, packs it, installs the tarball into an empty project. Takes 10-40 s. */
export function packAndInstall(): InstalledPackage {
  const base = mkdtempSync(join(tmpdir(), "lunge-dist-"));
  const staging = join(base, "staging");
  mkdirSync(staging);
  for (const file of ["package.json", "README.md", "LICENSE", "CHANGELOG.md"]) {
    if (existsSync(join(ROOT, file))) cpSync(join(ROOT, file), join(staging, file));
  }
  must(DENO, ["run", "-A", "scripts/build.ts", "--keep-entries", "--out", join(staging, "dist")], ROOT);
  // The staging copy is already built; prepack (the build) would look for scripts/ there.
  must("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", base], staging);
  const tarball = join(base, readdirSync(base).find((f) => f.endsWith(".tgz")) ?? "missing.tgz");
  const project = join(base, "project");
  mkdirSync(project);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "lunge-user", private: true, type: "module" }),
  );
  must("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], project);
  return {
    base,
    tarball,
    project,
    installed: join(project, "node_modules", "@lunge", "lunge"),
    hasTypes: existsSync(join(staging, "dist", "types", "mod.d.ts")),
    cleanup: (): void => rmSync(base, { recursive: true, force: true }),
  };
}
