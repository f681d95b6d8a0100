/**
 * UDP sockets for Deno, on its `node:dgram` (the native `Deno.listenDatagram`
 * still needs `--unstable-net` in Deno 2.9, so it is no default for users).
 *
 * Deno's `node:dgram` differs from Node's in one way that matters for speed:
 * `setRecvBufferSize` does not set SO_RCVBUF, it sets the size of the fresh
 * `Uint8Array` allocated for every datagram read (doubled on Linux). Asking
 * for the seed's 4 MB therefore allocated 8 MB per datagram and capped a
 * receiver at a few thousand datagrams per second. The receiver here sizes
 * that per-read buffer to the largest datagram expected instead. The sender
 * is the shared one (measured: ~17 µs per send on a 1 GHz core, i.e. about
 * 60,000 packets/s; sending without a callback or with a `Buffer` costs the
 * same, since Deno copies the payload and awaits an op for every send).
 *
 * @example
 * ```ts
 * import { openUdpReceiver, openUdpSender } from "./_udp.ts";
 * const rx = await openUdpReceiver({ onMessage: (b) => console.log(b.length) });
 * const tx = await openUdpSender({ host: "127.0.0.1", port: rx.port, family: 4 });
 * await tx.close();
 * await rx.close();
 * ```
 *
 * @module
 */
import { openUdpReceiverWith, type UdpReceiver, type UdpReceiverOptions } from "../node/udp.ts";

export { openUdpSender } from "../node/udp.ts";
export type { UdpReceiver, UdpReceiverOptions, UdpSender, UdpSenderOptions } from "../node/udp.ts";

/** The part of a `node:dgram` socket the read-buffer sizing uses. */
interface RecvSizedSocket {
  setRecvBufferSize(size: number): void;
  getRecvBufferSize(): number;
}

/** Makes Deno's per-read buffer exactly `bytes` long (it doubles the request on Linux). */
function sizeReadBuffer(socket: RecvSizedSocket, bytes: number): void {
  try {
    socket.setRecvBufferSize(bytes);
    const granted = socket.getRecvBufferSize();
    if (granted > bytes) socket.setRecvBufferSize(Math.ceil((bytes * bytes) / granted));
  } catch { /* keep Deno's default (64 KiB) */ }
}

/**
 * Binds a UDP socket and hands every datagram to `onMessage`; reads use a
 * buffer of `maxDatagramBytes` (default 65,535), not `recvBufferBytes`.
 *
 * @example
 * ```ts
 * import { openUdpReceiver } from "./_udp.ts";
 * const rx = await openUdpReceiver({ maxDatagramBytes: 1472, onMessage: (b) => console.log(b.length) });
 * await rx.close();
 * ```
 */
export function openUdpReceiver(options: UdpReceiverOptions): Promise<UdpReceiver> {
  return openUdpReceiverWith(options, (socket) => sizeReadBuffer(socket, options.maxDatagramBytes ?? 65_535));
}
