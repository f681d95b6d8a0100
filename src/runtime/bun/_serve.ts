import type { FetchHandler, ServedApp, ServeOptions, ServerWebSocketHandler } from "../types.ts";

/** The part of `Bun.serve` that lunge uses. */
interface BunServer {
  readonly port: number;
  readonly hostname: string;
  stop(closeActiveConnections?: boolean): Promise<void>;
  upgrade(request: Request): boolean;
}

/** The part of Bun's server WebSocket that lunge uses. */
interface BunServerWebSocket {
  send(data: string | Uint8Array): number;
}

interface BunServeGlobal {
  serve(options: {
    port: number;
    hostname: string;
    fetch: (request: Request, server: BunServer) => Response | Promise<Response> | undefined;
    websocket?: {
      open(ws: BunServerWebSocket): void;
      message(ws: BunServerWebSocket, data: string | Uint8Array): void;
      close(ws: BunServerWebSocket): void;
      perMessageDeflate: boolean;
      maxPayloadLength: number;
    };
    idleTimeout?: number;
    reusePort?: boolean;
    development?: boolean;
    error?: (error: Error) => Response;
  }): BunServer;
}

/** Upgrades the requests `ws` matches with `server.upgrade`; the rest go to `fetch`. */
function withWebSocket(
  fetch: FetchHandler,
  ws: ServerWebSocketHandler,
): (request: Request, server: BunServer) => Response | Promise<Response> | undefined {
  return (request, server) => {
    if (
      request.headers.get("upgrade")?.toLowerCase() === "websocket" &&
      ws.matches(new URL(request.url).pathname)
    ) {
      if (server.upgrade(request)) return undefined;
      return new Response("WebSocket upgrade failed", { status: 400 });
    }
    return fetch(request);
  };
}

/** Bun's WebSocket handlers, forwarding to `ws` (no compression: lunge's client offers none). */
function bunWebSocket(ws: ServerWebSocketHandler) {
  return {
    open: () => ws.onOpen(),
    message: (socket: BunServerWebSocket, data: string | Uint8Array) =>
      ws.onMessage(data, (d) => socket.send(d)),
    close: () => ws.onClose(),
    perMessageDeflate: false,
    maxPayloadLength: 64 * 1024 * 1024,
  };
}

/**
 * Serves `fetch` with `Bun.serve`, tuned for throughput (no development mode,
 * no idle timeout so that long delays and stalls are not cut off).
 *
 * @example
 * ```ts
 * import { serveApp } from "./_serve.ts";
 * const server = await serveApp(() => new Response("ok"), { port: 0, hostname: "127.0.0.1" });
 * console.log(server.port);
 * await server.close();
 * ```
 */
export function serveApp(fetch: FetchHandler, options: ServeOptions): Promise<ServedApp> {
  const bun = (globalThis as unknown as { Bun: BunServeGlobal }).Bun;
  const server = bun.serve({
    port: options.port,
    hostname: options.hostname,
    fetch: options.webSocket === undefined ? fetch : withWebSocket(fetch, options.webSocket),
    ...(options.webSocket === undefined ? {} : { websocket: bunWebSocket(options.webSocket) }),
    idleTimeout: 0,
    reusePort: false, // a second server on a busy port must fail, not share it
    development: false,
    error: (): Response => new Response("internal error", { status: 500 }),
  });
  return Promise.resolve({
    port: server.port,
    hostname: options.hostname,
    close: async (): Promise<void> => {
      await server.stop(true);
    },
  });
}
