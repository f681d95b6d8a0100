/**
 * Client sockets on Deno: `Deno.connect` (TCP, unix) and `Deno.startTls`
 * (TLS with ALPN), with a read loop per socket. Deno's reads and writes are
 * promises; the loop awaits one read at a time and writes reuse two bound
 * callbacks.
 *
 * Memory: every socket has a read pending at all times, and Deno writes into
 * that read's buffer when data arrives, so buffers cannot be shared between
 * sockets. A socket starts with a small buffer and moves to a larger one only
 * when a read fills it (large responses), which keeps 10,000 idle keep-alive
 * connections small.
 *
 * @module
 */
import type { TcpListener, TcpSocket, TlsConnectOptions } from "../types.ts";
import { isConnectError, TlsError, toTlsError } from "../tls_error.ts";
import { loadLibc } from "./_epoll_libc.ts";
import { epollConnect } from "./_epoll_socket.ts";

/** The part of `Deno.Conn` used here. */
interface DenoConn {
  read(buffer: Uint8Array): Promise<number | null>;
  write(bytes: Uint8Array): Promise<number>;
  close(): void;
  setNoDelay?(noDelay?: boolean): void;
  handshake?(): Promise<{ alpnProtocol: string | null }>;
}

interface DenoConnectApi {
  connect(
    options: { hostname: string; port: number; transport: "tcp" } | { path: string; transport: "unix" },
  ): Promise<DenoConn>;
  connectTls(options: {
    hostname: string;
    port: number;
    caCerts?: string[];
    alpnProtocols?: string[];
    cert?: string;
    key?: string;
  }): Promise<DenoConn>;
  startTls(conn: DenoConn, options: {
    hostname: string;
    caCerts?: string[];
    alpnProtocols?: string[];
    cert?: string;
    key?: string;
  }): Promise<DenoConn>;
}

/** First read buffer of a socket: enough for typical small responses (10,000 sockets: 5 MiB). */
const SMALL_READ_BYTES = 512;
/** Buffer sizes a socket grows through when reads fill its buffer. */
const LARGER_READ_BYTES = [4 * 1024, 64 * 1024];

function deno(): DenoConnectApi {
  return (globalThis as unknown as { Deno: DenoConnectApi }).Deno;
}

class DenoTcpSocket implements TcpSocket {
  conn: DenoConn | null = null;
  closed = false;
  alpnProtocol: string | null = null;
  private buffer = new Uint8Array(SMALL_READ_BYTES);
  private grown = 0;
  private handshaking = false;
  // Bytes being written; a partial write continues from `writeOffset`.
  private writing: Uint8Array | null = null;
  private writeOffset = 0;
  private queued: Uint8Array | null = null;
  private readonly onWritten = (n: number): void => this.written(n);
  private readonly onFailed = (error: unknown): void => this.ended(error);

  constructor(readonly listener: TcpListener) {}

  /** Starts plain (TCP or unix): `connecting` resolves to the open connection. */
  start(connecting: Promise<DenoConn>, noDelay: boolean): void {
    connecting.then((conn) => {
      if (this.closed) {
        conn.close();
        return;
      }
      if (noDelay) {
        try {
          conn.setNoDelay?.(true);
        } catch { /* not supported */ }
      }
      this.opened(conn);
    }, this.onFailed);
  }

  /**
   * Starts TLS: connects over TCP, then runs the handshake before reporting
   * open. `Deno.startTls` takes a server name apart from the address but no
   * client certificate, so with a client certificate `Deno.connectTls` is
   * used (the front file sends a client certificate with another server name
   * to node:tls).
   */
  startTls(hostname: string, port: number, tls: TlsConnectOptions): void {
    this.handshaking = true;
    const api = deno();
    if (tls.cert !== undefined) {
      this.handshakeThen(api.connectTls({ ...startTlsOptions(tls, hostname), port }));
      return;
    }
    api.connect({ hostname, port, transport: "tcp" }).then(async (tcp) => {
      if (this.closed) {
        tcp.close();
        return;
      }
      try {
        tcp.setNoDelay?.(true);
      } catch { /* not supported */ }
      let conn: DenoConn;
      let alpn: string | null;
      try {
        conn = await api.startTls(tcp, startTlsOptions(tls, hostname));
        alpn = (await conn.handshake?.())?.alpnProtocol ?? null;
      } catch (error) {
        try {
          tcp.close();
        } catch { /* already closed */ }
        this.ended(toTlsError(error));
        return;
      }
      this.secured(conn, alpn);
    }, this.onFailed);
  }

  private handshakeThen(connecting: Promise<DenoConn>): void {
    connecting.then(async (conn) => {
      let alpn: string | null;
      try {
        alpn = (await conn.handshake?.())?.alpnProtocol ?? null;
      } catch (error) {
        try {
          conn.close();
        } catch { /* already closed */ }
        this.ended(isConnectError(error) ? error : toTlsError(error));
        return;
      }
      this.secured(conn, alpn);
    }, (error) => this.ended(isConnectError(error) ? error : toTlsError(error)));
  }

  private secured(conn: DenoConn, alpn: string | null): void {
    if (this.closed) {
      conn.close();
      return;
    }
    this.handshaking = false;
    this.alpnProtocol = alpn;
    this.opened(conn);
  }

  private opened(conn: DenoConn): void {
    this.conn = conn;
    this.listener.onTcpOpen(this);
    if (!this.closed) this.readLoop(conn);
  }

  private async readLoop(conn: DenoConn): Promise<void> {
    try {
      while (true) {
        const buffer = this.buffer;
        const n = await conn.read(buffer);
        if (this.closed) return;
        if (n === null) {
          this.ended(undefined);
          return;
        }
        this.listener.onTcpData(this, buffer, n);
        if (this.closed) return;
        // A full buffer means more was waiting: read bigger from now on.
        if (n === buffer.length && this.grown < LARGER_READ_BYTES.length) {
          this.buffer = new Uint8Array(LARGER_READ_BYTES[this.grown++]);
        }
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

  writeTransient(buffer: Uint8Array, length: number): void {
    // Deno's writes are promises that read the bytes later: a copy is the only safe way.
    if (this.conn !== null && !this.closed) this.write(buffer.slice(0, length));
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
    if (this.handshaking && !(error instanceof TlsError)) {
      // A TCP connect failure (refused, DNS) is not a TLS failure; it stays as it is.
      error ??= new TlsError("TLS handshake failed: the server closed the connection");
    }
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

// Deno's startTls options per `TlsConnectOptions` object and host, built once.
const tlsCache = new WeakMap<
  TlsConnectOptions,
  { hostname: string; options: Parameters<DenoConnectApi["startTls"]>[1] }
>();

function startTlsOptions(
  tls: TlsConnectOptions,
  hostname: string,
): Parameters<DenoConnectApi["startTls"]>[1] {
  const cached = tlsCache.get(tls);
  if (cached !== undefined && cached.hostname === hostname) return cached.options;
  // rustls sends no SNI for an IP address and checks the certificate against this name.
  const options: Parameters<DenoConnectApi["startTls"]>[1] = { hostname: tls.servername ?? hostname };
  if (tls.ca !== undefined && tls.ca.length > 0) options.caCerts = tls.ca;
  if (tls.alpn !== undefined && tls.alpn.length > 0) options.alpnProtocols = tls.alpn;
  if (tls.cert !== undefined) options.cert = tls.cert;
  if (tls.key !== undefined) options.key = tls.key;
  tlsCache.set(tls, { hostname, options });
  return options;
}

/** `LUNGE_DENO_SOCKETS`: "deno" or "epoll" for every connection, or "" for the default. */
let socketsChoice: string | undefined;
/** Whether this thread's load is paced (see `preferSocketsForPacedLoad`). */
let pacedLoad = false;

/**
 * Makes plain TCP opened from now on in this thread go over `Deno.connect` when `paced` (an open-model
 * load), over epoll otherwise. The epoll loop waits on a helper thread and hands each wake-up back (a
 * futex and an eventfd write per wait): cheaper when a wait returns many events (a saturating closed
 * model), dearer when it returns one or two, as in a paced load (at 1000-10,000 req/s, `-w 1`, it cost
 * 15-35% more CPU here). `LUNGE_DENO_SOCKETS` overrides both.
 *
 * @example
 * ```ts
 * import { preferSocketsForPacedLoad } from "./_connect.ts";
 * preferSocketsForPacedLoad(true);
 * ```
 */
export function preferSocketsForPacedLoad(paced: boolean): void {
  pacedLoad = paced;
}

function useEpoll(): boolean {
  if (socketsChoice === undefined) {
    try {
      socketsChoice =
        (globalThis as unknown as { Deno: { env: { get(n: string): string | undefined } } }).Deno
          .env.get("LUNGE_DENO_SOCKETS") ?? "";
    } catch {
      socketsChoice = ""; // no env permission: the default
    }
  }
  if (socketsChoice === "deno") return false;
  if (socketsChoice === "epoll") return true;
  return !pacedLoad;
}

/**
 * Opens a TCP connection; events go to `listener`. To an IPv4 address on
 * Linux with FFI allowed, for a load that is not paced, it runs over epoll
 * (`_epoll_socket.ts`: a fraction of the memory per socket and no promise per
 * request); otherwise over `Deno.connect`. `LUNGE_DENO_SOCKETS=deno|epoll`
 * picks one for every connection.
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
  if (useEpoll()) {
    const libc = loadLibc();
    const socket = libc === null ? null : epollConnect(libc, hostname, port, listener);
    if (socket !== null) return socket;
  }
  const socket = new DenoTcpSocket(listener);
  socket.start(deno().connect({ hostname, port, transport: "tcp" }), true);
  return socket;
}

/**
 * Opens a TLS connection with `Deno.connect` and `Deno.startTls` (which
 * verifies the certificate; `insecure` is not available here, see the front
 * file); `onTcpOpen` follows the handshake, with `socket.alpnProtocol` set.
 *
 * @example
 * ```ts
 * import { tlsConnect } from "./_connect.ts";
 * const socket = tlsConnect("127.0.0.1", 8443, {
 *   onTcpOpen: (s) => console.log("ALPN", s.alpnProtocol),
 *   onTcpData: () => {},
 *   onTcpClose: (_s, error) => console.log("closed", error),
 * }, { ca: [], alpn: ["http/1.1"] });
 * socket.close();
 * ```
 */
export function tlsConnect(
  hostname: string,
  port: number,
  listener: TcpListener,
  tls: TlsConnectOptions,
): TcpSocket {
  const socket = new DenoTcpSocket(listener);
  socket.startTls(hostname, port, tls);
  return socket;
}

/**
 * Opens a unix domain socket with `Deno.connect({ transport: "unix" })`.
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
  const socket = new DenoTcpSocket(listener);
  socket.start(deno().connect({ path, transport: "unix" }), false);
  return socket;
}
