/**
 * What a scenario load worker is asked to do beyond the common job, and
 * what it reports back. Plain data, sent by `postMessage`.
 *
 * @module
 */
import type { GrpcLanesHandle } from "../../collector/grpc_lanes.ts";
import type { WorkerJobBase } from "../../worker/job.ts";
import type { DoneMessage } from "../../worker/messages.ts";

/**
 * What a scenario worker needs beyond a plain job.
 *
 * @example
 * ```ts
 * import type { ScenarioJob } from "./job.ts";
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
 * The job of a scenario load worker: the common job and its scenario part.
 *
 * @example
 * ```ts
 * import type { ScenarioWorkerJob } from "./job.ts";
 * const moduleOf = (job: ScenarioWorkerJob): string | undefined => job.scenario?.moduleUrl;
 * ```
 */
export interface ScenarioWorkerJob extends WorkerJobBase {
  /** Scenario: the worker runs iterations of this module instead of one request. */
  scenario?: ScenarioJob | null;
}

/**
 * Scenario figures a worker reports when done.
 *
 * @example
 * ```ts
 * import type { ScenarioWorkerReport } from "./job.ts";
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

/**
 * A scenario worker's "done" report: the common part and its scenario figures.
 *
 * @example
 * ```ts
 * import type { ScenarioDoneMessage } from "./job.ts";
 * const timedOutOf = (m: ScenarioDoneMessage): number => m.scenario.timedOut;
 * ```
 */
export type ScenarioDoneMessage = DoneMessage & { scenario: ScenarioWorkerReport };
