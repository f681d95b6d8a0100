/**
 * The pacer's options for a worker whose units each time out after the job's
 * `timeoutMs` (requests, WebSocket messages, gRPC calls): the job's plan,
 * accounted by send, a drain of one timeout and a second more, a sweep at a
 * tenth of the timeout (5-100 ms) that a unit started within a timeout of the
 * next sweep does not hurry. The HTTP, WebSocket and gRPC workers share it;
 * the scenario worker paces iterations by plan and sets its own.
 *
 * @module
 */
import type { PacerTotals } from "../pacer/control.ts";
import type { WorkerClock, WorkerTimers } from "../pacer/clock.ts";
import type { PacerOptions } from "../pacer/pacer_options.ts";
import type { WorkerJobBase } from "./job.ts";

/**
 * Pacer options for `job`, recording into `lane`, reporting to `onDone`.
 *
 * @example
 * ```ts
 * import { timedUnitPacing } from "./timed_unit_pacing.ts";
 * import type { WorkerJobBase } from "./job.ts";
 * declare const job: WorkerJobBase;
 * const options = timedUnitPacing(job, { recordMissedSends() {}, recordSent() {} }, () => {});
 * options.sweepEveryMs; // job.timeoutMs / 10, within [5, 100]
 * ```
 */
export function timedUnitPacing(
  job: WorkerJobBase,
  lane: PacerOptions["lane"],
  onDone: (totals: PacerTotals) => void,
  clock?: WorkerClock,
  timers?: WorkerTimers,
): PacerOptions {
  return {
    model: job.model,
    segments: job.segments,
    arrivalOffset: job.arrivalOffset,
    concurrency: job.concurrency,
    maxConcurrency: job.maxConcurrency,
    requestLimit: job.requestLimit,
    control: new Int32Array(job.control),
    lane,
    accounting: "send",
    drainMs: job.timeoutMs + 1000,
    sweepEveryMs: Math.min(100, Math.max(5, job.timeoutMs / 10)),
    sweepGraceMs: job.timeoutMs,
    onDone,
    clock,
    timers,
  };
}
