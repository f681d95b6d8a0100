/**
 * The `grpc` section of the result, from the gRPC lanes.
 *
 * @module
 */
import { GrpcLanes, type GrpcLanesHandle, type GrpcLaneTotals } from "../../collector/grpc_lanes.ts";
import { readTextFileOrNull } from "../../runtime/files.ts";
import type { GrpcCallStats, GrpcSummary } from "../../result/grpc_summary.ts";
import { GRPC_STATUS_NAMES } from "../../grpc/status.ts";

/**
 * One name's figures from lane totals.
 *
 * @example
 * ```ts
 * import { GrpcLanes } from "../../collector/grpc_lanes.ts";
 * import { callStatsOf } from "./summary.ts";
 * callStatsOf("demo.Echo/Say", GrpcLanes.create(1, 1).totals(0)).calls; // 0
 * ```
 */
export function callStatsOf(name: string, t: GrpcLaneTotals): GrpcCallStats {
  const statuses: Record<string, number> = {};
  let calls = 0;
  for (let code = 0; code < t.statuses.length; code++) {
    const n = t.statuses[code];
    if (n === 0) continue;
    calls += n;
    statuses[GRPC_STATUS_NAMES[code] ?? "OTHER"] = n;
  }
  return {
    name,
    calls,
    statuses,
    errors: calls - (statuses.OK ?? 0),
    messagesSent: t.messagesSent,
    messagesReceived: t.messagesReceived,
    messagesPerCall: calls === 0 ? 0 : t.messagesReceived / calls,
    firstMessage: t.firstMessage,
  };
}

/**
 * The summary of a one-method run.
 *
 * @example
 * ```ts
 * import { GrpcLanes } from "../../collector/grpc_lanes.ts";
 * import { grpcSummaryOf } from "./summary.ts";
 * grpcSummaryOf({ url: "grpc://127.0.0.1:1", name: "a.B/C", serverStreaming: false, source: "proto" }, GrpcLanes.create(1, 1)).kind; // "unary"
 * ```
 */
export function grpcSummaryOf(
  run: { url: string; name: string; serverStreaming: boolean; source: "proto" | "reflection" },
  lanes: GrpcLanes,
): GrpcSummary {
  return {
    url: run.url,
    kind: run.serverStreaming ? "server-streaming" : "unary",
    source: run.source,
    total: callStatsOf(run.name, lanes.totals(-1)),
    methods: [],
  };
}

/**
 * Lanes for the `ctx.grpc` calls of a scenario, or null when its source never
 * mentions `grpc` (the lanes hold a histogram per name and worker: not
 * allocated for the many scenarios without gRPC).
 *
 * @example
 * ```ts
 * import { scenarioGrpcLanes } from "./summary.ts";
 * scenarioGrpcLanes("examples/grpc/scenario.ts", 2, 257)?.names; // 257
 * ```
 */
export function scenarioGrpcLanes(file: string, workers: number, names: number): GrpcLanes | null {
  const source = readTextFileOrNull(file);
  if (source !== null && !source.includes("grpc")) return null;
  return GrpcLanes.create(workers + 1, names);
}

/**
 * The summary of a scenario's `ctx.grpc` calls, per call name (`names` in
 * named-lane slot order; the last slot is `other`), or undefined when it made none.
 *
 * @example
 * ```ts
 * import { GrpcLanes } from "../../collector/grpc_lanes.ts";
 * import { scenarioGrpcSummary } from "./summary.ts";
 * scenarioGrpcSummary(GrpcLanes.create(1, 2).handle(), ["say"]); // undefined: no calls
 * ```
 */
export function scenarioGrpcSummary(
  handle: GrpcLanesHandle,
  names: readonly string[],
): GrpcSummary | undefined {
  const lanes = GrpcLanes.fromHandle(handle);
  const total = callStatsOf("all calls", lanes.totals(-1));
  if (total.calls === 0) return undefined;
  const methods: GrpcCallStats[] = [];
  for (let slot = 0; slot < lanes.names; slot++) {
    const stats = callStatsOf(
      slot === lanes.names - 1 ? "other" : names[slot] ?? `name ${slot}`,
      lanes.totals(slot),
    );
    if (stats.calls > 0) methods.push(stats);
  }
  return { url: "", kind: "mixed", source: "scenario", total, methods };
}
