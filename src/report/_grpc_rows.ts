/**
 * Internal: the gRPC section of the text and HTML reports: calls by gRPC
 * status, messages per call, time to the first message of a stream, per
 * method or call name.
 *
 * @module
 */
import type { GrpcCallStats, RunResult } from "../result/run_result.ts";
import { escapeHtml as esc } from "./html_escape.ts";
import { formatCount, formatMs } from "./_units.ts";

function statusText(s: GrpcCallStats): string {
  const parts = Object.entries(s.statuses).map(([k, v]) => `${k} ${formatCount(v)}`);
  return parts.length === 0 ? "none" : parts.join(", ");
}

function lines(s: GrpcCallStats, indent: string): string[] {
  const pct = (n: number): string => s.calls === 0 ? "0.00%" : `${((n / s.calls) * 100).toFixed(2)}%`;
  const out: string[] = [
    `${indent}${s.name}: ${formatCount(s.calls)} calls, ${formatCount(s.errors)} not OK (${pct(s.errors)})`,
  ];
  const width = Math.max(0, ...Object.keys(s.statuses).map((k) => k.length));
  for (const [name, n] of Object.entries(s.statuses)) {
    out.push(`${indent}  ${name.padEnd(width)}  ${formatCount(n).padStart(10)}  ${pct(n)}`);
  }
  out.push(
    `${indent}  messages  sent ${formatCount(s.messagesSent)}, received ${formatCount(s.messagesReceived)} (${
      s.messagesPerCall.toFixed(2)
    } per call)`,
  );
  if (s.firstMessage !== null) {
    const f = s.firstMessage;
    out.push(
      `${indent}  first message  p50 ${formatMs(f.p50)}, p90 ${formatMs(f.p90)}, p99 ${
        formatMs(f.p99)
      }, mean ${formatMs(f.mean)}`,
    );
  }
  return out;
}

/**
 * Text lines of the gRPC section (none for a run without gRPC).
 *
 * @example
 * ```ts
 * import { grpcTextLines } from "./_grpc_rows.ts";
 * import type { RunResult } from "../result/run_result.ts";
 * declare const result: RunResult;
 * console.log(grpcTextLines(result).join("\n"));
 * ```
 */
export function grpcTextLines(result: RunResult): string[] {
  const g = result.grpc;
  if (g === undefined) return [];
  const out = [
    "",
    g.url === "" ? `gRPC (${g.kind}: scenario calls)` : `gRPC (${g.kind}, ${g.url})`,
    ...lines(g.total, "  "),
  ];
  for (const m of g.methods) out.push(...lines(m, "  "));
  return out;
}

/**
 * The gRPC section as an HTML table ("" for a run without gRPC).
 *
 * @example
 * ```ts
 * import { grpcHtml } from "./_grpc_rows.ts";
 * import type { RunResult } from "../result/run_result.ts";
 * declare const result: RunResult;
 * const html = grpcHtml(result);
 * ```
 */
export function grpcHtml(result: RunResult): string {
  const g = result.grpc;
  if (g === undefined) return "";
  const rows = [g.total, ...g.methods].map((s) =>
    `<tr><td>${esc(s.name)}</td><td class="num">${formatCount(s.calls)}</td><td>${esc(statusText(s))}</td>` +
    `<td class="num">${s.messagesPerCall.toFixed(2)}</td><td class="num">${
      s.firstMessage === null ? "–" : esc(formatMs(s.firstMessage.p50))
    }</td></tr>`
  );
  return `<table class="grpc">\n<tr><th>gRPC ${
    esc(g.kind)
  }</th><th class="num">calls</th><th>by gRPC status</th>` +
    `<th class="num">messages per call</th><th class="num">first message p50</th></tr>\n${
      rows.join("\n")
    }\n</table>`;
}
