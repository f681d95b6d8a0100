/**
 * Messages between the run orchestrator and its load workers, and the
 * layout of the shared control block.
 *
 * @module
 */
import type { ClientStatsHandle } from "../collector/client_stats.ts";
import type { CollectorHandle } from "../collector/types.ts";
import type { ErrorTallyEntry } from "./error_tally.ts";
import type { RequestSpec } from "../http/types.ts";
import type { Transport } from "./options.ts";
import type { NamedLanesHandle } from "../collector/named_lanes.ts";
import type { RequestSet } from "../request_sets/parse_targets.ts";
import type { TargetsOrder } from "../request_sets/request_source.ts";
import type { LoadModel } from "../result/run_result.ts";
import type { ConnectOptions } from "../http/types.ts";
import type { Segment } from "./schedule.ts";
import type { WebSocketJob, WsWorkerReport } from "./websocket/types.ts";
import type { GrpcJob } from "./grpc/grpc_job.ts";
import type { GrpcLanesHandle } from "../collector/grpc_lanes.ts";

/** Int32 words of the control block. */
export const CTRL_STOP = 0;
/** 1 once measuring has started: requests sent from then on are recorded. */
export const CTRL_MEASURING = 1;
/** 1 when the stop was an interrupt (abandon in-flight requests quickly). */
export const CTRL_INTERRUPTED = 2;
/** Bytes of the control block. */
export const CONTROL_BYTES = 64;

/** What one load worker is asked to do. */
export interface WorkerJob {
  type: "job";
  workerIndex: number;
  collector: CollectorHandle;
  clients: ClientStatsHandle;
  control: SharedArrayBuffer;
  spec: RequestSpec;
  transport: Transport;
  /** HTTP/2 mode ("off" for HTTP/1.1) and concurrent streams per connection. */
  http2?: "off" | "tls" | "prior-knowledge";
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
  seq?: import("./execution_segment.ts").SeqSlot;
  /** Request set (`--targets`): sent instead of `spec`; per-target metrics go to `named`. */
  targets?: {
    set: RequestSet;
    order: TargetsOrder;
    workers: number;
    /** This instance's `--segment` index and count, so that `{{seq}}` stays disjoint across segments. */
    segment?: number;
    segments?: number;
  } | null;
  /** Per-name metrics lanes (request sets, scenarios). */
  named?: NamedLanesHandle | null;
  /** Scenario: the worker runs iterations of this module instead of one request. */
  scenario?: ScenarioJob | null;
  /**
   * Report this worker's own heap every this many ms (a "heap" message, read after a forced GC where the
   * runtime allows); 0 or absent: off, no timer at all.
   */
  heapEveryMs?: number;
  /** Stream timing lanes (first byte, SSE events, LLM tokens). */
  streamLanes?: import("../collector/stream_lanes.ts").StreamLanesHandle | null;
  /** WebSocket (ws://, wss://): each unit sends a message and waits for the next one back. */
  websocket?: WebSocketJob | null;
  /** gRPC: the worker calls one method instead of sending `spec` (`grpc/grpc_worker.ts`). */
  grpc?: GrpcJob | null;
}

/**
 * What a scenario worker needs beyond a plain job.
 *
 * @example
 * ```ts
 * import type { ScenarioJob } from "./worker_protocol.ts";
 * const job: ScenarioJob = { moduleUrl: "file:///s.ts", base: "", dataJson: "", env: {}, iterationTimeoutMs: 60_000 };
 * ```
 */
export interface ScenarioJob {
  /** URL the worker imports the scenario module from. */
  moduleUrl: string;
  /** Base URL for relative request URLs ("" for none). */
  base: string;
  /** JSON of what `setup()` returned ("" for nothing). */
  dataJson: string;
  /** `ctx.env`. */
  env: Record<string, string>;
  /** Bound on one iteration, ms. */
  iterationTimeoutMs: number;
  /** gRPC counters of `ctx.grpc` calls, by name slot (absent: the scenario makes no gRPC calls). */
  grpcLanes?: GrpcLanesHandle | null;
}

/**
 * Scenario figures a worker reports when done.
 *
 * @example
 * ```ts
 * import type { ScenarioWorkerReport } from "./worker_protocol.ts";
 * const report: ScenarioWorkerReport = { errors: [["boom", 2]], timedOut: 0, abandoned: 0 };
 * ```
 */
export interface ScenarioWorkerReport {
  /** Iteration error messages with counts. */
  errors: Array<[string, number]>;
  /** Iterations abandoned at the iteration timeout. */
  timedOut: number;
  /** Iterations still running at the end. */
  abandoned: number;
}

/** Starts every worker at the same moment (epoch ms). */
export interface StartMessage {
  type: "start";
  startEpochMs: number;
}

/**
 * The run is stopping (an interrupt, or another worker crashed): read the control flags now. The
 * flags stay the source of truth; the message only spares an idle worker from polling them.
 */
export interface StopMessage {
  type: "stop";
}

/**
 * A worker's pacing figures at the end (the pacer counts them for every protocol), part of its "done" report.
 *
 * @example
 * ```ts
 * import type { PacerTotals } from "./worker_protocol.ts";
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

/** Worker → orchestrator. */
export type WorkerMessage =
  | { type: "ready"; workerIndex: number }
  | PacerTotals & {
    type: "done";
    workerIndex: number;
    /** Test-only raw latencies (ns), when `keepLatencies` > 0. */
    latencies?: Float64Array;
    /** Latencies not kept because `keepLatencies` was reached. */
    latenciesDropped?: number;
    /** Messages of this worker's failed requests with their counts. */
    errors?: ErrorTallyEntry[];
    /** Scenario runs: iteration errors, timeouts and abandoned iterations. */
    scenario?: ScenarioWorkerReport;
    /** WebSocket runs: messages, bytes, close codes and failures by kind. */
    websocket?: WsWorkerReport;
  }
  | { type: "error"; workerIndex: number; message: string }
  | {
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
  };
