/**
 * What a gRPC load worker needs beyond a plain job, and what it reports.
 *
 * @module
 */
import type { GrpcLanesHandle } from "../../collector/grpc_lanes.ts";
import type { TemplatedData } from "./templated_messages.ts";
import type { WorkerJobBase } from "../../worker/job.ts";

/**
 * One method called over and over: the prepared request (its messages
 * encoded and framed once on the main thread), the call's kind, the lanes.
 *
 * @example
 * ```ts
 * import type { GrpcJob } from "./grpc_job.ts";
 * declare const lanes: import("../../collector/grpc_lanes.ts").GrpcLanesHandle;
 * const job: GrpcJob = {
 *   url: "grpc://127.0.0.1:50051", path: "/demo.Echo/Say", bodies: [new Uint8Array(5)],
 *   metadata: [], encoding: "identity", serverStreaming: false, lanes,
 * };
 * ```
 */
export interface GrpcJob {
  /** `grpc://host:port` or `grpcs://host:port`. */
  url: string;
  /** `/package.Service/Method`. */
  path: string;
  /** Framed request messages; a call sends the next one in turn (one: the same prepared DATA every call). */
  bodies: Uint8Array[];
  /** Metadata of every call. */
  metadata: Array<[string, string]>;
  /** `grpc-encoding` of the messages ("identity" or "gzip"). */
  encoding: string;
  /** The server answers with a stream: time its first message. */
  serverStreaming: boolean;
  /** gRPC counters (statuses, messages, first-message times). */
  lanes: GrpcLanesHandle;
  /** `--data` with placeholders: filled and encoded per call instead of `bodies`. */
  templated?: TemplatedData | null;
}

/**
 * The job of a gRPC load worker: the common job and its gRPC part.
 *
 * @example
 * ```ts
 * import type { GrpcWorkerJob } from "./grpc_job.ts";
 * const pathOf = (job: GrpcWorkerJob): string | undefined => job.grpc?.path;
 * ```
 */
export interface GrpcWorkerJob extends WorkerJobBase {
  /** gRPC: the worker calls one method instead of sending `spec` (`grpc_worker.ts`). */
  grpc?: GrpcJob | null;
}
