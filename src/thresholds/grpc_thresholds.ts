/**
 * gRPC thresholds: `grpc_errors<1%` (calls not OK, % of calls),
 * `status_UNAVAILABLE==0` (calls that ended with a status, a count; any
 * status name, any case), and `grpc_calls>N`.
 *
 * @module
 */
import type { Threshold } from "./types.ts";
import { GRPC_STATUS_NAMES } from "../grpc/status.ts";
import { ThresholdError } from "./thresholds.ts";

/**
 * What the gRPC thresholds read of a run's gRPC summary (the result's `grpc`
 * part has this shape; declared here so that this room stays below the result's).
 *
 * @example
 * ```ts
 * import type { GrpcTotalsView } from "./grpc_thresholds.ts";
 * const v: GrpcTotalsView = { total: { calls: 10, errors: 1, statuses: { OK: 9, UNAVAILABLE: 1 } } };
 * ```
 */
export interface GrpcTotalsView {
  /** Every call of the run. */
  total: { calls: number; errors: number; statuses: Record<string, number> };
}

const EXPRESSION =
  /^\s*(grpc_errors|grpc_calls|status_[A-Za-z_]+)\s*(<=|>=|==|<|>)\s*(\d+(?:\.\d+)?|\.\d+)\s*([A-Za-z%]*)\s*$/i;

/**
 * A gRPC threshold, or null when `expression` is not one.
 *
 * @example
 * ```ts
 * import { parseGrpcThreshold } from "./thresholds.ts";
 * parseGrpcThreshold("status_UNAVAILABLE==0")?.metric; // "grpc:status:UNAVAILABLE"
 * parseGrpcThreshold("grpc_errors<1%")?.value; // 1
 * ```
 */
export function parseGrpcThreshold(expression: string): Threshold | null {
  const m = EXPRESSION.exec(expression);
  if (m === null) return null;
  const name = m[1].toLowerCase();
  const unit = m[4];
  const value = Number(m[3]);
  const op = m[2] as Threshold["op"];
  if (name === "grpc_errors") {
    if (unit !== "%") {
      throw new ThresholdError(
        expression,
        `Invalid threshold "${expression}": grpc_errors is a percentage, e.g. grpc_errors<1%`,
      );
    }
    return { expression, metric: "grpc:errors", op, value };
  }
  if (unit !== "") {
    throw new ThresholdError(expression, `Invalid threshold "${expression}": ${m[1]} takes a plain count`);
  }
  if (name === "grpc_calls") return { expression, metric: "grpc:calls", op, value };
  const status = m[1].slice("status_".length).toUpperCase();
  if (!GRPC_STATUS_NAMES.includes(status)) {
    throw new ThresholdError(
      expression,
      `Unknown gRPC status "${status}" in threshold "${expression}"; statuses: ${
        GRPC_STATUS_NAMES.join(", ")
      }`,
    );
  }
  return { expression, metric: `grpc:status:${status}`, op, value };
}

/**
 * The measured value of a gRPC threshold metric; NaN when the run made no gRPC calls.
 *
 * @example
 * ```ts
 * import { grpcThresholdValue } from "./thresholds.ts";
 * grpcThresholdValue("grpc:errors", undefined); // NaN
 * ```
 */
export function grpcThresholdValue(metric: string, grpc: GrpcTotalsView | null | undefined): number {
  if (grpc === null || grpc === undefined) return Number.NaN;
  const t = grpc.total;
  if (metric === "grpc:errors") return t.calls === 0 ? 0 : (t.errors / t.calls) * 100;
  if (metric === "grpc:calls") return t.calls;
  return t.statuses[metric.slice("grpc:status:".length)] ?? 0;
}
