/**
 * TCP client sockets on Deno: `Deno.connect` and a read loop into one reused
 * buffer per socket. Deno's reads and writes are promises; the loop awaits one
 * read at a time and writes reuse two bound callbacks.
 *
 * @module
 */
import type { TcpListener, TcpSocket } from "../connect_types.ts";

/** The part of `Deno.Conn` used here. */
interface DenoConn {
  read(buffer: Uint8Array): Promise<number | null>;
  write(bytes: Uint8Array): Promise<number>;
  close(): void;
  setNoDelay?(noDelay?: boolean): void;
}

interface DenoConnectApi {
  connect(options: { hostname: string; port: number; transport: "tcp" }): Promise<DenoConn>;
}

const READ_BUFFER_BYTES = 64 * 1024;

class DenoTcpSocket implements TcpSocket {
  conn: DenoConn | null = null;
  closed = false;
  private readonly buffer = new Uint8Array(READ_BUFFER_BYTES);
  // Bytes being written; a partial write continues from `writeOffset`.
  private writing: Uint8Array | null = null;
  private writeOffset = 0;
  private queued: Uint8Array | null = null;
  private readonly onWritten = (n: number): void => this.written(n);
  private readonly onFailed = (error: unknown): void => this.ended(error);

  constructor(readonly listener: TcpListener) {}

  start(hostname: string, port: number): void {
    const deno = (globalThis as unknown as { Deno: DenoConnectApi }).Deno;
    deno.connect({ hostname, port, transport: "tcp" }).then((conn) => {
      if (this.closed) {
        conn.close();
        return;
      }
      this.conn = conn;
      try {
        conn.setNoDelay?.(true);
      } catch { /* not supported */ }
      this.listener.onTcpOpen(this);
      if (!this.closed) this.readLoop(conn);
    }, this.onFailed);
  }

  private async readLoop(conn: DenoConn): Promise<void> {
    const buffer = this.buffer;
    try {
      while (true) {
        const n = await conn.read(buffer);
        if (this.closed) return;
        if (n === null) {
          this.ended(undefined);
          return;
        }
        this.listener.onTcpData(this, buffer, n);
        if (this.closed) return;
      }
    } catch (error) {
      this.ended(error);
    }
  }

  write(bytes: Uint8Array): void {
    const conn = this.conn;
    if (conn === null || this.closed) return;
    if (this.writing !== null) {
      // A write is still under way: append (rare; the HTTP client sends one request at a time).
      if (this.queued === null) this.queued = bytes;
      else {
        const joined = new Uint8Array(this.queued.length + bytes.length);
        joined.set(this.queued, 0);
        joined.set(bytes, this.queued.length);
        this.queued = joined;
      }
      return;
    }
    this.writing = bytes;
    this.writeOffset = 0;
    conn.write(bytes).then(this.onWritten, this.onFailed);
  }

  private written(n: number): void {
    const conn = this.conn;
    const bytes = this.writing;
    if (this.closed || conn === null || bytes === null) return;
    this.writeOffset += n;
    if (this.writeOffset < bytes.length) {
      conn.write(bytes.subarray(this.writeOffset)).then(this.onWritten, this.onFailed);
      return;
    }
    this.writing = null;
    const next = this.queued;
    if (next !== null) {
      this.queued = null;
      this.write(next);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.release();
  }

  /** Reports the close to the listener once, unless the owner closed first. */
  ended(error: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.release();
    this.listener.onTcpClose(this, error);
  }

  private release(): void {
    this.writing = null;
    this.queued = null;
    try {
      this.conn?.close();
    } catch { /* already closed */ }
    this.conn = null;
  }
}

/**
 * Opens a TCP connection with `Deno.connect`; events go to `listener`.
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
  const socket = new DenoTcpSocket(listener);
  socket.start(hostname, port);
  return socket;
}
