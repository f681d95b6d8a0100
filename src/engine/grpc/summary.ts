/**
 * The `grpc` section of the result, from the gRPC lanes.
 *
 * @module
 */
import type { GrpcLanes, GrpcLaneTotals } from "../../collector/grpc_lanes.ts";
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
