/**
 * Client sockets on Bun: `Bun.connect` (TCP, TLS with ALPN, unix) with one
 * shared handlers object; per-socket state rides on `socket.data`, so no
 * closure or promise is made per read or write.
 *
 * @module
 */
import { checkServerIdentity } from "node:tls";
import type { TcpListener, TcpSocket, TlsConnectOptions } from "../types.ts";
import { isConnectError, TlsError, toTlsError } from "../tls_error.ts";
import { alpnWireFormat, defaultServername } from "../tls_options.ts";

/** The part of a Bun TCP socket used here. */
interface BunSocket {
  data: BunTcpSocket;
  write(data: Uint8Array, byteOffset?: number, byteLength?: number): number;
  end(): void;
  terminate(): void;
  setNoDelay?(noDelay: boolean): boolean;
  alpnProtocol?: string | false | null;
  getPeerCertificate?(): unknown;
}

interface BunTlsOptions {
  rejectUnauthorized: boolean;
  serverName?: string;
  ca?: string[];
  cert?: string;
  key?: string;
  ALPNProtocols?: Uint8Array;
}

interface BunConnect {
  connect(options: {
    hostname?: string;
    port?: number;
    unix?: string;
    tls?: BunTlsOptions;
    data: BunTcpSocket;
    socket: typeof handlers;
  }): Promise<BunSocket>;
}

class BunTcpSocket implements TcpSocket {
  raw: BunSocket | null = null;
  closed = false;
  error: unknown = undefined;
  alpnProtocol: string | null = null;
  /** Whether `onTcpOpen` waits for the TLS handshake. */
  handshaking = false;
  // Bytes the kernel did not take yet (partial write); flushed on drain.
  pending: Uint8Array | null = null;
  pendingOffset = 0;

  constructor(
    readonly listener: TcpListener,
    readonly tls: TlsConnectOptions | null,
    /** The name the server certificate must match (the SNI name, else the host connected to). */
    readonly verifyName: string,
  ) {}

  write(bytes: Uint8Array): void {
    this.send(bytes, bytes.length, false);
  }

  writeTransient(buffer: Uint8Array, length: number): void {
    this.send(buffer, length, true);
  }

  /** Writes `bytes[0, length)`; what the kernel does not take is kept (a copy when `transient`). */
  private send(bytes: Uint8Array, length: number, transient: boolean): void {
    const raw = this.raw;
    if (raw === null || this.closed) return;
    if (this.pending !== null) {
      // Rare: a write while the previous one is still draining; join them.
      const rest = this.pending.subarray(this.pendingOffset);
      const joined = new Uint8Array(rest.length + length);
      joined.set(rest, 0);
      joined.set(length === bytes.length ? bytes : bytes.subarray(0, length), rest.length);
      this.pending = joined;
      this.pendingOffset = 0;
      return;
    }
    const written = raw.write(bytes, 0, length);
    if (written < length) {
      const sent = written < 0 ? 0 : written;
      this.pending = transient ? bytes.slice(sent, length) : bytes.subarray(0, length);
      this.pendingOffset = transient ? 0 : sent;
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
    let reported = error ?? this.error;
    if (this.handshaking) {
      // Anything that ends a TLS socket before its handshake completed is a TLS failure.
      reported = reported === undefined || reported === null
        ? new TlsError("TLS handshake failed: the server closed the connection")
        : isConnectError(reported)
        ? reported
        : toTlsError(reported);
    }
    this.listener.onTcpClose(this, reported);
  }

  /** Checks the handshake outcome; reports open, or fails the socket with its reason. */
  handshaken(socket: BunSocket, success: boolean, authorizationError: unknown): void {
    const tls = this.tls!;
    if (!tls.insecure) {
      let failure: unknown = success ? null : authorizationError ?? new Error("certificate verify failed");
      if (failure === null) {
        // Bun checks the chain; the name is checked here as Node does.
        const cert = socket.getPeerCertificate?.() as Parameters<typeof checkServerIdentity>[1] | undefined;
        if (cert !== undefined && cert !== null) failure = checkServerIdentity(this.verifyName, cert) ?? null;
      }
      if (failure !== null) {
        this.ended(toTlsError(failure));
        try {
          socket.terminate();
        } catch { /* already gone */ }
        return;
      }
    }
    this.handshaking = false;
    const alpn = socket.alpnProtocol;
    this.alpnProtocol = typeof alpn === "string" && alpn !== "" ? alpn : null;
    this.listener.onTcpOpen(this);
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
    if (!state.handshaking) state.listener.onTcpOpen(state);
  },
  handshake(socket: BunSocket, success: boolean, authorizationError: unknown): void {
    const state = socket.data;
    if (state.closed) {
      socket.terminate();
      return;
    }
    state.raw = socket;
    state.handshaken(socket, success, authorizationError);
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

// Bun's TLS options per `TlsConnectOptions` object and host, built once (connections reuse one options object).
const bunTlsCache = new WeakMap<TlsConnectOptions, { hostname: string; options: BunTlsOptions }>();

function bunTlsOptions(tls: TlsConnectOptions, hostname: string): BunTlsOptions {
  const cached = bunTlsCache.get(tls);
  if (cached !== undefined && cached.hostname === hostname) return cached.options;
  const servername = defaultServername(tls.servername ?? hostname);
  const options: BunTlsOptions = { rejectUnauthorized: tls.insecure !== true };
  if (servername !== "") options.serverName = servername;
  if (tls.ca !== undefined && tls.ca.length > 0) options.ca = tls.ca;
  if (tls.cert !== undefined) options.cert = tls.cert;
  if (tls.key !== undefined) options.key = tls.key;
  if (tls.alpn !== undefined && tls.alpn.length > 0) options.ALPNProtocols = alpnWireFormat(tls.alpn);
  bunTlsCache.set(tls, { hostname, options });
  return options;
}

function open(state: BunTcpSocket, options: Parameters<BunConnect["connect"]>[0]): BunTcpSocket {
  const bun = (globalThis as unknown as { Bun: BunConnect }).Bun;
  try {
    // Failures usually arrive through connectError too; `ended` reports only the first.
    bun.connect(options).catch((error) => state.ended(error));
  } catch (error) {
    // Synchronous failures (e.g. an invalid port) are reported asynchronously like the others.
    queueMicrotask(() => state.ended(error));
  }
  return state;
}

/**
 * Opens a TCP connection with `Bun.connect`; events go to `listener`.
 *
 * @example
 * ```ts
 * import { tcpConnect } from "./_connect.ts";
 * const socket = tcpConnect("127.0.0.1", 8080, {
 *   onTcpOpen: (s) => s.write(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n")),
 *   onTcpData: (_s, bytes, length) => console.log(length, bytes[0]),
 *   onTcpClose: (_s, error) => console.log("closed", error),
 * });
 * socket.close();
 * ```
 */
export function tcpConnect(hostname: string, port: number, listener: TcpListener): TcpSocket {
  const state = new BunTcpSocket(listener, null, "");
  return open(state, { hostname, port, data: state, socket: handlers });
}

/**
 * Opens a TLS connection with `Bun.connect({ tls })`; `onTcpOpen` follows the
 * handshake, with `socket.alpnProtocol` set.
 *
 * @example
 * ```ts
 * import { tlsConnect } from "./_connect.ts";
 * const socket = tlsConnect("127.0.0.1", 8443, {
 *   onTcpOpen: (s) => console.log("ALPN", s.alpnProtocol),
 *   onTcpData: () => {},
 *   onTcpClose: (_s, error) => console.log("closed", error),
 * }, { insecure: true, alpn: ["http/1.1"] });
 * socket.close();
 * ```
 */
export function tlsConnect(
  hostname: string,
  port: number,
  listener: TcpListener,
  tls: TlsConnectOptions,
): TcpSocket {
  const state = new BunTcpSocket(listener, tls, tls.servername ?? hostname);
  state.handshaking = true;
  return open(state, { hostname, port, tls: bunTlsOptions(tls, hostname), data: state, socket: handlers });
}

/**
 * Opens a unix domain socket with `Bun.connect({ unix })`.
 *
 * @example
 * ```ts
 * import { unixConnect } from "./_connect.ts";
 * const socket = unixConnect("/tmp/app.sock", {
 *   onTcpOpen: () => {},
 *   onTcpData: () => {},
 *   onTcpClose: () => {},
 * });
 * socket.close();
 * ```
 */
export function unixConnect(path: string, listener: TcpListener): TcpSocket {
  const state = new BunTcpSocket(listener, null, "");
  return open(state, { unix: path, data: state, socket: handlers });
}
