/**
 * TCP client sockets on Bun: `Bun.connect` with one shared handlers object;
 * per-socket state rides on `socket.data`, so no closure or promise is made
 * per read or write.
 *
 * @module
 */
import type { TcpListener, TcpSocket } from "../connect_types.ts";

/** The part of a Bun TCP socket used here. */
interface BunSocket {
  data: BunTcpSocket;
  write(data: Uint8Array, byteOffset?: number, byteLength?: number): number;
  end(): void;
  terminate(): void;
  setNoDelay?(noDelay: boolean): boolean;
}

interface BunConnect {
  connect(options: {
    hostname: string;
    port: number;
    data: BunTcpSocket;
    socket: typeof handlers;
  }): Promise<BunSocket>;
}

class BunTcpSocket implements TcpSocket {
  raw: BunSocket | null = null;
  closed = false;
  error: unknown = undefined;
  // Bytes the kernel did not take yet (partial write); flushed on drain.
  pending: Uint8Array | null = null;
  pendingOffset = 0;

  constructor(readonly listener: TcpListener) {}

  write(bytes: Uint8Array): void {
    const raw = this.raw;
    if (raw === null || this.closed) return;
    if (this.pending !== null) {
      // Rare: a write while the previous one is still draining; join them.
      const rest = this.pending.subarray(this.pendingOffset);
      const joined = new Uint8Array(rest.length + bytes.length);
      joined.set(rest, 0);
      joined.set(bytes, rest.length);
      this.pending = joined;
      this.pendingOffset = 0;
      return;
    }
    const written = raw.write(bytes);
    if (written < bytes.length) {
      this.pending = bytes;
      this.pendingOffset = written < 0 ? 0 : written;
    }
  }

  flush(): void {
    const raw = this.raw;
    const pending = this.pending;
    if (raw === null || pending === null) return;
    const written = raw.write(pending, this.pendingOffset, pending.length - this.pendingOffset);
    if (written > 0) this.pendingOffset += written;
    if (this.pendingOffset >= pending.length) {
      this.pending = null;
      this.pendingOffset = 0;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = null;
    // terminate() closes at once (no lingering FIN handshake) and is safe on a dead socket.
    try {
      this.raw?.terminate();
    } catch { /* already gone */ }
  }

  /** Reports the close to the listener once, unless the owner closed first. */
  ended(error: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = null;
    this.listener.onTcpClose(this, error ?? this.error);
  }
}

const handlers = {
  open(socket: BunSocket): void {
    const state = socket.data;
    if (state.closed) {
      socket.terminate();
      return;
    }
    state.raw = socket;
    socket.setNoDelay?.(true);
    state.listener.onTcpOpen(state);
  },
  data(socket: BunSocket, bytes: Uint8Array): void {
    const state = socket.data;
    if (!state.closed) state.listener.onTcpData(state, bytes, bytes.length);
  },
  drain(socket: BunSocket): void {
    socket.data.flush();
  },
  end(socket: BunSocket): void {
    // The peer half-closed; we never half-close, so close our side too.
    socket.data.ended(undefined);
    socket.terminate();
  },
  error(socket: BunSocket, error: unknown): void {
    socket.data.error = error;
  },
  close(socket: BunSocket, error?: unknown): void {
    socket.data.ended(error);
  },
  connectError(socket: BunSocket, error: unknown): void {
    socket.data.ended(error);
  },
};

/**
 * Opens a TCP connection with `Bun.connect`; events go to `listener`.
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
  const state = new BunTcpSocket(listener);
  const bun = (globalThis as unknown as { Bun: BunConnect }).Bun;
  try {
    // Failures usually arrive through connectError too; `ended` reports only the first.
    bun.connect({ hostname, port, data: state, socket: handlers }).catch((error) => state.ended(error));
  } catch (error) {
    // Synchronous failures (e.g. an invalid port) are reported asynchronously like the others.
    queueMicrotask(() => state.ended(error));
  }
  return state;
}
