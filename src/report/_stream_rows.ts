/**
 * Internal: the "Streams" section of the text and HTML reports: time to first
 * byte of every response, and the SSE and LLM stream figures (first event,
 * gaps, events per stream, duration; time to first token, inter-token latency,
 * tokens per second, output tokens), run-wide and per name.
 *
 * @module
 */
import type { RunResult, StreamSummary } from "../result/run_result.ts";
import {
  STREAM_METRIC_UNITS,
  STREAM_METRICS,
  type StreamMetricName,
  type StreamMetricStats,
  type StreamStats,
} from "../result/stream_summary.ts";
import { escapeHtml as esc } from "./html_escape.ts";
import { formatCount, formatMs } from "./_units.ts";

const LABELS: Readonly<Record<StreamMetricName, string>> = {
  ttfb: "time to first byte",
  first_event: "first event",
  event_gap: "gap between events",
  events: "events per stream",
  stream_duration: "stream duration",
  ttft: "time to first token",
  itl: "inter-token latency",
  tokens_per_s: "tokens/s per stream",
  output_tokens: "output tokens",
};

const HEAD = ["metric", "count", "p50", "p90", "p95", "p99", "max", "mean"];

function value(metric: StreamMetricName, v: number): string {
  switch (STREAM_METRIC_UNITS[metric]) {
    case "ms":
      return formatMs(v);
    case "count":
      return formatCount(v, Number.isInteger(v) ? 0 : 1);
    default:
      return formatCount(v, 1);
  }
}

function rows(stats: StreamStats): string[][] {
  const out: string[][] = [];
  for (const m of STREAM_METRICS) {
    const s: StreamMetricStats | undefined = stats.metrics[m];
    if (s === undefined) continue;
    out.push([
      `${LABELS[m]} (${m})`,
      formatCount(s.count),
      ...[s.p50, s.p90, s.p95, s.p99, s.max, s.mean].map((v) => value(m, v)),
    ]);
  }
  return out;
}

function countsLine(s: StreamStats): string {
  const parts: string[] = [];
  if (s.sseStreams > 0) {
    parts.push(`${formatCount(s.sseStreams)} event streams, ${formatCount(s.events)} events`);
    if (s.cutStreams > 0) parts.push(`${formatCount(s.cutStreams)} cut mid-event`);
  }
  if (s.llmStreams > 0) {
    parts.push(`${formatCount(s.llmStreams)} LLM streams, ${formatCount(s.outputTokens)} output tokens`);
    parts.push(`${formatCount(s.doneStreams)} ended with [DONE]`);
    if (s.usageStreams > 0) parts.push(`${formatCount(s.usageStreams)} with usage`);
  }
  return parts.join("; ");
}

function table(body: string[][]): string[] {
  const widths = HEAD.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r: string[]): string =>
    "  " + r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  return [line(HEAD), ...body.map(line)];
}

/** Whether the section has more to say than the time to first byte of plain responses. */
function streamed(s: StreamSummary): boolean {
  return s.sseStreams > 0 || s.names.some((n) => n.sseStreams > 0);
}

/**
 * Text lines of the "Streams" section: the time to first byte alone for plain
 * responses, the whole table when event streams were read ([] without `streams`).
 *
 * @example
 * ```ts
 * import { streamTextLines } from "./_stream_rows.ts";
 * import type { RunResult } from "../result/run_result.ts";
 * declare const result: RunResult;
 * console.log(streamTextLines(result).join("\n"));
 * ```
 */
export function streamTextLines(result: RunResult): string[] {
  const s = result.streams;
  if (!s) return [];
  if (!streamed(s)) {
    const t = s.metrics.ttfb;
    if (t === undefined) return [];
    return [
      "",
      `Time to first byte  p50 ${formatMs(t.p50)}  p90 ${formatMs(t.p90)}  p99 ${formatMs(t.p99)}  max ${
        formatMs(t.max)
      }`,
    ];
  }
  const out = ["", "Streams", `  ${countsLine(s)}`, ...table(rows(s))];
  for (const n of s.names) {
    if (n.sseStreams === 0) continue;
    out.push("", `Streams of ${n.name}`, `  ${countsLine(n)}`, ...table(rows(n)));
  }
  return out;
}

function htmlTable(title: string, stats: StreamStats): string {
  const head = `<tr>${
    HEAD.map((h, i) => `<th${i === 0 ? "" : ' class="num"'}>${i === 0 ? esc(title) : h}</th>`).join("")
  }</tr>`;
  const body = rows(stats).map((r) =>
    `<tr>${r.map((cell, i) => `<td${i === 0 ? "" : ' class="num"'}>${esc(cell)}</td>`).join("")}</tr>`
  );
  const counts = countsLine(stats);
  return `${counts === "" ? "" : `<p>${esc(counts)}</p>\n`}<table class="names">\n${head}\n${
    body.join("\n")
  }\n</table>`;
}

/**
 * HTML of the "Streams" section ("" without `streams`).
 *
 * @example
 * ```ts
 * import { streamHtml } from "./_stream_rows.ts";
 * import type { RunResult } from "../result/run_result.ts";
 * declare const result: RunResult;
 * const html = streamHtml(result);
 * ```
 */
export function streamHtml(result: RunResult): string {
  const s = result.streams;
  if (!s || Object.keys(s.metrics).length === 0) return "";
  const parts = [`<h2>Streams</h2>`, htmlTable("run", s)];
  for (const n of s.names) parts.push(htmlTable(n.name, n));
  return parts.join("\n");
}
