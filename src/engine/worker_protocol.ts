/**
 * Messages between the run orchestrator and its load workers: the job of
 * every protocol and every message a worker may send, joined from the
 * parts below it (the common job and messages in `src/worker/`, each
 * protocol's own part in `src/protocols/`). The control block's layout is
 * the pacer's (`src/pacer/control.ts`).
 *
 * @module
 */
import type { HttpJob } from "../protocols/http/job.ts";
import type { WebSocketWorkerJob, WsWorkerReport } from "../protocols/websocket/types.ts";
import type { GrpcWorkerJob } from "../protocols/grpc/grpc_job.ts";
import type { ScenarioWorkerJob, ScenarioWorkerReport } from "../protocols/scenario/job.ts";
import type { DoneMessage, ErrorMessage, HeapMessage, ReadyMessage } from "../worker/messages.ts";

/**
 * What one load worker is asked to do: the common job with the part of
 * every protocol (a worker reads the one its job carries).
 *
 * @example
 * ```ts
 * import type { WorkerJob } from "./worker_protocol.ts";
 * const kindOf = (job: WorkerJob): string =>
 *   job.scenario ? "scenario" : job.websocket ? "websocket" : job.grpc ? "grpc" : "http";
 * ```
 */
export interface WorkerJob extends HttpJob, WebSocketWorkerJob, GrpcWorkerJob, ScenarioWorkerJob {}

/**
 * Worker → orchestrator.
 *
 * @example
 * ```ts
 * import type { WorkerMessage } from "./worker_protocol.ts";
 * const finished = (m: WorkerMessage): boolean => m.type === "done" || m.type === "error";
 * ```
 */
export type WorkerMessage =
  | ReadyMessage
  | DoneMessage & {
    /** Scenario runs: iteration errors, timeouts and abandoned iterations. */
    scenario?: ScenarioWorkerReport;
    /** WebSocket runs: messages, bytes, close codes and failures by kind. */
    websocket?: WsWorkerReport;
  }
  | ErrorMessage
  | HeapMessage;
