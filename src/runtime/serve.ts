/**
 * HTTP serving across runtimes: `Deno.serve`, `Bun.serve`, or
 * `@hono/node-server` on Node, behind one `serveApp` function.
 *
 * @example
 * ```ts
 * import { serveApp } from "./serve.ts";
 * const server = await serveApp(() => new Response("ok"), { port: 0, hostname: "127.0.0.1" });
 * console.log(`listening on ${server.port}`);
 * await server.close();
 * ```
 *
 * @module
 */
import { runtime } from "./mod.ts";
import type { FetchHandler, ServedApp, ServeOptions } from "./types.ts";

export type { FetchHandler, ServedApp, ServeOptions, ServerWebSocketHandler } from "./types.ts";

/**
 * Serves `fetch` on the current runtime; `port: 0` binds an ephemeral port and
 * the returned `port` is the one bound.
 *
 * @example
 * ```ts
 * import { serveApp } from "./serve.ts";
 * const server = await serveApp((req) => new Response(new URL(req.url).pathname), {
 *   port: 0,
 *   hostname: "127.0.0.1",
 * });
 * await server.close();
 * ```
 */
export async function serveApp(fetch: FetchHandler, options: ServeOptions): Promise<ServedApp> {
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new RangeError(`Cannot serve: "port" must be an integer from 0 to 65535, got ${options.port}`);
  }
  // The runtime loads its server adapter on first use (Node's pulls in @hono/node-server).
  return await runtime.serveApp(fetch, options);
}
