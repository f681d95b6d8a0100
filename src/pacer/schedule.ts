/**
 * The load schedule: phases (warm-up, ramp-up, steady, ramp-down), the
 * target rate or virtual-user count at any moment, and the intended send
 * time of every arrival in the open model. Pure functions of time.
 *
 * @module
 */
import type { Phase } from "../result/run_result.ts";

/** A stretch of the run with a rate (or VU level) moving linearly from `from` to `to`. */
export interface Segment {
  phase: Phase;
  /** Offset from the start of the run, ms. */
  startMs: number;
  durationMs: number;
  /** Level at the start and at the end of the segment (requests/s or virtual users). */
  from: number;
  to: number;
}

/** Phase lengths of a run. */
export interface PhasePlan {
  warmupMs: number;
  rampUpMs: number;
  /** Steady part; Infinity for a run limited only by a request count. */
  steadyMs: number;
  rampDownMs: number;
}

/**
 * The segments of a run at `level` (a rate in the open model, virtual users
 * in the closed model). Warm-up runs at full level; ramps are linear.
 *
 * @example
 * ```ts
 * import { buildSegments } from "./schedule.ts";
 * const s = buildSegments({ warmupMs: 0, rampUpMs: 1000, steadyMs: 5000, rampDownMs: 0 }, 100);
 * s.map((x) => x.phase); // ["ramp-up", "steady"]
 * ```
 */
export function buildSegments(plan: PhasePlan, level: number): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  const push = (phase: Phase, durationMs: number, from: number, to: number): void => {
    if (durationMs <= 0) return;
    segments.push({ phase, startMs: at, durationMs, from, to });
    at += durationMs;
  };
  push("warmup", plan.warmupMs, level, level);
  push("ramp-up", plan.rampUpMs, 0, level);
  push("steady", plan.steadyMs, level, level);
  push("ramp-down", plan.rampDownMs, level, 0);
  return segments;
}

/** The segment at `t` ms, or null once the run is over. */
export function segmentAt(segments: readonly Segment[], t: number): Segment | null {
  for (const s of segments) if (t < s.startMs + s.durationMs) return s;
  return null;
}

/**
 * The level (rate or VUs) at `t` ms.
 *
 * @example
 * ```ts
 * import { buildSegments, levelAt } from "./schedule.ts";
 * const s = buildSegments({ warmupMs: 0, rampUpMs: 1000, steadyMs: 1000, rampDownMs: 0 }, 100);
 * levelAt(s, 500); // 50
 * ```
 */
export function levelAt(segments: readonly Segment[], t: number): number {
  const s = segmentAt(segments, t);
  if (s === null) return 0;
  if (s.durationMs === Infinity) return s.from;
  return s.from + ((s.to - s.from) * (t - s.startMs)) / s.durationMs;
}

/**
 * Intended send times of an open-model arrival stream: arrival k (k = 0, 1,
 * ...) is due when the integral of the rate reaches k + offset. With a
 * fractional `offset` per worker, workers sharing a rate interleave evenly.
 *
 * @example
 * ```ts
 * import { ArrivalSchedule, buildSegments } from "./schedule.ts";
 * const plan = { warmupMs: 0, rampUpMs: 0, steadyMs: 1000, rampDownMs: 0 };
 * const a = new ArrivalSchedule(buildSegments(plan, 100), 0);
 * a.timeOf(0); // 0
 * a.timeOf(50); // 500
 * a.count(); // 100 arrivals in one second at 100/s
 * ```
 */
export class ArrivalSchedule {
  readonly #segments: readonly Segment[];
  /** Arrivals due before each segment starts (cumulative integral of the rate). */
  readonly #before: number[];
  readonly #offset: number;
  readonly #total: number;

  constructor(segments: readonly Segment[], offset: number) {
    this.#segments = segments;
    this.#offset = offset;
    this.#before = [];
    let n = 0;
    for (const s of segments) {
      this.#before.push(n);
      n += s.durationMs === Infinity ? Infinity : ((s.from + s.to) / 2) * (s.durationMs / 1000);
    }
    this.#total = n;
  }

  /** Number of arrivals in the whole schedule (Infinity if unbounded). */
  count(): number {
    if (this.#total === Infinity) return Infinity;
    return Math.max(0, Math.ceil(this.#total - this.#offset - 1e-9));
  }

  /** Intended time (ms from run start) of arrival `k`; Infinity if there is none. */
  timeOf(k: number): number {
    const n = k + this.#offset;
    if (n >= this.#total) return Infinity;
    for (let i = this.#segments.length - 1; i >= 0; i--) {
      if (n < this.#before[i]) continue;
      const s = this.#segments[i];
      const m = n - this.#before[i]; // arrivals into this segment
      const a = s.from / 1000; // per ms
      const b = s.durationMs === Infinity ? 0 : (s.to - s.from) / 1000 / s.durationMs; // per ms²
      // Solve a·t + b·t²/2 = m for t >= 0.
      const t = Math.abs(b) < 1e-15 ? m / a : (-a + Math.sqrt(Math.max(0, a * a + 2 * b * m))) / b;
      return s.startMs + t;
    }
    return Infinity;
  }
}
