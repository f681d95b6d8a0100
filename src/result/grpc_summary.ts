/**
 * The gRPC part of a run's result: calls by gRPC status, messages, the
 * time to a streaming call's first message, per method or call name.
 *
 * @module
 */

/** The gRPC figures of one method or call name. */
export interface GrpcCallStats {
  /** `package.Service/Method`, or the call's name in a scenario. */
  name: string;
  /** Calls made (every status). */
  calls: number;
  /** Calls by gRPC status name ("OK", "UNAVAILABLE", ...; only the statuses seen). */
  statuses: Record<string, number>;
  /** Calls that did not end with OK. */
  errors: number;
  /** Request messages sent. */
  messagesSent: number;
  /** Response messages received. */
  messagesReceived: number;
  /** Response messages per call (mean). */
  messagesPerCall: number;
  /** Time to the first response message of streaming calls, ms (null when none was timed). */
  firstMessage: { p50: number; p90: number; p99: number; mean: number } | null;
}

/**
 * The `grpc` section of a result.
 *
 * @example
 * ```ts
 * import type { GrpcSummary } from "./grpc_summary.ts";
 * const g: GrpcSummary = {
 *   url: "grpc://127.0.0.1:50051",
 *   kind: "unary",
 *   source: "proto",
 *   total: {
 *     name: "demo.Echo/Say", calls: 10, statuses: { OK: 10 }, errors: 0,
 *     messagesSent: 10, messagesReceived: 10, messagesPerCall: 1, firstMessage: null,
 *   },
 *   methods: [],
 * };
 * ```
 */
export interface GrpcSummary {
  /** The server, `grpc://` or `grpcs://`. */
  url: string;
  /** The kind of call: "unary", "server-streaming", or "mixed" (a scenario). */
  kind: "unary" | "server-streaming" | "mixed";
  /** Where the method's definition came from. */
  source: "proto" | "reflection" | "scenario";
  /** Every call together. */
  total: GrpcCallStats;
  /** Per method or call name (scenarios); empty for a single method (see `total`). */
  methods: GrpcCallStats[];
}
