/**
 * The pacer's side of the run's control: the words of the shared control
 * block it reads (stop, measuring, interrupted) and the totals it hands to
 * its protocol at the end. The orchestrator allocates the block
 * (`CONTROL_BYTES`) and writes the words; every load worker's pacer reads them.
 *
 * @module
 */

/** Int32 words of the control block. */
export const CTRL_STOP = 0;
/** 1 once measuring has started: requests sent from then on are recorded. */
export const CTRL_MEASURING = 1;
/** 1 when the stop was an interrupt (abandon in-flight requests quickly). */
export const CTRL_INTERRUPTED = 2;
/** Bytes of the control block. */
export const CONTROL_BYTES = 64;

/**
 * A worker's pacing figures at the end (the pacer counts them for every protocol), part of its "done" report.
 *
 * @example
 * ```ts
 * import type { PacerTotals } from "./control.ts";
 * const t: PacerTotals = {
 *   sent: 10, abandoned: 0, lastSendEpochMs: 0, completedInWindow: 10, connections: 2, delayedSends: 0,
 * };
 * ```
 */
export interface PacerTotals {
  /** Units of work started (requests, iterations). */
  sent: number;
  /** Units still in flight when the worker finished (abandoned). */
  abandoned: number;
  /** Epoch ms of this worker's last send (0 if none): late sends stretch the measured span. */
  lastSendEpochMs: number;
  /** Measured requests completed by the end of the planned schedule (closed model's achieved rate). */
  completedInWindow: number;
  /** Connections this worker opened (open model: the pool's peak). */
  connections: number;
  /** Arrivals that waited (or were never sent) because every allowed connection was busy. */
  delayedSends: number;
}
