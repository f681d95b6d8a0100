/**
 * The orchestrator's side of a WebSocket run: the per-name lanes (the
 * handshake and each message), the job part every worker gets, and the
 * `result.websocket` summary from the workers' reports.
 *
 * @module
 */
import { NamedLanes } from "../../collector/named_lanes.ts";
import type { ConnectOptions } from "../../http/types.ts";
import type { WebSocketSummary } from "../../result/websocket_summary.ts";
import type { NormalizedWebSocket } from "./normalize_ws.ts";
import {
  addWsReport,
  emptyWsReport,
  type WebSocketJob,
  WS_HANDSHAKE_NAME,
  type WsWorkerReport,
} from "./types.ts";

/**
 * The per-name lanes of a WebSocket run: the handshake first, then each named message.
 *
 * @example
 * ```ts
 * import { createWsNamedLanes } from "./run_support.ts";
 * const lanes = createWsNamedLanes({ messages: ["hi"], names: ["msg 1: hi"], binary: false, maxMessageBytes: 1024, csv: {} }, 1);
 * lanes.stats().map((s) => s.name); // ["ws handshake", "msg 1: hi"]
 * ```
 */
export function createWsNamedLanes(ws: NormalizedWebSocket, workers: number): NamedLanes {
  return NamedLanes.create({
    names: [WS_HANDSHAKE_NAME, ...ws.names.filter((n) => n !== "")],
    lanes: workers,
  });
}

/**
 * The WebSocket part of every worker's job.
 *
 * @example
 * ```ts
 * import { wsJobOf } from "./run_support.ts";
 * const ws = { messages: ["hi"], names: [""], binary: false, maxMessageBytes: 1024, csv: {} };
 * wsJobOf(ws, "ws://127.0.0.1:9000/", {}, {}).url; // "ws://127.0.0.1:9000/"
 * ```
 */
export function wsJobOf(
  ws: NormalizedWebSocket,
  url: string,
  headers: Record<string, string>,
  connect: ConnectOptions,
): WebSocketJob {
  return {
    url,
    messages: ws.messages,
    names: ws.names,
    binary: ws.binary,
    maxMessageBytes: ws.maxMessageBytes,
    headers,
    tls: connect.tls ?? null,
    csv: ws.csv,
  };
}

/**
 * The built-in target's URL for a `/ws/...` route: ws:// on the target's address.
 *
 * @example
 * ```ts
 * import { builtinWsUrl } from "./run_support.ts";
 * builtinWsUrl("http://127.0.0.1:4000", "/ws/echo"); // "ws://127.0.0.1:4000/ws/echo"
 * ```
 */
export function builtinWsUrl(targetUrl: string, path: string): string {
  return targetUrl.replace(/^http/, "ws") + path;
}

/**
 * `result.websocket` from the workers' reports and the handshake lane.
 *
 * @example
 * ```ts
 * import { wsSummary } from "./run_support.ts";
 * wsSummary([], null).messagesSent; // 0
 * ```
 */
export function wsSummary(reports: readonly WsWorkerReport[], named: NamedLanes | null): WebSocketSummary {
  const total = emptyWsReport();
  for (const r of reports) addWsReport(total, r);
  const lane = named?.stats().find((s) => s.name === WS_HANDSHAKE_NAME);
  return {
    handshakes: total.handshakes,
    handshake: lane?.latency ?? { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 },
    messagesSent: total.messagesSent,
    messagesReceived: total.messagesReceived,
    bytesSent: total.bytesSent,
    bytesReceived: total.bytesReceived,
    pongsSent: total.pongsSent,
    closeCodes: total.closeCodes,
    errors: {
      handshakeRefused: total.handshakeRefused,
      handshakeStatus: total.handshakeStatus,
      protocol: total.protocol,
      closedByPeer: total.closedByPeer,
      timeout: total.timeout,
      transport: total.transport,
    },
    protocolCauses: total.protocolCauses,
  };
}
