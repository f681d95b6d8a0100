/**
 * One WebSocket client connection on lunge's own sockets (TCP or TLS from
 * `src/runtime/connect.ts`): the opening handshake, masked frames out, the
 * strict frame parser in, pings answered with pongs, and the close handshake.
 * A message costs one frame encoding into a buffer kept per connection and
 * one socket write; what arrives is counted as it streams.
 *
 * @module
 */
import { ErrorKind } from "../../collector/types.ts";
import type { TcpListener, TcpSocket, TlsConnectOptions } from "../../runtime/connect.ts";
import { system } from "../../runtime/mod.ts";
import { classifyError } from "../errors.ts";
import { errorMessage } from "../failure_message.ts";
import { openSocket } from "../socket_opener.ts";
import { FrameParser, type FrameSink } from "./frame_parser.ts";
import { closePayload, encodeFrame, frameLength, Opcode } from "./frame_writer.ts";
import { HandshakeReader, handshakeRequest, newHandshakeKey, offeredProtocols } from "./handshake.ts";

/**
 * How a connection ended, as `onWsEnd` reports it.
 *
 * @example
 * ```ts
 * import { WsEnd } from "./ws_connection.ts";
 * WsEnd.PeerClosed; // 1
 * ```
 */
export const WsEnd = {
  /** The close handshake lunge started has completed. */
  Closed: 0,
  /** The server closed: a close frame (its code), or the socket without one (code 1006). */
  PeerClosed: 1,
  /** The server did not accept the upgrade (status, or a wrong answer). */
  HandshakeRefused: 2,
  /** The server broke the framing. */
  Protocol: 3,
  /** The socket failed: refused, reset, TLS, DNS (`errorKind` says which). */
  Transport: 4,
} as const;

/** Where a WebSocket URL leads: the socket to open and the request line's parts. */
export interface WsEndpoint {
  /** Host to connect to (IPv6 without brackets). */
  readonly hostname: string;
  /** Port to connect to. */
  readonly port: number;
  /** TLS settings for wss://, null for ws://. */
  readonly tls: TlsConnectOptions | null;
  /** Always null (WebSocket over a unix socket is not offered). */
  readonly unixSocket: null;
  /** The Host header's value. */
  readonly host: string;
  /** Path and query of the request line. */
  readonly path: string;
  /** Extra handshake headers (e.g. Authorization, Origin). */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Reads a `ws://` or `wss://` URL into an endpoint; throws a `TypeError` naming what is wrong.
 *
 * @example
 * ```ts
 * import { wsEndpoint } from "./ws_connection.ts";
 * wsEndpoint("ws://127.0.0.1:9000/chat?room=1", {}, null).path; // "/chat?room=1"
 * ```
 */
export function wsEndpoint(
  url: string,
  headers: Readonly<Record<string, string>>,
  tls: TlsConnectOptions | null,
): WsEndpoint {
  const u = new URL(url);
  if (u.protocol !== "ws:" && u.protocol !== "wss:") throw new TypeError(`not a ws:// or wss:// URL: ${url}`);
  const secure = u.protocol === "wss:";
  const hostname = u.hostname.startsWith("[") ? u.hostname.slice(1, -1) : u.hostname;
  const port = u.port === "" ? (secure ? 443 : 80) : Number(u.port);
  const ipLiteral = /^[\d.]+$/.test(hostname) || hostname.includes(":");
  return {
    hostname,
    port,
    tls: secure ? { ...(ipLiteral ? {} : { servername: hostname }), ...(tls ?? {}) } : null,
    unixSocket: null,
    host: u.host,
    path: (u.pathname || "/") + u.search,
    headers,
  };
}

/** What a connection tells its owner. */
export interface WsListener {
  /** The handshake completed; `conn.handshakeMs` is its time from the connect. */
  onWsOpen(conn: WsConnection): void;
  /** A whole message arrived (`payload` only when the connection keeps payloads; valid during the call). */
  onWsMessage(conn: WsConnection, binary: boolean, length: number, payload: Uint8Array | null): void;
  /**
   * The connection ended (never after the owner's `drop()`): `end` is a `WsEnd`; `detail`
   * says why, `status` is the handshake's HTTP status when refused, `closeCode` the close frame's code.
   */
  onWsEnd(conn: WsConnection, end: number, detail: string, status: number, closeCode: number): void;
}

/** Limits and options of a connection. */
export interface WsConnectionOptions {
  /** Largest message (and frame) accepted, in bytes. */
  maxMessageBytes: number;
  /** Whether whole message payloads are handed to `onWsMessage` (scenarios), or only counted. */
  keepPayloads: boolean;
  /** How long to wait for the server's close frame after sending ours, ms. */
  closeTimeoutMs?: number;
  /** The clock of `handshakeMs`. */
  now?: () => number;
}

const NO_BYTES = new Uint8Array(0);
const STATE_IDLE = 0;
const STATE_CONNECTING = 1;
const STATE_OPEN = 2;
const STATE_CLOSING = 3;

/**
 * A WebSocket client connection; `open()` connects, `send()` sends a message once open.
 *
 * @example
 * ```ts
 * import { WsConnection, wsEndpoint } from "./ws_connection.ts";
 * const conn = new WsConnection(wsEndpoint("ws://127.0.0.1:9000/", {}, null), {
 *   onWsOpen: (c) => c.send(new TextEncoder().encode("hi"), false),
 *   onWsMessage: (c, _binary, length) => { console.log(length); c.close(1000); },
 *   onWsEnd: () => {},
 * }, { maxMessageBytes: 1 << 24, keepPayloads: false });
 * conn.open();
 * ```
 */
export class WsConnection implements TcpListener, FrameSink {
  readonly #endpoint: WsEndpoint;
  readonly #listener: WsListener;
  readonly #parser: FrameParser;
  readonly #now: () => number;
  readonly #closeTimeoutMs: number;
  readonly #protocols: readonly string[];
  #socket: TcpSocket | null = null;
  #state = STATE_IDLE;
  #handshake: HandshakeReader | null = null;
  #key = "";
  #connectAt = 0;
  /** The frame buffer of the messages, made on the first send (an idle connection keeps none). */
  #out: Uint8Array = NO_BYTES;
  #outView: Uint8Array = NO_BYTES;
  #closeTimer: ReturnType<typeof setTimeout> | null = null;
  /** Handshake time of the current connection, ms (connect to the validated 101). */
  handshakeMs = 0;
  /** Messages sent and their payload bytes, over every socket of this connection. */
  messagesSent = 0;
  bytesSent = 0;
  /** Messages received (whole, after reassembly) and their payload bytes. */
  messagesReceived = 0;
  bytesReceived = 0;
  /** Pings answered with a pong. */
  pongsSent = 0;
  /** Sockets opened (the first and every reconnect). */
  connects = 0;

  constructor(endpoint: WsEndpoint, listener: WsListener, options: WsConnectionOptions) {
    this.#endpoint = endpoint;
    this.#listener = listener;
    this.#parser = new FrameParser(this, {
      maxMessageBytes: options.maxMessageBytes,
      keepPayloads: options.keepPayloads,
    });
    this.#now = options.now ?? (() => performance.now());
    this.#closeTimeoutMs = options.closeTimeoutMs ?? 1000;
    this.#protocols = offeredProtocols(endpoint.headers);
  }

  /** Whether the handshake is done and messages may be sent. */
  get isOpen(): boolean {
    return this.#state === STATE_OPEN;
  }

  /** Whether a socket is open or opening (connecting, handshaking, open or closing). */
  get isActive(): boolean {
    return this.#state !== STATE_IDLE;
  }

  /** Connects and starts the handshake; `onWsOpen` or `onWsEnd` follows. No-op unless idle. */
  open(): void {
    if (this.#state !== STATE_IDLE) return;
    this.#state = STATE_CONNECTING;
    this.connects++;
    this.#key = newHandshakeKey();
    this.#handshake = new HandshakeReader(this.#key, this.#protocols);
    this.#parser.reset();
    this.#connectAt = this.#now();
    this.#socket = openSocket(this.#endpoint, this);
  }

  /** Sends one message (a text message's `payload` must be UTF-8); false when not open. */
  send(payload: Uint8Array, binary: boolean): boolean {
    if (this.#state !== STATE_OPEN) return false;
    const length = payload.length;
    const need = frameLength(length);
    if (this.#out.length < need) this.#out = new Uint8Array(Math.max(need, 64, this.#out.length * 2));
    const n = encodeFrame(this.#out, binary ? Opcode.Binary : Opcode.Text, payload, length);
    this.messagesSent++;
    this.bytesSent += length;
    // The same message again (the usual loop): the view of the last frame is reused, no allocation.
    let view = this.#outView;
    if (view.buffer !== this.#out.buffer || view.length !== n) {
      view = this.#outView = this.#out.subarray(0, n);
    }
    this.#socket!.write(view);
    return true;
  }

  /**
   * Starts the close handshake with `code`: the close frame goes out, the socket
   * closes when the server's close frame comes back (or after the close timeout);
   * `onWsEnd(Closed)` follows. An unopened connection is simply dropped.
   */
  close(code = 1000, reason = ""): void {
    if (this.#state !== STATE_OPEN) {
      this.drop();
      return;
    }
    this.#state = STATE_CLOSING;
    const payload = closePayload(code, reason);
    this.#writeControl(Opcode.Close, payload, payload.length);
    this.#closeTimer = setTimeout(() => {
      this.#closeTimer = null;
      if (this.#state === STATE_CLOSING) {
        this.#end(WsEnd.Closed, "no close frame from the server in time", 0, 1006);
      }
    }, this.#closeTimeoutMs);
    system.unrefTimer(this.#closeTimer);
  }

  /** Closes the socket at once; nothing is reported. */
  drop(): void {
    if (this.#closeTimer !== null) clearTimeout(this.#closeTimer);
    this.#closeTimer = null;
    const socket = this.#socket;
    this.#socket = null;
    this.#state = STATE_IDLE;
    socket?.close();
  }

  /** @internal */
  onTcpOpen(socket: TcpSocket): void {
    if (socket !== this.#socket) return;
    const e = this.#endpoint;
    socket.write(handshakeRequest(e.host, e.path, this.#key, e.headers));
  }

  /** @internal */
  onTcpData(socket: TcpSocket, bytes: Uint8Array, length: number): void {
    if (socket !== this.#socket) return;
    let at = 0;
    if (this.#state === STATE_CONNECTING) {
      const reader = this.#handshake!;
      at = reader.feed(bytes, 0, length);
      if (at === -1) return;
      if (at === -2) {
        const refusal = reader.refusal!;
        this.#end(WsEnd.HandshakeRefused, refusal.cause, refusal.status, 0);
        return;
      }
      this.#handshake = null;
      this.#state = STATE_OPEN;
      this.handshakeMs = this.#now() - this.#connectAt;
      this.#listener.onWsOpen(this);
      if (this.#socket !== socket) return; // the owner dropped it
    }
    if (at < length && !this.#parser.feed(bytes, at, length) && this.#socket === socket) {
      this.#end(WsEnd.Protocol, this.#parser.error, 0, 1002);
    }
  }

  /** @internal */
  onTcpClose(socket: TcpSocket, error: unknown): void {
    if (socket !== this.#socket) return;
    this.#socket = null;
    const state = this.#state;
    if (error !== undefined && error !== null) {
      this.#end(WsEnd.Transport, errorMessage(error), 0, 1006, classifyError(error));
    } else if (state === STATE_CONNECTING) {
      this.#end(WsEnd.HandshakeRefused, "handshake refused: connection closed before the answer", 0, 1006);
    } else if (this.#parser.midFrame) {
      this.#end(WsEnd.Protocol, "truncated frame: connection closed in the middle of a frame", 0, 1006);
    } else if (state === STATE_CLOSING) {
      this.#end(WsEnd.Closed, "", 0, 1006);
    } else {
      this.#end(WsEnd.PeerClosed, "connection closed by the server without a close frame", 0, 1006);
    }
  }

  /** @internal A whole message from the parser. */
  onWsMessage(binary: boolean, length: number, payload: Uint8Array | null): void {
    this.messagesReceived++;
    this.bytesReceived += length;
    this.#listener.onWsMessage(this, binary, length, payload);
  }

  /** @internal */
  onWsPing(payload: Uint8Array, length: number): void {
    if (this.#state !== STATE_OPEN) return;
    this.pongsSent++;
    this.#writeControl(Opcode.Pong, payload, length);
  }

  /** @internal */
  onWsClose(code: number, reason: string): void {
    if (this.#state === STATE_CLOSING) {
      this.#end(WsEnd.Closed, "", 0, code);
      return;
    }
    // The server started the close: answer with its code (§5.5.1), then leave the socket to the
    // server to close (§7.1.1); the connection itself is over and may open a new socket.
    this.#writeControl(Opcode.Close, closePayload(code === 1005 ? 1000 : code, ""), 2);
    const detail = `closed by the server with code ${code}${reason === "" ? "" : ` (${reason})`}`;
    this.#linger();
    this.#end(WsEnd.PeerClosed, detail, 0, code);
  }

  /** Detaches the socket and closes it after the close timeout unless the server closes it first. */
  #linger(): void {
    const socket = this.#socket;
    if (socket === null) return;
    this.#socket = null;
    const timer = setTimeout(() => socket.close(), this.#closeTimeoutMs);
    system.unrefTimer(timer);
  }

  /** Control frames are rare: each gets its own buffer, so a pending message write is never overwritten. */
  #writeControl(opcode: number, payload: Uint8Array, length: number): void {
    const frame = new Uint8Array(frameLength(length));
    encodeFrame(frame, opcode, payload, length);
    this.#socket?.write(frame);
  }

  #end(
    end: number,
    detail: string,
    status: number,
    closeCode: number,
    errorKind: number = ErrorKind.None,
  ): void {
    this.lastErrorKind = errorKind;
    this.drop();
    this.#listener.onWsEnd(this, end, detail, status, closeCode);
  }

  /** The `ErrorKind` of the last transport failure (`WsEnd.Transport`). */
  lastErrorKind: number = ErrorKind.None;
}
