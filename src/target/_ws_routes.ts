/**
 * The built-in target's WebSocket route: `/ws/echo` answers every message
 * with the same message, and counts the ground truth (sockets opened and
 * closed, messages and payload bytes received and sent) that
 * `/__lunge/stats` reports under `websocket`. A plain GET without the upgrade
 * gets 426.
 *
 * @module
 */
import type { Hono } from "hono";
import type { ServerWebSocketHandler } from "../runtime/types.ts";

/** The WebSocket ground truth of the target, as `/__lunge/stats` reports it. */
export interface WsGroundTruth {
  /** Sockets upgraded. */
  opened: number;
  /** Sockets closed. */
  closed: number;
  /** Messages received (whole). */
  messagesReceived: number;
  /** Their payload bytes (UTF-8 bytes for text). */
  bytesReceived: number;
  /** Messages sent. */
  messagesSent: number;
  /** Their payload bytes. */
  bytesSent: number;
}

const encoder = new TextEncoder();

/**
 * The echo route's handler and counters.
 *
 * @example
 * ```ts
 * import { WsEchoRoute } from "./_ws_routes.ts";
 * const route = new WsEchoRoute();
 * route.handler.onMessage("hi", () => {});
 * route.truth().messagesReceived; // 1
 * ```
 */
export class WsEchoRoute {
  #t: WsGroundTruth = WsEchoRoute.#zero();

  static #zero(): WsGroundTruth {
    return { opened: 0, closed: 0, messagesReceived: 0, bytesReceived: 0, messagesSent: 0, bytesSent: 0 };
  }

  /** What the server adapters call (`ServeOptions.webSocket`). */
  readonly handler: ServerWebSocketHandler = {
    matches: (pathname) => pathname === "/ws/echo",
    onOpen: () => void this.#t.opened++,
    onClose: () => void this.#t.closed++,
    onMessage: (data, reply) => {
      const t = this.#t;
      const bytes = typeof data === "string" ? encoder.encode(data).length : data.length;
      t.messagesReceived++;
      t.bytesReceived += bytes;
      reply(data);
      t.messagesSent++;
      t.bytesSent += bytes;
    },
  };

  /** The counts now (a copy). */
  truth(): WsGroundTruth {
    return { ...this.#t };
  }

  /** Zeroes the counts. */
  reset(): void {
    this.#t = WsEchoRoute.#zero();
  }

  /** `GET /ws/echo` without an upgrade: 426 Upgrade Required. */
  mount(app: Hono): void {
    app.get(
      "/ws/echo",
      (c) => c.text("this route is a WebSocket: connect with ws://", 426, { upgrade: "websocket" }),
    );
  }
}
