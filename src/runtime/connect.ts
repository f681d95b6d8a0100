/**
 * Client TCP sockets across runtimes: `Bun.connect`, `Deno.connect` or
 * `node:net`, behind one `tcpConnect` function that reports to a listener.
 *
 * @example
 * ```ts
 * import { tcpConnect } from "./connect.ts";
 * const socket = tcpConnect("127.0.0.1", 8080, {
 *   onTcpOpen: (s) => s.write(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n")),
 *   onTcpData: (_s, _bytes, length) => console.log(`${length} bytes`),
 *   onTcpClose: (_s, error) => console.log("closed", error),
 * });
 * socket.close();
 * ```
 *
 * @module
 */
import { runtime } from "./mod.ts";
import type { TcpConnectFn } from "./connect_types.ts";

export type { TcpConnectFn, TcpListener, TcpSocket } from "./connect_types.ts";

/**
 * Opens a TCP connection to `hostname:port` on the current runtime; events go
 * to `listener` (see `TcpListener`).
 *
 * @example
 * ```ts
 * import { tcpConnect } from "./connect.ts";
 * const socket = tcpConnect("127.0.0.1", 8080, {
 *   onTcpOpen: () => {},
 *   onTcpData: () => {},
 *   onTcpClose: () => {},
 * });
 * socket.close();
 * ```
 */
export const tcpConnect: TcpConnectFn = runtime.tcpConnect;
