/**
 * Where a bench ran: runtime, versions, CPU and the git commit, printed at
 * the top of the output (as mitata prints its header) and stored in the
 * results file.
 *
 * @module
 */
import { system } from "../../src/runtime/mod.ts";
import { VERSION } from "../../src/version.ts";
import { runCommand } from "./command.ts";

/** The environment of one bench run. */
export interface BenchEnvironment {
  runtime: string;
  runtimeVersion: string;
  lungeVersion: string;
  cpuModel: string;
  cpus: number;
  /** `git rev-parse HEAD`, or "unknown" outside a checkout. */
  gitCommit: string;
  /** Whether the working tree had uncommitted changes. */
  gitDirty: boolean;
  /** Open-file limit seen by this process (`ulimit -n`), or null where unknown. */
  openFileLimit: number | null;
  /** ISO-8601 time the bench started. */
  startedAt: string;
  quick: boolean;
  /** Which bench ran: the full one, `--quick`, or `--ci` (the hard gates only). */
  profile: BenchProfile;
}

/** The bench's profiles: `full` (default), `quick` (`--quick`), `ci` (`--ci`: the gates only). */
export type BenchProfile = "full" | "quick" | "ci";

/**
 * Gathers the environment (runs `git` twice).
 *
 * @example
 * ```ts
 * import { benchEnvironment } from "./env_info.ts";
 * console.log((await benchEnvironment("quick")).gitCommit);
 * ```
 */
export async function benchEnvironment(profile: BenchProfile): Promise<BenchEnvironment> {
  const head = await runCommand("git", ["rev-parse", "HEAD"], 10_000);
  const status = await runCommand("git", ["status", "--porcelain", "--untracked-files=no"], 10_000);
  const limit = await runCommand("sh", ["-c", "ulimit -n"], 10_000);
  return {
    runtime: system.name,
    runtimeVersion: system.version,
    lungeVersion: VERSION,
    cpuModel: system.cpuModel(),
    cpus: system.cpuCount(),
    gitCommit: head.code === 0 ? head.stdout.trim() : "unknown",
    gitDirty: status.code === 0 && status.stdout.trim() !== "",
    openFileLimit: limit.code === 0 && /^\d+$/.test(limit.stdout.trim()) ? Number(limit.stdout.trim()) : null,
    startedAt: new Date().toISOString(),
    quick: profile !== "full",
    profile,
  };
}

/**
 * The header lines, in mitata's style (`cpu:`, `runtime:`).
 *
 * @example
 * ```ts
 * import { benchEnvironment, formatHeader } from "./env_info.ts";
 * console.log(formatHeader(await benchEnvironment("full")));
 * ```
 */
export function formatHeader(env: BenchEnvironment): string {
  return [
    `lunge ${env.lungeVersion} bench${env.profile === "full" ? "" : ` (${env.profile})`}  ${env.startedAt}`,
    `cpu: ${env.cpuModel} (${env.cpus} cores)`,
    `runtime: ${env.runtime} ${env.runtimeVersion}`,
    `git: ${env.gitCommit.slice(0, 12)}${env.gitDirty ? " (dirty)" : ""}   ulimit -n: ${
      env.openFileLimit ?? "?"
    }`,
  ].join("\n");
}
