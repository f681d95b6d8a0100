/**
 * What the run adds up from its load workers' final reports: the open
 * model's connection pool summary and the warnings a result carries.
 *
 * @module
 */
import type { NormalizedRunOptions } from "./_normalize.ts";
import type { ConnectionPoolSummary, RunResult } from "../result/run_result.ts";
import type { WorkerMessage } from "./worker_protocol.ts";

/** One load worker's final report (its "done" message). */
export type WorkerTotals = Extract<WorkerMessage, { type: "done" }>;

/**
 * The open model's pool over the run: initial size, limit, peak and the
 * arrivals that waited for a connection; `null` in the closed model.
 *
 * @example
 * ```ts
 * import { poolSummary } from "./_run_totals.ts";
 * import { normalizeRunOptions } from "./_normalize.ts";
 * const opts = normalizeRunOptions({ url: "http://127.0.0.1:8080/", rate: 100 });
 * poolSummary(opts, [])?.limit; // 1000 (rate × 10 s timeout)
 * ```
 */
export function poolSummary(
  opts: NormalizedRunOptions,
  totals: readonly WorkerTotals[],
): ConnectionPoolSummary | null {
  if (opts.model !== "open") return null;
  return {
    initial: opts.concurrency,
    limit: opts.maxConcurrency,
    peak: totals.reduce((n, d) => n + d.connections, 0),
    delayedSends: totals.reduce((n, d) => n + d.delayedSends, 0),
  };
}

/**
 * The warnings of a finished run, one sentence each: arrivals that waited
 * because every allowed connection was busy (the shortfall would otherwise
 * pass for server latency), and planned arrivals never sent.
 *
 * @example
 * ```ts
 * import { runWarnings } from "./_run_totals.ts";
 * declare const result: import("../result/run_result.ts").RunResult;
 * for (const w of runWarnings(result)) console.error(`warning: ${w}`);
 * ```
 */
export function runWarnings(result: RunResult): string[] {
  const out: string[] = [];
  const pool = result.pool;
  if (pool !== null && pool.delayedSends > 0) {
    out.push(
      `${pool.delayedSends} arrival(s) waited for a connection: all ${pool.limit} allowed connections were busy, ` +
        `so sends fell behind the schedule and their wait counts as latency; raise the limit ` +
        `(maxConcurrency, --max-concurrency) or lower the rate`,
    );
  }
  const missed = result.snapshot.missedSends;
  if (missed > 0) {
    out.push(
      `${missed} planned arrival(s) were never sent (the run ended with a backlog); ` +
        `they count as failures in the errors rate`,
    );
  }
  return out;
}
