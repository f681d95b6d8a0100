import type { FetchHandler, ServedApp, ServeOptions } from "../types.ts";

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
      }, (request: Request) => fetch(request));
    } catch (error) {
      reject(error);
    }
  });
}
