/**
 * A raw `node:net` WebSocket server for tests: it answers the upgrade with a
 * correct (or a chosen wrong) handshake, then runs a script for each
 * connection: the bytes it writes, written exactly as given, so a test can
 * send the malformed frames a real server library would never produce.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";

/** What the server does on each connection, once the upgrade request has arrived. */
export interface WsScript {
  /** The handshake answer; default a correct 101. `accept` is the right Sec-WebSocket-Accept. */
  handshake?: (accept: string) => string;
  /** Called after the handshake, and for every later chunk the client sends (raw bytes). */
  onOpen?: (socket: Socket) => void;
  onData?: (socket: Socket, data: Buffer) => void;
}

/** The right Sec-WebSocket-Accept for `key`. */
export function acceptOf(key: string): string {
  return createHash("sha1").update(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest("base64");
}

/** A correct 101 answer. */
export function good101(accept: string): string {
  return `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Accept: ${accept}\r\n\r\n`;
}

/** An unmasked server frame. */
export function serverFrame(firstByte: number, payload: Uint8Array | string, lengthByte?: number): Buffer {
  const body = typeof payload === "string" ? Buffer.from(payload) : Buffer.from(payload);
  const len = body.length;
  let head: Buffer;
  if (lengthByte !== undefined) head = Buffer.from([firstByte, lengthByte]);
  else if (len < 126) head = Buffer.from([firstByte, len]);
  else if (len < 65536) head = Buffer.from([firstByte, 126, len >> 8, len & 0xff]);
  else {
    head = Buffer.alloc(10);
    head[0] = firstByte;
    head[1] = 127;
    head.writeUInt32BE(len, 6);
  }
  return Buffer.concat([head, body]);
}

/** Unmasks the client frames in `data` (whole frames only): [opcode, payload] each. */
export function clientFrames(data: Buffer): Array<[number, Buffer]> {
  const out: Array<[number, Buffer]> = [];
  let at = 0;
  while (at + 2 <= data.length) {
    const opcode = data[at] & 0x0f;
    let len = data[at + 1] & 0x7f;
    let p = at + 2;
    if (len === 126) (len = data.readUInt16BE(p)), (p += 2);
    else if (len === 127) (len = Number(data.readBigUInt64BE(p))), (p += 8);
    const mask = data.subarray(p, p + 4);
    p += 4;
    if (p + len > data.length) break;
    const payload = Buffer.alloc(len);
    for (let i = 0; i < len; i++) payload[i] = data[p + i] ^ mask[i & 3];
    out.push([opcode, payload]);
    at = p + len;
  }
  return out;
}

/** Starts the server on 127.0.0.1, port 0. */
export async function startWsScriptServer(
  script: WsScript,
): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let head = "";
    let open = false;
    socket.on("data", (data: Buffer) => {
      if (open) {
        script.onData?.(socket, data);
        return;
      }
      head += data.toString("latin1");
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      const key = /sec-websocket-key: *(\S+)/i.exec(head)?.[1] ?? "";
      socket.write((script.handshake ?? good101)(acceptOf(key)));
      open = true;
      script.onOpen?.(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
