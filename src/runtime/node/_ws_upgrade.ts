/**
 * WebSocket routes of the built-in target on Node (which has no server
 * WebSocket of its own): the `upgrade` event of the `node:http` server is
 * answered here with the RFC 6455 handshake, and a small server-side framing
 * reads the client's masked frames (fragments joined, pings answered, the
 * close echoed) and writes unmasked ones. Enough for the target's echo; not a
 * general WebSocket server.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import type { ServerWebSocketHandler } from "../types.ts";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** An unmasked server frame. */
function frame(opcode: number, payload: Uint8Array): Uint8Array {
  const n = payload.length;
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const out = new Uint8Array(head + n);
  out[0] = 0x80 | opcode;
  if (n < 126) out[1] = n;
  else if (n < 65536) (out[1] = 126), (out[2] = n >> 8), (out[3] = n & 0xff);
  else {
    out[1] = 127;
    new DataView(out.buffer).setUint32(6, n);
  }
  out.set(payload, head);
  return out;
}

/**
 * Answers upgrades on `server` for the paths `ws` matches; other upgrade requests are refused with 404.
 *
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * import { acceptWebSockets } from "./_ws_upgrade.ts";
 * const server = createServer();
 * acceptWebSockets(server, {
 *   matches: (path) => path === "/ws/echo",
 *   onOpen: () => {},
 *   onMessage: (data, reply) => reply(data),
 *   onClose: () => {},
 * });
 * ```
 */
export function acceptWebSockets(server: Server, ws: ServerWebSocketHandler): void {
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const key = request.headers["sec-websocket-key"];
    const path = (request.url ?? "/").split("?")[0];
    if (
      typeof key !== "string" || String(request.headers.upgrade).toLowerCase() !== "websocket" ||
      !ws.matches(path)
    ) {
      socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return;
    }
    const accept = createHash("sha1").update(key + GUID).digest("base64");
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    ws.onOpen();
    let buffered: Buffer = head.length > 0 ? Buffer.from(head) : Buffer.alloc(0);
    let parts: Buffer[] = [];
    let text = false;
    let closed = false;
    const reply = (data: string | Uint8Array): void => {
      if (!closed) socket.write(typeof data === "string" ? frame(1, Buffer.from(data)) : frame(2, data));
    };
    const finish = (): void => {
      if (closed) return;
      closed = true;
      ws.onClose();
    };
    const readFrames = (): void => {
      while (buffered.length >= 2) {
        const b0 = buffered[0], b1 = buffered[1];
        let length = b1 & 0x7f;
        let at = 2;
        if (length === 126) {
          if (buffered.length < 4) return;
          length = buffered.readUInt16BE(2);
          at = 4;
        } else if (length === 127) {
          if (buffered.length < 10) return;
          length = Number(buffered.readBigUInt64BE(2));
          at = 10;
        }
        if ((b1 & 0x80) === 0) { // clients must mask (RFC 6455 §5.1)
          socket.destroy();
          finish();
          return;
        }
        if (buffered.length < at + 4 + length) return;
        const mask = buffered.subarray(at, at + 4);
        const payload = Buffer.from(buffered.subarray(at + 4, at + 4 + length));
        for (let i = 0; i < length; i++) payload[i] ^= mask[i & 3];
        buffered = buffered.subarray(at + 4 + length);
        const opcode = b0 & 0x0f;
        if (opcode === 8) {
          socket.end(frame(8, payload.subarray(0, 2)));
          finish();
          return;
        }
        if (opcode === 9) socket.write(frame(10, payload));
        else if (opcode <= 2) {
          if (opcode !== 0) text = opcode === 1;
          parts.push(payload);
          if ((b0 & 0x80) !== 0) {
            const whole = parts.length === 1 ? parts[0] : Buffer.concat(parts);
            parts = [];
            ws.onMessage(text ? whole.toString("utf8") : new Uint8Array(whole), reply);
          }
        }
      }
    };
    socket.on("data", (data: Buffer) => {
      buffered = buffered.length === 0 ? data : Buffer.concat([buffered, data]);
      readFrames();
    });
    socket.on("close", finish);
    socket.on("error", () => {});
    readFrames();
  });
}
