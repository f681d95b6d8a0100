/**
 * Opens the socket a prepared request goes over: a unix domain socket, TLS
 * (https://) or plain TCP, at the address after `--connect-to`. Every
 * connection kind (HTTP/1.1, HTTP/2) opens its sockets here.
 *
 * @module
 */
import { tcpConnect, tlsConnect, unixConnect } from "../runtime/connect.ts";
import type { TcpListener, TcpSocket, TlsConnectOptions } from "../runtime/connect.ts";

/** Where and how to connect; `PreparedRequest` has these fields. */
export interface SocketEndpoint {
  /** Host to connect to (after `--connect-to`; IPv6 without brackets). */
  readonly hostname: string;
  /** Port to connect to (after `--connect-to`). */
  readonly port: number;
  /** TLS settings for https:// URLs (SNI is the URL's host unless set), or null for plain http://. */
  readonly tls: TlsConnectOptions | null;
  /** Unix domain socket path that replaces the TCP address, or null. */
  readonly unixSocket: string | null;
}

/**
 * Opens a socket to `endpoint`, reporting to `listener`. `tls` overrides the
 * endpoint's TLS settings (e.g. the same settings with other ALPN protocols;
 * pass one object for all connections, the runtimes cache per object).
 *
 * @example
 * ```ts
 * import { openSocket } from "./socket_opener.ts";
 * const socket = openSocket({ hostname: "127.0.0.1", port: 8443, unixSocket: null, tls: { insecure: true } }, {
 *   onTcpOpen: (s) => console.log("open, ALPN:", s.alpnProtocol),
 *   onTcpData: () => {},
 *   onTcpClose: () => {},
 * });
 * socket.close();
 * ```
 */
export function openSocket(
  endpoint: SocketEndpoint,
  listener: TcpListener,
  tls: TlsConnectOptions | null = endpoint.tls,
): TcpSocket {
  if (endpoint.unixSocket !== null) return unixConnect(endpoint.unixSocket, listener);
  if (tls !== null) return tlsConnect(endpoint.hostname, endpoint.port, listener, tls);
  return tcpConnect(endpoint.hostname, endpoint.port, listener);
}
