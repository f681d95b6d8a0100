/**
 * Validation of the workload options of a run: a request set (`targets`,
 * `targetsOrder`) beside the single URL.
 *
 * @module
 */
import { RunOptionsError } from "./options.ts";
import type { RunOptions } from "./options.ts";
import { hasRelativeTargets, type RequestSet } from "../request_sets/parse_targets.ts";
import type { TargetsOrder } from "../request_sets/request_source.ts";
import { numberOption, optionDefault } from "../options/check_option.ts";
import type { TableWorkloadValues } from "../options/table.ts";
import { TARGETS_ORDERS } from "../options/values.ts";

/** The workload part of normalized options (`targetsOrder` and `iterationTimeoutMs` come from the option table). */
export interface WorkloadOptions extends TableWorkloadValues {
  /** The request set, or null for the single URL. */
  targets: RequestSet | null;
  /** URL to use when `url` is empty (the first target's), or "". */
  defaultUrl: string;
  /** The scenario module path, or null. */
  scenario: string | null;
  /** `ctx.env` of a scenario. */
  env: Record<string, string>;
}

/** Default bound on one scenario iteration. */
export const DEFAULT_ITERATION_TIMEOUT_MS: number = optionDefault("iterationTimeoutMs") as number;

/**
 * Checks the workload options.
 *
 * @example
 * ```ts
 * import { normalizeWorkload } from "./_workload_options.ts";
 * normalizeWorkload({ url: "http://127.0.0.1:8080/" }).targets; // null
 * ```
 */
export function normalizeWorkload(options: RunOptions): WorkloadOptions {
  const order = options.targetsOrder ?? optionDefault("targetsOrder") as TargetsOrder;
  if (!(TARGETS_ORDERS as readonly string[]).includes(order)) {
    throw new RunOptionsError(
      "targetsOrder",
      `"targetsOrder" must be ${TARGETS_ORDERS.map((o) => `"${o}"`).join(" or ")}, got "${String(order)}"`,
    );
  }
  const targets = options.targets ?? null;
  if (targets !== null && (!Array.isArray(targets.targets) || targets.targets.length === 0)) {
    throw new RunOptionsError("targets", `"targets" must hold at least one target`);
  }
  if (targets !== null && hasRelativeTargets(targets) && !options.url) {
    throw new RunOptionsError(
      "targets",
      `the targets have relative URLs (/path): give a base URL, e.g. 'builtin'`,
    );
  }
  const first = targets?.targets[0].url ?? "";
  const scenario = options.scenario ?? null;
  if (scenario !== null && (typeof scenario !== "string" || scenario === "")) {
    throw new RunOptionsError("scenario", `"scenario" must be a module path`);
  }
  if (scenario !== null && targets !== null) {
    throw new RunOptionsError("scenario", `"scenario" and "targets" cannot be combined`);
  }
  const iterationTimeoutMs = numberOption("iterationTimeoutMs", options.iterationTimeoutMs);
  const env = { ...(options.env ?? {}) };
  for (const [k, v] of Object.entries(env)) {
    if (typeof v !== "string") throw new RunOptionsError("env", `"env.${k}" must be a string`);
  }
  return {
    targets,
    targetsOrder: order,
    // A scenario without a base URL names absolute URLs itself; the run's URL is then only a label.
    defaultUrl: scenario !== null ? "http://scenario.invalid/" : first.replace(/\{\{[^{}]*\}\}/g, "0"),
    scenario,
    iterationTimeoutMs,
    env,
  };
}
