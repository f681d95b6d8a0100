/**
 * Merging of the per-name metrics (`names[]`) and the scenario summary of
 * segment results. Counts add up exactly; the mean is the count-weighted
 * mean and the max the largest, both exact. Per-name percentiles come from
 * each process's own compact histogram, which results do not carry, so a
 * merged p50/p90/p99 is the largest of the segments' values: an upper bound,
 * exact when one segment holds the slowest requests (the report says so).
 *
 * @module
 */
import type { NamedStats, RunResult } from "./run_result.ts";

function addCounts(into: Record<string, number>, from: Record<string, number> | undefined): void {
  for (const [k, v] of Object.entries(from ?? {})) into[k] = (into[k] ?? 0) + v;
}

function mergeNamed(entries: NamedStats[]): NamedStats {
  const out: NamedStats = {
    name: entries[0].name,
    count: 0,
    errors: 0,
    statusCounts: {},
    errorsByStatus: {},
    errorsByKind: {},
    latency: { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 },
  };
  let weighted = 0;
  for (const e of entries) {
    out.count += e.count;
    out.errors += e.errors;
    addCounts(out.statusCounts, e.statusCounts);
    addCounts(out.errorsByStatus, e.errorsByStatus);
    addCounts(out.errorsByKind, e.errorsByKind);
    weighted += e.latency.mean * e.count;
    out.latency.p50 = Math.max(out.latency.p50, e.latency.p50);
    out.latency.p90 = Math.max(out.latency.p90, e.latency.p90);
    out.latency.p99 = Math.max(out.latency.p99, e.latency.p99);
    out.latency.max = Math.max(out.latency.max, e.latency.max);
  }
  out.latency.mean = out.count > 0 ? weighted / out.count : 0;
  return out;
}

/**
 * The segments' `names[]` merged by name, in first-seen order.
 *
 * @example
 * ```ts
 * import { mergeNames } from "./_merge_names.ts";
 * declare const a: import("./run_result.ts").RunResult, b: typeof a;
 * mergeNames([a, b]).map((n) => [n.name, n.count]);
 * ```
 */
export function mergeNames(results: readonly RunResult[]): NamedStats[] {
  const byName = new Map<string, NamedStats[]>();
  for (const r of results) {
    for (const n of r.names ?? []) {
      const list = byName.get(n.name);
      if (list === undefined) byName.set(n.name, [n]);
      else list.push(n);
    }
  }
  return [...byName.values()].map(mergeNamed);
}

/**
 * The segments' scenario summaries merged (null when none ran a scenario):
 * iterations as a per-name entry, checks by name, error messages by text.
 *
 * @example
 * ```ts
 * import { mergeScenario } from "./_merge_names.ts";
 * declare const a: import("./run_result.ts").RunResult, b: typeof a;
 * mergeScenario([a, b])?.iterations.count;
 * ```
 */
export function mergeScenario(results: readonly RunResult[]): RunResult["scenario"] {
  const all = results.map((r) => r.scenario ?? null).filter((s) => s !== null);
  if (all.length === 0) return null;
  const checks = new Map<string, { name: string; passes: number; fails: number }>();
  const errors = new Map<string, number>();
  for (const s of all) {
    for (const c of s.checks) {
      const seen = checks.get(c.name) ?? { name: c.name, passes: 0, fails: 0 };
      seen.passes += c.passes;
      seen.fails += c.fails;
      checks.set(c.name, seen);
    }
    for (const e of s.errors) errors.set(e.message, (errors.get(e.message) ?? 0) + e.count);
  }
  return {
    file: all[0].file,
    iterations: mergeNamed(all.map((s) => s.iterations)),
    checks: [...checks.values()],
    errors: [...errors].map(([message, count]) => ({ message, count }))
      .sort((x, y) => y.count - x.count).slice(0, 10),
    timedOut: all.reduce((n, s) => n + s.timedOut, 0),
    abandoned: all.reduce((n, s) => n + s.abandoned, 0),
    overflowedNames: all.reduce((n, s) => n + s.overflowedNames, 0),
  };
}
