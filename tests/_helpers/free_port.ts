/**
 * Free loopback ports for peers started by tests (nginx, Prometheus, statsd), which take a port
 * number rather than binding port 0 themselves. The port is bound, read and released, so another
 * process can still take it before the peer binds it: callers that start a peer retry on a new port.
 */
import { createSocket } from "node:dgram";
import { type AddressInfo, createServer } from "node:net";

/**
 * A free TCP port on 127.0.0.1.
 *
 * @example
 * const port = await freePort();
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A free UDP port on 127.0.0.1.
 *
 * @example
 * const port = await freeUdpPort();
 */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket("udp4");
    socket.once("error", reject);
    socket.bind(0, "127.0.0.1", () => {
      const port = socket.address().port;
      socket.close(() => resolve(port));
    });
  });
}
