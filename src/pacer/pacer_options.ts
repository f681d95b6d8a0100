/**
 * What a pacer is told: the model and schedule, the pool's size, how it
 * counts the warm-up edge and late arrivals, its drain and sweep, and where
 * its clock and timers come from.
 *
 * @module
 */
import type { LoadModel } from "../result/run_result.ts";
import type { Segment } from "./schedule.ts";
import type { PacerTotals } from "./control.ts";
import type { WorkerClock, WorkerTimers } from "./clock.ts";

/**
 * How the pacer counts the warm-up edge and arrivals that find no free slot:
 * - `"send"` (requests): a unit counts when it is sent at or after the
 *   warm-up's planned end; an arrival that waits for a slot is a delayed
 *   send (sent late, latency from its intended time), and only arrivals
 *   never sent are missed sends.
 * - `"plan"` (scenario iterations): a unit counts when it was due at or
 *   after the warm-up's planned end; an arrival that finds no free slot is
 *   a missed send at once (it still starts late when one frees up).
 *
 * @example
 * ```ts
 * import type { Accounting } from "./pacer_options.ts";
 * const accounting: Accounting = "send";
 * ```
 */
export type Accounting = "send" | "plan";

/**
 * Options of `new Pacer(protocol, options)`.
 *
 * @example
 * ```ts
 * import type { PacerOptions } from "./pacer_options.ts";
 * const options: Partial<PacerOptions> = { model: "closed", concurrency: 10, requestLimit: null };
 * ```
 */
export interface PacerOptions {
  /** Closed (virtual users loop) or open (arrival rate). */
  model: LoadModel;
  /** This worker's share of the schedule: rate (open) or virtual users (closed) per segment. */
  segments: Segment[];
  /** This worker's place in the shared arrival stream, in [0, 1) (open model). */
  arrivalOffset: number;
  /** Slots opened at the start. */
  concurrency: number;
  /** Open model: slots the pool may grow to when every one is busy (>= `concurrency`). */
  maxConcurrency: number;
  /** Measured units this worker starts at most (count-bound runs), or null. */
  requestLimit: number | null;
  /** The shared control block (stop, measuring, interrupted flags). */
  control: Int32Array;
  /** Where missed sends and measured sends are counted (the worker's lane). */
  lane: { recordMissedSends(count: number): void; recordSent(): void };
  /** See {@linkcode Accounting}. */
  accounting: Accounting;
  /** How long the drain waits for work in flight after the planned end, ms. */
  drainMs: number;
  /** Sweep period while work is in flight, ms. */
  sweepEveryMs: number;
  /**
   * A slowed-down sweep due within this many ms is kept when a unit starts
   * (the unit's own timeout: nothing can expire sooner).
   * @default 0
   */
  sweepGraceMs?: number;
  /** Called once when the worker finishes, after `Protocol.close()`. */
  onDone(totals: PacerTotals): void;
  /** @default performance */
  clock?: WorkerClock;
  /** @default globalThis */
  timers?: WorkerTimers;
}
