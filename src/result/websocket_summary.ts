/**
 * The WebSocket part of a run result (`result.websocket`, ws:// and wss://
 * runs): handshake times, messages and bytes both ways, close codes and the
 * failures by kind, with the JSON shape that `--json` writes and reads back.
 *
 * @module
 */
import { int, num, object, type Shape } from "./_shape.ts";

/**
 * What a WebSocket run did, beyond the round trips in `snapshot` (one record per message sent
 * that waited for the next message back; successful ones carry status 101).
 *
 * @example
 * ```ts
 * import type { WebSocketSummary } from "./websocket_summary.ts";
 * const ws: WebSocketSummary = {
 *   handshakes: 10, handshake: { p50: 0.4, p90: 0.6, p99: 1.1, max: 1.3, mean: 0.45 },
 *   messagesSent: 1000, messagesReceived: 1000, bytesSent: 5000, bytesReceived: 5000, pongsSent: 0,
 *   closeCodes: { "1000": 10 },
 *   errors: { handshakeRefused: 0, handshakeStatus: {}, protocol: 0, closedByPeer: 0, timeout: 0, transport: 0 },
 *   protocolCauses: {},
 * };
 * ```
 */
export interface WebSocketSummary {
  /** Handshakes completed (101 with the right Sec-WebSocket-Accept), over the whole run. */
  handshakes: number;
  /** Handshake time (TCP/TLS connect to the validated 101), ms, of the measured handshakes. */
  handshake: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Messages sent over the whole run (warm-up included): equal to what the server received. */
  messagesSent: number;
  /** Whole messages received (after reassembly), over the whole run. */
  messagesReceived: number;
  /** Payload bytes sent (frame headers excluded). */
  bytesSent: number;
  /** Payload bytes received. */
  bytesReceived: number;
  /** Pings from the server answered with a pong. */
  pongsSent: number;
  /** Closes the server started, by code (1006: the socket closed without a close frame). */
  closeCodes: Record<string, number>;
  /** Connections ended by kind (each may fail the message in flight). */
  errors: {
    /** Handshakes refused: not 101, a wrong Sec-WebSocket-Accept, a missing header. */
    handshakeRefused: number;
    /** Refused handshakes by the HTTP status they had ("200", "101" for a wrong accept, "0" unreadable). */
    handshakeStatus: Record<string, number>;
    /** Framing broken by the server (masked frame, reserved bits, bad close code, invalid UTF-8, ...). */
    protocol: number;
    /** Closed by the server (a close frame or the socket) while a message waited for its answer. */
    closedByPeer: number;
    /** Messages with no answer within the timeout. */
    timeout: number;
    /** Socket failures (refused, reset, TLS, DNS). */
    transport: number;
  };
  /** Protocol errors by cause, e.g. `{"masked frame from the server": 3}`. */
  protocolCauses: Record<string, number>;
}

const latency: Shape = object<WebSocketSummary["handshake"]>({
  p50: num,
  p90: num,
  p99: num,
  max: num,
  mean: num,
});

/**
 * The JSON shape of `WebSocketSummary` (see `docs/result-schema.md`, "WebSocket").
 *
 * @example
 * ```ts
 * import { WEBSOCKET_SHAPE } from "./websocket_summary.ts";
 * WEBSOCKET_SHAPE.kind; // "nullable"
 * ```
 */
export const WEBSOCKET_SHAPE: Shape = {
  kind: "nullable",
  inner: object<WebSocketSummary>({
    handshakes: int,
    handshake: latency,
    messagesSent: int,
    messagesReceived: int,
    bytesSent: int,
    bytesReceived: int,
    pongsSent: int,
    closeCodes: { kind: "record", value: int },
    errors: object<WebSocketSummary["errors"]>({
      handshakeRefused: int,
      handshakeStatus: { kind: "record", value: int },
      protocol: int,
      closedByPeer: int,
      timeout: int,
      transport: int,
    }),
    protocolCauses: { kind: "record", value: int },
  }),
};

/**
 * After a merge (counts summed field by field): the handshake percentiles of the union, read from the
 * merged `"ws handshake"` name (whose histograms merge exactly), not the maxima of the inputs.
 *
 * @example
 * ```ts
 * import { withUnionHandshake, type WebSocketSummary } from "./websocket_summary.ts";
 * declare const ws: WebSocketSummary;
 * withUnionHandshake(ws, []).handshake === ws.handshake; // true: no name to read
 * ```
 */
export function withUnionHandshake(
  ws: WebSocketSummary,
  names: ReadonlyArray<{ name: string; latency: WebSocketSummary["handshake"] }>,
): WebSocketSummary {
  const lane = names.find((n) => n.name === "ws handshake");
  return lane === undefined ? ws : { ...ws, handshake: { ...lane.latency } };
}
