/**
 * UDP sockets for Bun: its `node:dgram` is complete, so this adapter
 * re-exports the shared implementation under the same names.
 *
 * @example
 * ```ts
 * import { openUdpSender } from "./_udp.ts";
 * const sender = await openUdpSender({ host: "127.0.0.1", port: 8125, family: 4 });
 * await sender.close();
 * ```
 *
 * @module
 */
export { openUdpReceiver, openUdpSender } from "../node/udp.ts";
export type { UdpReceiver, UdpReceiverOptions, UdpSender, UdpSenderOptions } from "../node/udp.ts";
