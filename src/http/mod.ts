/**
 * The load engine's HTTP/1.1 keep-alive client: a raw-socket client for
 * `http://` URLs (`Bun.connect`, `Deno.connect`, `node:net`) and `fetch` for
 * the rest, behind one `HttpConnection` interface.
 *
 * @example
 * ```ts
 * import { createConnection, prepareRequest } from "./mod.ts";
 * const req = prepareRequest({ url: "http://127.0.0.1:8080/", method: "GET", headers: {} });
 * let left = 10;
 * const conn = createConnection(req, (status, bodyBytes, errorKind) => {
 *   console.log(status, bodyBytes, errorKind);
 *   if (--left > 0) conn.send();
 *   else conn.close();
 * });
 * conn.send();
 * ```
 *
 * @module
 */
export { createConnection, createConnectionFactory } from "./_client.ts";
export { prepareRequest } from "./request.ts";
export { classifyError } from "./errors.ts";
export { ResponseParser } from "./_response_parser.ts";
export type {
  ConnectionFactoryOptions,
  ConnectOptions,
  HttpConnection,
  HttpTransport,
  PreparedRequest,
  PrepareOptions,
  RequestSpec,
  ResponseCallback,
} from "./types.ts";
