import type { FetchHandler, ServedApp, ServeOptions, ServerWebSocketHandler } from "../types.ts";

/** Upgrades the requests `ws` matches with `Deno.upgradeWebSocket`; the rest go to `fetch`. */
function withWebSocket(
  fetch: FetchHandler,
  ws: ServerWebSocketHandler,
): (request: Request) => Response | Promise<Response> {
  return (request: Request) => {
    if (
      request.headers.get("upgrade")?.toLowerCase() !== "websocket" ||
      !ws.matches(new URL(request.url).pathname)
    ) {
      return fetch(request);
    }
    const { socket, response } = Deno.upgradeWebSocket(request);
    socket.binaryType = "arraybuffer";
    const reply = (data: string | Uint8Array): void => socket.send(data);
    socket.onopen = () => ws.onOpen();
    socket.onmessage = (event) => {
      const data = event.data;
      ws.onMessage(typeof data === "string" ? data : new Uint8Array(data as ArrayBuffer), reply);
    };
    socket.onclose = () => ws.onClose();
    socket.onerror = () => {};
    return response;
  };
}

/**
 * Serves `fetch` with `Deno.serve`, without the start-up log line.
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
  return new Promise((resolve, reject) => {
    try {
      const handler = options.webSocket === undefined
        ? (request: Request) => fetch(request)
        : withWebSocket(fetch, options.webSocket);
      const server = Deno.serve({
        port: options.port,
        hostname: options.hostname,
        onListen: (addr): void => {
          const port = (addr as Deno.NetAddr).port;
          resolve({
            port,
            hostname: options.hostname,
            close: async (): Promise<void> => {
              await server.shutdown();
            },
          });
        },
        // A user-facing load target: report handler errors as 500 without printing a trace per request.
        onError: (): Response => new Response("internal error", { status: 500 }),
      }, handler);
    } catch (error) {
      reject(error);
    }
  });
}
