/**
 * The orchestrator's side of per-name metrics: creates the lanes a run needs
 * (request-set names fixed at start; a bounded table for scenario steps),
 * polls them so that no 32-bit lane word wraps unseen, and reads the result.
 *
 * @module
 */
import { NamedLanes } from "../collector/named_lanes.ts";
import { system } from "../runtime/mod.ts";
import type { NamedView } from "../thresholds/named_thresholds.ts";
import { requestSetNames } from "../request_sets/request_source.ts";
import type { WorkloadOptions } from "./_workload_options.ts";

/** Step names a scenario may register before the rest go to `other`. */
export const SCENARIO_NAME_CAPACITY = 256;
/** Check names a scenario may register before the rest go to `other`. */
export const SCENARIO_CHECK_CAPACITY = 64;
const POLL_MS = 2000;

/**
 * The per-name lanes of a run, or null for a single-URL run.
 *
 * @example
 * ```ts
 * import { createRunNamedLanes } from "./_named_run.ts";
 * createRunNamedLanes({ targets: null, targetsOrder: "round-robin", defaultUrl: "" }, 2, false); // null
 * ```
 */
export function createRunNamedLanes(
  workload: WorkloadOptions,
  workers: number,
  scenario: boolean,
): NamedLanes | null {
  if (scenario) {
    return NamedLanes.create({
      capacity: SCENARIO_NAME_CAPACITY,
      checks: SCENARIO_CHECK_CAPACITY,
      lanes: workers,
    });
  }
  if (workload.targets === null) return null;
  return NamedLanes.create({ names: requestSetNames(workload.targets), lanes: workers });
}

/**
 * Polls `lanes` every 2 s until the returned function is called.
 *
 * @example
 * ```ts
 * import { NamedLanes } from "../collector/named_lanes.ts";
 * import { pollNamedLanes } from "./_named_run.ts";
 * const stop = pollNamedLanes(NamedLanes.create({ names: ["a"], lanes: 1 }));
 * stop();
 * ```
 */
export function pollNamedLanes(lanes: NamedLanes | null): () => void {
  if (lanes === null) return () => {};
  const timer = setInterval(() => lanes.poll(), POLL_MS);
  system.unrefTimer(timer);
  return () => clearInterval(timer);
}

/**
 * What thresholds and the result see of the lanes.
 *
 * @example
 * ```ts
 * import { namedViewOf } from "./_named_run.ts";
 * namedViewOf(null, false).names; // []
 * ```
 */
export function namedViewOf(lanes: NamedLanes | null, scenario: boolean): NamedView {
  if (lanes === null) return { names: [], iterations: null, checks: [] };
  return { names: lanes.stats(), iterations: scenario ? lanes.iterations() : null, checks: lanes.checks() };
}
