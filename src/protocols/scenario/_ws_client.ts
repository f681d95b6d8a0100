/**
 * `ctx.ws` of one virtual user: WebSocket connections on lunge's own client
 * (`src/http/ws/`), with each step recorded under a metrics name: the
 * handshake as `<name> connect`, each message awaited with `next()` as
 * `<name> message` (its round trip from the last `send()`). Messages that
 * arrive while nobody waits are queued (up to a bound) for the next `next()`.
 *
 * @module
 */
import { ErrorKind } from "../../collector/types.ts";
import { WsConnection, WsEnd, wsEndpoint, type WsListener } from "../../http/ws/ws_connection.ts";
import type { RequestRecorder } from "./_http_client.ts";
import type { ScenarioWebSocket, WsClient, WsConnectOptions, WsMessage } from "./types.ts";

const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** Messages kept for a later `next()`; beyond it the oldest is dropped (a stream nobody reads). */
const MAX_QUEUED = 10_000;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

class ReceivedMessage implements WsMessage {
  constructor(
    readonly binary: boolean,
    readonly payload: Uint8Array,
    readonly at: number,
    public duration = 0,
  ) {}
  text(): string {
    return decoder.decode(this.payload);
  }
  json<T = unknown>(): T {
    return JSON.parse(this.text()) as T;
  }
  bytes(): Uint8Array {
    return this.payload;
  }
}

interface Waiter {
  resolve: (m: WsMessage) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  name: string;
  calledAt: number;
}

/** The kind a connection's end is recorded as. */
function kindOfEnd(end: number, conn: WsConnection): number {
  if (end === WsEnd.Protocol || end === WsEnd.HandshakeRefused) return ErrorKind.Protocol;
  if (end === WsEnd.Transport) return conn.lastErrorKind;
  return ErrorKind.Reset;
}

class ScenarioSocket implements ScenarioWebSocket, WsListener {
  readonly #conn: WsConnection;
  readonly #name: string;
  readonly #timeoutMs: number;
  readonly #recorder: RequestRecorder | null;
  readonly #onGone: (s: ScenarioSocket) => void;
  readonly #queue: ReceivedMessage[] = [];
  #waiter: Waiter | null = null;
  #lastSendAt = -1;
  #ended: { kind: number; message: string } | null = null;
  #opening: {
    resolve: (s: ScenarioWebSocket) => void;
    reject: (e: Error) => void;
    timer: ReturnType<typeof setTimeout>;
  } | null = null;
  #closing: (() => void) | null = null;
  closeCode: number | null = null;

  constructor(
    url: string,
    options: WsConnectOptions,
    timeoutMs: number,
    recorder: RequestRecorder | null,
    onGone: (s: ScenarioSocket) => void,
  ) {
    const endpoint = wsEndpoint(url, options.headers ?? {}, null);
    this.#name = options.name ?? `WS ${endpoint.path.split("?")[0]}`;
    this.#timeoutMs = timeoutMs;
    this.#recorder = recorder;
    this.#onGone = onGone;
    this.#conn = new WsConnection(endpoint, this, {
      maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      keepPayloads: true,
    });
  }

  open(timeoutMs: number): Promise<ScenarioWebSocket> {
    return new Promise((resolve, reject) => {
      const startedAt = performance.now();
      const timer = setTimeout(() => {
        this.#opening = null;
        this.#conn.drop();
        this.#ended = {
          kind: ErrorKind.Timeout,
          message: `WebSocket handshake timed out after ${timeoutMs} ms`,
        };
        this.#record(`${this.#name} connect`, 0, performance.now() - startedAt, 0, ErrorKind.Timeout);
        this.#onGone(this);
        reject(new Error(this.#ended.message));
      }, timeoutMs);
      this.#opening = { resolve, reject, timer };
      this.#conn.open();
    });
  }

  send(data: string | Uint8Array): void {
    if (this.#ended !== null || !this.#conn.isOpen) {
      throw new Error(
        `cannot send: the WebSocket is closed${this.#ended ? ` (${this.#ended.message})` : ""}`,
      );
    }
    this.#lastSendAt = performance.now();
    if (typeof data === "string") this.#conn.send(encoder.encode(data), false);
    else this.#conn.send(data, true);
  }

  next(options?: { timeout?: number; name?: string }): Promise<WsMessage> {
    const name = options?.name ?? `${this.#name} message`;
    const calledAt = performance.now();
    const queued = this.#queue.shift();
    if (queued !== undefined) {
      queued.duration = this.#lastSendAt >= 0 && this.#lastSendAt <= queued.at
        ? queued.at - this.#lastSendAt
        : 0;
      this.#record(name, 101, queued.duration, queued.payload.length, ErrorKind.None);
      return Promise.resolve(queued);
    }
    if (this.#ended !== null) {
      this.#record(name, 0, 0, 0, this.#ended.kind);
      return Promise.reject(new Error(this.#ended.message));
    }
    if (this.#waiter !== null) {
      return Promise.reject(new Error("next() is already waiting on this WebSocket"));
    }
    const timeoutMs = options?.timeout ?? this.#timeoutMs;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = null;
        this.#record(name, 0, performance.now() - this.#startOf(calledAt), 0, ErrorKind.Timeout);
        reject(new Error(`no WebSocket message within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiter = { resolve, reject, timer, name, calledAt };
    });
  }

  close(code = 1000, reason = ""): Promise<void> {
    if (this.#ended !== null || !this.#conn.isOpen) {
      this.#conn.drop();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#closing = resolve;
      this.#conn.close(code, reason);
    });
  }

  /** Closes at once (the virtual user is gone). */
  drop(): void {
    this.#conn.drop();
    if (this.#ended === null) this.#ended = { kind: ErrorKind.Reset, message: "the WebSocket was closed" };
    if (this.#waiter !== null) {
      clearTimeout(this.#waiter.timer);
      this.#waiter = null;
    }
  }

  #startOf(calledAt: number): number {
    return this.#lastSendAt >= 0 && this.#lastSendAt >= calledAt - this.#timeoutMs
      ? Math.min(this.#lastSendAt, calledAt)
      : calledAt;
  }

  #record(name: string, status: number, ms: number, bytes: number, kind: number): void {
    this.#recorder?.request(name, status, Math.max(0, Math.round(ms * 1e6)), bytes, kind);
  }

  /** @internal */
  onWsOpen(conn: WsConnection): void {
    const opening = this.#opening;
    if (opening === null) return;
    this.#opening = null;
    clearTimeout(opening.timer);
    this.#record(`${this.#name} connect`, 101, conn.handshakeMs, 0, ErrorKind.None);
    opening.resolve(this);
  }

  /** @internal */
  onWsMessage(_conn: WsConnection, binary: boolean, _length: number, payload: Uint8Array | null): void {
    const now = performance.now();
    const message = new ReceivedMessage(binary, payload!.slice(), now);
    const waiter = this.#waiter;
    if (waiter !== null) {
      this.#waiter = null;
      clearTimeout(waiter.timer);
      message.duration = now - this.#startOf(waiter.calledAt);
      this.#record(waiter.name, 101, message.duration, message.payload.length, ErrorKind.None);
      waiter.resolve(message);
      return;
    }
    if (this.#queue.length >= MAX_QUEUED) this.#queue.shift();
    this.#queue.push(message);
  }

  /** @internal */
  onWsEnd(conn: WsConnection, end: number, detail: string, _status: number, code: number): void {
    this.closeCode = code === 0 ? 1006 : code;
    const kind = kindOfEnd(end, conn);
    const message = end === WsEnd.Protocol
      ? `WebSocket protocol error: ${detail}`
      : detail === ""
      ? "the WebSocket closed"
      : detail;
    this.#ended = { kind, message };
    this.#onGone(this);
    const opening = this.#opening;
    if (opening !== null) {
      this.#opening = null;
      clearTimeout(opening.timer);
      this.#record(`${this.#name} connect`, 0, 0, 0, kind);
      opening.reject(new Error(message));
      return;
    }
    const waiter = this.#waiter;
    if (waiter !== null && end !== WsEnd.Closed) {
      this.#waiter = null;
      clearTimeout(waiter.timer);
      this.#record(waiter.name, 0, performance.now() - this.#startOf(waiter.calledAt), 0, kind);
      waiter.reject(new Error(message));
    }
    const closing = this.#closing;
    this.#closing = null;
    closing?.();
  }
}

/**
 * The WebSocket client of one virtual user.
 *
 * @example
 * ```ts
 * import { VuWsClient } from "./_ws_client.ts";
 * const ws = new VuWsClient({ base: "", timeoutMs: 10_000, recorder: null });
 * // const socket = await ws.connect("ws://127.0.0.1:9000/chat");
 * // socket.send("hi"); const reply = await socket.next(); await socket.close();
 * ws.closeAll();
 * ```
 */
export class VuWsClient implements WsClient {
  readonly #base: string;
  readonly #timeoutMs: number;
  readonly #recorder: RequestRecorder | null;
  readonly #open = new Set<ScenarioSocket>();

  constructor(options: { base: string; timeoutMs: number; recorder: RequestRecorder | null }) {
    this.#base = options.base;
    this.#timeoutMs = options.timeoutMs;
    this.#recorder = options.recorder;
  }

  connect(url: string, options: WsConnectOptions = {}): Promise<ScenarioWebSocket> {
    let absolute: string;
    try {
      const base = this.#base === "" ? undefined : this.#base.replace(/^http/, "ws");
      const u = new URL(url, base);
      if (u.protocol === "http:" || u.protocol === "https:") {
        u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
      }
      absolute = u.href;
    } catch {
      return Promise.reject(
        new TypeError(`invalid WebSocket URL "${url}"${this.#base === "" ? " (no base URL)" : ""}`),
      );
    }
    let socket: ScenarioSocket;
    try {
      socket = new ScenarioSocket(
        absolute,
        options,
        this.#timeoutMs,
        this.#recorder,
        (s) => this.#open.delete(s),
      );
    } catch (error) {
      return Promise.reject(error);
    }
    this.#open.add(socket);
    return socket.open(options.timeout ?? this.#timeoutMs);
  }

  /** Closes every socket at once (the virtual user is retired or the run is over). */
  closeAll(): void {
    for (const s of this.#open) s.drop();
    this.#open.clear();
  }
}
