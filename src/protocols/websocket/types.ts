/**
 * What a WebSocket load worker is asked to do (`WorkerJob.websocket`) and
 * what it reports back (`done.websocket`). Plain data, sent by `postMessage`.
 *
 * @module
 */
import type { TlsConnectOptions } from "../../runtime/connect.ts";
import type { WorkerJobBase } from "../../worker/job.ts";
import type { DoneMessage } from "../../worker/messages.ts";

/**
 * The per-name lane that holds the handshake times of a WebSocket run.
 *
 * @example
 * ```ts
 * import { WS_HANDSHAKE_NAME } from "./types.ts";
 * WS_HANDSHAKE_NAME; // "ws handshake"
 * ```
 */
export const WS_HANDSHAKE_NAME = "ws handshake";

/**
 * The WebSocket part of a worker's job.
 *
 * @example
 * ```ts
 * import type { WebSocketJob } from "./types.ts";
 * const job: WebSocketJob = {
 *   url: "ws://127.0.0.1:9000/", messages: ["ping {{seq}}"], names: [], binary: false,
 *   maxMessageBytes: 16 << 20, headers: {}, tls: null,
 * };
 * ```
 */
export interface WebSocketJob {
  /** The ws:// or wss:// URL. */
  url: string;
  /** Message templates; each virtual user sends them in turn. */
  messages: string[];
  /** The per-name lane name of each message ("" for none). */
  names: string[];
  /** Send binary frames instead of text. */
  binary: boolean;
  /** Largest message accepted from the server, bytes. */
  maxMessageBytes: number;
  /** Extra handshake headers. */
  headers: Record<string, string>;
  /** TLS settings (`--cacert`, `-k`, ...) for wss://. */
  tls: TlsConnectOptions | null;
  /** The CSV columns of `{{csv:FILE:column}}` placeholders, by `FILE:column` (read on the main thread). */
  csv?: Record<string, string[]>;
}

/**
 * The job of a WebSocket load worker: the common job and its WebSocket part.
 *
 * @example
 * ```ts
 * import type { WebSocketWorkerJob } from "./types.ts";
 * const urlOf = (job: WebSocketWorkerJob): string | undefined => job.websocket?.url;
 * ```
 */
export interface WebSocketWorkerJob extends WorkerJobBase {
  /** WebSocket (ws://, wss://): each unit sends a message and waits for the next one back. */
  websocket?: WebSocketJob | null;
}

/**
 * A WebSocket worker's "done" report: the common part and its counts.
 *
 * @example
 * ```ts
 * import type { WsDoneMessage } from "./types.ts";
 * const sentOf = (m: WsDoneMessage): number => m.websocket.messagesSent;
 * ```
 */
export type WsDoneMessage = DoneMessage & { websocket: WsWorkerReport };

/**
 * A WebSocket worker's counts at the end (summed by the orchestrator into `result.websocket`).
 *
 * @example
 * ```ts
 * import { emptyWsReport } from "./types.ts";
 * emptyWsReport().messagesSent; // 0
 * ```
 */
export interface WsWorkerReport {
  handshakes: number;
  messagesSent: number;
  messagesReceived: number;
  bytesSent: number;
  bytesReceived: number;
  pongsSent: number;
  closeCodes: Record<string, number>;
  handshakeRefused: number;
  handshakeStatus: Record<string, number>;
  protocol: number;
  protocolCauses: Record<string, number>;
  closedByPeer: number;
  timeout: number;
  transport: number;
}

/**
 * A report with every count at zero.
 *
 * @example
 * ```ts
 * import { emptyWsReport } from "./types.ts";
 * emptyWsReport().closeCodes; // {}
 * ```
 */
export function emptyWsReport(): WsWorkerReport {
  return {
    handshakes: 0,
    messagesSent: 0,
    messagesReceived: 0,
    bytesSent: 0,
    bytesReceived: 0,
    pongsSent: 0,
    closeCodes: {},
    handshakeRefused: 0,
    handshakeStatus: {},
    protocol: 0,
    protocolCauses: {},
    closedByPeer: 0,
    timeout: 0,
    transport: 0,
  };
}

/**
 * Adds `b` into `a`.
 *
 * @example
 * ```ts
 * import { addWsReport, emptyWsReport } from "./types.ts";
 * const total = emptyWsReport();
 * addWsReport(total, { ...emptyWsReport(), messagesSent: 3 });
 * total.messagesSent; // 3
 * ```
 */
export function addWsReport(a: WsWorkerReport, b: WsWorkerReport): void {
  for (const key of Object.keys(a) as Array<keyof WsWorkerReport>) {
    const value = b[key];
    if (typeof value === "number") (a[key] as number) += value;
    else {
      const into = a[key] as Record<string, number>;
      for (const [k, n] of Object.entries(value)) into[k] = (into[k] ?? 0) + n;
    }
  }
}
