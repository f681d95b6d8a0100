/**
 * Internal: the lines every report adds about how far the figures can be
 * trusted: the durations of requests that failed without a response (kept
 * apart from the latency table), the open model's connection pool, and the
 * run's warnings. Shared by the text and HTML reports.
 *
 * @module
 */
import type { RunResult } from "../result/run_result.ts";
import { formatCount, formatMs } from "./_units.ts";

/** One label/value pair of the notes. */
export interface RunNote {
  label: string;
  value: string;
  /** True when the note should stand out (a warning). */
  warn: boolean;
}

/**
 * The notes of a result, in display order.
 *
 * @example
 * ```ts
 * import { runNotes } from "./_run_notes.ts";
 * declare const result: import("../result/run_result.ts").RunResult;
 * for (const n of runNotes(result)) console.log(`${n.label}: ${n.value}`);
 * ```
 */
export function runNotes(result: RunResult): RunNote[] {
  const notes: RunNote[] = [];
  const nr = result.snapshot.noResponseLatency;
  if (nr !== null && nr.count > 0) {
    notes.push({
      label: "No response",
      value: `${formatCount(nr.count)} failed without a response after p50 ${formatMs(nr.p50)}, ` +
        `p99 ${formatMs(nr.p99)}, max ${formatMs(nr.max)} (not in the latency figures)`,
      warn: true,
    });
  }
  const pool = result.pool;
  if (pool !== null) {
    notes.push({
      label: "Connections",
      value: `${formatCount(pool.peak)} opened (started with ${formatCount(pool.initial)}, limit ${
        formatCount(pool.limit)
      })`,
      warn: pool.delayedSends > 0,
    });
  }
  for (const w of result.warnings) notes.push({ label: "Warning", value: w, warn: true });
  return notes;
}
