/**
 * The live dashboard's data: one `DashboardFrame` a second, built on the
 * main thread from the run's snapshot and pushed to the page over
 * Server-Sent Events. A page opened mid-run first gets every frame so far.
 *
 * @module
 */

/** One row of the per-name table (targets, scenario steps). */
export interface DashboardNameRow {
  /** The name. */
  name: string;
  /** Requests so far. */
  count: number;
  /** Failed ones. */
  errors: number;
  /** Latency percentiles so far, ms. */
  p50: number;
  /** 99th percentile so far, ms. */
  p99: number;
}

/** A threshold and its state now. */
export interface DashboardThreshold {
  /** As written, e.g. `p99<50ms`. */
  expression: string;
  /** Its value now, in its unit (NaN when it is judged only at the end). */
  actual: number;
  /** Whether it holds now (null when it is judged only at the end). */
  passed: boolean | null;
}

/** Latency percentiles, ms. */
export interface DashboardPercentiles {
  /** Median. */
  p50: number;
  /** 95th percentile. */
  p95: number;
  /** 99th percentile. */
  p99: number;
}

/** One second of the live run. */
export interface DashboardFrame {
  /** Seconds since measuring began (the x axis). */
  t: number;
  /**
   * What the counts count: HTTP requests, gRPC calls, or WebSocket messages answered. The page
   * labels its cards and tables with it.
   */
  unit: "requests" | "calls" | "messages";
  /** The phase: warm-up, ramp-up, steady, ramp-down, done. */
  phase: string;
  /** Milliseconds since the run (warm-up included) started. */
  elapsedMs: number;
  /** Planned total in ms, or null for a request-count run. */
  totalMs: number | null;
  /** The planned rate now (open model), or null. */
  plannedRate: number | null;
  /**
   * Units of work sent per second since the previous frame (requests, scenario iterations,
   * WebSocket messages, counted by the pacer as it starts them), or null when the collector
   * counts no sends.
   */
  sentRate: number | null;
  /** Requests completed per second since the previous frame. */
  completedRate: number;
  /** Failed requests per second since the previous frame. */
  errorRate: number;
  /** Sends missed per second since the previous frame (open model). */
  missedRate: number;
  /** Percentiles of the requests completed in the last whole second (corrected latency), or null. */
  second: DashboardPercentiles | null;
  /** Corrected latency since the start. */
  latency: DashboardPercentiles;
  /** Service time since the start, or null (none recorded). */
  service: DashboardPercentiles | null;
  /** Connections open now, or null when unknown. */
  openConnections: number | null;
  /** Totals so far. */
  totals: {
    requests: number;
    failed: number;
    bytes: number;
    missedSends: number;
    /** Units of work sent so far (null when the collector counts no sends). */
    sent: number | null;
    rps: number;
  };
  /** Failures so far by kind (transport) and by HTTP status (`"http 503"`), only the ones seen. */
  errors: Record<string, number>;
  /** Per-name totals, in the run's order. */
  names: DashboardNameRow[];
  /** The thresholds and their state now. */
  thresholds: DashboardThreshold[];
}

/** What the server pushes: every frame so far, one more frame, or the run's end. */
export type DashboardEvent =
  | { type: "init"; frames: DashboardFrame[]; title: string; ended: boolean }
  | { type: "frame"; frame: DashboardFrame }
  | { type: "end" };

/**
 * One SSE message (`event:` and `data:` lines) for an event.
 *
 * @example
 * ```ts
 * import { sseMessage } from "./dashboard_frame.ts";
 * sseMessage({ type: "end" }); // "event: end\ndata: {\"type\":\"end\"}\n\n"
 * ```
 */
export function sseMessage(event: DashboardEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
