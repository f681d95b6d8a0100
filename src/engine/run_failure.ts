/**
 * A run that failed part-way (a load worker crashed): the error carries the
 * partial result measured until then, so that the CLI can still report and
 * write it.
 *
 * @module
 */
import type { RunResult } from "../result/run_result.ts";

/** How long the other workers get to report after one crashed, beyond the request timeout. */
export const CRASH_DRAIN_GRACE_MS = 3000;

/**
 * Thrown by `run()` when a load worker crashes after the run started. The
 * other workers are stopped; what was measured is in `partialResult`
 * (marked `interrupted`).
 *
 * @example
 * ```ts
 * import { run } from "./run.ts";
 * import { RunFailedError } from "./run_failure.ts";
 * try {
 *   await run({ url: "builtin", durationMs: 1000 });
 * } catch (error) {
 *   if (error instanceof RunFailedError) console.log(error.message, error.partialResult.snapshot.totalRequests);
 * }
 * ```
 */
export class RunFailedError extends Error {
  /** What was measured before the failure. */
  readonly partialResult: RunResult;

  /** `message` names the failure (e.g. `load worker 2 crashed: ...`). */
  constructor(message: string, partialResult: RunResult) {
    super(message);
    this.name = "RunFailedError";
    this.partialResult = partialResult;
  }
}
