import type { FetchHandler, ServedApp, ServeOptions } from "../types.ts";

/** The part of `Bun.serve` that lunge uses. */
interface BunServer {
  readonly port: number;
  readonly hostname: string;
  stop(closeActiveConnections?: boolean): Promise<void>;
}

interface BunServeGlobal {
  serve(options: {
    port: number;
    hostname: string;
    fetch: (request: Request) => Response | Promise<Response>;
    idleTimeout?: number;
    reusePort?: boolean;
    development?: boolean;
    error?: (error: Error) => Response;
  }): BunServer;
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
    fetch,
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
