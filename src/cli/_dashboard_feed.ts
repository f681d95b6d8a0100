/**
 * The live dashboard's feed: once a second, on the main thread, one
 * `DashboardFrame` from the run's snapshot, the latest progress tick, the
 * open connections and per-name totals, and the thresholds judged on the
 * figures so far. The load workers do nothing for it.
 *
 * @module
 */
import type { LatencyStats, MetricsCollector, MetricsSnapshot } from "../collector/types.ts";
import type { LiveTables, RunProgress, Threshold } from "../engine/options.ts";
import { evaluateThresholds } from "../thresholds/thresholds.ts";
import type { DashboardFrame, DashboardPercentiles, DashboardThreshold } from "../report/dashboard_frame.ts";
import { system } from "../runtime/mod.ts";

/** Frames kept at most; past it every other old frame goes (a day-long run stays a few MB). */
const MAX_FRAMES = 7200;
/** Per-name rows shown at most. */
const MAX_NAMES = 50;

function percentiles(s: LatencyStats): DashboardPercentiles {
  return { p50: s.p50, p95: s.p95, p99: s.p99 };
}

function errorsOf(s: MetricsSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [kind, n] of Object.entries(s.errorsByKind)) if (n > 0) out[kind] = n;
  for (const [status, n] of Object.entries(s.errorsByStatus)) {
    if (n > 0 && status !== "other") out[`HTTP ${status}`] = n;
  }
  return out;
}

function judge(thresholds: readonly Threshold[], s: MetricsSnapshot): DashboardThreshold[] {
  return thresholds.map((t) => {
    try {
      const [outcome] = evaluateThresholds([t], s, s.requestsPerSecond);
      return { expression: t.expression, actual: outcome.actual, passed: outcome.passed };
    } catch {
      // per-name and scenario thresholds are judged on the result at the end
      return { expression: t.expression, actual: NaN, passed: null };
    }
  });
}

/** The live frames of a run. */
export class DashboardFeed {
  readonly #frames: DashboardFrame[] = [];
  readonly #listeners = new Set<(frame: DashboardFrame) => void>();
  readonly #thresholds: readonly Threshold[];
  readonly #unit: DashboardFrame["unit"];
  #collector: MetricsCollector | null = null;
  #tables: LiveTables | null = null;
  #progress: RunProgress | null = null;
  #last = { requests: 0, failed: 0, missed: 0, sent: 0, at: 0 };
  #timer: ReturnType<typeof setInterval> | null = null;

  /** `unit`: what the run counts, known before its first progress tick. */
  constructor(thresholds: readonly Threshold[], unit: DashboardFrame["unit"] = "requests") {
    this.#thresholds = thresholds;
    this.#unit = unit;
  }

  /** Hand to `RunOptions.onCollector`. */
  onCollector = (collector: MetricsCollector): void => {
    this.#collector = collector;
    this.#last = { requests: 0, failed: 0, missed: 0, sent: 0, at: performance.now() };
  };
  /** Hand to `RunOptions.onLiveTables`. */
  onLiveTables = (tables: LiveTables): void => {
    this.#tables = tables;
  };
  /** Hand each progress tick here. */
  onProgress = (progress: RunProgress): void => {
    this.#progress = progress;
  };

  /** Starts taking a frame a second. */
  start(): void {
    this.#timer ??= setInterval(() => this.tick(), 1000);
    system.unrefTimer(this.#timer);
  }

  /** Stops taking frames; takes a last one. */
  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.tick();
  }

  /** Every frame so far (a copy). */
  frames(): DashboardFrame[] {
    return this.#frames.slice();
  }

  /** Calls `listener` with each new frame; returns its remover. */
  listen(listener: (frame: DashboardFrame) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Takes one frame now (a no-op before the run's collector exists). */
  tick(): void {
    const collector = this.#collector;
    if (collector === null) return;
    let frame: DashboardFrame | null;
    try {
      frame = this.#frame(collector);
    } catch {
      return; // a snapshot failure must not stop the run
    }
    if (frame === null) return;
    this.#frames.push(frame);
    if (this.#frames.length > MAX_FRAMES) {
      const kept = this.#frames.filter((_, i) => i % 2 === 0 || i === this.#frames.length - 1);
      this.#frames.splice(0, this.#frames.length, ...kept);
    }
    for (const listener of this.#listeners) listener(frame);
  }

  #frame(collector: MetricsCollector): DashboardFrame | null {
    const s = collector.getSnapshot();
    // The collector's clock starts when measuring does: the warm-up has nothing to chart.
    if (s.elapsedMs < 0) return null;
    const now = performance.now();
    const seconds = Math.max(1e-3, (now - this.#last.at) / 1000);
    const completed = Math.floor(s.elapsedMs / 1000);
    const points = collector.getTimeSeries().points;
    let point = null;
    for (let i = points.length - 1; i >= 0 && point === null; i--) {
      if (points[i].second < completed) point = points[i];
    }
    const p = this.#progress;
    const frame: DashboardFrame = {
      t: Math.round(s.elapsedMs / 100) / 10,
      unit: p?.unit ?? this.#unit,
      phase: p?.phase ?? "starting",
      elapsedMs: p?.elapsedMs ?? 0,
      totalMs: p?.totalMs ?? null,
      plannedRate: p?.targetRate ?? null,
      sentRate: s.sent === undefined ? null : Math.max(0, s.sent - this.#last.sent) / seconds,
      completedRate: Math.max(0, s.totalRequests - this.#last.requests) / seconds,
      errorRate: Math.max(0, s.failedRequests - this.#last.failed) / seconds,
      missedRate: Math.max(0, s.missedSends - this.#last.missed) / seconds,
      second: point === null || point.requests === 0
        ? null
        : { p50: point.p50, p95: point.p95, p99: point.p99 },
      latency: percentiles(s.latency),
      service: s.serviceTime === null ? null : percentiles(s.serviceTime),
      openConnections: this.#tables?.openConnections() ?? null,
      totals: {
        requests: s.totalRequests,
        failed: s.failedRequests,
        bytes: s.bytes,
        missedSends: s.missedSends,
        sent: s.sent ?? null,
        rps: s.requestsPerSecond,
      },
      errors: errorsOf(s),
      names: (this.#tables?.names() ?? []).slice(0, MAX_NAMES).map((n) => ({
        name: n.name,
        count: n.count,
        errors: n.errors,
        p50: n.latency.p50,
        p99: n.latency.p99,
      })),
      thresholds: judge(this.#thresholds, s),
    };
    this.#last = {
      requests: s.totalRequests,
      failed: s.failedRequests,
      missed: s.missedSends,
      sent: s.sent ?? 0,
      at: now,
    };
    return frame;
  }
}
