/**
 * Helpers for the HTTP client tests: a scriptable raw `node:net` HTTP server
 * (runs on Bun and Deno alike) and a connection wrapper whose results can be
 * awaited one by one.
 *
 * @module
 */
import net from "node:net";
import { createConnection } from "../../src/http/mod.ts";
import type { HttpConnection, PreparedRequest } from "../../src/http/mod.ts";

/** One request as the raw server parsed it. */
export interface ReceivedRequest {
  head: string;
  body: string;
}

/** Answers one request; write the response (or misbehave) on `socket`. */
export type RawHandler = (socket: net.Socket, request: ReceivedRequest, index: number) => void;

/** A raw loopback server for tests. */
export interface RawServer {
  port: number;
  url: string;
  /** Requests received so far, in order. */
  requests: ReceivedRequest[];
  /** TCP connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

/**
 * Starts a raw HTTP/1.1 server on an ephemeral loopback port; `handler` is
 * called once per complete request (head and Content-Length body).
 *
 * @example
 * ```ts
 * import { startRawServer } from "./http.ts";
 * const server = await startRawServer((s) => s.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
 * await server.close();
 * ```
 */
export async function startRawServer(handler: RawHandler): Promise<RawServer> {
  const sockets = new Set<net.Socket>();
  const state = { requests: [] as ReceivedRequest[], connections: 0 };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    state.connections++;
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let pending = "";
    socket.on("data", (chunk: Uint8Array) => {
      pending += new TextDecoder("latin1").decode(chunk);
      while (true) {
        const headEnd = pending.indexOf("\r\n\r\n");
        if (headEnd < 0) return;
        const head = pending.slice(0, headEnd);
        const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        if (pending.length < headEnd + 4 + length) return;
        const body = pending.slice(headEnd + 4, headEnd + 4 + length);
        pending = pending.slice(headEnd + 4 + length);
        const request = { head, body };
        state.requests.push(request);
        handler(socket, request, state.requests.length - 1);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    get connections() {
      return state.connections;
    },
    close: (): Promise<void> => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port that was just free and is now closed (connections to it are refused). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** What one `send()` reported. */
export interface Outcome {
  status: number;
  bodyBytes: number;
  errorKind: number;
}

/** A connection whose outcomes can be awaited. */
export interface TestConnection {
  conn: HttpConnection;
  outcomes: Outcome[];
  /** Sends and waits for the outcome (rejects after `timeoutMs`). */
  request(timeoutMs?: number): Promise<Outcome>;
  /** Waits for the next outcome of a send already made. */
  next(timeoutMs?: number): Promise<Outcome>;
}

/**
 * Wraps `createConnection` so that a test can `await` each outcome.
 *
 * @example
 * ```ts
 * import { prepareRequest } from "../../src/http/mod.ts";
 * import { testConnection } from "./http.ts";
 * const t = testConnection(prepareRequest({ url: "http://127.0.0.1:1/", method: "GET", headers: {} }));
 * console.log((await t.request()).errorKind); // 2 (refused)
 * ```
 */
export function testConnection(req: PreparedRequest): TestConnection {
  const outcomes: Outcome[] = [];
  let waiter: ((o: Outcome) => void) | null = null;
  let seen = 0;
  const conn = createConnection(req, (status, bodyBytes, errorKind) => {
    outcomes.push({ status, bodyBytes, errorKind });
    if (waiter !== null) {
      const w = waiter;
      waiter = null;
      seen++;
      w(outcomes[seen - 1]);
    }
  });
  const next = (timeoutMs = 3000): Promise<Outcome> => {
    if (outcomes.length > seen) return Promise.resolve(outcomes[seen++]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiter = null;
        reject(new Error(`no outcome within ${timeoutMs} ms`));
      }, timeoutMs);
      waiter = (o): void => {
        clearTimeout(timer);
        resolve(o);
      };
    });
  };
  return {
    conn,
    outcomes,
    next,
    request: (timeoutMs?: number): Promise<Outcome> => {
      conn.send();
      return next(timeoutMs);
    },
  };
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
