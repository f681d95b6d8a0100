/**
 * The terminal side of a stress run: the per-second progress line and the
 * summary with every verdict. Pure functions of the samples and the result.
 *
 * @module
 */
import { paint } from "../src/report/_ansi.ts";
import { formatBytes, formatCount, formatDuration, formatMs } from "../src/report/_units.ts";
import type { StressConfig, StressResult, StressSample } from "./types.ts";
import { summaryLine, type Verdict } from "./verdicts.ts";

/**
 * One progress line (no newline): phase, time, rate, p99, errors and the
 * memory of both sides.
 *
 * @example
 * ```ts
 * import { formatStressProgress } from "./report_text.ts";
 * // formatStressProgress(sample, config)
 * // "[steady] 12s/5m00s rps=10,002/10,000 p99=1.20ms errors=0 | gen heap 5.1 MiB rss 68 MiB | target heap 6.0 MiB rss 44 MiB conns 1000"
 * ```
 */
export function formatStressProgress(sample: StressSample, config: StressConfig): string {
  const total = config.durationMs + config.idleAfterMs;
  const heaps = sample.workerHeapUsed ?? [];
  const workers = heaps.length === 0 ? "" : ` workers ${heaps.map(mib).join(" ")}`;
  const target = sample.targetHeapUsed === null
    ? "target -"
    : `target heap ${mib(sample.targetHeapUsed)} rss ${mib(sample.targetRss ?? 0)} conns ${
      sample.targetConnections ?? "-"
    }`;
  return `[${sample.phase}] ${formatDuration(sample.t * 1000)}/${formatDuration(total)} ` +
    `rps=${formatCount(sample.rps)}/${formatCount(sample.targetRate)} p99=${formatMs(sample.p99Ms)} ` +
    `errors=${formatCount(sample.errors)} | gen heap ${mib(sample.heapUsed)}${workers} rss ${
      mib(sample.rss)
    } ` +
    `ext ${mib(sample.external)} | ${target}`;
}

/**
 * A verdict as one summary line: `PASS  name  detail` (or `FAIL`, or
 * `NOT CHECKED`, which never reads as a pass).
 *
 * @example
 * ```ts
 * import { formatVerdict } from "./report_text.ts";
 * import { checked } from "./verdicts.ts";
 * formatVerdict(checked("counts", true, "collector 10, target ground truth 10 (exact)"), false);
 * // "PASS  counts                  collector 10, target ground truth 10 (exact)"
 * ```
 */
export function formatVerdict(verdict: Verdict, color: boolean): string {
  const mark = verdict.status === "passed"
    ? paint("PASS", "green", color)
    : verdict.status === "failed"
    ? paint("FAIL", "red", color)
    : paint("NOT CHECKED", "yellow", color);
  return `${mark}  ${verdict.name.padEnd(22)}  ${verdict.detail}`;
}

/**
 * The summary printed at the end of a run (ends with a newline).
 *
 * @example
 * ```ts
 * import { formatStressSummary } from "./report_text.ts";
 * // writeStdout(formatStressSummary(result, { color: false, files: ["stress/results/x.json"] }));
 * ```
 */
export function formatStressSummary(
  result: StressResult,
  options: { color: boolean; files: string[] },
): string {
  const c = result.config;
  const s = result.samples;
  const peak = (pick: (x: StressSample) => number | null): number =>
    s.reduce((m, x) => Math.max(m, pick(x) ?? 0), 0);
  const lines = [
    paint(`lunge stress: ${c.scenario}`, "bold", options.color) +
    ` · ${result.runtime.name} ${result.runtime.version} · ${result.runtime.cpus} CPUs`,
    `plan      ${formatCount(c.rate)} req/s for ${formatDuration(c.durationMs)}` +
    (c.rampUpMs + c.rampDownMs > 0
      ? ` (ramps ${formatDuration(c.rampUpMs)} up, ${formatDuration(c.rampDownMs)} down)`
      : "") +
    (c.idleAfterMs > 0 ? `, then ${formatDuration(c.idleAfterMs)} idle` : "") +
    `, ${formatCount(c.concurrency)} connections, ${c.collector} collector`,
    `achieved  ${formatCount(result.achievedRate)} req/s · ${
      formatCount(result.counts.collector)
    } requests · ` +
    `${formatCount(result.counts.failed)} errors · p99 ${formatMs(result.p99Ms)}`,
    `generator heap after GC ${mib(result.generatorGc.startHeapUsed)} -> ${
      mib(result.generatorGc.endHeapUsed)
    }` +
    `${result.generatorGc.gc ? "" : " (no forced GC)"} · peak heap ${
      mib(peak((x) => x.heapUsed))
    } · peak RSS ${mib(peak((x) => x.rss))}`,
    ...workerLines(result),
    `target    heap after GC ${mib(result.targetGc.startHeapUsed)} -> ${mib(result.targetGc.endHeapUsed)}` +
    `${result.targetGc.gc ? "" : " (no forced GC)"} · peak heap ${
      mib(peak((x) => x.targetHeapUsed))
    } · peak RSS ${mib(peak((x) => x.targetRss))}`,
    "",
    ...result.verdicts.map((v) => formatVerdict(v, options.color)),
    "",
  ];
  if (options.files.length > 0) lines.push(`results   ${options.files.join("  ")}`);
  const summary = summaryLine(result.verdicts);
  const tone = summary === "PASS every verdict" ? "green" : summary.startsWith("FAIL") ? "red" : "yellow";
  lines.push(paint(summary, tone, options.color));
  return lines.join("\n") + "\n";
}

/** One line for the load workers' own heaps (first and last reading each), or none. */
function workerLines(result: StressResult): string[] {
  const series = result.workerHeaps.filter((w) => w.points.length > 0);
  if (series.length === 0) return [];
  const each = series.map((w) =>
    `${w.worker}: ${mib(w.points[0].heapUsed)} -> ${mib(w.points.at(-1)!.heapUsed)}`
  );
  const pause = Math.max(...series.map((w) => w.maxGcMs));
  return [`workers   heap in each thread ${each.join(" · ")} · longest forced-GC pause ${formatMs(pause)}`];
}

function mib(bytes: number): string {
  return formatBytes(bytes);
}
