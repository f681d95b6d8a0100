/**
 * Internal: the JSON shape of the `grpc` part of a result (gRPC runs only).
 *
 * @module
 */
import type { GrpcCallStats, GrpcSummary } from "./grpc_summary.ts";
import { int, num, object, type Shape, str } from "./_shape.ts";

const callStats = object<GrpcCallStats>({
  name: str,
  calls: int,
  statuses: { kind: "record", value: int },
  errors: int,
  messagesSent: int,
  messagesReceived: int,
  messagesPerCall: num,
  firstMessage: {
    kind: "nullable",
    inner: object<NonNullable<GrpcCallStats["firstMessage"]>>({ p50: num, p90: num, p99: num, mean: num }),
  },
});

/** `grpc`: absent, or the gRPC summary. */
export const GRPC_SHAPE: Shape = {
  kind: "optional",
  inner: object<GrpcSummary>({
    url: str,
    kind: { kind: "literal", values: ["unary", "server-streaming", "mixed"] },
    source: { kind: "literal", values: ["proto", "reflection", "scenario"] },
    total: callStats,
    methods: { kind: "array", item: callStats },
  }),
};
