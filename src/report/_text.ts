/**
 * The final summary of a run as terminal text, in the style of oha, k6 and
 * autocannon. A pure function of the `RunResult`: the CLI prints it to stdout.
 *
 * @module
 */
import { streamTextLines } from "./_stream_rows.ts";
import type { RunResult } from "../result/run_result.ts";
import { pad, paint } from "./_ansi.ts";
import { runNotes } from "./_run_notes.ts";
import {
  describeModel,
  errorKindRows,
  formatThresholdActual,
  latencyRows,
  showsServiceTime,
  statusRows,
} from "./_summary_rows.ts";
import { describeSplit, partialBanner, plannedRateShare } from "./_scaleout_lines.ts";
import { namedTextLines } from "./_named_rows.ts";
import { wsTextLines } from "./_ws_rows.ts";
import { grpcTextLines } from "./_grpc_rows.ts";
import { formatBytes, formatCount, formatDuration, formatMs, formatPercent } from "./_units.ts";

/** Options of `formatSummary`. */
export interface SummaryOptions {
  /** Emit ANSI colors. The caller decides (TTY attached, `NO_COLOR` unset). */
  color: boolean;
}

const LABEL_WIDTH = 14;

/**
 * Renders the final summary of a run. Ends with a newline.
 *
 * @example
 * ```ts
 * import { formatSummary } from "./_text.ts";
 * import type { RunResult } from "../result/run_result.ts";
 * declare const result: RunResult;
 * console.log(formatSummary(result, { color: false }));
 * ```
 */
export function formatSummary(result: RunResult, options: SummaryOptions): string {
  const c = options.color;
  const lines: string[] = [];
  const heading = (text: string): void => {
    lines.push("", paint(text, "bold", c));
  };
  const field = (label: string, value: string): void => {
    lines.push(`  ${pad(paint(label, "dim", c), LABEL_WIDTH)}${value}`);
  };
  const s = result.snapshot;

  const builtin = result.target.builtin ? paint("  (built-in target)", "dim", c) : "";
  lines.push(
    `${paint(`${result.tool.name} ${result.tool.version}`, "bold", c)}  ` +
      `${result.target.method} ${paint(result.target.url, "cyan", c)}${builtin}`,
  );
  if (result.interrupted) {
    lines.push(paint("INTERRUPTED: partial result", "yellow", c));
  }
  const partial = partialBanner(result);
  if (partial !== null) lines.push(paint(partial, "yellow", c));
  if (result.targetRefusedConnections) {
    lines.push(paint(`target refused connections: is it running at ${result.target.url}?`, "red", c));
  }

  lines.push("");
  field("Model", describeModel(result));
  const split = describeSplit(result);
  if (split !== null) field("Split", split);
  field("Collector", s.collector);
  const rt = result.runtime;
  field("Runtime", `${rt.name} ${rt.version} (${rt.cpus} CPU${rt.cpus === 1 ? "" : "s"}, ${rt.cpuModel})`);
  const warmup = result.options.warmupMs > 0
    ? `  (warm-up ${formatDuration(result.options.warmupMs)} excluded)`
    : "";
  field("Duration", `${formatDuration(result.durationMs)}${warmup}`);

  heading("Summary");
  const total = s.totalRequests;
  field("Requests", formatCount(total));
  field(
    "Successes",
    `${formatCount(s.successfulRequests)}  (${formatPercent(share(s.successfulRequests, total))})`,
  );
  const failures = `${formatCount(s.failedRequests)}  (${formatPercent(share(s.failedRequests, total))})`;
  field("Failures", s.failedRequests > 0 ? paint(failures, "red", c) : failures);
  let rate = `${formatCount(result.achievedRate, 1)} req/s`;
  if (result.options.model === "open" && result.options.rate !== null) {
    const target = plannedRateShare(result) ?? result.options.rate;
    rate += `  (target ${formatCount(target)} req/s: ${formatPercent(share(result.achievedRate, target))})`;
  }
  field("Rate", rate);
  const seconds = result.durationMs / 1000;
  field("Bytes", `${formatBytes(s.bytes)}  (${formatBytes(seconds > 0 ? s.bytes / seconds : 0)}/s)`);
  if (result.options.model === "open" || s.missedSends > 0) {
    const missed = formatCount(s.missedSends);
    field("Missed sends", s.missedSends > 0 ? paint(missed, "yellow", c) : missed);
  }
  for (const note of runNotes(result)) {
    field(note.label, note.warn ? paint(note.value, "yellow", c) : note.value);
  }
  const cl = result.clients;
  field(
    "Clients",
    `${formatCount(cl.clients)}  (${formatCount(cl.reconnections)} reconnections, ${
      formatCount(cl.timeouts)
    } timeouts)`,
  );

  lines.push(...latencyTable(result, c));
  lines.push(...countTable("Status codes", statusRows(result), c));
  const errors = errorKindRows(result);
  if (errors.length === 0) {
    heading("Errors");
    lines.push(`  none`);
  } else {
    lines.push(...countTable("Errors", errors, c));
  }
  if (result.errorMessages !== undefined && result.errorMessages.length > 0) {
    heading("Error messages");
    const width = Math.max(...result.errorMessages.map((m) => formatCount(m.count).length));
    for (const m of result.errorMessages) {
      lines.push(`  ${pad(formatCount(m.count), width, "right")}  ${paint(m.kind, "red", c)}  ${m.message}`);
    }
  }

  lines.push(...grpcTextLines(result));
  lines.push(...namedTextLines(result));
  lines.push(...streamTextLines(result));
  lines.push(...wsTextLines(result));
  if (result.thresholds.length > 0) {
    heading("Thresholds");
    const width = Math.max(...result.thresholds.map((t) => t.expression.length)) + 2;
    for (const t of result.thresholds) {
      const mark = t.passed ? paint("✓", "green", c) : paint("✗", "red", c);
      const actual = `actual ${formatThresholdActual(t)}`;
      lines.push(`  ${mark} ${pad(t.expression, width)}${t.passed ? actual : paint(actual, "red", c)}`);
    }
  }
  return lines.join("\n") + "\n";
}

function latencyTable(result: RunResult, c: boolean): string[] {
  const rows = latencyRows(result);
  const service = showsServiceTime(result);
  const width = 14;
  const header = service
    ? `${pad("Latency", LABEL_WIDTH)}${pad("corrected", width, "right")}${
      pad("service time", width, "right")
    }`
    : `${pad("Latency", LABEL_WIDTH)}`;
  const out = ["", `${paint(header.trimEnd(), "bold", c)}`];
  if (result.snapshot.latency.count === 0) return [...out, "  no responses recorded"];
  for (const row of rows) {
    let line = `  ${pad(paint(row.label, "dim", c), LABEL_WIDTH - 2)}${
      pad(formatMs(row.latencyMs), width, "right")
    }`;
    if (service) line += pad(formatMs(row.serviceTimeMs ?? Number.NaN), width, "right");
    out.push(line);
  }
  return out;
}

function countTable(
  title: string,
  rows: Array<{ label: string; count: number; share: number }>,
  c: boolean,
): string[] {
  const out = ["", paint(title, "bold", c)];
  if (rows.length === 0) return [...out, "  none"];
  const countWidth = Math.max(...rows.map((r) => formatCount(r.count).length));
  for (const row of rows) {
    // Status codes below 400 are successes; error kinds and 4xx/5xx are failures.
    const code = Number(row.label);
    const failing = !Number.isInteger(code) || code >= 400;
    const label = pad(paint(row.label, failing ? "red" : "green", c), LABEL_WIDTH - 2);
    out.push(
      `  ${label}${pad(formatCount(row.count), countWidth, "right")}${
        pad(formatPercent(row.share), 9, "right")
      }`,
    );
  }
  return out;
}

function share(part: number, total: number): number {
  return total > 0 ? part / total : 0;
}
