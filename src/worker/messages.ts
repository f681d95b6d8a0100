/**
 * The messages between the run orchestrator and a load worker that do not
 * depend on the worker's protocol: start, stop, ready, the "done" report's
 * common part, an error, a heap reading. A protocol adds its own part to
 * "done" (`src/protocols/*`); the orchestrator's `WorkerMessage`
 * (`src/engine/worker_protocol.ts`) joins them. The control block the
 * workers read is laid out in `src/pacer/control.ts`.
 *
 * @module
 */
import type { PacerTotals } from "../pacer/control.ts";
import type { ErrorTallyEntry } from "./error_tally.ts";

/**
 * Starts every worker at the same moment (epoch ms).
 *
 * @example
 * ```ts
 * import type { StartMessage } from "./messages.ts";
 * const start: StartMessage = { type: "start", startEpochMs: Date.now() + 100 };
 * ```
 */
export interface StartMessage {
  type: "start";
  startEpochMs: number;
}

/**
 * The run is stopping (an interrupt, or another worker crashed): read the control flags now. The
 * flags stay the source of truth; the message only spares an idle worker from polling them.
 *
 * @example
 * ```ts
 * import type { StopMessage } from "./messages.ts";
 * const stop: StopMessage = { type: "stop" };
 * ```
 */
export interface StopMessage {
  type: "stop";
}

/**
 * Worker → orchestrator: the job is taken, the worker waits for the start.
 *
 * @example
 * ```ts
 * import type { ReadyMessage } from "./messages.ts";
 * const ready: ReadyMessage = { type: "ready", workerIndex: 0 };
 * ```
 */
export interface ReadyMessage {
  type: "ready";
  workerIndex: number;
}

/**
 * Worker → orchestrator: the worker's final report, the part every protocol sends.
 *
 * @example
 * ```ts
 * import type { DoneMessage } from "./messages.ts";
 * const done: DoneMessage = {
 *   type: "done", workerIndex: 0,
 *   sent: 10, abandoned: 0, lastSendEpochMs: 0, completedInWindow: 10, connections: 2, delayedSends: 0,
 * };
 * ```
 */
export type DoneMessage = PacerTotals & {
  type: "done";
  workerIndex: number;
  /** Test-only raw latencies (ns), when `keepLatencies` > 0. */
  latencies?: Float64Array;
  /** Latencies not kept because `keepLatencies` was reached. */
  latenciesDropped?: number;
  /** Messages of this worker's failed requests with their counts. */
  errors?: ErrorTallyEntry[];
};

/**
 * Worker → orchestrator: the worker failed (its job could not start, or it threw).
 *
 * @example
 * ```ts
 * import type { ErrorMessage } from "./messages.ts";
 * const failed: ErrorMessage = { type: "error", workerIndex: 0, message: "boom" };
 * ```
 */
export interface ErrorMessage {
  type: "error";
  workerIndex: number;
  message: string;
}

/**
 * Worker → orchestrator: the worker's own heap.
 *
 * @example
 * ```ts
 * import type { HeapMessage } from "./messages.ts";
 * const heap: HeapMessage = { type: "heap", workerIndex: 0, elapsedMs: 2000, heapUsed: 8e6, afterGc: true, gcMs: 3 };
 * ```
 */
export interface HeapMessage {
  type: "heap";
  workerIndex: number;
  /** ms since the common start (`StartMessage.startEpochMs`). */
  elapsedMs: number;
  /** Heap used by this worker's own isolate, bytes. */
  heapUsed: number;
  /** Whether a forced full GC ran right before the reading (live heap). */
  afterGc: boolean;
  /** How long that GC paused this worker, ms. */
  gcMs: number;
}
