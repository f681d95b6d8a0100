/**
 * The part of a load worker's job that every protocol shares: its place
 * among the workers, the shared memory it records into, the pacing plan
 * (model, schedule share, limits) and the connection settings. Each
 * protocol's job extends it with its own part (`src/protocols/*`); the
 * orchestrator's `WorkerJob` (`src/engine/worker_protocol.ts`) joins them all.
 * Plain data, sent by `postMessage`.
 *
 * @module
 */
import type { ClientStatsHandle } from "../collector/client_stats.ts";
import type { CollectorHandle } from "../collector/types.ts";
import type { NamedLanesHandle } from "../collector/named_lanes.ts";
import type { StreamLanesHandle } from "../collector/stream_lanes.ts";
import type { ConnectOptions } from "../http/types.ts";
import type { LoadModel, Transport } from "../options/values.ts";
import type { Segment } from "../pacer/schedule.ts";

/**
 * An arithmetic sequence of `{{seq}}` values owned by one worker of one segment.
 *
 * @example
 * ```ts
 * import type { SeqSlot } from "./job.ts";
 * const slot: SeqSlot = { first: 2, stride: 4 }; // 2, 6, 10, ...
 * ```
 */
export interface SeqSlot {
  /** The first value. */
  first: number;
  /** The step between consecutive values. */
  stride: number;
}

/**
 * What every load worker is asked to do, whatever its protocol.
 *
 * @example
 * ```ts
 * import type { WorkerJobBase } from "./job.ts";
 * const timeoutOf = (job: WorkerJobBase): number => job.timeoutMs;
 * ```
 */
export interface WorkerJobBase {
  type: "job";
  workerIndex: number;
  collector: CollectorHandle;
  clients: ClientStatsHandle;
  control: SharedArrayBuffer;
  transport: Transport;
  /** HTTP/2: concurrent streams per connection. */
  streams?: number;
  /** TLS, `--connect-to` and unix socket settings. */
  connect: ConnectOptions;
  model: LoadModel;
  /** Virtual users (connections) of this worker. */
  concurrency: number;
  /** Open model: connections this worker may grow its pool to when all are busy (>= concurrency). */
  maxConcurrency: number;
  /**
   * Test-only: keep up to this many raw latencies (ns) of measured requests
   * that got a response, posted back with "done". 0 (the default) is off and costs nothing.
   */
  keepLatencies: number;
  /** This worker's share of the schedule: rate share (open) or VU share (closed). */
  segments: Segment[];
  /** Fraction in [0, 1): this worker's place in the shared arrival stream (open model). */
  arrivalOffset: number;
  /** Measured requests this worker sends at most (request-count runs). */
  requestLimit: number | null;
  timeoutMs: number;
  /** This worker's `{{seq}}` values (disjoint across workers and `--segment`s). */
  seq?: SeqSlot;
  /** Per-name metrics lanes (request sets, scenarios). */
  named?: NamedLanesHandle | null;
  /**
   * Report this worker's own heap every this many ms (a "heap" message, read after a forced GC where the
   * runtime allows); 0 or absent: off, no timer at all.
   */
  heapEveryMs?: number;
  /** Stream timing lanes (first byte, SSE events, LLM tokens). */
  streamLanes?: StreamLanesHandle | null;
}
