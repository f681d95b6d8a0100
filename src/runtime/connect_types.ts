/**
 * Shapes shared by the TCP client adapters in `src/runtime/<rt>/connect.ts`.
 * The adapters deliver socket events to one long-lived listener object (no
 * closure or promise per read on Bun and Node) so that a keep-alive client can
 * run without allocating per request.
 *
 * @module
 */

/** Receives the events of the sockets it opened. */
export interface TcpListener {
  /** The connection is established; writes may start. */
  onTcpOpen(socket: TcpSocket): void;
  /**
   * Bytes arrived: `bytes[0, length)`. The bytes are only valid during the
   * call (the adapter may reuse the buffer).
   */
  onTcpData(socket: TcpSocket, bytes: Uint8Array, length: number): void;
  /**
   * The socket closed by itself: the peer closed it (`error` undefined), it
   * failed, or it could not connect (`error` set). Called at most once, and
   * never after the owner called `close()`.
   */
  onTcpClose(socket: TcpSocket, error: unknown): void;
}

/** A client TCP socket, as the HTTP client sees it. */
export interface TcpSocket {
  /** Queues `bytes` for sending (only after `onTcpOpen`); the adapter finishes partial writes. */
  write(bytes: Uint8Array): void;
  /** Closes the socket; no event is delivered afterwards. */
  close(): void;
}

/** Opens a TCP connection to `hostname:port`, reporting to `listener`. */
export type TcpConnectFn = (hostname: string, port: number, listener: TcpListener) => TcpSocket;
