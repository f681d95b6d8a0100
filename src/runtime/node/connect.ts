/**
 * TCP client sockets on Node: `node:net` sockets with listeners bound once
 * per socket.
 *
 * @module
 */
import net from "node:net";
import type { TcpListener, TcpSocket } from "../connect_types.ts";

class NodeTcpSocket implements TcpSocket {
  closed = false;
  private error: unknown = undefined;
  private readonly raw: net.Socket;

  constructor(readonly listener: TcpListener, hostname: string, port: number) {
    const raw = net.connect({ host: hostname, port, noDelay: true });
    this.raw = raw;
    raw.on("connect", () => {
      if (!this.closed) listener.onTcpOpen(this);
    });
    raw.on("data", (bytes: Uint8Array) => {
      if (!this.closed) listener.onTcpData(this, bytes, bytes.length);
    });
    raw.on("error", (error: unknown) => {
      this.error = error;
    });
    raw.on("close", () => this.ended(this.error));
  }

  write(bytes: Uint8Array): void {
    if (!this.closed) this.raw.write(bytes);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.raw.destroy();
  }

  private ended(error: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.raw.destroy();
    this.listener.onTcpClose(this, error);
  }
}

/**
 * Opens a TCP connection with `node:net`; events go to `listener`.
 *
 * @example
 * ```ts
 * import { tcpConnect } from "./connect.ts";
 * const socket = tcpConnect("127.0.0.1", 8080, {
 *   onTcpOpen: (s) => s.write(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n")),
 *   onTcpData: (_s, bytes, length) => console.log(length, bytes[0]),
 *   onTcpClose: (_s, error) => console.log("closed", error),
 * });
 * socket.close();
 * ```
 */
export function tcpConnect(hostname: string, port: number, listener: TcpListener): TcpSocket {
  return new NodeTcpSocket(listener, hostname, port);
}
