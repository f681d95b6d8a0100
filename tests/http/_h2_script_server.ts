/**
 * A scripted HTTP/2 server on a raw `node:net` socket (Deno and Bun alike):
 * it sends its SETTINGS, acknowledges the client's, hands every request
 * stream to a script that writes the exact frames to answer with, and records
 * the RST_STREAM and GOAWAY frames the client sends back. Plus a driver that
 * sends requests one after another through lunge's HTTP/2 pool.
 *
 * @module
 */
import net from "node:net";
import { Flag, FrameType, writeFrameHeader } from "../../src/http/h2/_frames.ts";
import { H2ConnectionPool } from "../../src/http/h2/pool.ts";
import { prepareRequest } from "../../src/http/request.ts";
import { tcpConnect } from "../../src/runtime/connect.ts";

/**
 * One frame: the 9-byte header and `payload`.
 *
 * @example
 * ```ts
 * import { h2Frame } from "./_h2_script_server.ts";
 * h2Frame(4, 1, 0).length; // 9: a SETTINGS ACK
 * ```
 */
export function h2Frame(
  type: number,
  flags: number,
  streamId: number,
  payload: ArrayLike<number> = [],
): Uint8Array {
  const out = new Uint8Array(9 + payload.length);
  writeFrameHeader(out, 0, payload.length, type, flags, streamId);
  out.set(payload, 9);
  return out;
}

/**
 * The parts one after another.
 *
 * @example
 * ```ts
 * import { concatBytes } from "./_h2_script_server.ts";
 * concatBytes(Uint8Array.of(1), Uint8Array.of(2)); // Uint8Array [1, 2]
 * ```
 */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A frame the client sent that ends a stream or the connection: [type, streamId, error code]. */
export type ClientReset = [type: number, streamId: number, code: number];

/** A running scripted server. */
export interface H2ScriptServer {
  port: number;
  /** TCP connections accepted so far. */
  connections(): number;
  /** RST_STREAM and GOAWAY frames received from the client, in order. */
  resets: ClientReset[];
  close(): void;
}

/** What the scripted server does. */
export interface H2Script {
  /** Called once per connection after the server SETTINGS went out. */
  onConnect?: (socket: net.Socket, connection: number) => void;
  /** Called for each request stream after its END_STREAM (`index` counts requests over every connection). */
  onRequest: (socket: net.Socket, streamId: number, index: number, connection: number) => void;
  /** Connections that send nothing after their SETTINGS (not even a SETTINGS ACK). */
  silent?: (connection: number) => boolean;
  /** Called for every client frame. */
  onFrame?: (type: number, flags: number, streamId: number, payload: Uint8Array) => void;
}

/**
 * Starts the server on an ephemeral loopback port.
 *
 * @example
 * ```ts
 * import { startH2ScriptServer } from "./_h2_script_server.ts";
 * const server = await startH2ScriptServer({ onRequest: () => {} });
 * server.close();
 * ```
 */
export async function startH2ScriptServer(script: H2Script): Promise<H2ScriptServer> {
  let connections = 0;
  let requests = 0;
  const resets: ClientReset[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    const connection = connections++;
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
    socket.write(h2Frame(FrameType.Settings, 0, 0, [0, 3, 0, 0, 0, 100]));
    script.onConnect?.(socket, connection);
    let buf: Uint8Array = new Uint8Array(0);
    let prefaceSeen = false;
    socket.on("data", (chunk: Uint8Array) => {
      buf = concatBytes(buf, chunk);
      if (!prefaceSeen) {
        if (buf.length < 24) return;
        buf = buf.subarray(24);
        prefaceSeen = true;
      }
      while (buf.length >= 9) {
        const len = (buf[0] << 16) | (buf[1] << 8) | buf[2];
        if (buf.length < 9 + len) return;
        const type = buf[3];
        const flags = buf[4];
        const sid = ((buf[5] & 0x7f) << 24) | (buf[6] << 16) | (buf[7] << 8) | buf[8];
        const p = buf.slice(9, 9 + len);
        buf = buf.subarray(9 + len);
        if (type === FrameType.RstStream) resets.push([type, sid, readUint32(p, 0)]);
        if (type === FrameType.GoAway) resets.push([type, 0, readUint32(p, 4)]);
        script.onFrame?.(type, flags, sid, p);
        if (script.silent?.(connection)) continue;
        if (type === FrameType.Settings && (flags & Flag.Ack) === 0) {
          socket.write(h2Frame(FrameType.Settings, Flag.Ack, 0));
        }
        if ((type === FrameType.Headers || type === FrameType.Data) && (flags & Flag.EndStream)) {
          script.onRequest(socket, sid, requests++, connection);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => connections,
    resets,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

function readUint32(p: Uint8Array, at: number): number {
  return ((p[at] << 24) | (p[at + 1] << 16) | (p[at + 2] << 8) | p[at + 3]) >>> 0;
}

/** What one request reported. */
export interface H2Outcome {
  status: number;
  bytes: number;
  kind: number;
  /** The connection's last error message after this outcome ("" when none). */
  error: string;
}

/**
 * Sends `count` GET requests one after another on one pool handle (one stream
 * at a time) and collects their outcomes.
 *
 * @example
 * ```ts
 * import { h2Sequence, startH2ScriptServer } from "./_h2_script_server.ts";
 * const server = await startH2ScriptServer({ onRequest: () => {} });
 * // await h2Sequence(server.port, 2) would wait for answers the script never sends.
 * server.close();
 * ```
 */
export function h2Sequence(port: number, count: number): Promise<H2Outcome[]> {
  const req = prepareRequest({ url: `http://127.0.0.1:${port}/`, method: "GET", headers: {} });
  const pool = new H2ConnectionPool(req, {
    streams: 1,
    connect: (l) => tcpConnect(req.hostname, req.port, l),
  });
  const outcomes: H2Outcome[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stuck: ${JSON.stringify(outcomes)}`)), 20_000);
    const conn = pool.create((status, bytes, kind) => {
      outcomes.push({ status, bytes, kind, error: kind === 0 ? "" : conn.lastError ?? "" });
      if (outcomes.length < count) conn.send();
      else {
        clearTimeout(timer);
        conn.close();
        resolve(outcomes);
      }
    });
    conn.send();
  });
}
