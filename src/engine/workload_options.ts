/**
 * Validation of the workload options of a run: a request set (`targets`,
 * `targetsOrder`) beside the single URL.
 *
 * @module
 */
import type { RunOptions } from "./options.ts";
import type { RequestSet } from "./targets/parse_targets.ts";
import type { TargetsOrder } from "./targets/request_source.ts";

/** The workload part of normalized options. */
export interface WorkloadOptions {
  /** The request set, or null for the single URL. */
  targets: RequestSet | null;
  /** Target selection. */
  targetsOrder: TargetsOrder;
  /** URL to use when `url` is empty (the first target's), or "". */
  defaultUrl: string;
}

/**
 * Checks the workload options.
 *
 * @example
 * ```ts
 * import { normalizeWorkload } from "./workload_options.ts";
 * normalizeWorkload({ url: "http://127.0.0.1:8080/" }).targets; // null
 * ```
 */
export function normalizeWorkload(options: RunOptions): WorkloadOptions {
  const order = options.targetsOrder ?? "round-robin";
  if (order !== "round-robin" && order !== "random") {
    throw new RangeError(
      `Cannot start run: "targetsOrder" must be "round-robin" or "random", got "${String(order)}"`,
    );
  }
  const targets = options.targets ?? null;
  if (targets !== null && (!Array.isArray(targets.targets) || targets.targets.length === 0)) {
    throw new TypeError(`Cannot start run: "targets" must hold at least one target`);
  }
  const first = targets?.targets[0].url ?? "";
  return {
    targets,
    targetsOrder: order,
    defaultUrl: first.replace(/\{\{[^{}]*\}\}/g, "0"),
  };
}
