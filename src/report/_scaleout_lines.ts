/**
 * Internal: what the reports say about split and merged runs (segment,
 * merged segments, a partial merge).
 *
 * @module
 */
import type { RunResult } from "../result/run_result.ts";

/**
 * "1/3 of the plan (starting at …)" for a segment, "segments 0-2 of 3" for a
 * merge, or null for a whole single run.
 *
 * @example
 * ```ts
 * import { describeSplit } from "./_scaleout_lines.ts";
 * import type { RunResult } from "../result/run_result.ts";
 * declare const result: RunResult;
 * describeSplit(result); // e.g. "segment 1/3 (start at 2026-11-30T10:00:00.000Z)"
 * ```
 */
export function describeSplit(result: RunResult): string | null {
  const m = result.merged;
  if (m !== undefined && m !== null) {
    return `merged ${m.segments.length} of ${m.count} segment${m.count === 1 ? "" : "s"} (${
      m.segments.join(", ")
    })` + (m.partial ? ", PARTIAL" : "");
  }
  const s = result.segment;
  if (s === undefined || s === null) return null;
  return `segment ${s.index}/${s.count}` + (s.startAt === null ? "" : ` (start at ${s.startAt})`);
}

/**
 * The banner of a partial merge, or null.
 *
 * @example
 * ```ts
 * import { partialBanner } from "./_scaleout_lines.ts";
 * import type { RunResult } from "../result/run_result.ts";
 * declare const result: RunResult;
 * partialBanner(result); // null unless merged with --allow-partial and segments missing
 * ```
 */
export function partialBanner(result: RunResult): string | null {
  const m = result.merged;
  if (m === undefined || m === null || !m.partial) return null;
  return `PARTIAL: ${m.segments.length} of ${m.count} segments merged; the figures cover part of the plan`;
}

/**
 * The share of the plan's rate this result was meant to send (the whole rate unless a segment).
 *
 * @example
 * ```ts
 * import { plannedRateShare } from "./_scaleout_lines.ts";
 * import type { RunResult } from "../result/run_result.ts";
 * declare const result: RunResult;
 * plannedRateShare(result); // e.g. 333.3 for segment 0/3 of a 1000 req/s plan
 * ```
 */
export function plannedRateShare(result: RunResult): number | null {
  const rate = result.options.rate;
  if (rate === null) return null;
  const s = result.segment;
  return s === undefined || s === null ? rate : rate / s.count;
}
