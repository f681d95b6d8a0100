/**
 * UDP sockets for the current runtime (picked once with `runtimeName`).
 *
 * @example
 * ```ts
 * import { openUdpReceiver, openUdpSender } from "./udp.ts";
 * const rx = await openUdpReceiver({ onMessage: (b) => console.log(new TextDecoder().decode(b)) });
 * const tx = await openUdpSender({ host: "127.0.0.1", port: rx.port, family: 4 });
 * const bytes = new TextEncoder().encode("hits:1|c");
 * tx.send(bytes, bytes.length, () => {});
 * ```
 *
 * @module
 */
import { runtime } from "./mod.ts";
import type { UdpReceiver, UdpReceiverOptions, UdpSender, UdpSenderOptions } from "./node/udp.ts";

export type { UdpReceiver, UdpReceiverOptions, UdpSender, UdpSenderOptions } from "./node/udp.ts";

/**
 * Opens a connected UDP sender (see `UdpSender`).
 *
 * @example
 * ```ts
 * import { openUdpSender } from "./udp.ts";
 * const tx = await openUdpSender({ host: "127.0.0.1", port: 8125, family: 4 });
 * await tx.close();
 * ```
 */
export const openUdpSender: (options: UdpSenderOptions) => Promise<UdpSender> = runtime.openUdpSender;

/**
 * Binds a UDP receiver (see `UdpReceiver`).
 *
 * @example
 * ```ts
 * import { openUdpReceiver } from "./udp.ts";
 * const rx = await openUdpReceiver({ onMessage: () => {} });
 * await rx.close();
 * ```
 */
export const openUdpReceiver: (options: UdpReceiverOptions) => Promise<UdpReceiver> = runtime.openUdpReceiver;
