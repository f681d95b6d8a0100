/**
 * A loopback HTTP/1.1 server that misbehaves on purpose, for the fault suite,
 * and keeps its own exact counts: requests received and responses it
 * completed. It can be "killed" (stops listening; every connection ends after
 * the response it already wrote; later requests are never answered) and
 * restarted on the same port.
 *
 * @module
 */
import net from "node:net";

/** How the server answers. */
export type FaultMode =
  | { kind: "ok" }
  /** Writes the head (Content-Length 100) and resets the connection. */
  | { kind: "reset-after-headers" }
  /** Writes the head and 10 of 1,000 body bytes, then nothing more. */
  | { kind: "never-finish" }
  /** The n-th response on a connection says `Connection: close` and the server closes. */
  | { kind: "close-after"; n: number }
  /** After the n-th response the server closes a few ms later, saying nothing. */
  | { kind: "silent-close-after"; n: number; delayMs: number }
  /** A response whose head holds one header line of `bytes` bytes. */
  | { kind: "huge-header"; bytes: number };

/** A running fault server. */
export interface FaultServer {
  readonly url: string;
  readonly port: number;
  /** Requests received (complete heads and bodies). */
  readonly received: number;
  /** Responses written completely. */
  readonly answered: number;
  /** Connections accepted. */
  readonly connections: number;
  /** Stops listening; open connections end after what was written; no more answers. */
  kill(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

const OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

/** Starts a fault server on an ephemeral loopback port. */
export async function startFaultServer(mode: FaultMode): Promise<FaultServer> {
  const sockets = new Set<net.Socket>();
  const state = { received: 0, answered: 0, connections: 0, dead: false };
  const big = mode.kind === "huge-header"
    ? new TextEncoder().encode(
      `HTTP/1.1 200 OK\r\nX-Big: ${"a".repeat(mode.bytes)}\r\nContent-Length: 0\r\n\r\n`,
    )
    : null;

  const onConnection = (socket: net.Socket): void => {
    if (state.dead) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    state.connections++;
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let pending = "";
    let onThisSocket = 0;
    let closing = false;
    socket.on("data", (chunk: Uint8Array) => {
      pending += new TextDecoder("latin1").decode(chunk);
      for (;;) {
        const headEnd = pending.indexOf("\r\n\r\n");
        if (headEnd < 0) return;
        const length = Number(/content-length:\s*(\d+)/i.exec(pending.slice(0, headEnd))?.[1] ?? 0);
        if (pending.length < headEnd + 4 + length) return;
        pending = pending.slice(headEnd + 4 + length);
        state.received++;
        if (state.dead || closing) continue; // never answered
        onThisSocket++;
        answer(socket, onThisSocket, () => (closing = true));
      }
    });
  };

  const answer = (socket: net.Socket, index: number, markClosing: () => void): void => {
    switch (mode.kind) {
      case "ok":
        socket.write(OK);
        state.answered++;
        return;
      case "reset-after-headers":
        markClosing();
        socket.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", () => {
          (socket as net.Socket & { resetAndDestroy?: () => void }).resetAndDestroy?.() ?? socket.destroy();
        });
        return;
      case "never-finish":
        markClosing();
        socket.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789");
        return;
      case "close-after":
        if (index >= mode.n) {
          markClosing();
          socket.end("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
        } else {
          socket.write(OK);
        }
        state.answered++;
        return;
      case "silent-close-after":
        socket.write(OK);
        state.answered++;
        if (index >= mode.n) {
          markClosing();
          setTimeout(() => socket.end(), mode.delayMs);
        }
        return;
      case "huge-header":
        socket.write(big!);
        state.answered++;
        return;
    }
  };

  let server = net.createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  const closeServer = (): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get received() {
      return state.received;
    },
    get answered() {
      return state.answered;
    },
    get connections() {
      return state.connections;
    },
    kill: async (): Promise<void> => {
      state.dead = true;
      void closeServer(); // stops listening now; resolves only once every connection is gone
      for (const socket of sockets) socket.end(); // after what was written, like a process exiting
      await new Promise((resolve) => setTimeout(resolve, 10));
    },
    restart: async (): Promise<void> => {
      state.dead = false;
      server = net.createServer(onConnection);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", resolve);
      });
    },
    close: async (): Promise<void> => {
      state.dead = true;
      for (const socket of sockets) socket.destroy();
      await closeServer().catch(() => {});
    },
  };
}
