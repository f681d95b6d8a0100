/**
 * Health evaluation (seed 004, 5.2): buffer utilization < 80 %, drop rate
 * < 1 %, UDP error rate < 5 %, end-to-end latency p99 < 500 ms; any breach
 * makes the status `"degraded"`.
 *
 * @module
 */
import type { StatsMetricsSnapshot } from "./internal_metrics.ts";

/** Health thresholds. */
export interface HealthThresholds {
  maxBufferUtilization: number;
  maxDropRate: number;
  maxUdpErrorRate: number;
  maxP99LatencyMs: number;
}

/**
 * The seed's thresholds.
 *
 * @example
 * ```ts
 * import { DEFAULT_HEALTH_THRESHOLDS } from "./health.ts";
 * DEFAULT_HEALTH_THRESHOLDS.maxDropRate; // 0.01
 * ```
 */
export const DEFAULT_HEALTH_THRESHOLDS: Readonly<HealthThresholds> = {
  maxBufferUtilization: 0.8,
  maxDropRate: 0.01,
  maxUdpErrorRate: 0.05,
  maxP99LatencyMs: 500,
};

/** One threshold check. */
export interface HealthCheck {
  ok: boolean;
  value: number;
  threshold: number;
}

/** The `GET /health` body. */
export interface StatsHealth {
  status: "ok" | "degraded";
  checks: {
    bufferUtilization: HealthCheck;
    dropRate: HealthCheck;
    udpErrorRate: HealthCheck;
    latencyP99Ms: HealthCheck;
  };
  breakerState: string;
}

/**
 * Evaluates a metrics snapshot against thresholds.
 *
 * @example
 * ```ts
 * import { evaluateHealth } from "./health.ts";
 * declare const snapshot: import("./internal_metrics.ts").StatsMetricsSnapshot;
 * evaluateHealth(snapshot).status; // "ok" | "degraded"
 * ```
 */
export function evaluateHealth(
  m: StatsMetricsSnapshot,
  thresholds: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS,
): StatsHealth {
  const check = (value: number, threshold: number): HealthCheck => ({ ok: value < threshold, value, threshold });
  const checks = {
    bufferUtilization: check(m.bufferUtilization, thresholds.maxBufferUtilization),
    dropRate: check(m.dropRate, thresholds.maxDropRate),
    udpErrorRate: check(m.udpErrorRate, thresholds.maxUdpErrorRate),
    latencyP99Ms: check(m.latencyMs.endToEnd.p99, thresholds.maxP99LatencyMs),
  };
  const ok = Object.values(checks).every((c) => c.ok) && m.breakerState === "closed";
  return { status: ok ? "ok" : "degraded", checks, breakerState: m.breakerState };
}
