import { serve } from "@hono/node-server";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { FetchHandler, ServedApp, ServeOptions } from "../types.ts";
import { acceptWebSockets } from "./_ws_upgrade.ts";

/**
 * Serves `fetch` on Node with `@hono/node-server` (basic support).
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
    const server = serve(
      { fetch: (request: Request) => fetch(request), port: options.port, hostname: options.hostname },
      (info: AddressInfo): void => {
        resolve({
          port: info.port,
          hostname: options.hostname,
          close: (): Promise<void> =>
            new Promise((done) => {
              const http = server as Server;
              http.close(() => done());
              http.closeAllConnections?.();
            }),
        });
      },
    );
    server.once("error", reject);
    if (options.webSocket !== undefined) acceptWebSockets(server as Server, options.webSocket);
  });
}
