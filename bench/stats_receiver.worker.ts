/**
 * Loopback UDP receiver for `stats.bench.ts`, run in a worker thread so that
 * it has its own event loop, as a StatsD daemon has its own process: in the
 * benchmark's thread it would compete with the sender for the same loop.
 *
 * Messages in: `{ cmd: "read" }` (reply `{ port, packets, lines, bytes }`,
 * then counts restart from zero), `{ cmd: "close" }` (reply `{ closed: true }`).
 * It posts `{ port }` once bound.
 *
 * @module
 */
import { parentPort } from "../src/runtime/worker.ts";
import { openUdpReceiver } from "../src/runtime/udp.ts";

const port = parentPort();
let packets = 0;
let lines = 0;
let bytes = 0;
const rx = await openUdpReceiver({
  maxDatagramBytes: 1472,
  onMessage: (b) => {
    packets++;
    bytes += b.length;
    for (let i = 0; i < b.length; i++) if (b[i] === 10) lines++;
  },
});
port.onMessage(async (message) => {
  const cmd = (message as { cmd: string }).cmd;
  if (cmd === "read") {
    port.postMessage({ port: rx.port, packets, lines, bytes });
    packets = 0;
    lines = 0;
    bytes = 0;
  } else if (cmd === "close") {
    await rx.close();
    port.postMessage({ closed: true });
    port.close();
  }
});
port.postMessage({ port: rx.port });
