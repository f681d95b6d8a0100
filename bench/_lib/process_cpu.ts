/**
 * CPU time of other processes, from Linux's /proc: the whole CPU a client
 * process tree used (for requests per client CPU-second), and the CPU a
 * running process uses over a window (for idle and fixed-rate overheads).
 * Dev tooling: `node:*` modules, which Deno, Bun and Node all provide.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import process from "node:process";
import { TASKSET_PATH } from "./nginx.ts";

/** /proc times are in USER_HZ ticks, 100 per second on Linux. */
const TICKS_PER_SECOND = 100;
const STAT_MARK = "LUNGE_CHILD_STAT ";

/** What a measured command produced. */
export interface MeasuredCommand {
  /** Exit code, or null when killed (timeout) or it could not start. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, s. */
  wallS: number;
  /** User + system CPU of the command and every descendant it waited for, s (NaN if unknown). */
  cpuS: number;
}

/** Options of {@linkcode runMeasured}. */
export interface MeasuredOptions {
  /** Pin the command to this CPU with taskset when taskset exists. */
  cpu?: number;
  /** Kill after this long (default 120 s). */
  timeoutMs?: number;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Called once spawned with the pid of the wrapping shell (the command is its child). */
  onSpawn?: (shellPid: number) => void;
}

/**
 * The fields of a /proc/<pid>/stat line after the command name (field 3 first).
 *
 * @example
 * ```ts
 * import { statFields } from "./process_cpu.ts";
 * statFields("1 (a b) S 0 0")[0]; // "S"
 * ```
 */
export function statFields(line: string): string[] {
  return line.slice(line.lastIndexOf(")") + 2).trim().split(/\s+/);
}

/**
 * Runs `command args...` (pinned to `cpu` when asked) under a small shell
 * that, once the command has exited and been waited for, prints its own
 * /proc stat line: the shell's children times (`cutime + cstime`, what
 * `getrusage(RUSAGE_CHILDREN)` reports) are the command tree's CPU.
 *
 * @example
 * ```ts
 * import { runMeasured } from "./process_cpu.ts";
 * const out = await runMeasured("wrk", ["-t1", "-c10", "-d1s", "http://127.0.0.1:8080/"], { cpu: 1 });
 * console.log(out.cpuS, out.stdout);
 * ```
 */
export function runMeasured(
  command: string,
  args: string[],
  options: MeasuredOptions = {},
): Promise<MeasuredCommand> {
  const pinned = options.cpu !== undefined && existsSync(TASKSET_PATH);
  const argv = pinned ? [TASKSET_PATH, "-c", String(options.cpu), command, ...args] : [command, ...args];
  const script = `"$@"; rc=$?; read -r s < /proc/$$/stat; echo "${STAT_MARK}$s" >&2; exit $rc`;
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    const t0 = performance.now();
    const child = spawn("/bin/sh", ["-c", script, "sh", ...argv], {
      stdio: ["ignore", "pipe", "pipe"],
      env: options.env ? { ...process.env, ...options.env } : undefined,
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    const decoder = new TextDecoder();
    child.stdout?.on("data", (chunk: Uint8Array) => (stdout += decoder.decode(chunk)));
    child.stderr?.on("data", (chunk: Uint8Array) => (stderr += decoder.decode(chunk)));
    const finish = (code: number | null): void => {
      clearTimeout(timer);
      const at = stderr.lastIndexOf(STAT_MARK);
      let cpuS = NaN;
      if (at !== -1) {
        const f = statFields(stderr.slice(at + STAT_MARK.length).split("\n")[0]);
        cpuS = (Number(f[13]) + Number(f[14])) / TICKS_PER_SECOND; // cutime + cstime
        stderr = stderr.slice(0, at);
      }
      resolve({ code, stdout, stderr, wallS: (performance.now() - t0) / 1000, cpuS });
    };
    child.on("error", (error: Error) => {
      stderr += String(error);
      finish(null);
    });
    child.on("close", (code: number | null) => finish(code));
  });
}

/**
 * CPU time (ns) a running process has used so far, all threads: the sum of
 * each thread's /proc/<pid>/task/<tid>/schedstat (nanoseconds), or of
 * utime + stime in /proc/<pid>/stat (10 ms ticks) where schedstat is missing.
 * NaN once the process is gone.
 *
 * @example
 * ```ts
 * import { processCpuNs } from "./process_cpu.ts";
 * const before = processCpuNs(1234);
 * // ... 10 s later ...
 * console.log((processCpuNs(1234) - before) / 1e7, "% of a core over 10 s");
 * ```
 */
export function processCpuNs(pid: number): number {
  try {
    let total = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      } catch {
        // A thread that ended between the listing and the read.
      }
    }
    if (total > 0) return total;
    const f = statFields(readFileSync(`/proc/${pid}/stat`, "utf8"));
    return ((Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND) * 1e9;
  } catch {
    return NaN;
  }
}
