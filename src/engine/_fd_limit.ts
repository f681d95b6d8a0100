/**
 * The file-descriptor check before a run: each connection needs one
 * descriptor, so a concurrency above the open-files limit would fail part-way
 * with EMFILE. Deno and Bun raise their soft limit to the hard limit when they
 * start; what is left to check is that the limit now in force is enough.
 *
 * @module
 */
import { RunOptionsError } from "./options.ts";
import { readTextFileOrNull } from "../runtime/files.ts";

/** Descriptors a run needs beyond its connections: stdio, worker pipes, the event loop, the target's pipes. */
export const FD_HEADROOM = 100;

/** The open-files limits of this process. */
export interface FdLimits {
  /** The limit in force (soft). */
  soft: number;
  /** The ceiling an unprivileged process may raise the soft limit to. */
  hard: number;
}

/**
 * Parses the "Max open files" line of `/proc/self/limits`; `null` when absent.
 *
 * @example
 * ```ts
 * import { parseFdLimits } from "./_fd_limit.ts";
 * const text = "Max open files            1024                 4096                 files";
 * console.log(parseFdLimits(text)); // { soft: 1024, hard: 4096 }
 * ```
 */
export function parseFdLimits(limitsText: string): FdLimits | null {
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limitsText);
  if (m === null) return null;
  const value = (s: string): number => (s === "unlimited" ? Infinity : Number(s));
  const soft = value(m[1]);
  const hard = value(m[2]);
  return Number.isNaN(soft) || Number.isNaN(hard) ? null : { soft, hard };
}

/**
 * Throws a `RunOptionsError` (`Cannot start run: ...`, a usage error for the CLI:
 * exit 2) when `concurrency` connections plus `FD_HEADROOM` exceed the
 * open-files limit, with the numbers and how to raise it. Does nothing where
 * the limit cannot be read (not Linux).
 *
 * @example
 * ```ts
 * import { checkFdLimit } from "./_fd_limit.ts";
 * checkFdLimit(100, { soft: 1024, hard: 4096 }); // fine
 * // checkFdLimit(5000, { soft: 1024, hard: 4096 }) throws
 * ```
 */
export function checkFdLimit(concurrency: number, limits: FdLimits | null = readFdLimits()): void {
  if (limits === null) return;
  const needed = concurrency + FD_HEADROOM;
  if (needed <= limits.soft) return;
  const n = (v: number): string => (Number.isFinite(v) ? v.toLocaleString("en-US") : "unlimited");
  const how = needed <= limits.hard
    ? `raise the soft limit first, e.g. 'ulimit -Sn ${needed}' in the shell that starts lunge`
    : `raise it first, e.g. 'ulimit -n ${needed}' (above the hard limit this needs root, or LimitNOFILE= ` +
      `or /etc/security/limits.conf), or lower --concurrency`;
  throw new RunOptionsError(
    "concurrency",
    `--concurrency ${n(concurrency)} needs about ${n(needed)} open files, ` +
      `but the limit is ${n(limits.soft)} (hard limit ${n(limits.hard)}); ${how}`,
  );
}

/**
 * The open-files limits of this process, from `/proc/self/limits`; `null` where unknown.
 *
 * @example
 * ```ts
 * import { readFdLimits } from "./_fd_limit.ts";
 * console.log(readFdLimits()); // { soft: 20000, hard: 20000 } on Linux
 * ```
 */
export function readFdLimits(): FdLimits | null {
  const text = readTextFileOrNull("/proc/self/limits");
  return text === null ? null : parseFdLimits(text);
}
