/**
 * Execution segments: instance I of N runs its share of one plan so that N
 * instances together run exactly that plan. Open-model arrivals are
 * interleaved (arrival k of the single-run schedule belongs to segment
 * k mod N), virtual users and request counts are split with the remainder
 * going to the lowest indexes, and `{{seq}}` values are disjoint.
 *
 * @module
 */
import type { LoadModel } from "../options/values.ts";
import { RunOptionsError } from "../options/run_options_error.ts";
import type { Segment } from "../pacer/schedule.ts";
import type { SeqSlot } from "../worker/job.ts";

/** This instance's place in a split run: `index` of `count` (0 <= index < count). */
export interface ExecutionSegment {
  /** 0-based index of this instance. */
  index: number;
  /** Number of instances the plan is split over. */
  count: number;
}

/** Largest segment count accepted (a fleet bigger than this is a typo). */
export const MAX_SEGMENTS = 10_000;

/** The whole plan: one instance. */
export const WHOLE_PLAN: ExecutionSegment = Object.freeze({ index: 0, count: 1 });

/**
 * Parses `I/N` (as given to `--segment`). Throws a RangeError whose message
 * starts with `Cannot start run:` for anything else, e.g. `3/3`.
 *
 * @example
 * ```ts
 * import { parseSegment } from "./execution_segment.ts";
 * parseSegment("1/3"); // { index: 1, count: 3 }
 * ```
 */
export function parseSegment(text: string): ExecutionSegment {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (match === null) {
    throw new RunOptionsError("segment", `"segment" must be I/N, e.g. 0/3, got "${text}"`);
  }
  return checkSegment({ index: Number(match[1]), count: Number(match[2]) });
}

/**
 * Validates a segment; returns it. Throws a RangeError naming the rule.
 *
 * @example
 * ```ts
 * import { checkSegment } from "./execution_segment.ts";
 * checkSegment({ index: 2, count: 3 }); // ok
 * ```
 */
export function checkSegment(segment: ExecutionSegment): ExecutionSegment {
  const { index, count } = segment ?? {};
  if (!Number.isInteger(count) || count < 1 || count > MAX_SEGMENTS) {
    throw new RunOptionsError(
      "segment",
      `"segment" count must be an integer from 1 to ${MAX_SEGMENTS}, got ${count}`,
    );
  }
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new RunOptionsError(
      "segment",
      `"segment" index must be from 0 to ${count - 1} (0-based) for ${count} segments, got ${index}/${count}`,
    );
  }
  return { index, count };
}

/**
 * Part `index` of `total` split into `parts` near-equal integers; the
 * remainder goes to the lowest indexes (7 over 3 gives 3, 2, 2).
 *
 * @example
 * ```ts
 * import { splitCount } from "./execution_segment.ts";
 * [0, 1, 2].map((i) => splitCount(7, 3, i)); // [3, 2, 2]
 * ```
 */
export function splitCount(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) + (index < total % parts ? 1 : 0);
}

/** How one load worker's job is sized (the fields of `WorkerJob` that the split decides). */
export interface WorkerShare {
  /** Virtual users (connections) of the worker. */
  concurrency: number;
  /** The worker's share of the schedule. */
  segments: Segment[];
  /** The worker's place in the shared arrival stream (open model). */
  arrivalOffset: number;
  /** Measured requests the worker sends at most, or null. */
  requestLimit: number | null;
  /** The worker's `{{seq}}` values: `first`, `first + stride`, `first + 2 * stride`, ... */
  seq: SeqSlot;
}

/** What `workerShare` needs to know about the plan. */
export interface SharePlan {
  model: LoadModel;
  /** Virtual users of the whole plan (all segments). */
  concurrency: number;
  /** Request-count limit of the whole plan, or null. */
  requests: number | null;
  /** Load workers of this instance. */
  workers: number;
  segment: ExecutionSegment;
}

/**
 * Virtual users of this instance: its share of the plan's.
 *
 * @example
 * ```ts
 * import { segmentConcurrency } from "./execution_segment.ts";
 * segmentConcurrency(7, { index: 0, count: 3 }); // 3
 * ```
 */
export function segmentConcurrency(concurrency: number, segment: ExecutionSegment): number {
  return splitCount(concurrency, segment.count, segment.index);
}

/**
 * Worker `w`'s share of this instance's share of the plan. In the open
 * model worker w of segment I (W workers, N segments) takes the single-run
 * arrivals k = (j·W + w)·N + I, j = 0, 1, ...: its schedule is the plan's
 * scaled by 1/(N·W) with the offset (w·N + I)/(N·W), so the union over all
 * workers of all segments is exactly the single-run schedule, ramps
 * included. In the closed model the levels scale with the worker's VUs.
 *
 * @example
 * ```ts
 * import { buildSegments } from "../pacer/schedule.ts";
 * import { workerShare } from "./execution_segment.ts";
 * const phases = buildSegments({ warmupMs: 0, rampUpMs: 0, steadyMs: 1000, rampDownMs: 0 }, 1001);
 * const plan = { model: "open", concurrency: 101, requests: null, workers: 2, segment: { index: 1, count: 3 } } as const;
 * workerShare(plan, phases, 0).arrivalOffset; // 1/6
 * ```
 */
export function workerShare(plan: SharePlan, phases: readonly Segment[], w: number): WorkerShare {
  const { index, count } = plan.segment;
  const workers = plan.workers;
  const instanceVus = segmentConcurrency(plan.concurrency, plan.segment);
  const vus = splitCount(instanceVus, workers, w);
  const factor = plan.model === "open" ? 1 / (count * workers) : vus / plan.concurrency;
  const instanceRequests = plan.requests === null ? null : splitCount(plan.requests, count, index);
  return {
    concurrency: vus,
    segments: phases.map((s) => ({ ...s, from: s.from * factor, to: s.to * factor })),
    arrivalOffset: plan.model === "open" ? (w * count + index) / (count * workers) : 0,
    requestLimit: instanceRequests === null ? null : splitCount(instanceRequests, workers, w),
    seq: seqSlot(plan.segment, workers, w),
  };
}

/**
 * The `{{seq}}` values of worker `w` (of `workers`) in `segment`: value j
 * is `first + j * stride` = (j·W + w)·N + I. Disjoint across workers and
 * segments; in the open model value j is the single-run arrival index of
 * the worker's j-th arrival, so a split run uses the same seq values as
 * one big run.
 *
 * @example
 * ```ts
 * import { seqSlot } from "./execution_segment.ts";
 * seqSlot({ index: 2, count: 3 }, 2, 1); // { first: 5, stride: 6 }
 * ```
 */
export function seqSlot(segment: ExecutionSegment, workers: number, w: number): SeqSlot {
  return { first: w * segment.count + segment.index, stride: segment.count * workers };
}

/**
 * Parses `--start-at`: an RFC 3339 date-time (`2026-11-30T10:00:00Z`,
 * offset required) or a Unix epoch in milliseconds. Returns epoch ms.
 * Throws a RangeError starting with `Cannot start run:` otherwise.
 *
 * @example
 * ```ts
 * import { parseStartAt } from "./execution_segment.ts";
 * parseStartAt("2026-11-30T10:00:00Z"); // 1795946400000
 * parseStartAt("1795946400000"); // 1795946400000
 * ```
 */
export function parseStartAt(text: string): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    const ms = Number(trimmed);
    // 10^11 ms is 1973: anything smaller is almost surely seconds, not ms.
    if (ms < 1e11 || !Number.isSafeInteger(ms)) {
      throw new RunOptionsError(
        "startAt",
        `"startAt" epoch must be in milliseconds (13 digits), got ${trimmed}`,
      );
    }
    return ms;
  }
  const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
  const ms = rfc3339.test(trimmed) ? Date.parse(trimmed.replace(" ", "T")) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new RunOptionsError(
      "startAt",
      `"startAt" must be an RFC 3339 time such as 2026-11-30T10:00:00Z or epoch ms, got "${text}"`,
    );
  }
  return ms;
}

/** A start time this far in the past is still accepted (clocks of a fleet differ a little). */
export const START_AT_TOLERANCE_MS = 1000;

/**
 * Throws when `startAtMs` is more than 1 s in the past at `nowMs`.
 *
 * @example
 * ```ts
 * import { checkStartAt } from "./execution_segment.ts";
 * checkStartAt(Date.now() + 5000, Date.now()); // ok
 * ```
 */
export function checkStartAt(startAtMs: number, nowMs: number): void {
  if (startAtMs < nowMs - START_AT_TOLERANCE_MS) {
    const ago = ((nowMs - startAtMs) / 1000).toFixed(1);
    throw new RunOptionsError(
      "startAt",
      `"startAt" ${new Date(startAtMs).toISOString()} is ${ago} s in the past`,
    );
  }
}
