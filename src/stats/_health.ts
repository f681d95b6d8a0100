/**
 * Health evaluation: buffer utilization < 80 %, drop rate
 * < 1 %, UDP error rate < 5 %, end-to-end latency p99 < 500 ms; any breach
 * makes the status `"degraded"`.
 *
 * @module
 */
import type { StatsMetricsSnapshot } from "./internal_metrics.ts";

/** Health thresholds. */
export interface HealthThresholds {
  /** Buffer fill (0 to 1) at or above which the client is degraded (default 0.8). */
  maxBufferUtilization: number;
  /** Dropped / received (0 to 1) at or above which the client is degraded (default 0.01). */
  maxDropRate: number;
  /** UDP errors / send attempts (0 to 1) at or above which the client is degraded (default 0.05). */
  maxUdpErrorRate: number;
  /** End-to-end latency p99 in ms at or above which the client is degraded (default 500). */
  maxP99LatencyMs: number;
}

/**
 * The seed's thresholds.
 *
 * @example
 * ```ts
 * import { DEFAULT_HEALTH_THRESHOLDS } from "./_health.ts";
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
  /** True when `value` is strictly below `threshold`. */
  ok: boolean;
  /** The measured value, in the threshold's unit (a ratio, or ms for latency). */
  value: number;
  /** The limit it was checked against. */
  threshold: number;
}

/** The `GET /health` body. */
export interface StatsHealth {
  /** "ok" when every check passes and the circuit breaker is closed, else "degraded". */
  status: "ok" | "degraded";
  /** Each check with its value and threshold. */
  checks: {
    bufferUtilization: HealthCheck;
    dropRate: HealthCheck;
    udpErrorRate: HealthCheck;
    latencyP99Ms: HealthCheck;
  };
  /** The circuit breaker's state: "closed", "open" or "half_open". */
  breakerState: string;
}

/**
 * Evaluates a metrics snapshot against thresholds.
 *
 * @example
 * ```ts
 * import { evaluateHealth } from "./_health.ts";
 * declare const snapshot: import("./internal_metrics.ts").StatsMetricsSnapshot;
 * evaluateHealth(snapshot).status; // "ok" | "degraded"
 * ```
 */
export function evaluateHealth(
  m: StatsMetricsSnapshot,
  thresholds: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS,
): StatsHealth {
  const check = (value: number, threshold: number): HealthCheck => ({
    ok: value < threshold,
    value,
    threshold,
  });
  const checks = {
    bufferUtilization: check(m.bufferUtilization, thresholds.maxBufferUtilization),
    dropRate: check(m.dropRate, thresholds.maxDropRate),
    udpErrorRate: check(m.udpErrorRate, thresholds.maxUdpErrorRate),
    latencyP99Ms: check(m.latencyMs.endToEnd.p99, thresholds.maxP99LatencyMs),
  };
  const ok = Object.values(checks).every((c) => c.ok) && m.breakerState === "closed";
  return { status: ok ? "ok" : "degraded", checks, breakerState: m.breakerState };
}
