/**
 * Shapes shared by the socket client adapters in `src/runtime/<rt>/connect.ts`.
 * The adapters deliver socket events to one long-lived listener object (no
 * closure or promise per read on Bun and Node) so that a keep-alive client can
 * run without allocating per request. The same listener and socket shapes
 * serve plain TCP, TLS and unix domain sockets.
 *
 * @module
 */

/** Receives the events of the sockets it opened. */
export interface TcpListener {
  /**
   * The connection is established (for TLS: the handshake is complete and
   * `socket.alpnProtocol` is known); writes may start.
   */
  onTcpOpen(socket: TcpSocket): void;
  /**
   * Bytes arrived: `bytes[0, length)`. The bytes are only valid during the
   * call (the adapter may reuse the buffer).
   */
  onTcpData(socket: TcpSocket, bytes: Uint8Array, length: number): void;
  /**
   * The socket closed by itself: the peer closed it (`error` undefined), it
   * failed, or it could not connect (`error` set). Called at most once, and
   * never after the owner called `close()`. A failed TLS handshake arrives
   * here as a `TlsError` (see `tls_error.ts`) whose message gives the reason,
   * e.g. "certificate verify failed: self-signed certificate".
   */
  onTcpClose(socket: TcpSocket, error: unknown): void;
}

/** A client socket (TCP, TLS or unix), as the HTTP client sees it. */
export interface TcpSocket {
  /** Queues `bytes` for sending (only after `onTcpOpen`); the adapter finishes partial writes. */
  write(bytes: Uint8Array): void;
  /** Closes the socket; no event is delivered afterwards. */
  close(): void;
  /**
   * The protocol the server chose by ALPN (e.g. `"h2"`, `"http/1.1"`), set
   * before `onTcpOpen`; `null` for plain TCP and unix sockets, or when the
   * server chose none.
   */
  readonly alpnProtocol: string | null;
}

/** How to run TLS over a connection (`tlsConnect`). Certificates and keys are PEM text, not paths. */
export interface TlsConnectOptions {
  /**
   * Server name sent in SNI (never an IP address) and checked against the certificate.
   * @default {the hostname connected to}
   */
  servername?: string;
  /**
   * Trusted CA certificates (PEM), like curl's `--cacert`: instead of the
   * system roots on Bun and Node, in addition to them on Deno.
   */
  ca?: string[];
  /** Client certificate chain (PEM), sent when the server asks; needs `key`. */
  cert?: string;
  /** Private key (PEM) of `cert`. */
  key?: string;
  /** Skip certificate verification (curl's `-k`). @default {false} */
  insecure?: boolean;
  /** ALPN protocols to offer, most preferred first, e.g. `["h2", "http/1.1"]`. @default {none} */
  alpn?: string[];
}

/** Opens a TCP connection to `hostname:port`, reporting to `listener`. */
export type TcpConnectFn = (hostname: string, port: number, listener: TcpListener) => TcpSocket;

/** Opens a TLS connection to `hostname:port` (handshake included), reporting to `listener`. */
export type TlsConnectFn = (
  hostname: string,
  port: number,
  listener: TcpListener,
  tls: TlsConnectOptions,
) => TcpSocket;

/** Opens a unix domain stream socket at `path`, reporting to `listener`. */
export type UnixConnectFn = (path: string, listener: TcpListener) => TcpSocket;
