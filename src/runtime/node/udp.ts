/**
 * UDP sockets on `node:dgram`, which Node, Deno and Bun all implement; the
 * Deno and Bun adapters re-export this one.
 *
 * @module
 */
import dgram from "node:dgram";
import type { UdpReceiver, UdpReceiverOptions, UdpSender, UdpSenderOptions } from "../types.ts";

export type { UdpReceiver, UdpReceiverOptions, UdpSender, UdpSenderOptions } from "../types.ts";

/**
 * Opens a UDP socket connected to `host:port` (resolving the name once).
 * Rejects when the name does not resolve.
 *
 * @example
 * ```ts
 * import { openUdpSender } from "./udp.ts";
 * const sender = await openUdpSender({ host: "127.0.0.1", port: 8125, family: 4 });
 * const bytes = new TextEncoder().encode("hits:1|c");
 * sender.send(bytes, bytes.length, (err) => console.log(err ?? "sent"));
 * await sender.close();
 * ```
 */
export async function openUdpSender(options: UdpSenderOptions): Promise<UdpSender> {
  const socket = dgram.createSocket(options.family === 6 ? "udp6" : "udp4");
  const listeners: Array<(error: Error) => void> = [];
  socket.on("error", (error: Error) => {
    for (const l of listeners) l(error);
  });
  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error): void => reject(error);
    socket.once("error", fail);
    socket.connect(options.port, options.host, () => {
      socket.off("error", fail);
      resolve();
    });
  }).catch((error) => {
    try {
      socket.close();
    } catch { /* already closed */ }
    throw error;
  });
  let granted = 0;
  try {
    if (options.sendBufferBytes) socket.setSendBufferSize(options.sendBufferBytes);
    granted = socket.getSendBufferSize();
  } catch { /* not supported here */ }
  let closed = false;
  return {
    sendBufferBytes: granted,
    send(bytes: Uint8Array, length: number, done: (error: Error | null) => void): void {
      if (closed) {
        done(new Error("socket closed"));
        return;
      }
      try {
        socket.send(bytes, 0, length, done);
      } catch (error) {
        done(error instanceof Error ? error : new Error(String(error)));
      }
    },
    onError(listener: (error: Error) => void): void {
      listeners.push(listener);
    },
    close(): Promise<void> {
      if (closed) return Promise.resolve();
      closed = true;
      return closeSocket(socket);
    },
  };
}

/** Closes a dgram socket; resolves once it is closed (or was already). */
function closeSocket(socket: dgram.Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });
}

/**
 * Binds a UDP socket and hands every datagram to `onMessage`.
 *
 * @example
 * ```ts
 * import { openUdpReceiver } from "./udp.ts";
 * const rx = await openUdpReceiver({ onMessage: (b) => console.log(b.length) });
 * console.log(rx.port);
 * await rx.close();
 * ```
 */
export function openUdpReceiver(options: UdpReceiverOptions): Promise<UdpReceiver> {
  return openUdpReceiverWith(options, (socket) => {
    try {
      socket.setRecvBufferSize(options.recvBufferBytes ?? 4 * 1024 * 1024);
    } catch { /* not supported here */ }
  });
}

/**
 * `openUdpReceiver` with the socket's buffer set-up left to the caller
 * (runtime adapters differ in what `setRecvBufferSize` means).
 *
 * @example
 * ```ts
 * import { openUdpReceiverWith } from "./udp.ts";
 * const rx = await openUdpReceiverWith({ onMessage: () => {} }, (socket) => socket.setRecvBufferSize(1 << 20));
 * await rx.close();
 * ```
 */
export async function openUdpReceiverWith(
  options: UdpReceiverOptions,
  configure: (socket: dgram.Socket) => void,
): Promise<UdpReceiver> {
  const family = options.family ?? 4;
  const socket = dgram.createSocket(family === 6 ? "udp6" : "udp4");
  socket.on("message", (msg: Uint8Array) => options.onMessage(msg));
  socket.on("error", () => {/* counted by the sender side; a receiver just keeps going */});
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(options.port ?? 0, options.host ?? (family === 6 ? "::1" : "127.0.0.1"), () => {
      socket.off("error", reject);
      resolve();
    });
  });
  configure(socket);
  const port = socket.address().port;
  let closed = false;
  return {
    port,
    close(): Promise<void> {
      if (closed) return Promise.resolve();
      closed = true;
      return closeSocket(socket);
    },
  };
}
