/**
 * The seam between the pacer and a protocol. The pacer decides when a unit
 * of work starts (open or closed model, ramps, phases, segments, missed
 * sends, the end-of-run drain); a protocol decides what one unit is (one
 * HTTP request, the next target of a request set, one scenario iteration;
 * later a WebSocket message, an SSE stream, a gRPC call), runs it on the
 * slot's connection and records its outcome into the lane.
 *
 * A slot is one virtual user: one connection (or one iteration's client),
 * at most one unit of work in flight. The pacer owns the slots' timing
 * state; a protocol keeps its own per-slot state (the connection) in an
 * array indexed by `slot.index`.
 *
 * @module
 */

/**
 * One virtual user as the pacer sees it. The pacer sets every field before
 * `Protocol.startWork`; a protocol reads them (never writes them) to record the
 * unit's latency and whether it counts.
 *
 * @example
 * ```ts
 * import type { PacedSlot } from "./protocol.ts";
 * function latencyNs(slot: PacedSlot, end: number): number {
 *   return Math.round((end - slot.intendedAt) * 1e6); // coordinated omission corrected
 * }
 * ```
 */
export interface PacedSlot {
  /** The slot's place in the pool, from 0; stable for the whole run. */
  readonly index: number;
  /** A unit of work is in flight on this slot. */
  busy: boolean;
  /** The unit in flight is recorded (started after the warm-up, by the pacer's rule). */
  measured: boolean;
  /** Clock ms the unit was due: its arrival time (open model) or its start (closed). */
  intendedAt: number;
  /** Clock ms the unit really started. */
  sentAt: number;
  /** Opened by the open model's pool growth and still on its first unit. */
  fresh: boolean;
}

/**
 * What a protocol implements so that the pacer can drive it. Every method
 * is called on the worker's thread; `startWork` is the hot path and must not
 * allocate per call. When a unit ends (answer, failure, timeout) the
 * protocol records it into its lane first and then calls
 * `Pacer.complete(slot, at)` with the clock read it took, once per `startWork`.
 *
 * @example
 * ```ts
 * import type { PacedSlot, Protocol } from "./protocol.ts";
 * import type { Pacer } from "./pacer.ts";
 *
 * class Echo implements Protocol {
 *   pacer: Pacer | null = null;
 *   openSlot(_slot: PacedSlot): void {}
 *   startWork(slot: PacedSlot): void {
 *     queueMicrotask(() => this.pacer!.complete(slot, performance.now()));
 *   }
 *   sweep(_slots: readonly PacedSlot[], _now: number): void {}
 *   close(): void {}
 * }
 * ```
 */
export interface Protocol {
  /**
   * Makes slot `slot.index` ready (creates its connection or virtual user;
   * a connection may open lazily on the first `startWork`). Called once per
   * slot, in index order: for the initial pool, then as the open model's
   * pool grows.
   */
  openSlot(slot: PacedSlot): void;
  /** Starts one unit of work on `slot` (the pacer has set its times and `measured`). */
  startWork(slot: PacedSlot): void;
  /**
   * The periodic sweep (every few ms while work is in flight): ends work
   * past its deadline, as a failure the protocol records and completes.
   * `now` is the clock's ms.
   */
  sweep(slots: readonly PacedSlot[], now: number): void;
  /** The run is over: closes every slot's connection; work still in flight is abandoned. */
  close(): void;
}
