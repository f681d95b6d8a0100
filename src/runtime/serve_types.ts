/**
 * Shapes shared by the HTTP server adapters in `src/runtime/<rt>/serve.ts`.
 *
 * @module
 */

/** A web-standard request handler, as Hono's `app.fetch`. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** Where to listen. */
export interface ServeOptions {
  /** TCP port; `0` picks a free ephemeral port (the bound one is reported). */
  port: number;
  /** Interface to bind, e.g. `"127.0.0.1"` or `"0.0.0.0"`. */
  hostname: string;
}

/** A listening server. */
export interface ServedApp {
  /** The port actually bound. */
  readonly port: number;
  /** The interface bound. */
  readonly hostname: string;
  /** Stops listening and closes every connection; resolves once closed. */
  close(): Promise<void>;
}
