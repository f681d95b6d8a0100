/**
 * Client sockets across runtimes: `Bun.connect`, `Deno.connect` /
 * `Deno.startTls` or `node:net` / `node:tls`, behind three functions that
 * report to one listener: `tcpConnect`, `tlsConnect` (with ALPN) and
 * `unixConnect`.
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
import type { TcpConnectFn, TlsConnectFn, UnixConnectFn } from "./types.ts";

export type {
  TcpConnectFn,
  TcpListener,
  TcpSocket,
  TlsConnectFn,
  TlsConnectOptions,
  UnixConnectFn,
} from "./types.ts";
export { TlsError } from "./tls_error.ts";

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

/**
 * Tells this thread's socket layer whether its load is paced (open model); on
 * Deno plain TCP then opens over `Deno.connect` instead of lunge's epoll loop.
 *
 * @example
 * ```ts
 * import { preferSocketsForPacedLoad } from "./connect.ts";
 * preferSocketsForPacedLoad(true);
 * ```
 */
export const preferSocketsForPacedLoad: (paced: boolean) => void = runtime.preferSocketsForPacedLoad;

/**
 * Opens a TLS connection to `hostname:port`: `onTcpOpen` comes after the
 * handshake, with `socket.alpnProtocol` set to the protocol the server chose
 * (or null). A failed handshake or certificate check reaches `onTcpClose` as a
 * `TlsError` whose message gives the reason.
 *
 * @example
 * ```ts
 * import { tlsConnect } from "./connect.ts";
 * const socket = tlsConnect("127.0.0.1", 8443, {
 *   onTcpOpen: (s) => console.log("negotiated", s.alpnProtocol), // "h2", "http/1.1" or null
 *   onTcpData: () => {},
 *   onTcpClose: (_s, error) => console.log("closed", error),
 * }, { servername: "localhost", insecure: true, alpn: ["h2", "http/1.1"] });
 * socket.close();
 * ```
 */
export const tlsConnect: TlsConnectFn = runtime.tlsConnect;

/**
 * Opens a unix domain stream socket at `path`; events go to `listener`.
 *
 * @example
 * ```ts
 * import { unixConnect } from "./connect.ts";
 * const socket = unixConnect("/tmp/app.sock", {
 *   onTcpOpen: () => {},
 *   onTcpData: () => {},
 *   onTcpClose: () => {},
 * });
 * socket.close();
 * ```
 */
export const unixConnect: UnixConnectFn = runtime.unixConnect;
