/**
 * The WebSocket part of the text and HTML reports (`result.websocket`):
 * handshakes, messages and bytes both ways, pongs, the closes the server
 * started by code, and the failures by kind with their causes.
 *
 * @module
 */
import type { RunResult, WebSocketSummary } from "../result/run_result.ts";
import { escapeHtml as esc } from "./html_escape.ts";
import { formatBytes, formatCount, formatMs } from "./_units.ts";

/** The figures of the section as [label, value] rows. */
function rows(ws: WebSocketSummary): Array<[string, string]> {
  const h = ws.handshake;
  const out: Array<[string, string]> = [
    [
      "Handshakes",
      `${formatCount(ws.handshakes)}  (p50 ${formatMs(h.p50)}, p99 ${formatMs(h.p99)}, max ${
        formatMs(h.max)
      })`,
    ],
    ["Messages", `${formatCount(ws.messagesSent)} sent, ${formatCount(ws.messagesReceived)} received`],
    ["Bytes", `${formatBytes(ws.bytesSent)} sent, ${formatBytes(ws.bytesReceived)} received (payloads)`],
  ];
  if (ws.pongsSent > 0) out.push(["Pongs", `${formatCount(ws.pongsSent)} (pings answered)`]);
  const codes = Object.entries(ws.closeCodes);
  if (codes.length > 0) {
    out.push(["Server closes", codes.map(([code, n]) => `${code}: ${formatCount(n)}`).join(", ")]);
  }
  const e = ws.errors;
  const failures: string[] = [];
  if (e.handshakeRefused > 0) {
    const statuses = Object.entries(e.handshakeStatus).map(([s, n]) => `HTTP ${s}: ${formatCount(n)}`).join(
      ", ",
    );
    failures.push(`handshake refused ${formatCount(e.handshakeRefused)} (${statuses})`);
  }
  if (e.protocol > 0) failures.push(`protocol ${formatCount(e.protocol)}`);
  if (e.closedByPeer > 0) failures.push(`closed by peer ${formatCount(e.closedByPeer)}`);
  if (e.timeout > 0) failures.push(`timeout ${formatCount(e.timeout)}`);
  if (e.transport > 0) failures.push(`transport ${formatCount(e.transport)}`);
  out.push(["Failures", failures.length === 0 ? "none" : failures.join(", ")]);
  for (const [cause, n] of Object.entries(ws.protocolCauses)) {
    out.push(["  protocol", `${formatCount(n)}  ${cause}`]);
  }
  return out;
}

/**
 * The "WebSocket" text section, or nothing for an HTTP run.
 *
 * @example
 * ```ts
 * import { wsTextLines } from "./_ws_rows.ts";
 * import type { RunResult } from "../result/run_result.ts";
 * declare const result: RunResult;
 * console.log(wsTextLines(result).join("\n"));
 * ```
 */
export function wsTextLines(result: RunResult): string[] {
  const ws = result.websocket;
  if (ws === undefined || ws === null) return [];
  return ["", "WebSocket", ...rows(ws).map(([label, value]) => `  ${label.padEnd(14)}${value}`)];
}

/**
 * The "WebSocket" HTML table, or "" for an HTTP run.
 *
 * @example
 * ```ts
 * import { wsHtml } from "./_ws_rows.ts";
 * import type { RunResult } from "../result/run_result.ts";
 * declare const result: RunResult;
 * const html = wsHtml(result);
 * ```
 */
export function wsHtml(result: RunResult): string {
  const ws = result.websocket;
  if (ws === undefined || ws === null) return "";
  const body = rows(ws).map(([label, value]) =>
    `<tr><td>${esc(label.trim())}</td><td>${esc(value)}</td></tr>`
  );
  return `<table class="websocket">\n<tr><th colspan="2">WebSocket</th></tr>\n${body.join("\n")}\n</table>`;
}
