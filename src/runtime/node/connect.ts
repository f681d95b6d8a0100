/**
 * Client sockets on Node: `node:net` (TCP, unix) and `node:tls` sockets with
 * listeners bound once per socket. Deno also uses the TLS path here for
 * `insecure` connections, which `Deno.connectTls` cannot make.
 *
 * @module
 */
import net from "node:net";
import tls from "node:tls";
import type { TcpListener, TcpSocket, TlsConnectOptions } from "../types.ts";
import { isConnectError, TlsError, toTlsError } from "../tls_error.ts";
import { defaultServername } from "../tls_options.ts";

class NodeTcpSocket implements TcpSocket {
  closed = false;
  alpnProtocol: string | null = null;
  private error: unknown = undefined;
  private handshaking: boolean;

  constructor(readonly listener: TcpListener, private readonly raw: net.Socket, secure: boolean) {
    this.handshaking = secure;
    raw.on(secure ? "secureConnect" : "connect", () => {
      if (this.closed) return;
      this.handshaking = false;
      const alpn = (raw as tls.TLSSocket).alpnProtocol;
      this.alpnProtocol = typeof alpn === "string" && alpn !== "" ? alpn : null;
      listener.onTcpOpen(this);
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

  writeTransient(buffer: Uint8Array, length: number): void {
    // node:net keeps what it is given until sent: a copy.
    if (!this.closed) this.raw.write(buffer.slice(0, length));
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
    if (this.handshaking) {
      // Anything that ends a TLS socket before its handshake completed is a TLS failure.
      error = error === undefined || error === null
        ? new TlsError("TLS handshake failed: the server closed the connection")
        : isConnectError(error)
        ? error
        : toTlsError(error);
    }
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
  return new NodeTcpSocket(listener, net.connect({ host: hostname, port, noDelay: true }), false);
}

// One secure context per options object: building one parses every certificate, too slow per connection.
const contexts = new WeakMap<TlsConnectOptions, tls.SecureContext>();

function secureContext(options: TlsConnectOptions): tls.SecureContext {
  let context = contexts.get(options);
  if (context === undefined) {
    context = tls.createSecureContext({
      ca: options.ca !== undefined && options.ca.length > 0 ? options.ca : undefined,
      cert: options.cert,
      key: options.key,
    });
    contexts.set(options, context);
  }
  return context;
}

/**
 * Opens a TLS connection with `node:tls`; `onTcpOpen` follows the handshake,
 * with `socket.alpnProtocol` set.
 *
 * @example
 * ```ts
 * import { tlsConnect } from "./connect.ts";
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
  options: TlsConnectOptions,
): TcpSocket {
  const servername = defaultServername(options.servername ?? hostname);
  const verifyName = options.servername ?? hostname;
  const raw = tls.connect({
    host: hostname,
    port,
    servername: servername === "" ? undefined : servername,
    rejectUnauthorized: options.insecure !== true,
    secureContext: secureContext(options),
    ALPNProtocols: options.alpn,
    checkServerIdentity: (_host, cert) => tls.checkServerIdentity(verifyName, cert),
  });
  raw.setNoDelay(true);
  return new NodeTcpSocket(listener, raw, true);
}

/**
 * Opens a unix domain socket with `node:net`.
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
export function unixConnect(path: string, listener: TcpListener): TcpSocket {
  return new NodeTcpSocket(listener, net.connect({ path }), false);
}
