/**
 * Internal: the JSON shape of the per-name and scenario parts of a result
 * (schema version 2).
 *
 * @module
 */
import type { NamedStats, ScenarioSummary } from "./run_result.ts";
import { int, num, object, type Shape, str } from "./_shape.ts";
const recordOfInt: Shape = { kind: "record", value: int };

const namedStats = object<NamedStats>({
  name: str,
  count: int,
  errors: int,
  statusCounts: recordOfInt,
  errorsByStatus: recordOfInt,
  errorsByKind: recordOfInt,
  latency: object<NamedStats["latency"]>({ p50: num, p90: num, p99: num, max: num, mean: num }),
});

/** `names`: per-name metrics. */
export const NAMES_SHAPE: Shape = { kind: "array", item: namedStats };

/** `scenario`: null or the scenario summary. */
export const SCENARIO_SHAPE: Shape = {
  kind: "nullable",
  inner: object<ScenarioSummary>({
    file: str,
    iterations: namedStats,
    checks: {
      kind: "array",
      item: object<ScenarioSummary["checks"][number]>({ name: str, passes: int, fails: int }),
    },
    errors: { kind: "array", item: object<ScenarioSummary["errors"][number]>({ message: str, count: int }) },
    timedOut: int,
    abandoned: int,
    overflowedNames: int,
  }),
};
